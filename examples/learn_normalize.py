"""Normalized inputs help: the article's last takeaway, measured.

"Making sure that inputs are normalized (have a mean of near zero and a standard
deviation of less than one) helps neural networks to be more sensitive to their
relationships." This example makes data whose two inputs are badly scaled (one
sits around 1000, the other varies by hundredths), fits the same 2-11-9-1 tanh
network twice from the same initial weight draw, with ``normalize=False`` and
with ``normalize=True``, and plots both loss curves. With normalization dagnet
reads the initial draw as weights for inputs of mean 0 and unit spread (what an
initialization is for), optimizes there, and folds the scaling back into the
first layer's weights, so both fitted networks take the raw inputs.

Run: ``python examples/learn_normalize.py [outdir]``: :func:`dagnet.gallery.demos.learn_normalize`
(which the gallery runs too) fits, measures and writes learn_normalize.png there.
"""

from __future__ import annotations

from _learn_main import main_for, run, table

from dagnet.gallery.demos import learn_normalize

main = main_for(learn_normalize)


def report(results: dict) -> str:
    raw, norm = results["raw"], results["normalized"]
    rows = [(label, f"{r['first_loss']:.3g}", f"{r['final_loss']:.2e}")
            for label, r in (("raw (normalize=False)", raw), ("normalized (normalize=True)", norm))]
    return "\n".join([
        table(["inputs", "first mse", "final mse"], rows), "",
        f"Normalizing lowered the final error {raw['final_loss'] / norm['final_loss']:.0f}x."])


if __name__ == "__main__":
    run(main, report)
