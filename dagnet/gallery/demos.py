"""What networks learn, fitted: the article's takeaways as seeded examples with pictures.

The article ends with takeaways: networks learn smooth functions for regression
and smooth boundaries for classification, several outputs pick a category by
argmax, a deep net does with fewer nodes what a wide two-layer net does, and
normalized inputs help. Each ``learn_*`` function here fits a network that shows
one of them (data from the makers below, weights and data from explicit seeds),
draws one picture, writes it atomically and returns the measured numbers with a
one-line ``"caption"`` built from them. :data:`DEMOS` lists them as data, for the
gallery's "What it learned" section; ``examples/learn_*.py`` wrap them.

Examples
--------
>>> from dagnet.gallery.demos import DEMOS, two_moons
>>> [d.slug for d in DEMOS]
['smooth-regression', 'smooth-boundaries', 'argmax', 'deep-vs-wide', 'normalized-inputs']
>>> X, label = two_moons(n=10, seed=0)
>>> X.shape, sorted(set(label.tolist()))
((10, 2), [0, 1])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.builders import mlp
from ..learn.training import History, fit

__all__ = ["smooth", "jagged", "wiggly", "line_sample", "two_moons", "spirals", "badly_scaled",
           "rise_width", "plot_curves", "plot_classes", "plot_losses", "learn_regression",
           "learn_two_moons", "learn_three_class", "learn_capacity", "learn_normalize",
           "Demo", "DEMOS", "JUMPS", "CAPACITY"]

#: Where the square wave of :func:`jagged` flips sign.
JUMPS = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
#: The two architectures of :func:`learn_capacity`: the article's wide and deep nets.
CAPACITY = {"1-100-1": (1, 100, 1), "1-11-9-1": (1, 11, 9, 1)}
_LR = 0.01


# -- data ----------------------------------------------------------------------------------
def smooth(x: np.ndarray) -> np.ndarray:
    """A smooth 1-D target inside (-1, 1): two sines of different widths."""
    return 0.6 * np.sin(1.3 * x) + 0.25 * np.cos(0.4 * x)


def gallery_compile(net: Any) -> Any:
    """``net.compile(fused=False)``: the gallery's forward pass, in plain numpy.

    The fused kernels (with numba installed) round differently in the last bit, which can
    move a contour by a pixel; the gallery's files must be the same whatever is installed.

    Parameters
    ----------
    net : Network
        The network to compile.

    Returns
    -------
    CompiledNetwork
        ``f(X, weights=None)``.

    Examples
    --------
    >>> gallery_compile(mlp([1, 2, 1], rng=0)).source == mlp([1, 2, 1]).compile(fused=False).source
    True
    """
    return net.compile(fused=False)


def jagged(x: np.ndarray) -> np.ndarray:
    """A square wave, +0.7 / -0.7, flipping at every point of :data:`JUMPS`.

    >>> jagged(np.array([-5.0, -3.0, 1.0])).tolist()
    [0.7, -0.7, -0.7]
    """
    return np.where(np.searchsorted(JUMPS, x) % 2 == 0, 0.7, -0.7)


def wiggly(x: np.ndarray) -> np.ndarray:
    """Wiggles of several widths inside (-1, 1): the target of :func:`learn_capacity`."""
    return 0.5 * np.sin(1.7 * x) + 0.3 * np.sin(3.1 * x + 1.0) * np.exp(-x * x / 20)


def line_sample(n: int = 240, seed: int = 0) -> np.ndarray:
    """``n`` sorted inputs, uniform on the article's window [-6, 6], shape (n, 1).

    >>> x = line_sample(5, seed=1)
    >>> x.shape, bool((np.diff(x[:, 0]) >= 0).all()), bool((abs(x) <= 6).all())
    ((5, 1), True, True)
    """
    return np.sort(np.random.default_rng(seed).uniform(-6.0, 6.0, n))[:, None]


def two_moons(n: int = 300, noise: float = 0.12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: points (n, 2) and labels 0 (A) / 1 (B), alternating."""
    gen = np.random.default_rng(seed)
    label = np.arange(n) % 2
    t = gen.uniform(0.0, np.pi, n)
    x = np.where(label == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
    return np.column_stack([x, y]) + gen.normal(0.0, noise, (n, 2)), label


def spirals(n_per_class: int = 120, noise: float = 0.15,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three spiral arms around the origin: points (3 n, 2) and labels 0, 1, 2.

    >>> X, label = spirals(4, seed=0)
    >>> X.shape, label.tolist()
    ((12, 2), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    """
    gen = np.random.default_rng(seed)
    points, labels = [], []
    r = np.linspace(0.2, 2.5, n_per_class)
    for k in range(3):
        angle = 2.2 * r + k * 2 * np.pi / 3 + gen.normal(0, noise, n_per_class)
        points.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        labels.append(np.full(n_per_class, k))
    return np.concatenate(points), np.concatenate(labels)


def badly_scaled(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs around 1000 (spread ~3) and around 0.01 (spread ~0.006); a smooth target."""
    gen = np.random.default_rng(seed)
    x1 = gen.uniform(995.0, 1005.0, n)
    x2 = gen.uniform(0.0, 0.02, n)
    y = 0.6 * np.sin(0.6 * (x1 - 1000.0)) * np.cos(150.0 * (x2 - 0.01))
    return np.column_stack([x1, x2]), y


def rise_width(x: np.ndarray, y: np.ndarray, at: float, low: float, high: float) -> float:
    """Width over which the curve y(x) climbs (or falls) from 10% to 90% of a jump at ``at``.

    >>> x = np.linspace(-1, 1, 201)
    >>> round(rise_width(x, np.clip(x, -0.5, 0.5), 0.0, -0.5, 0.5), 2)
    0.8
    """
    near = (x > at - 1.0) & (x < at + 1.0)
    xs, frac = x[near], (y[near] - low) / (high - low)
    if frac[0] > frac[-1]:
        xs, frac = xs[::-1], frac[::-1]
    return float(abs(xs[np.argmax(frac >= 0.9)] - xs[np.argmax(frac >= 0.1)]))


# -- plots ---------------------------------------------------------------------------------
def plot_curves(x: np.ndarray, target: np.ndarray, fitted: Mapping[str, np.ndarray], *,
                data: tuple[np.ndarray, np.ndarray] | None = None, ax: Any = None,
                style: Any = "article", title: str | None = None) -> Any:
    """Draw a 1-D target (thin), fitted curves (thick) and the data points; return ``ax``."""
    from ..plot.style import prepare_axes

    ax, s = prepare_axes(ax, style)
    ax.plot(x, target, color=s.color(0), lw=1.5, label="target")
    for k, (label, y) in enumerate(fitted.items(), start=1):
        ax.plot(x, y, color=s.color(k), lw=s.linewidth, label=label)
    if data is not None:
        ax.scatter(data[0], data[1], s=6, color=s.color(len(fitted) + 1), zorder=3, label="data")
    ax.axhline(0, color=s.foreground, lw=s.axis_linewidth)
    ax.axvline(0, color=s.foreground, lw=s.axis_linewidth)
    ax.set(xlim=(-6, 6), ylim=(-1.2, 1.2), xlabel="x (input)", ylabel="y (output)")
    if title:
        ax.set_title(title, color=s.foreground, fontsize=s.fontsize)
    return ax


def _category(out: np.ndarray) -> np.ndarray:
    """Category of each row of outputs: one output, B (1) where >= 0.5; several, argmax."""
    return (out[:, 0] >= 0.5) if out.shape[1] == 1 else out.argmax(axis=1)


def plot_classes(net: Any, X: np.ndarray, label: np.ndarray, *, ax: Any = None,
                 style: Any = "article", n_grid: int = 200) -> Any:
    """Shade the plane by the learned category, draw the data on top; return ``ax``.

    One output: category B where it is >= 0.5 (a logistic output); several: argmax.
    """
    from matplotlib.colors import ListedColormap

    from ..plot.style import prepare_axes

    ax, s = prepare_axes(ax, style)
    pad = 0.4
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, n_grid), np.linspace(y0, y1, n_grid))
    win = _category(gallery_compile(net)(np.column_stack([gx.ravel(), gy.ravel()])))
    k = max(2, net.n_outputs)
    colors = [s.color(c) for c in range(k)]
    ax.contourf(gx, gy, win.reshape(gx.shape).astype(float), levels=np.arange(k + 1) - 0.5,
                cmap=ListedColormap(colors), alpha=0.35)
    for c in range(k):
        pts = X[label == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=7, color=colors[c], edgecolors=s.background,
                   linewidths=0.3, label=f"category {'ABC'[c]}")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x₁ (input)", ylabel="x₂ (input)",
           aspect="equal")
    return ax


