"""Families of curves: what a 1-input network computes for random weights.

:func:`family` draws ``n`` weight vectors (uniform on [-1, 1), the article's
draw), evaluates all of them in ONE call of the compiled network
(``f(X, weights=W)`` with ``W`` of shape (n, n_weights)) and draws every
output of every draw as a curve over the article's window ``x`` in [-6, 6].

Examples
--------
>>> import matplotlib.pyplot as plt, dagnet
>>> from dagnet.plot import family
>>> res = family(dagnet.mlp([1, 11, 9, 1]), n=5, rng=0)
>>> res.y.shape, len(res.lines), tuple(map(float, res.ax.get_ylim()))
((5, 100, 1), 5, (-1.2, 1.2))
>>> plt.close(res.figure)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.graph import as_network
from ..errors import PlotError
from ._common import (
    XLIM,
    AxesResult,
    check_count,
    check_lim,
    require_inputs,
    value_limits,
    weight_stack,
)
from .style import Style, prepare_axes

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["FamilyPlot", "family", "draw_axis_lines"]


@dataclass(frozen=True, eq=False, repr=False)
class FamilyPlot(AxesResult):
    """What :func:`family` drew.

    Parameters
    ----------
    ax : matplotlib Axes
        The axes drawn on (``.figure`` is its figure).
    x : ndarray (n_points,)
        The inputs.
    y : ndarray (K, n_points, n_outputs)
        The compiled network's outputs for each of the K weight draws.
    weights : ndarray (K, n_weights)
        The draws, in ``net.weight_names`` order.
    lines : tuple of tuple of Line2D
        ``lines[k][j]`` is the curve of output ``j`` for draw ``k``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> fam = P.family(dagnet.mlp([1, 3, 2]), n=4, rng=0, n_points=50)
    >>> fam.y.shape, len(fam.lines), len(fam.lines[0])
    ((4, 50, 2), 4, 2)
    >>> plt.close(fam.figure)
    """

    ax: Any
    x: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    lines: tuple


def draw_axis_lines(ax: Any, style: Style, *, x: bool = True, y: bool = True) -> list:
    """The article's thin axis lines at ``x = 0`` and ``y = 0`` (behind everything)."""
    out = []
    if y:
        out.append(ax.axhline(0.0, color=style.foreground, lw=style.axis_linewidth, zorder=0.5))
    if x:
        out.append(ax.axvline(0.0, color=style.foreground, lw=style.axis_linewidth, zorder=0.5))
    return out


def finish_1d_axes(ax: Any, style: Style, xlim: tuple[float, float],
                   ylim: tuple[float, float]) -> None:
    """Limits, the article's labels, and no top/right frame."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x (input)", color=style.foreground)
    ax.set_ylabel("y (output)", color=style.foreground)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def family(net: Network, n: int = 49, *, rng: Any = None, weights: Any = None, ax: Any = None,
           style: str | Style | None = None, xlim: tuple[float, float] = XLIM,
           n_points: int = 100, ylim: tuple[float, float] | None = None,
           color_by: str | None = None, linewidth: float | None = None,
           alpha: float | None = None, axis_lines: bool = True, f: Any = None) -> FamilyPlot:
    """Curves of a 1-input network for ``n`` random weight draws (or the given ``weights``).

    Parameters
    ----------
    net : Network
        A network with one input (any number of outputs).
    n : int
        Number of draws, uniform on [-1, 1) (ignored when ``weights`` is given).
    rng : seed or numpy Generator, optional
        Source of the draws (None: fresh entropy, as the article).
    weights : array (n_weights,) or (K, n_weights), optional
        Explicit draws instead of random ones.
    ax : matplotlib Axes, optional
        Draw here; by default a new figure in ``style``.
    style : str, Style or None
        Look (see :data:`dagnet.plot.STYLES`). None (the default): a new figure in the
        article's look, or a given ``ax`` in its own look (:func:`~dagnet.plot.axes_style`).
    xlim, n_points : (float, float), int
        The window and the number of x values (the article: (-6, 6), 100).
    ylim : (low, high), optional
        Default: the outputs' activation range plus 10 % each side (tanh: (-1.2, 1.2));
        ends without a bound (identity, relu) come from the data.
    color_by : "output" or "draw"
        One colour per output (default for several outputs) or per draw (default for one).
    linewidth, alpha : optional
        Default thick and opaque for up to 3 draws, thinner and translucent for more.
    axis_lines : bool
        Draw the thin lines at x = 0 and y = 0.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    FamilyPlot
        The x values, the outputs of every draw, the draws and the lines.

    Raises
    ------
    PlotError
        The network does not have one input, ``weights`` has the wrong shape, or a bad
        window or option.

    Examples
    --------
    The article's figure: 49 random 1-11-9-1 tanh networks over x in [-6, 6].

    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> fam = P.family(dagnet.mlp([1, 11, 9, 1], "tanh"), n=49, rng=0)
    >>> fam.x.shape, fam.y.shape, fam.weights.shape
    ((100,), (49, 100, 1), (49, 140))
    >>> bool(abs(fam.y).max() < 1)                  # tanh keeps every curve in (-1, 1)
    True
    >>> plt.close(fam.figure)
    """
    net = as_network(net)
    require_inputs(net, 1, "family()")
    lo, hi = check_lim(xlim)
    n_points = check_count(n_points, "n_points", 2)
    if color_by not in (None, "output", "draw"):
        raise PlotError(f"color_by must be 'output' or 'draw', got {color_by!r}")
    W = weight_stack(net, n, rng, weights)
    f = net.compile() if f is None else f
    x = np.linspace(lo, hi, n_points)
    Y = f(x[:, None], weights=W)  # one compiled call for every draw: (K, n_points, n_out)
    ax, s = prepare_axes(ax, style, what="family()")
    K, _, n_out = Y.shape
    by_draw = (color_by or ("draw" if n_out == 1 else "output")) == "draw"
    lw = linewidth if linewidth is not None else (s.linewidth if K <= 3 else s.family_linewidth)
    a = alpha if alpha is not None else (1.0 if K <= 3 else max(0.45, min(0.9, 12.0 / K)))
    lines = tuple(
        tuple(ax.plot(x, Y[k, :, j], color=s.color(k if by_draw else j), lw=lw, alpha=a,
                      solid_capstyle="round", zorder=2)[0] for j in range(n_out))
        for k in range(K))
    if axis_lines:
        draw_axis_lines(ax, s)
    ylim = value_limits(net, Y) if ylim is None else check_lim(ylim, "ylim")
    finish_1d_axes(ax, s, (lo, hi), ylim)
    return FamilyPlot(ax=ax, x=x, y=Y, weights=W, lines=lines)
