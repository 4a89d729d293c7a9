"""What a 3-output classifier learns: three spiral arms, split by argmax.

The article's last classifiers have one output per category and give each
point of the input space to the output that is largest there. This example
makes three interleaved spiral arms, fits a 2-16-16-3 network (tanh hidden
layers, identity outputs read as logits, softmax cross-entropy with the class
numbers 0, 1, 2 as targets) and shades the plane by the winning output. It also
reports how close the race is: the share of the plane where the runner-up output
is within 0.5 of the winner (the article's "near tie").

Run: ``python examples/learn_three_class.py [outdir]``:
:func:`dagnet.gallery.demos.learn_three_class` (which the gallery runs too) fits, measures
and writes learn_three_class.png there.
"""

from __future__ import annotations

from _learn_main import main_for, run

from dagnet.gallery.demos import learn_three_class

main = main_for(learn_three_class)


def report(results: dict) -> str:
    return (f"three spirals, 2-16-16-3: cross-entropy {results['first_loss']:.3f} -> "
            f"{results['final_loss']:.2g}, training accuracy {results['accuracy']:.1%}; "
            f"the runner-up is within 0.5 of the winner on {results['near_tie_share']:.0%} "
            "of the plane")


if __name__ == "__main__":
    run(main, report)
