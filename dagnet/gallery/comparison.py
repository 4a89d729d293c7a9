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

from .steps import Step, step

__all__ = ["Comparison", "draw_comparison", "local_extrema", "EXTREMUM_TOL"]

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
    counts = []
    for y in Y.reshape(-1, Y.shape[-1]):
        count, way, ext, lo, hi = 0, 0, y[0], y[0], y[0]
        for v in y[1:]:
            if way == 0:  # no direction yet: wait for a move larger than tol
                lo, hi = min(lo, v), max(hi, v)
                if v - lo > tol:
                    way, ext = 1, v
                elif hi - v > tol:
                    way, ext = -1, v
            elif way * (v - ext) > 0:  # still going the same way: a new running extreme
                ext = v
            elif way * (ext - v) > tol:  # turned back by more than tol: ext was an extremum
                count, way, ext = count + 1, -way, v
        counts.append(count)
    return np.array(counts, dtype=int).reshape(Y.shape[:-1])


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
    """

    figure: Any
    rows: tuple[Step, ...]
    plots: tuple[Any, ...]
    extrema: tuple[np.ndarray, ...]
    caption: str


def _sizes(row: Step) -> str:
    return "-".join(map(str, row.sizes))


def panel_title(row: Step) -> str:
    """``"1-100-1: 100 hidden nodes, 301 weights"`` for step 9."""
    n = sum(row.sizes[1:-1])
    return (f"{_sizes(row)}: {n} hidden node{'s' if n != 1 else ''}, "
            f"{row.network().n_weights} weights")


def draw_comparison(numbers: Sequence[int], *, seed: int = 0, style: str = "article",
                    n: int = 20) -> Comparison:
    """The families of the 1-input steps ``numbers`` side by side on one figure.

    Each panel draws ``n`` weight draws from that step's ``"family"`` generator for
    ``seed`` (with the gallery's ``n``, the very curves of its ``-family.png``), is
    titled by :func:`panel_title` and states the mean of :func:`local_extrema`.

    >>> import matplotlib.pyplot as plt
    >>> res = draw_comparison([9, 10], n=2)
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
    plots, extrema, parts = [], [], []
    for row, ax in zip(rows, axes):
        res = plot.family(row.network(), n=n, rng=row.rng(seed, "family"), ax=ax, style=s)
        counts = local_extrema(res.y)
        mean = f"{counts.mean():.1f}"
        ax.set_title(f"{panel_title(row)}\nmean {mean} local extrema per curve",
                     color=s.foreground, fontsize=s.fontsize)
        if ax is not axes[0]:
            ax.set_ylabel("")
        plots.append(res)
        extrema.append(counts)
        parts.append(f"{_sizes(row)} {mean} (a curve has {counts.min()} to {counts.max()})")
    fig.tight_layout()
    caption = (f"The same {n} random draws as each network's family plot. Mean number of "
               f"local extrema per curve on [−6, 6] (turns larger than {EXTREMUM_TOL:g}): "
               f"{'; '.join(parts)}.")
    return Comparison(figure=fig, rows=rows, plots=tuple(plots), extrema=tuple(extrema),
                      caption=caption)
