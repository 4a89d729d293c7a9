"""What a 2-input classifier learns: two interleaved moons, and the regions it draws.

The article's classifiers split the input plane where the output crosses a
threshold; with several tanh layers the boundary can bend and the regions
interleave, always smoothly. This example makes two noisy half-moons, fits a
2-11-9-1 network (tanh hidden layers, a logistic output read as the probability
of class B, binary cross-entropy) and draws the learned regions: the floor split
at 0.5, with the data on top.

Run: ``python examples/learn_two_moons.py [outdir]``: :func:`dagnet.gallery.demos.learn_two_moons`
(which the gallery runs too) fits, measures and writes learn_two_moons.png there.
"""

from __future__ import annotations

from _learn_main import main_for, run

from dagnet.gallery.demos import learn_two_moons

main = main_for(learn_two_moons)


def report(results: dict) -> str:
    return (f"two moons, 2-11-9-1: cross-entropy {results['first_loss']:.3f} -> "
            f"{results['final_loss']:.2g}, training accuracy {results['accuracy']:.1%}")


if __name__ == "__main__":
    run(main, report)
