"""What a 2-input classifier learns: two interleaved moons, and the regions it draws.

The article's classifiers split the input plane where the output crosses a
threshold; with several tanh layers the boundary can bend and the regions
interleave, always smoothly. This example makes two noisy half-moons, fits a
2-11-9-1 network (tanh hidden layers, a logistic output read as the probability
of class B, binary cross-entropy) and draws the learned regions: the floor split
at 0.5, with the data on top.

The data, the fit and the picture live in :func:`dagnet.demos.learn_two_moons`
(the gallery's "What it learned" section runs the same function).

Run: ``python examples/learn_two_moons.py [outdir]`` (writes learn_two_moons.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagnet.demos import learn_two_moons


def main(outdir: str | Path = ".", steps: int = 2000, seed: int = 0) -> dict:
    return learn_two_moons(Path(outdir) / "learn_two_moons.png", steps=steps, seed=seed)


def report(results: dict) -> str:
    return (f"two moons, 2-11-9-1: cross-entropy {results['first_loss']:.3f} -> "
            f"{results['final_loss']:.2g}, training accuracy {results['accuracy']:.1%}")


if __name__ == "__main__":
    print(report(main(sys.argv[1] if len(sys.argv) > 1 else ".")))
