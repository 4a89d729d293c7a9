"""Wide and shallow or narrow and deep: the article's capacity claim, measured.

The article: "any curve you can create using a many layered network, you can
also create using a two layered network, as long as you have enough hidden
nodes", and the deeper one "can help you create more complex curves using fewer
total nodes" (100 hidden nodes in its 1-100-1 family, 11 + 9 in its 1-11-9-1).
This example fits both networks (every layer tanh, as in the article's figures)
to the same wiggly target with the same optimizer, steps and seeds, and puts the
error next to the node counts.

Run: ``python examples/learn_capacity.py [outdir]``: :func:`dagnet.gallery.demos.learn_capacity`
(which the gallery runs too) fits, measures and writes learn_capacity.png there.
"""

from __future__ import annotations

from _learn_main import main_for, run, table

from dagnet.gallery.demos import CAPACITY, learn_capacity

main = main_for(learn_capacity)


def report(results: dict) -> str:
    rows = []
    for name in CAPACITY:
        r = results[name]
        rows.append((name, r["hidden_nodes"], r["weights"], r["graph_nodes"],
                     f"{r['median_final_mse']:.1e}", ", ".join(f"{v:.1e}" for v in r["final_mse"])))
    return "\n".join([
        f"Median over seeds of the final mean squared error after {results['steps']} "
        "Adam steps (300 points on [-6, 6]).", "",
        table(["network", "hidden nodes", "weights", "explicit graph nodes",
               "final mse (median)", "final mse (each seed)"], rows)])


if __name__ == "__main__":
    run(main, report)