def plot_losses(histories: Mapping[str, History], *, ax: Any = None,
                style: Any = "article") -> Any:
    """The loss at every step of each fit, log scale; return ``ax``."""
    from ..plot.style import prepare_axes

    ax, s = prepare_axes(ax, style)
    for k, (label, h) in enumerate(histories.items(), start=1):
        ax.semilogy(h.losses, color=s.color(k), lw=2, label=label)
    ax.set(xlabel="step", ylabel="loss")
    return ax


def _figure(style: Any, ncols: int = 1):
    """A figure outside pyplot (nothing to close) with ``ncols`` styled axes."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..plot.style import get_style, style_axes

    s = get_style(style)
    with mpl.rc_context(s.rc()):
        fig = Figure(figsize=s.figsize, dpi=s.dpi)
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        style_axes(ax, s)
    return fig, list(axes), s


def _save(fig: Any, s: Any, path: str | os.PathLike, legend_ax: Any, **legend: Any) -> str:
    from ..plot.style import save_figure

    legend_ax.legend(facecolor=s.background, labelcolor=s.foreground, fontsize=8, **legend)
    fig.tight_layout()
    return str(save_figure(fig, path))


# -- the fitted examples -------------------------------------------------------------------
def _fit(net: Any, X: np.ndarray, y: np.ndarray, steps: int, seed: int, **options: Any) -> History:
    """Every demo's training run: Adam at the same rate, batches drawn from ``seed``, silent."""
    return fit(net, X, y, steps=steps, lr=_LR, rng=seed, progress=False, **options)


