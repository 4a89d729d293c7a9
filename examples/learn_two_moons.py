"""What a 2-input classifier learns: two interleaved moons, and the regions it draws.

The article's classifiers split the input plane where the output crosses a
threshold; with several tanh layers the boundary can bend and the regions
interleave, always smoothly. This example makes two noisy half-moons, fits a
2-11-9-1 network (tanh hidden layers, a logistic output read as the probability
of class B, binary cross-entropy) and draws the learned regions: the floor split
at 0.5, with the data on top.

Run: ``python examples/learn_two_moons.py [outdir]`` (writes learn_two_moons.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

import dagnet  # noqa: E402
from dagnet._atomic import atomic_path  # noqa: E402

BG, FG = "#04253a", "#d4d2b7"
CLASS_COLORS = ("#fa8174", "#81b1d2")  # A (0), B (1)


def two_moons(n: int = 300, noise: float = 0.12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: points (n, 2) and labels 0 (A) / 1 (B)."""
    gen = np.random.default_rng(seed)
    label = np.arange(n) % 2
    t = gen.uniform(0.0, np.pi, n)
    x = np.where(label == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
    return np.column_stack([x, y]) + gen.normal(0.0, noise, (n, 2)), label


def regions(ax, net, X, label, threshold=0.5, ax_range=((-1.6, 2.6), (-1.1, 1.6))):
    """Shade the plane by the learned class, draw the boundary and the data; return ax."""
    (x0, x1), (y0, y1) = ax_range
    gx, gy = np.meshgrid(np.linspace(x0, x1, 300), np.linspace(y0, y1, 200))
    p = net.compile()(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(gx.shape)
    ax.set_facecolor(BG)
    ax.contourf(gx, gy, p >= threshold, levels=[-0.5, 0.5, 1.5],
                cmap=ListedColormap(CLASS_COLORS), alpha=0.35)
    ax.contour(gx, gy, p, levels=[threshold], colors=FG, linewidths=1.5)
    for k, name in enumerate("AB"):
        pts = X[label == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=8, color=CLASS_COLORS[k], label=f"category {name}")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x_1", ylabel="x_2")
    ax.tick_params(colors=FG)
    for side in ax.spines.values():
        side.set_color(FG)
    ax.xaxis.label.set_color(FG)
    ax.yaxis.label.set_color(FG)
    return ax


def main(outdir: str | Path = ".", steps: int = 2000, seed: int = 0) -> dict:
    X, label = two_moons(seed=seed)
    net = dagnet.mlp([2, 11, 9, 1], ["tanh", "tanh", "logistic"], rng=seed)
    history = dagnet.fit(net, X, label, loss="cross_entropy", steps=steps, lr=0.01, rng=seed,
                         progress=False)
    accuracy = float(np.mean((net.compile()(X)[:, 0] >= 0.5) == label))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150, facecolor=BG)
    regions(ax, net, X, label)
    ax.set_title(f"learned regions: cross-entropy {history.final_loss:.2g}, "
                 f"training accuracy {accuracy:.1%}", color=FG)
    ax.legend(facecolor=BG, labelcolor=FG, fontsize=8, loc="lower left")
    fig.tight_layout()
    out = Path(outdir) / "learn_two_moons.png"
    with atomic_path(out) as tmp:
        fig.savefig(tmp, facecolor=BG)
    plt.close(fig)
    return {"first_loss": float(history.losses[0]), "final_loss": history.final_loss,
            "accuracy": accuracy, "figure": str(out)}


def report(results: dict) -> str:
    return (f"two moons, 2-11-9-1: cross-entropy {results['first_loss']:.3f} -> "
            f"{results['final_loss']:.2g}, training accuracy {results['accuracy']:.1%}")


if __name__ == "__main__":
    print(report(main(sys.argv[1] if len(sys.argv) > 1 else ".")))
