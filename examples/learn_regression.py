"""What a network learns from 1-input data: a smooth target, and a jagged one.

The article's claim: networks with tanh activations "tend to create smooth
functions"; a target "with many jagged jumps and drops" is one they "might not be
able to do a very good job of". This example fits the same 1-11-9-1 tanh network
(every layer tanh, as in the article's figures) to a smooth curve and to a square
wave of the same amplitude, and measures where the fit falls short: the learned
curve rounds each jump of the square wave over a finite width, so its error
gathers next to the jumps.

Run: ``python examples/learn_regression.py [outdir]``: :func:`dagnet.gallery.demos.learn_regression`
(which the gallery runs too) fits, measures and writes learn_regression.png there.
"""

from __future__ import annotations

from _learn_main import main_for, run, table

from dagnet.gallery.demos import learn_regression

main = main_for(learn_regression)


def report(results: dict) -> str:
    rows = []
    for name in ("smooth", "jagged"):
        r = results[name]
        rows.append((name, f"{r['first_loss']:.3g}", f"{r['final_loss']:.2g}",
                     f"{r['share_of_error_near_jumps']:.0%}"))
    j = results["jagged"]
    return "\n".join([
        table(["target", "first loss", "final mse", "share of error within 0.5 of a jump"], rows),
        "",
        f"The square wave jumps in zero width; the learned curve climbs 10%-90% of each jump "
        f"over {j['mean_rise_width']:.2f} on average. The zones within 0.5 of a jump are "
        f"{j['share_of_range_near_jumps']:.0%} of the x range.",
    ])


if __name__ == "__main__":
    run(main, report)