def learn_regression(path: str | os.PathLike, steps: int = 4000, seed: int = 0,
                     style: Any = "article") -> dict:
    """Fit 1-11-9-1 tanh to a smooth curve and to a square wave; measure the misfit at jumps."""
    x = line_sample(seed=seed)
    grid = np.linspace(-6, 6, 2401)
    near_jump = np.min(np.abs(grid[:, None] - JUMPS), axis=1) < 0.5
    fig, axes, s = _figure(style, 2)
    r: dict[str, Any] = {"steps": steps}
    learned = grid  # the jagged fit, after the loop
    for ax, (name, target) in zip(axes, (("smooth", smooth), ("jagged", jagged))):
        net = mlp([1, 11, 9, 1], "tanh", rng=seed)
        h = _fit(net, x, target(x[:, 0]), steps, seed)
        learned = gallery_compile(net)(grid[:, None])[:, 0]
        err = (learned - target(grid)) ** 2
        r[name] = {"first_loss": float(h.losses[0]), "final_loss": h.final_loss,
                   "share_of_error_near_jumps": float(err[near_jump].sum() / err.sum()),
                   "share_of_range_near_jumps": float(near_jump.mean())}
        plot_curves(grid, target(grid), {"learned": learned}, data=(x[:, 0], target(x[:, 0])),
                    ax=ax, style=s, title=f"{name}: mse {h.final_loss:.2g}")
    r["jagged"]["mean_rise_width"] = float(np.mean(
        [rise_width(grid, learned, j, -0.7, 0.7) for j in JUMPS]))
    r["figure"] = _save(fig, s, path, axes[0], loc="lower left")
    sm, jg = r["smooth"], r["jagged"]
    r["caption"] = (f"1-11-9-1 tanh, {steps} Adam steps on {len(x)} points: the smooth curve's mse "
                    f"falls {sm['first_loss']:.2g} → {sm['final_loss']:.1e}, the square wave's "
                    f"only to {jg['final_loss']:.2g}; {jg['share_of_error_near_jumps']:.0%} of "
                    f"that error lies within 0.5 of a jump, each of which the fit spreads over "
                    f"{jg['mean_rise_width']:.2f} in x (10-90 %).")
    return r


