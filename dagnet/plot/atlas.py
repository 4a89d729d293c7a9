"""The atlas: what an architecture computes across hundreds of weight draws.

The article shows 49 draws one at a time. The atlas summarises K draws (K in
the hundreds) of one architecture, evaluated in one compiled call:

- :func:`quantile_bands` (1 input): bands holding the middle 50 % and 90 % of
  the draws' outputs at every x, and the median;
- :func:`class_frequency` (2 inputs, or 1): how often each point is classified
  as category A (or any chosen category) over the draws;
- :func:`sweep`: a grid of small multiples, activations down, depth and width
  across, to compare architectures side by side.

Examples
--------
>>> import matplotlib.pyplot as plt, dagnet
>>> from dagnet.plot import quantile_bands
>>> res = quantile_bands(dagnet.mlp([1, 11, 9, 1]), k=300, rng=0)
>>> res.quantiles.tolist(), res.values.shape
([0.05, 0.25, 0.5, 0.75, 0.95], (5, 100, 1))
>>> plt.close(res.figure)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.builders import mlp
from ..core.graph import as_network
from ..errors import PlotError
from ._common import (
    XLIM,
    AxesResult,
    ShortRepr,
    check_count,
    check_lim,
    class_labels,
    classes_of,
    decision_threshold,
    require_inputs,
    value_limits,
    weight_stack,
)
from .curves import draw_axis_lines, family, finish_1d_axes
from .style import Style, get_style, prepare_axes, style_axes

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["BandsPlot", "FrequencyPlot", "SweepPlot", "quantile_bands", "class_frequency",
           "sweep"]


@dataclass(frozen=True, eq=False, repr=False)
class BandsPlot(AxesResult):
    """What :func:`quantile_bands` drew.

    Parameters
    ----------
    ax : Axes
        The axes drawn on (``.figure`` is its figure).
    x : ndarray (n_points,)
        The x values.
    quantiles : ndarray (n_q,)
        Increasing probabilities, e.g. 0.05, 0.25, 0.5, 0.75, 0.95.
    values : ndarray (n_q, n_points, n_outputs)
        ``values[q, i, j]``: the ``quantiles[q]`` quantile over the draws of output j at x[i].
    weights : ndarray (K, n_weights)
        The draws, in ``net.weight_names`` order.
    fills : tuple of PolyCollection
        One per (output, band), widest band first.
    medians : tuple of Line2D
        One per output.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> bands = P.quantile_bands(dagnet.mlp([1, 5, 1]), k=50, rng=0, n_points=30)
    >>> bands.quantiles.tolist(), bands.values.shape
    ([0.05, 0.25, 0.5, 0.75, 0.95], (5, 30, 1))
    >>> plt.close(bands.figure)
    """

    ax: Any
    x: np.ndarray
    quantiles: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    fills: tuple
    medians: tuple


@dataclass(frozen=True, eq=False, repr=False)
class FrequencyPlot(AxesResult):
    """What :func:`class_frequency` drew.

    Parameters
    ----------
    ax : Axes
        The axes drawn on (``.figure`` is its figure).
    x, y : ndarray
        2 inputs: grid axes of input 1 (columns) and input 2 (rows); 1 input: ``y`` is None.
    freq : ndarray
        Share of draws giving ``category`` at each point: (n_grid, n_grid) or (n_points,).
    category : int
        The category counted (0 = A).
    weights : ndarray (K, n_weights)
        The draws, in ``net.weight_names`` order.
    artist : AxesImage (2 inputs) or Line2D (1 input)
        The map or the curve.
    colorbar : Colorbar or None
        The map's colour bar (2 inputs, ``colorbar=True``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> share = P.class_frequency(dagnet.mlp([2, 3, 1]), k=20, rng=0, n_grid=16)
    >>> share.freq.shape, bool(((share.freq >= 0) & (share.freq <= 1)).all())
    ((16, 16), True)
    >>> plt.close(share.figure)
    """

    ax: Any
    x: np.ndarray
    y: np.ndarray | None
    freq: np.ndarray
    category: int
    weights: np.ndarray
    artist: Any
    colorbar: Any


@dataclass(frozen=True, eq=False, repr=False)
class SweepPlot(ShortRepr):
    """What :func:`sweep` drew: ``cells[r][c]`` is ``(sizes, activation, result)``.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure of the grid.
    axes : numpy.ndarray
        The axes, rows (activations) x columns (depth x width).
    cells : tuple of tuple
        ``cells[r][c] = (sizes, activation, result)``: the network of that cell and what
        was drawn there (:class:`BandsPlot`, :class:`FamilyPlot` or
        :class:`FrequencyPlot`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet.plot as P
    >>> grid = P.sweep(depths=(0, 1), widths=(3,), activations=["tanh"], k=10, rng=0)
    >>> grid.axes.shape, [cell[0] for cell in grid.cells[0]]
    ((1, 2), [(1, 1), (1, 3, 1)])
    >>> plt.close(grid.figure)
    """

    figure: Any
    axes: np.ndarray
    cells: tuple


def _band_quantiles(bands: Any) -> np.ndarray:
    try:
        b = sorted(float(v) for v in bands)
    except (TypeError, ValueError) as exc:
        raise PlotError(f"bands must be central shares such as (0.5, 0.9), got {bands!r}") \
            from exc
    if not b or not all(0 < v < 1 for v in b):
        raise PlotError(f"bands must be shares strictly between 0 and 1, e.g. (0.5, 0.9); "
                        f"got {bands!r}")
    q = {0.5} | {round(0.5 - v / 2, 12) for v in b} | {round(0.5 + v / 2, 12) for v in b}
    return np.array(sorted(q))


def quantile_bands(net: Network, k: int = 400, *, rng: Any = None, weights: Any = None,
                   bands: Any = (0.5, 0.9), ax: Any = None, style: str | Style | None = None,
                   xlim: tuple[float, float] = XLIM, n_points: int = 100,
                   ylim: tuple[float, float] | None = None, legend: bool = True,
                   f: Any = None) -> BandsPlot:
    """Bands of the outputs over x across ``k`` random draws of a 1-input network.

    Each band in ``bands`` (a central share of the draws) is filled between its two
    quantiles, widest first and faintest; the median is a line. Several outputs each get
    their colour. Where a :func:`family` plot of many draws is a tangle, the bands show
    what the architecture tends to compute.

    Parameters
    ----------
    net : Network
        A network with one input.
    k : int, default 400
        The number of random draws (ignored when ``weights`` is given).
    rng : int or numpy.random.Generator, optional
        Source of the draws.
    weights : array_like, optional
        Explicit draws ``(K, n_weights)``.
    bands : sequence of float, default (0.5, 0.9)
        Central shares of the draws, each filled between its two quantiles.
    ax : matplotlib Axes, optional
        Draw here; by default a new figure in ``style``.
    style : str, Style or None
        Look (see :data:`dagnet.plot.STYLES`); None: the article's for a new figure, the
        given ``ax``'s own otherwise.
    xlim : (float, float), default (-6, 6)
        The window of x.
    n_points : int, default 100
        The number of x values.
    ylim : (float, float), optional
        The y window; default as :func:`family`.
    legend : bool, default True
        Label the bands.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    BandsPlot
        The quantiles and their values at every x, and the artists.

    Raises
    ------
    PlotError
        The network does not have one input, a band is not in (0, 1), or a bad window.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np, dagnet, dagnet.plot as P
    >>> bands = P.quantile_bands(dagnet.mlp([1, 11, 9, 1], "tanh"), k=200, rng=0)
    >>> bands.quantiles.tolist()                 # the 50 % and 90 % bands and the median
    [0.05, 0.25, 0.5, 0.75, 0.95]
    >>> bool(np.all(np.diff(bands.values, axis=0) >= 0))   # quantiles in order at every x
    True
    >>> plt.close(bands.figure)
    """
    net = as_network(net)
    require_inputs(net, 1, "quantile_bands()")
    lo, hi = check_lim(xlim)
    q = _band_quantiles(bands)
    W = weight_stack(net, k, rng, weights)
    f = net.compile() if f is None else f
    x = np.linspace(lo, hi, check_count(n_points, "n_points", 2))
    Y = f(x[:, None], weights=W)  # (K, n_points, n_out), one call
    values = np.quantile(Y, q, axis=0)
    ax, s = prepare_axes(ax, style, what="quantile_bands()")
    n_b = (len(q) - 1) // 2
    fills, medians = [], []
    mid = int(np.flatnonzero(q == 0.5)[0])
    for j in range(Y.shape[2]):
        for b in range(n_b):  # b = 0 is the widest band
            share = q[-1 - b] - q[b]
            fills.append(ax.fill_between(
                x, values[b, :, j], values[-1 - b, :, j], color=s.color(j), lw=0,
                alpha=0.2 + 0.3 * b / max(1, n_b), zorder=1,
                label=f"middle {share:.0%} of draws" if j == 0 else None))
        medians.append(ax.plot(x, values[mid, :, j], color=s.color(j), lw=s.linewidth * 0.7,
                               zorder=3, label="median" if j == 0 else None)[0])
    draw_axis_lines(ax, s)
    finish_1d_axes(ax, s, (lo, hi), value_limits(net, values) if ylim is None
                   else check_lim(ylim, "ylim"))
    if legend:
        ax.legend(loc="lower right", frameon=False, fontsize=s.fontsize * 0.8,
                  labelcolor=s.foreground)
    return BandsPlot(ax=ax, x=x, quantiles=q, values=values, weights=W, fills=tuple(fills),
                     medians=tuple(medians))


def class_frequency(net: Network, k: int = 200, *, rng: Any = None, weights: Any = None,
                    category: int = 0, threshold: float | None = None, ax: Any = None,
                    style: str | Style | None = None, xlim: tuple[float, float] = XLIM,
                    n_grid: int = 80, n_points: int = 200, colorbar: bool = True,
                    contour: bool = False, what: str = "category", batch: int = 64,
                    f: Any = None) -> FrequencyPlot:
    """How often each input point is classified as ``category`` (0 = A) over ``k`` draws.

    With ``what="boundary"`` it maps instead how often a decision boundary passes through
    each point (the point's category differs from a grid neighbour's), which shows where
    an architecture tends to put its boundaries (this share scales with the grid spacing).

    2 inputs: a map over the grid (green = always, red = never), with its 50 % contour if
    ``contour``; 1 input: the share as a curve over x. Draws are evaluated ``batch`` at a
    time. (For the built-in activations the uniform draw is symmetric in the last layer's
    sign, so a single output's map hovers around 0.5: no point is favoured.)

    Parameters
    ----------
    net : Network
        A classifier with 1 or 2 inputs.
    k : int, default 200
        The number of random draws (ignored when ``weights`` is given).
    rng : int or numpy.random.Generator, optional
        Source of the draws.
    weights : array_like, optional
        Explicit draws ``(K, n_weights)``.
    category : int, default 0
        The category counted (0 = A).
    threshold : float, optional
        Split level of a single output (default from its activation).
    ax : matplotlib Axes, optional
        Draw here; by default a new figure in ``style``.
    style : str, Style or None
        Look (see :data:`dagnet.plot.STYLES`); None: the article's for a new figure, the
        given ``ax``'s own otherwise.
    xlim : (float, float), default (-6, 6)
        The window of every input.
    n_grid : int, default 80
        Grid points per side (2 inputs).
    n_points : int, default 200
        The number of x values (1 input).
    colorbar : bool, default True
        Add a colour bar to a map.
    contour : bool, default False
        Draw the 50 % contour of a map.
    what : {"category", "boundary"}, default "category"
        Count the category, or the boundaries passing through each point.
    batch : int, default 64
        Draws evaluated at a time.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    FrequencyPlot
        The share at every point, and the artists.

    Raises
    ------
    PlotError
        The network has neither 1 nor 2 inputs, ``category`` is out of range, an unknown
        ``what``, or a bad window.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> share = P.class_frequency(dagnet.mlp([1, 5, 1], "tanh"), k=100, rng=0)
    >>> share.freq.shape, share.y is None
    ((200,), True)
    >>> plt.close(share.figure)
    """
    net = as_network(net)
    if net.n_inputs not in (1, 2):
        require_inputs(net, 2, "class_frequency()")
    if what not in ("category", "boundary"):
        raise PlotError(f"what must be 'category' or 'boundary', got {what!r}")
    lim = check_lim(xlim)
    t = decision_threshold(net, threshold) if net.n_outputs == 1 else None
    n_cls = 2 if net.n_outputs == 1 else net.n_outputs
    if not (isinstance(category, (int, np.integer)) and 0 <= category < n_cls):
        raise PlotError(f"category must be an index 0..{n_cls - 1} (0 = A), got {category!r}")
    W = weight_stack(net, k, rng, weights)
    f = net.compile() if f is None else f
    batch = check_count(batch, "batch")
    if net.n_inputs == 2:
        g = np.linspace(lim[0], lim[1], check_count(n_grid, "n_grid", 2))
        G1, G2 = np.meshgrid(g, g)
        X = np.column_stack([G1.ravel(), G2.ravel()])
    else:
        g = np.linspace(lim[0], lim[1], check_count(n_points, "n_points", 2))
        X = g[:, None]
    shape = (g.size, g.size) if net.n_inputs == 2 else (g.size,)
    hits = np.zeros(shape)
    for a in range(0, W.shape[0], batch):
        C = classes_of(f(X, weights=W[a:a + batch]), t).reshape((-1,) + shape)
        hits += (C == category).sum(axis=0) if what == "category" else _edges(C).sum(axis=0)
    freq = hits / W.shape[0]
    ax, s = prepare_axes(ax, style, what="class_frequency()")
    name = (class_labels(n_cls)[category] if what == "category"
            else "a boundary passes")
    cmap = s.cmap if what == "category" else s.boundary_cmap
    cbar = None
    if net.n_inputs == 2:
        art = ax.imshow(freq, origin="lower", extent=(lim[0], lim[1], lim[0], lim[1]),
                        cmap=cmap, vmin=0.0, vmax=1.0 if what == "category" else None,
                        interpolation="nearest")
        if contour and freq.min() < 0.5 < freq.max():
            ax.contour(g, g, freq, levels=[0.5], colors=[s.foreground], linewidths=1.0)
        ax.set_xlabel("x₁ (input)", color=s.foreground)
        ax.set_ylabel("x₂ (input)", color=s.foreground)
        if colorbar:
            cbar = ax.figure.colorbar(art, ax=ax, fraction=0.046, pad=0.04)
            cbar.set_label(f"share of draws: {name}", color=s.foreground)
            cbar.ax.tick_params(colors=s.foreground)
            cbar.outline.set_edgecolor(s.foreground)
        y = g.copy()
    else:
        art = ax.plot(g, freq, color=s.color(category), lw=s.linewidth * 0.7)[0]
        ax.fill_between(g, 0, freq, color=s.color(category), alpha=s.band_alpha, lw=0)
        top = 1.0 if what == "category" else max(float(freq.max()), 1e-3)
        finish_1d_axes(ax, s, lim, (-0.05 * top, 1.05 * top))
        ax.set_ylabel(f"share of draws: {name}", color=s.foreground)
        y = None
    return FrequencyPlot(ax=ax, x=g, y=y, freq=freq, category=int(category), weights=W,
                         artist=art, colorbar=cbar)


def _edges(C: np.ndarray) -> np.ndarray:
    """Points whose category differs from a neighbour's along any grid axis (after axis 0)."""
    edge = np.zeros(C.shape, dtype=bool)
    for axis in range(1, C.ndim):
        d = np.diff(C, axis=axis) != 0
        lo = [slice(None)] * C.ndim
        hi = [slice(None)] * C.ndim
        lo[axis], hi[axis] = slice(None, -1), slice(1, None)
        edge[tuple(lo)] |= d
        edge[tuple(hi)] |= d
    return edge


def _architectures(n_inputs: int, n_outputs: int, depths: Any, widths: Any) -> list[list[int]]:
    out: list[list[int]] = []
    for d in depths:
        d = check_count(d, "each depth", 0)
        for w in ([None] if d == 0 else widths):
            sizes = [n_inputs] + [check_count(w, "each width")] * d + [n_outputs] if d \
                else [n_inputs, n_outputs]
            if sizes not in out:
                out.append(sizes)
    if not out:
        raise PlotError("sweep() needs at least one depth, e.g. depths=(0, 1, 2)")
    return out


def sweep(depths: Any = (0, 1, 2), widths: Any = (11,), activations: Any = None, *,
          n_inputs: int = 1, n_outputs: int = 1, kind: str | None = None, k: int = 200,
          rng: Any = None, ax: Any = None, style: str | Style = "article",
          threshold: float | None = None, **cell_kw: Any) -> SweepPlot:
    """Small multiples: activations down the rows, depth x width across the columns.

    Each cell is ``mlp([n_inputs] + [width] * depth + [n_outputs], activation)`` (depth =
    hidden layers) drawn with ``k`` draws: quantile bands (``kind="bands"``, default for 1
    input), overlaid curves (``"family"``) or the share classified A (``"frequency"``,
    default for 2 inputs). ``ax`` may be an array of rows x columns axes.

    Parameters
    ----------
    depths : sequence of int, default (0, 1, 2)
        Numbers of hidden layers, across the columns.
    widths : sequence of int, default (11,)
        Hidden-layer widths, across the columns (each depth with each width).
    activations : sequence of str, optional
        One row per activation; default every built-in nonlinear one.
    n_inputs, n_outputs : int, default 1, 1
        The networks' inputs and outputs.
    kind : {"bands", "family", "frequency"}, optional
        What each cell draws (default by the number of inputs).
    k : int, default 200
        Draws per cell.
    rng : int or numpy.random.Generator, optional
        Source of the draws.
    ax : array of matplotlib Axes, optional
        Rows x columns axes to draw into; by default a new figure.
    style : str or Style, default "article"
        Look (see :data:`dagnet.plot.STYLES`).
    threshold : float, optional
        Split level for ``kind="frequency"``.
    **cell_kw
        Passed to each cell's plot function.

    Returns
    -------
    SweepPlot
        The figure, the axes grid and each cell's network and result.

    Raises
    ------
    PlotError
        An unknown ``kind`` (or one that does not fit ``n_inputs``), no depths, or
        ``ax`` of the wrong shape.

    Examples
    --------
    How depth changes what a 1-input network computes, one row per activation:

    >>> import matplotlib.pyplot as plt, dagnet.plot as P
    >>> grid = P.sweep(depths=(0, 2), widths=(5,), activations=["tanh", "relu"], k=20, rng=0)
    >>> grid.axes.shape, [(sizes, act) for sizes, act, _ in grid.cells[1]]
    ((2, 2), [((1, 1), 'relu'), ((1, 5, 5, 1), 'relu')])
    >>> plt.close(grid.figure)
    """
    kind = kind or ("bands" if n_inputs == 1 else "frequency")
    if kind not in ("bands", "family", "frequency"):
        raise PlotError(f"kind must be 'bands', 'family' or 'frequency', got {kind!r}")
    if kind != "frequency" and n_inputs != 1:
        raise PlotError(f"kind={kind!r} needs n_inputs=1; use kind='frequency' for 2 inputs")
    if activations is None:
        activations = (("identity", "logistic", "tanh") if kind == "frequency"
                       else ("identity", "logistic", "tanh", "relu"))
    activations = list(activations)
    archs = _architectures(n_inputs, n_outputs, depths, widths)
    rows, cols = len(activations), len(archs)
    s = get_style(style)
    if ax is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(rows, cols, figsize=(2.8 * cols + 0.6, 2.2 * rows + 0.6),
                                 dpi=s.dpi, squeeze=False, facecolor=s.background,
                                 layout="constrained")
    else:
        axes = np.asarray(ax, dtype=object)
        if axes.size != rows * cols:
            raise PlotError(f"ax must hold {rows} x {cols} axes (activations x architectures), "
                            f"got {axes.size}")
        axes = axes.reshape(rows, cols)
        fig = axes[0, 0].figure
    gen = np.random.default_rng(rng)
    small = replace(s, fontsize=s.fontsize * 0.75, linewidth=s.linewidth * 0.6)
    cells = []
    for r, act in enumerate(activations):
        row = []
        for c, sizes in enumerate(archs):
            net = mlp(sizes, activation=act)
            a = axes[r, c]
            style_axes(a, small)
            if kind == "bands":
                res = quantile_bands(net, k, rng=gen, ax=a, style=small, legend=False, **cell_kw)
            elif kind == "family":
                res = family(net, k, rng=gen, ax=a, style=small, **cell_kw)
            else:
                res = class_frequency(net, k, rng=gen, ax=a, style=small, colorbar=False,
                                      threshold=threshold, **cell_kw)
            a.set_title(f"{'-'.join(map(str, sizes))} {act}", color=s.foreground,
                        fontsize=small.fontsize)
            if r < rows - 1:
                a.set_xlabel("")
            if c > 0:
                a.set_ylabel("")
            row.append((tuple(sizes), act, res))
        cells.append(tuple(row))
    fig.set_facecolor(s.background)
    return SweepPlot(figure=fig, axes=axes, cells=tuple(cells))
