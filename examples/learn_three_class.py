"""What a 3-output classifier learns: three spiral arms, split by argmax.

The article's last classifiers have one output per category and give each
point of the input space to the output that is largest there. This example
makes three interleaved spiral arms, fits a 2-16-16-3 network (tanh hidden
layers, identity outputs read as logits, softmax cross-entropy with the class
numbers 0, 1, 2 as targets) and shades the plane by the winning output. It also
reports how close the race is: the share of the plane where the runner-up output
is within 0.5 of the winner (the article's "near tie").

Run: ``python examples/learn_three_class.py [outdir]`` (writes learn_three_class.png).
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
CLASS_COLORS = ("#bfbbd9", "#fa8174", "#81b1d2")  # A, B, C: the article's output colours


def spirals(n_per_class: int = 120, noise: float = 0.15,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three spiral arms around the origin: points (3 n, 2) and labels 0, 1, 2."""
    gen = np.random.default_rng(seed)
    points, labels = [], []
    for k in range(3):
        r = np.linspace(0.2, 2.5, n_per_class)
        angle = 2.2 * r + k * 2 * np.pi / 3 + gen.normal(0, noise, n_per_class)
        points.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        labels.append(np.full(n_per_class, k))
    return np.concatenate(points), np.concatenate(labels)


def argmax_regions(ax, net, X, label, lim=3.0):
    """Shade the plane by the largest output, draw the data; return (ax, outputs on grid)."""
    g = np.linspace(-lim, lim, 241)
    gx, gy = np.meshgrid(g, g)
    out = net.compile()(np.column_stack([gx.ravel(), gy.ravel()]))
    win = out.argmax(axis=1).reshape(gx.shape)
    ax.set_facecolor(BG)
    ax.contourf(gx, gy, win, levels=[-0.5, 0.5, 1.5, 2.5], cmap=ListedColormap(CLASS_COLORS),
                alpha=0.4)
    for k, name in enumerate("ABC"):
        pts = X[label == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=7, color=CLASS_COLORS[k], edgecolors=BG,
                   linewidths=0.3, label=f"category {name}")
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel="x_1", ylabel="x_2", aspect="equal")
    ax.tick_params(colors=FG)
    for side in ax.spines.values():
        side.set_color(FG)
    ax.xaxis.label.set_color(FG)
    ax.yaxis.label.set_color(FG)
    return ax, out


def main(outdir: str | Path = ".", steps: int = 3000, seed: int = 0) -> dict:
    X, label = spirals(seed=seed)
    net = dagnet.mlp([2, 16, 16, 3], ["tanh", "tanh", "identity"], rng=seed)
    history = dagnet.fit(net, X, label, loss="cross_entropy", steps=steps, lr=0.01, rng=seed,
                         progress=False)
    accuracy = float(np.mean(net.compile()(X).argmax(axis=1) == label))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150, facecolor=BG)
    _, out = argmax_regions(ax, net, X, label)
    top2 = np.sort(out, axis=1)[:, -2:]
    near_tie = float(np.mean(top2[:, 1] - top2[:, 0] < 0.5))
    ax.set_title(f"argmax regions: cross-entropy {history.final_loss:.2g}, "
                 f"accuracy {accuracy:.1%}", color=FG, fontsize=10)
    ax.legend(facecolor=BG, labelcolor=FG, fontsize=7, loc="upper left",
              bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    path = Path(outdir) / "learn_three_class.png"
    with atomic_path(path) as tmp:
        fig.savefig(tmp, facecolor=BG)
    plt.close(fig)
    return {"first_loss": float(history.losses[0]), "final_loss": history.final_loss,
            "accuracy": accuracy, "near_tie_share": near_tie, "figure": str(path)}


def report(results: dict) -> str:
    return (f"three spirals, 2-16-16-3: cross-entropy {results['first_loss']:.3f} -> "
            f"{results['final_loss']:.2g}, training accuracy {results['accuracy']:.1%}; "
            f"the runner-up is within 0.5 of the winner on {results['near_tie_share']:.0%} "
            "of the plane")


if __name__ == "__main__":
    print(report(main(sys.argv[1] if len(sys.argv) > 1 else ".")))
