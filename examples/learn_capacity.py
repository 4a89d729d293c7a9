"""Wide and shallow or narrow and deep: the article's capacity claim, measured.

The article: "any curve you can create using a many layered network, you can
also create using a two layered network, as long as you have enough hidden
nodes", and the deeper one "can help you create more complex curves using fewer
total nodes" (100 hidden nodes in its 1-100-1 family, 11 + 9 in its 1-11-9-1).
This example fits both networks (every layer tanh, as in the article's figures)
to the same wiggly target with the same optimizer, steps and seeds, and puts the
error next to the node counts.

The data, the fit and the picture live in :func:`dagnet.demos.learn_capacity`
(the gallery's "What it learned" section runs the same function).

Run: ``python examples/learn_capacity.py [outdir]`` (writes learn_capacity.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagnet.demos import CAPACITY, learn_capacity


def main(outdir: str | Path = ".", steps: int = 4000, seeds: tuple[int, ...] = (0, 1, 2)) -> dict:
    return learn_capacity(Path(outdir) / "learn_capacity.png", steps=steps, seeds=seeds)


def report(results: dict) -> str:
    lines = [f"Median over seeds of the final mean squared error after {results['steps']} "
             "Adam steps (300 points on [-6, 6]).", "",
             "| network | hidden nodes | weights | explicit graph nodes | final mse (median) | "
             "final mse (each seed) |", "|---|---|---|---|---|---|"]
    for name in CAPACITY:
        r = results[name]
        each = ", ".join(f"{v:.1e}" for v in r["final_mse"])
        lines.append(f"| {name} | {r['hidden_nodes']} | {r['weights']} | {r['graph_nodes']} | "
                     f"{r['median_final_mse']:.1e} | {each} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main(sys.argv[1] if len(sys.argv) > 1 else ".")))
