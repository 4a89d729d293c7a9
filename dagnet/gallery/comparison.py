"""The gallery's comparison figure: families of two steps side by side on one figure.

The article's point at step 10 (1-11-9-1 tanh) is made against step 9 (1-100-1
tanh): similar variety from a fifth of the hidden nodes. :func:`draw_comparison`
draws both families with the very draws of each step's own ``-family.png``, titles
each panel with the network's hidden-node and weight counts, and counts the visible
turns of every curve with :func:`local_extrema`, so the figure states a number, not
only an impression. :mod:`dagnet.gallery` saves it as ``10-tanh-3-layers-compare.png``
(:data:`dagnet.gallery.COMPARISONS`).

Examples
--------
>>> import numpy as np
>>> local_extrema(np.array([[0.0, 1.0, 0.5, 0.504, 0.2, 0.9]]))  # the 0.004 ripple is no turn
array([2])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .demos import gallery_compile
from .steps import Step, step

__all__ = ["Comparison", "draw_comparison", "local_extrema", "measure", "Measured",
           "EXTREMUM_TOL", "MEASURE_DRAWS", "SATURATED", "ALSO_MEASURED"]

#: Draws the comparison's numbers are measured on (20 draws gave 0.8 vs 2.2 turns per curve,
#: 2,000 give 0.70 vs 1.55: the small sample overstated the gap).
MEASURE_DRAWS = 2000
#: A sample of a tanh curve is saturated beyond this (95 % of the way to +-1).
SATURATED = 0.95
#: A further network measured for the caption: a narrow two-layer net, to show that width
#: alone is not what the wide net lacks.
ALSO_MEASURED = (1, 20, 1)

#: A curve must turn back by more than this to count as a local extremum: 0.5 % of
#: tanh's range, so turns far too small to see on a plateau near +-1 are not counted.
EXTREMUM_TOL = 0.01


def local_extrema(Y: Any, tol: float = EXTREMUM_TOL) -> np.ndarray:
    """Local maxima and minima of each sampled curve: the last axis of ``Y`` is the curve
    (a trailing axis of length 1, as in a family plot's ``y`` of shape (K, n, 1), is dropped).

    A turn counts when the curve, after rising (falling) to a running extreme, falls
    (rises) more than ``tol`` below (above) it; ends of the window are not extrema.
    ``tol=0`` counts every sign change of the differences of neighbouring samples.

    >>> import numpy as np
    >>> x = np.linspace(-6, 6, 400)
    >>> local_extrema([np.sin(x), np.sin(x) + 3e-3 * np.sin(60 * x)]).tolist()
    [4, 4]
    >>> local_extrema([np.sin(x) + 3e-3 * np.sin(60 * x)], tol=0).tolist()  # every ripple
    [20]
    """
    Y = np.asarray(Y, dtype=float)
    Y = Y[..., 0] if Y.ndim >= 3 and Y.shape[-1] == 1 else np.atleast_2d(Y)
    C = Y.reshape(-1, Y.shape[-1])  # one row per curve; every curve steps along together
    count = np.zeros(len(C), dtype=int)
    way = np.zeros(len(C), dtype=int)
    ext, lo, hi = C[:, 0].copy(), C[:, 0].copy(), C[:, 0].copy()
    for v in C[:, 1:].T:
        idle = way == 0  # no direction yet: wait for a move larger than tol
        lo, hi = np.where(idle, np.minimum(lo, v), lo), np.where(idle, np.maximum(hi, v), hi)
        up, down = idle & (v - lo > tol), idle & ~(v - lo > tol) & (hi - v > tol)
        way = np.where(up, 1, np.where(down, -1, way))
        ext = np.where(up | down, v, ext)
        moving = ~idle
        further = moving & (way * (v - ext) > 0)  # same way: a new running extreme
        turned = moving & ~further & (way * (ext - v) > tol)  # back by more than tol
        ext = np.where(further | turned, v, ext)
        count += turned
        way = np.where(turned, -way, way)
    return count.reshape(Y.shape[:-1])


@dataclass(frozen=True)
class Measured:
    """Numbers measured on ``draws`` random draws of one network (sizes ``sizes``).

    ``turns``: mean :func:`local_extrema` per curve; ``saturated``: mean share of a curve's
    samples with ``|y| > SATURATED``.
    """

    sizes: tuple[int, ...]
    draws: int
    turns: float
    saturated: float


def measure(sizes: Sequence[int], *, seed: int = 0, draws: int = MEASURE_DRAWS,
            activation: str = "tanh") -> Measured:
    """Measure a 1-input network's random curves over ``draws`` draws on [-6, 6] (100 x).

    The draws come from ``numpy.random.default_rng([seed, *sizes, 4])``: the same numbers
    on every run.

    >>> m = measure((1, 1), draws=50)
    >>> m.turns, m.draws   # one tanh S curve never turns
    (0.0, 50)
    """
    import dagnet

    net = dagnet.mlp(list(sizes), activation)
    W = net.sample_weights(draws, rng=np.random.default_rng([int(seed), *map(int, sizes), 4]))
    x = np.linspace(-6.0, 6.0, 100)[:, None]
    Y = gallery_compile(net)(x, weights=W)[..., 0]
    return Measured(tuple(sizes), draws, float(local_extrema(Y).mean()),
                    float(np.mean(np.abs(Y) > SATURATED)))


@dataclass(frozen=True, eq=False)
class Comparison:
    """What :func:`draw_comparison` drew.

    Attributes
    ----------
    figure : the matplotlib Figure (the caller closes it).
    rows : the steps, one per panel, left to right.
    plots : one :class:`dagnet.plot.FamilyPlot` per panel (its ``x``, ``y``, ``weights``).
    extrema : per panel, :func:`local_extrema` of every curve.
    caption : one line stating the numbers, for the gallery page.
    measured : per panel, then :data:`ALSO_MEASURED`: :class:`Measured` over
        :data:`MEASURE_DRAWS` draws.
    """

    figure: Any
    rows: tuple[Step, ...]
    plots: tuple[Any, ...]
    extrema: tuple[np.ndarray, ...]
    caption: str
    measured: tuple[Measured, ...] = ()


def _sizes(row: Step) -> str:
    return "-".join(map(str, row.sizes))


def panel_title(row: Step) -> str:
    """``"1-100-1: 100 hidden nodes, 301 weights"`` for step 9."""
    n = sum(row.sizes[1:-1])
    return (f"{_sizes(row)}: {n} hidden node{'s' if n != 1 else ''}, "
            f"{row.network().n_weights} weights")


def draw_comparison(numbers: Sequence[int], *, seed: int = 0, style: str = "article",
                    n: int = 20, draws: int = MEASURE_DRAWS) -> Comparison:
    """The families of the 1-input steps ``numbers`` side by side on one figure.

    Each panel draws ``n`` weight draws from that step's ``"family"`` generator for
    ``seed`` (with the gallery's ``n``, the very curves of its ``-family.png``), is
    titled by :func:`panel_title`; the numbers in the titles and the caption (turns per
    curve, saturated share) are measured over :data:`MEASURE_DRAWS` draws (:func:`measure`),
    not over the ``n`` curves shown.

    >>> import matplotlib.pyplot as plt
    >>> res = draw_comparison([9, 10], n=2, draws=100)
    >>> [p.ax.get_title().splitlines()[0] for p in res.plots]
    ['1-100-1: 100 hidden nodes, 301 weights', '1-11-9-1: 20 hidden nodes, 140 weights']
    >>> plt.close(res.figure)
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from .. import plot

    rows = tuple(step(k) for k in numbers)
    s = plot.get_style(style)
    with mpl.rc_context(s.rc()):
        fig = plt.figure(figsize=(6.0 * len(rows), s.figsize[1]), dpi=s.dpi)
        axes = fig.subplots(1, len(rows), sharey=True, squeeze=False)[0]
    plots, extrema, measured = [], [], []
    for row, ax in zip(rows, axes):
        net = row.network()
        res = plot.family(net, n=n, rng=row.rng(seed, "family"), ax=ax, style=s,
                          f=gallery_compile(net))
        m = measure(row.sizes, seed=seed, draws=draws, activation=row.activation or "identity")
        ax.set_title(f"{panel_title(row)}\n{m.turns:.2f} turns per curve, "
                     f"{100 * m.saturated:.0f} % saturated ({m.draws:,} draws)",
                     color=s.foreground, fontsize=s.fontsize)
        if ax is not axes[0]:
            ax.set_ylabel("")
        plots.append(res)
        extrema.append(local_extrema(res.y))
        measured.append(m)
    fig.tight_layout()
    measured.append(measure(ALSO_MEASURED, seed=seed, draws=draws))
    caption = _caption(n, measured)
    return Comparison(figure=fig, rows=rows, plots=tuple(plots), extrema=tuple(extrema),
                      caption=caption, measured=tuple(measured))


def _caption(n: int, measured: Sequence[Measured]) -> str:
    """What the figure shows and what was measured, in numbers."""
    *shown, extra = measured
    turns = "; ".join(f"{_name(m)} {m.turns:.2f}" for m in shown)
    sat = "; ".join(f"{_name(m)} {100 * m.saturated:.0f} %" for m in shown)
    richer = max(shown, key=lambda m: m.turns)
    verdict = ("similar richness, as the article says" if
               max(m.turns for m in shown) < 1.25 * min(m.turns for m in shown) else
               f"{_name(richer)} turns more often: at least the article's \"similar richness\"")
    return (f"Each panel shows {n} random draws (uniform on [−1, 1)). Measured over "
            f"{shown[0].draws:,} draws each: turns per curve on [−6, 6] (larger than "
            f"{EXTREMUM_TOL:g}): {turns}, so {verdict}. With uniform [−1, 1) weights a wide "
            f"tanh layer saturates (its sum adds many terms): share of the window where the "
            f"output is beyond ±{SATURATED:g}: {sat}, so many 1-100-1 curves are a single jump. A "
            f"narrower {_name(extra)} turns {extra.turns:.2f} times per curve: more hidden "
            "nodes alone do not add turns under this draw.")


def _name(m: Measured) -> str:
    return "-".join(map(str, m.sizes))
