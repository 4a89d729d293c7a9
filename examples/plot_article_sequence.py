"""Regenerate every plot of the article's sequence (article-figures.md, rows 1-17).

For each row: a still PNG (1200 x 675 px, the article's 8 x 4.5 in at 150 dpi) and a
GIF of 49 weight draws, one per second, 640 px wide. Family rows' stills overlay all
49 draws; surface rows' stills show the GIF's first draw; classifier rows' stills show
the draw (among the GIF's 49) whose categories change most often, so the still shows
what the article describes (interleaved regions). Three atlas figures follow (quantile
bands, classification frequency, an architecture sweep).
Everything is seeded: the same ``--seed`` writes the same plots.

Usage::

    python examples/plot_article_sequence.py [OUT_DIR] [--seed 0] [--frames 49] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import dagnet  # noqa: E402
from dagnet import plot  # noqa: E402

#: (row, file stem, network builder, what the plot shows) in article order.
ROWS = [
    (1, "line", lambda: dagnet.linear(1), "family"),
    (2, "line_renamed", lambda: dagnet.linear(1), "family"),
    (3, "plane", lambda: dagnet.linear(2), "surface"),
    (4, "linear_1-100-1", lambda: dagnet.mlp([1, 100, 1], activation=None), "family"),
    (5, "logistic", lambda: dagnet.logistic(1), "family"),
    (6, "logistic_classifier", lambda: dagnet.logistic(1), "regions"),
    (7, "logistic_2_inputs", lambda: dagnet.logistic(2), "surface"),
    (8, "tanh_1_layer", lambda: dagnet.mlp([1, 1], activation="tanh"), "family"),
    (9, "tanh_1-100-1", lambda: dagnet.mlp([1, 100, 1]), "family"),
    (10, "tanh_1-11-9-1", lambda: dagnet.mlp([1, 11, 9, 1]), "family"),
    (11, "mlp_classifier_1-11-9-1", lambda: dagnet.mlp([1, 11, 9, 1]), "regions"),
    (12, "two_outputs_1-11-9-2", lambda: dagnet.mlp([1, 11, 9, 2]), "regions"),
    (13, "three_outputs_1-11-9-3", lambda: dagnet.mlp([1, 11, 9, 3]), "regions"),
    (14, "two_inputs_2-11-9-1", lambda: dagnet.mlp([2, 11, 9, 1]), "surface"),
    (15, "two_input_classifier_2-11-9-1", lambda: dagnet.mlp([2, 11, 9, 1]), "regions"),
    (16, "two_inputs_three_outputs_2-11-9-3", lambda: dagnet.mlp([2, 11, 9, 3]), "regions"),
    (17, "relu_2-11-9-1", lambda: dagnet.mlp([2, 11, 9, 1], activation="relu"), "surface"),
]


def busiest(net, f, W) -> int:
    """Index of the draw whose category changes most often over the input window."""
    g = np.linspace(-6, 6, 201 if net.n_inputs == 1 else 41)
    X = g[:, None] if net.n_inputs == 1 else np.column_stack([a.ravel() for a in
                                                              np.meshgrid(g, g)])
    C = plot.classify(net, X, W, f=f).reshape((len(W),) + (g.size,) * net.n_inputs)
    changes = sum(np.count_nonzero(np.diff(C, axis=a), axis=tuple(range(1, C.ndim)))
                  for a in range(1, C.ndim))
    return int(np.argmax(changes))


def make_row(row: int, out: Path, seed: int, frames: int) -> tuple[int, list[str], float]:
    """Write row ``row``'s still and GIF; return (row, file names, seconds)."""
    t0 = time.perf_counter()
    _, stem, build, kind = ROWS[row - 1]
    net = build()
    W = net.sample_weights(frames, rng=np.random.default_rng([seed, row]))
    f = net.compile()
    name = f"row{row:02d}_{stem}"
    if kind == "family":
        res = plot.family(net, weights=W, f=f)
    elif kind == "surface":
        res = plot.surface(net, W[0], f=f)
    else:
        res = plot.regions(net, W[busiest(net, f, W)], f=f)
    png = plot.save_figure(res.figure, out / f"{name}.png")
    plt.close(res.figure)
    gif = plot.animate(net, out / f"{name}.gif", kind=kind, weights=W)
    return row, [png.name, gif.name], time.perf_counter() - t0


def make_atlas(out: Path, seed: int) -> tuple[str, list[str], float]:
    """The atlas figures: quantile bands, classification frequency, a sweep."""
    t0 = time.perf_counter()
    rng = np.random.default_rng([seed, 100])
    names = []
    for fname, draw in [
        ("atlas_bands_1-11-9-1_tanh.png",
         lambda: plot.quantile_bands(dagnet.mlp([1, 11, 9, 1]), k=400, rng=rng)),
        ("atlas_frequency_2-11-9-1_tanh.png",
         lambda: plot.class_frequency(dagnet.mlp([2, 11, 9, 1]), k=300, rng=rng)),
        ("atlas_sweep_1-input.png", lambda: plot.sweep(k=200, rng=rng)),
    ]:
        res = draw()
        plot.save_figure(res.figure, out / fname)
        plt.close(res.figure)
        names.append(fname)
    return "atlas", names, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="diagrams", help="output folder (diagrams/)")
    ap.add_argument("--seed", type=int, default=0, help="seed of every weight draw (0)")
    ap.add_argument("--frames", type=int, default=49, help="draws per family and GIF (49)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: one per CPU)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # The 2-input rows take longest: start them first.
    order = sorted(range(1, len(ROWS) + 1), key=lambda r: ROWS[r - 1][2]().n_inputs,
                   reverse=True)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(make_row, r, out, args.seed, args.frames) for r in order]
        jobs.append(pool.submit(make_atlas, out, args.seed))
        results = sorted((j.result() for j in jobs), key=lambda r: (isinstance(r[0], str), r[0]))
    for key, names, secs in results:
        label = f"row {key:2d}" if isinstance(key, int) else f"{key:6s}"
        print(f"{label}  {secs:5.1f} s  {', '.join(names)}")
    print(f"wrote {sum(len(n) for _, n, _ in results)} files to {out}/ in "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
