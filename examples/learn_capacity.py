"""Wide and shallow or narrow and deep: the article's capacity claim, measured.

The article: "any curve you can create using a many layered network, you can
also create using a two layered network, as long as you have enough hidden
nodes", and the deeper one "can help you create more complex curves using fewer
total nodes" (100 hidden nodes in its 1-100-1 family, 11 + 9 in its 1-11-9-1).
This example fits both networks (every layer tanh, as in the article's figures)
to the same wiggly target with the same optimizer, steps and seeds, and puts the
error next to the node counts.

Run: ``python examples/learn_capacity.py [outdir]`` (writes learn_capacity.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import dagnet  # noqa: E402
from dagnet._atomic import atomic_path  # noqa: E402

BG, FG, CURVES = "#04253a", "#d4d2b7", ("#bfbbd9", "#fa8174", "#81b1d2")
ARCHITECTURES = {"1-100-1": [1, 100, 1], "1-11-9-1": [1, 11, 9, 1]}


def target(x: np.ndarray) -> np.ndarray:
    """Wiggles of several widths, inside the tanh output range (-1, 1)."""
    return 0.5 * np.sin(1.7 * x) + 0.3 * np.sin(3.1 * x + 1.0) * np.exp(-x * x / 20)


def sample(n: int = 300, seed: int = 0) -> np.ndarray:
    return np.sort(np.random.default_rng(seed).uniform(-6.0, 6.0, n))[:, None]


def main(outdir: str | Path = ".", steps: int = 4000, seeds: tuple[int, ...] = (0, 1, 2)) -> dict:
    x = sample()
    y = target(x[:, 0])
    grid = np.linspace(-6, 6, 600)[:, None]
    results = {}
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150, facecolor=BG)
    ax.set_facecolor(BG)
    ax.plot(grid[:, 0], target(grid[:, 0]), color=CURVES[0], lw=5, alpha=0.6, label="target")
    for color, (name, sizes) in zip(CURVES[1:], ARCHITECTURES.items()):
        runs = []
        for seed in seeds:
            net = dagnet.mlp(sizes, "tanh", rng=seed)
            history = dagnet.fit(net, x, y, steps=steps, lr=0.01, rng=seed, progress=False)
            runs.append((history.final_loss, float(history.losses[0]), net))
        runs.sort(key=lambda r: r[0])
        median_loss, first_loss, median_net = runs[len(runs) // 2]
        results[name] = {
            "hidden_nodes": sum(sizes[1:-1]),
            "weights": median_net.n_weights,
            "graph_nodes": median_net.graph.number_of_nodes(),
            "final_mse": [r[0] for r in runs],
            "median_final_mse": median_loss,
            "median_first_mse": first_loss,
        }
        ax.plot(grid[:, 0], median_net.compile()(grid)[:, 0], color=color, lw=2,
                label=f"{name}: mse {median_loss:.1e}")
    ax.axhline(0, color=FG, lw=0.5)
    ax.axvline(0, color=FG, lw=0.5)
    ax.set(xlim=(-6, 6), ylim=(-1.2, 1.2), xlabel="x (input)", ylabel="y (output)")
    ax.xaxis.label.set_color(FG)
    ax.yaxis.label.set_color(FG)
    ax.tick_params(colors=FG)
    for side in ax.spines.values():
        side.set_color(FG)
    ax.set_title("same target, same fit: 100 hidden nodes vs 11 + 9", color=FG)
    ax.legend(facecolor=BG, labelcolor=FG, fontsize=8, loc="lower left")
    fig.tight_layout()
    path = Path(outdir) / "learn_capacity.png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, facecolor=BG)
    plt.close(fig)
    results["figure"] = str(path)
    results["steps"] = steps
    return results


def report(results: dict) -> str:
    lines = [f"Median over seeds of the final mean squared error after {results['steps']} "
             "Adam steps (300 points on [-6, 6]).", "",
             "| network | hidden nodes | weights | explicit graph nodes | final mse (median) | "
             "final mse (each seed) |", "|---|---|---|---|---|---|"]
    for name in ARCHITECTURES:
        r = results[name]
        each = ", ".join(f"{v:.1e}" for v in r["final_mse"])
        lines.append(f"| {name} | {r['hidden_nodes']} | {r['weights']} | {r['graph_nodes']} | "
                     f"{r['median_final_mse']:.1e} | {each} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(main(sys.argv[1] if len(sys.argv) > 1 else ".")))