def _classifier(X, label, sizes, activation, steps, seed, path, style, what) -> tuple:
    net = mlp(list(sizes), activation, rng=seed)
    h = _fit(net, X, label, steps, seed, loss="cross_entropy")
    acc = float(np.mean(_category(gallery_compile(net)(X)) == label))
    fig, (ax,), s = _figure(style)
    plot_classes(net, X, label, ax=ax, style=s)
    ax.set_title(f"{what}: cross-entropy {h.final_loss:.2g}, training accuracy {acc:.1%}",
                 color=s.foreground, fontsize=10)
    spec = "-".join(map(str, sizes))
    return {"first_loss": float(h.losses[0]), "final_loss": h.final_loss, "accuracy": acc,
            "steps": steps, "spec": spec, "figure": _save(fig, s, path, ax, loc="upper left",
                                                          bbox_to_anchor=(1.02, 1.0))}, net


def learn_two_moons(path: str | os.PathLike, steps: int = 2000, seed: int = 0,
                    style: Any = "article") -> dict:
    """Fit 2-11-9-1 (tanh, logistic output) to two moons; the regions split at 0.5."""
    X, label = two_moons(seed=seed)
    r, _ = _classifier(X, label, (2, 11, 9, 1), ["tanh", "tanh", "logistic"], steps, seed,
                       path, style, "two moons")
    r["caption"] = (f"{r['spec']} (tanh, logistic output), {steps} steps on {len(X)} points: "
                    f"cross-entropy {r['first_loss']:.2f} → {r['final_loss']:.2g}, training "
                    f"accuracy {r['accuracy']:.1%}.")
    return r


def learn_three_class(path: str | os.PathLike, steps: int = 3000, seed: int = 0,
                      style: Any = "article") -> dict:
    """Fit 2-16-16-3 (tanh, identity outputs, softmax cross-entropy) to three spirals."""
    X, label = spirals(seed=seed)
    r, net = _classifier(X, label, (2, 16, 16, 3), ["tanh", "tanh", "identity"], steps, seed,
                         path, style, "argmax of 3 outputs")
    g = np.linspace(-3, 3, 241)
    top2 = np.sort(gallery_compile(net)(np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)), axis=1)
    r["near_tie_share"] = float(np.mean(top2[:, -1] - top2[:, -2] < 0.5))
    r["caption"] = (f"{r['spec']}, three outputs, the largest wins; {steps} steps on "
                    f"{len(X)} points: cross-entropy {r['first_loss']:.2f} → "
                    f"{r['final_loss']:.2g}, training accuracy {r['accuracy']:.1%}; the "
                    f"runner-up is within 0.5 of the winner on {r['near_tie_share']:.0%} of "
                    "the plane.")
    return r


def learn_capacity(path: str | os.PathLike, steps: int = 4000, seeds: tuple[int, ...] = (0, 1, 2),
                   style: Any = "article") -> dict:
    """Fit 1-100-1 and 1-11-9-1 tanh to :func:`wiggly`, same steps and seeds; median mse."""
    x = line_sample(300, seed=0)
    y = wiggly(x[:, 0])
    grid = np.linspace(-6, 6, 600)
    fig, (ax,), s = _figure(style)
    r: dict[str, Any] = {"steps": steps}
    curves = {}
    for name, sizes in CAPACITY.items():
        runs = []
        for seed in seeds:
            net = mlp(list(sizes), "tanh", rng=seed)
            h = _fit(net, x, y, steps, seed)
            runs.append((h.final_loss, float(h.losses[0]), net))
        runs.sort(key=lambda t: t[0])
        final, first, net = runs[len(runs) // 2]
        r[name] = {"hidden_nodes": sum(sizes[1:-1]), "weights": net.n_weights,
                   "graph_nodes": net.graph.number_of_nodes(),
                   "final_mse": [t[0] for t in runs], "median_final_mse": final,
                   "median_first_mse": first}
        curves[f"{name}: mse {final:.1e}"] = gallery_compile(net)(grid[:, None])[:, 0]
    plot_curves(grid, wiggly(grid), curves, ax=ax, style=s,
                title="same target, same steps: 100 hidden nodes vs 11 + 9")
    r["figure"] = _save(fig, s, path, ax, loc="lower left")
    w, d = r["1-100-1"], r["1-11-9-1"]
    r["caption"] = (f"Same wiggly target, {steps} steps, median of {len(seeds)} seeds: "
                    f"1-100-1 ({w['hidden_nodes']} hidden nodes, {w['weights']} weights) "
                    f"reaches mse {w['median_final_mse']:.1e}, 1-11-9-1 "
                    f"({d['hidden_nodes']} hidden nodes, {d['weights']} weights) "
                    f"{d['median_final_mse']:.1e}: {_ratio(w, d)}.")
    return r


def _ratio(wide: Mapping[str, Any], deep: Mapping[str, Any]) -> str:
    """Which fit ended lower, and by how much (the headline must match the numbers)."""
    a, b = wide["median_final_mse"], deep["median_final_mse"]
    if b <= a:
        return f"the deep net's error is {a / b:.1f}x lower with a fifth of the hidden nodes"
    return f"the wide net's error is {b / a:.1f}x lower; depth did not pay off here"


def learn_normalize(path: str | os.PathLike, steps: int = 2000, seed: int = 0,
                    style: Any = "article") -> dict:
    """Fit 2-11-9-1 tanh to badly scaled inputs twice from one draw: raw, then normalized."""
    X, y = badly_scaled(seed=seed)
    start = mlp([2, 11, 9, 1], "tanh", rng=seed)
    r: dict[str, Any] = {"steps": steps}
    histories = {}
    for normalize in (False, True):
        net = start.copy()
        h = _fit(net, X, y, steps, seed, normalize=normalize)
        raw_mse = float(np.mean((gallery_compile(net)(X)[:, 0] - y) ** 2))  # both take raw inputs
        r["normalized" if normalize else "raw"] = {
            "first_loss": float(h.losses[0]), "final_loss": h.final_loss,
            "raw_input_mse": raw_mse}
        what = "normalized inputs" if normalize else "raw inputs"
        histories[f"{what}: final mse {h.final_loss:.1e}"] = h
    fig, (ax,), s = _figure(style)
    plot_losses(histories, ax=ax, style=s)
    ax.set(ylabel="mean squared error")
    ax.set_title("the same network and data, raw vs normalized inputs", color=s.foreground)
    r["figure"] = _save(fig, s, path, ax)
    raw, norm = r["raw"]["final_loss"], r["normalized"]["final_loss"]
    r["caption"] = (f"2-11-9-1 tanh on inputs near 1000 and near 0.01, the same start, {steps} "
                    f"steps: raw inputs end at mse {raw:.1e}, normalized ones at {norm:.1e}, "
                    f"{raw / norm:.0f}x lower.")
    return r


# -- the table -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Demo:
    """One takeaway of the article with the fitted example that shows it (a row of DEMOS).

    Attributes
    ----------
    slug, title : file-name stem and heading.
    takeaway : the article's point, in one line.
    run : the ``learn_*`` function; called as ``run(path, steps, seed_or_seeds, style)``.
    steps : optimizer steps in the gallery (fewer than the examples' defaults, for speed).
    cost : rough relative run time, to schedule slow work first.
    """

    slug: str
    title: str
    takeaway: str
    run: Callable[..., dict]
    steps: int
    cost: int

    def file(self, number: int) -> str:
        """The picture's file name when this row is the gallery's item ``number``."""
        return f"{number:02d}-learned-{self.slug}.png"

    def __call__(self, path: str | os.PathLike, seed: int = 0, style: Any = "article") -> dict:
        """Run the example with the gallery's steps; ``seed`` seeds data and weights."""
        arg = (seed, seed + 1, seed + 2) if self.run is learn_capacity else seed
        return self.run(path, self.steps, arg, style)


#: The article's takeaways, in its order, each with its fitted example.
DEMOS: tuple[Demo, ...] = (
    Demo("smooth-regression", "Regression: smooth functions",
         "Networks learn smooth functions: a smooth target fits, a square wave's jumps round off.",
         learn_regression, 1500, 6),
    Demo("smooth-boundaries", "Classification: smooth boundaries",
         "Classifiers learn smooth category boundaries, even between interleaved moons.",
         learn_two_moons, 800, 3),
    Demo("argmax", "Several outputs: the largest wins",
         "One output per category; argmax splits the plane into three spiral arms.",
         learn_three_class, 1200, 4),
    Demo("deep-vs-wide", "Deep and narrow or wide and shallow",
         "A deep net can do with fewer nodes: 11 + 9 hidden nodes against 100 in one layer.",
         learn_capacity, 1500, 8),
    Demo("normalized-inputs", "Normalized inputs help",
         "Normalized inputs (mean near 0, spread about 1) let the network pick up relationships.",
         learn_normalize, 800, 3),
)
