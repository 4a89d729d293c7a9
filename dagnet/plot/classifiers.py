"""Classifier regions, computed from the network rather than drawn by hand.

A network becomes a classifier by a decision rule (:func:`classify`): one
output splits at a threshold (category A above it, B below; 0 for tanh, 0.5 for
logistic, ``threshold=`` otherwise), several outputs by argmax (category k where
output k is largest). For 1 input, :func:`crossings` finds every x where the
category changes, by a dense scan and then bisection on the compiled function
to 1e-9 in x; :func:`regions` draws the outputs, a vertical divider at every
crossing, coloured bands and "Category A/B/C" labels. For 2 inputs it colours
the floor by category and draws the boundary at the decision level itself
(the zero set of each category's lead over the others): traced on the grid, each
vertex then bisected along its grid edge to 1e-9 (the filled regions use the
grid's linear interpolation).

Examples
--------
>>> import numpy as np, dagnet
>>> from dagnet.plot import crossings
>>> net = dagnet.logistic(1)
>>> net.set_weights([0.5, -0.25])          # v = 0.5 - 0.25 x: y = 0.5 at x = 2
>>> crossings(net)
array([2.])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from ..core.arrays import as_real_array
from ..core.graph import as_network
from ..errors import PlotError
from ._common import (
    XLIM,
    AxesResult,
    check_count,
    check_lim,
    class_labels,
    classes_of,
    decision_threshold,
    margins,
    one_weights,
    require_inputs,
    value_limits,
    value_range,
)
from .curves import draw_axis_lines, finish_1d_axes
from .style import Style, prepare_axes
from .surfaces import (
    AZIM,
    ELEV,
    facet_grid,
    finish_3d_axes,
    floor_limits,
    grid_outputs,
    stacked_surfaces,
)

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["RegionsPlot", "regions", "crossings", "classify", "class_colors", "boundary_lines"]


@dataclass(frozen=True, eq=False, repr=False)
class RegionsPlot(AxesResult):
    """What :func:`regions` drew.

    Parameters
    ----------
    ax : Axes (1 input, or 2 inputs with ``view="2d"``) or Axes3D
        The axes drawn on (``.figure`` is its figure).
    threshold : float or None
        The split level of a single output; None for argmax over several outputs.
    labels : list of str
        Category names, index = category (``"Category A"`` = 0).
    x : ndarray
        1 input: the x values of the drawn curves; 2 inputs: grid axis of input 1.
    y : ndarray
        1 input: outputs (n_points, n_outputs); 2 inputs: grid axis of input 2.
    z : ndarray or None
        2 inputs: outputs (n_outputs, n_grid, n_grid), ``z[k, r, c]`` at ``(x[c], y[r])``.
    crossings : ndarray
        1 input: the dividers' x (sorted); empty for 2 inputs.
    intervals : tuple of (float, float, int)
        1 input: ``(x_low, x_high, category)`` of each band, left to right.
    classes : ndarray or None
        2 inputs: category at every grid point (n_grid, n_grid).
    artists : dict
        Everything drawn, by role: "curves", "bands", "dividers", "texts", "fills",
        "boundary", "surfaces", "legend".

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> net = dagnet.mlp([1, 1], "tanh")
    >>> net.set_weights([-1.0, 1.0])              # y = tanh(x - 1): A for x > 1
    >>> reg = P.regions(net)
    >>> reg.crossings.round(6), reg.intervals[1][2], reg.labels[:2]
    (array([1.]), 0, ['Category A', 'Category B'])
    >>> plt.close(reg.figure)
    """

    ax: Any
    threshold: float | None
    labels: list
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray | None
    crossings: np.ndarray
    intervals: tuple
    classes: np.ndarray | None
    artists: dict

    def category_at(self, x: Any) -> np.ndarray:
        """1 input: the category of the band each ``x`` falls in (what the plot shows).

        Parameters
        ----------
        x : array_like
            Input values.

        Returns
        -------
        numpy.ndarray
            The category (0 = A, 1 = B, ...) at each ``x``, same shape.

        Raises
        ------
        PlotError
            The plot is of a 2-input network (it has no bands).

        Examples
        --------
        >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
        >>> net = dagnet.mlp([1, 1], "tanh")
        >>> net.set_weights([-1.0, 1.0])          # y = tanh(x - 1) > 0 (A) for x > 1
        >>> reg = P.regions(net)
        >>> reg.category_at([0.0, 2.0]).tolist()
        [1, 0]
        >>> plt.close(reg.figure)
        """
        if not self.intervals:
            raise PlotError("category_at() reads the bands of a 1-input regions plot")
        edges = np.array([a for a, _, _ in self.intervals[1:]])
        cats = np.array([c for _, _, c in self.intervals])
        return cats[np.searchsorted(edges, np.asarray(x, dtype=float), side="right")]


def _rule(net: Network, threshold: Any) -> float | None:
    if net.n_outputs == 1:
        return decision_threshold(net, threshold)
    if threshold is not None:
        raise PlotError(f"threshold applies to single-output classifiers; this network has "
                        f"{net.n_outputs} outputs and is split by argmax: drop threshold=")
    return None


def classify(net: Network, X: Any, weights: Any = None, *, threshold: float | None = None,
             f: Any = None) -> np.ndarray:
    """Category (0 = A, 1 = B, ...) of each row of ``X``; 1-D ``X`` is read as one input.

    A single output is split at ``threshold`` (A at or above it); several outputs by
    argmax (category ``k`` where output ``k`` is largest).

    Parameters
    ----------
    net : Network
        The classifier.
    X : array_like
        ``(n_points, n_inputs)``, or ``(n_points,)`` for one input.
    weights : array_like, optional
        One vector, a stack ``(K, n_weights)`` (result ``(K, n_points)``), or None for the
        network's own weights.
    threshold : float, optional
        Split level of a single output (default from its activation: tanh 0, logistic 0.5).
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    numpy.ndarray
        Integer categories, ``(n_points,)`` or ``(K, n_points)``.

    Raises
    ------
    PlotError
        ``threshold`` for a network of several outputs, or a single output whose
        activation has no threshold and none was given.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.mlp([1, 1], "tanh")
    >>> net.set_weights([0.0, 1.0])                   # y = tanh(x)
    >>> classify(net, [-1.0, 0.5]).tolist()
    [1, 0]
    """
    net = as_network(net)
    t = _rule(net, threshold)
    X = as_real_array(X, "X must be a float array", PlotError)
    if X.ndim == 1 and net.n_inputs == 1:
        X = X[:, None]
    w = net.weights if weights is None else as_real_array(weights, "weights must be a float "
                                                          "array", PlotError)
    f = net.compile() if f is None else f
    return classes_of(f(X, weights=w), t)


def crossings(net: Network, weights: Any = None, *, xlim: tuple[float, float] = XLIM,
              threshold: float | None = None, tol: float = 1e-9, n_scan: int = 4097,
              f: Any = None) -> np.ndarray:
    """The x values in ``xlim`` where a 1-input classifier's category changes.

    A scan on ``n_scan`` evenly spaced points brackets every change; bisection on the
    compiled network (all brackets at once, one call per step) shrinks each bracket to
    width ``<= tol``; the result is the bracket's midpoint, so it lies within ``tol / 2``
    of a point where the outputs cross (for continuous outputs). Two changes closer than
    the scan spacing ``(xlim[1] - xlim[0]) / (n_scan - 1)`` that return to the same
    category are not seen; raise ``n_scan`` to resolve them.

    Parameters
    ----------
    net : Network
        A classifier with one input.
    weights : array_like, optional
        One weight vector; the network's own by default.
    xlim : (float, float), default (-6, 6)
        The window searched.
    threshold : float, optional
        Split level of a single output (default from its activation).
    tol : float, default 1e-9
        Width of the final brackets.
    n_scan : int, default 4097
        Points of the first scan.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    ndarray
        Sorted crossing positions (possibly empty).

    Raises
    ------
    PlotError
        The network does not have one input, or a bad window.

    Examples
    --------
    ``tanh(2 x - 1)`` changes sign at ``x = 0.5``:

    >>> import dagnet, dagnet.plot as P
    >>> net = dagnet.mlp([1, 1], "tanh")
    >>> net.set_weights([-1.0, 2.0])
    >>> P.crossings(net).round(9)
    array([0.5])
    """
    net = as_network(net)
    require_inputs(net, 1, "crossings()")
    lo, hi = check_lim(xlim)
    n_scan = check_count(n_scan, "n_scan", 2)
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise PlotError(f"tol must be a positive number such as 1e-9, got {tol!r}")
    t = _rule(net, threshold)
    w = one_weights(net, weights)
    f = net.compile() if f is None else f

    def cat(x: np.ndarray) -> np.ndarray:
        return classes_of(f(x[:, None], weights=w), t)

    x = np.linspace(lo, hi, n_scan)
    c = cat(x)
    k = np.flatnonzero(c[1:] != c[:-1])
    a, b, ca, cb = x[k], x[k + 1], c[k], c[k + 1]
    found = []
    while a.size:
        end, c_end = b.copy(), cb.copy()  # where each bracket must finally arrive
        for _ in range(200):  # halving 12 -> 1e-9 takes ~34 steps; 200 guards tiny tol
            m = 0.5 * (a + b)
            wide = ((b - a) > tol) & (m > a) & (m < b)
            if not wide.any():
                break
            cm = cat(m[wide])
            same = cm == ca[wide]
            idx = np.flatnonzero(wide)
            a[idx[same]] = m[idx[same]]
            b[idx[~same]] = m[idx[~same]]
            cb[idx[~same]] = cm[~same]
        found.append(0.5 * (a + b))
        # The change found left of b went ca -> cb; if cb is not where the bracket ends,
        # more changes lie in (b, end): bracket them next.
        more = cb != c_end
        a, b, ca, cb = b[more], end[more], cb[more], c_end[more]
    return np.sort(np.concatenate(found)) if found else np.empty(0)


def boundary_lines(f: Any, w: np.ndarray, t: float | None, g: np.ndarray, Mk: np.ndarray,
                   k: int, tol: float = 1e-9) -> list[np.ndarray]:
    """The zero set of category ``k``'s margin ``Mk`` (on grid ``g`` x ``g``) as polylines.

    The lines are traced on the grid (contourpy), then each vertex, which lies on a grid
    edge whose ends are on opposite sides, is moved along that edge by bisection on the
    compiled network until it is within ``tol`` of the decision level.
    """
    import contourpy

    gen = contourpy.contour_generator(g, g, Mk, line_type="Separate")
    lines = [np.asarray(v, dtype=float) for v in gen.lines(0.0) if len(v) >= 2]
    if not lines:
        return []
    V = np.concatenate(lines)
    h = g[1] - g[0]
    fx, fy = (V[:, 0] - g[0]) / h, (V[:, 1] - g[0]) / h
    on_x = np.abs(fx - np.round(fx)) < 1e-9  # on a grid line x = const: a vertical edge
    on_y = np.abs(fy - np.round(fy)) < 1e-9
    r = np.clip(np.floor(fy).astype(int), 0, g.size - 2)
    c = np.clip(np.floor(fx).astype(int), 0, g.size - 2)
    a, b = V.copy(), V.copy()
    vert, horiz = on_x & ~on_y, on_y & ~on_x
    a[vert, 1], b[vert, 1] = g[r[vert]], g[r[vert] + 1]
    a[horiz, 0], b[horiz, 0] = g[c[horiz]], g[c[horiz] + 1]

    def lead(P: np.ndarray) -> np.ndarray:
        return margins(f(P, weights=w), t)[k] > 0

    la, lb = lead(a), lead(b)
    todo = (vert | horiz) & (la != lb)
    a, b, la = a[todo], b[todo], la[todo]
    for _ in range(200):
        m = 0.5 * (a + b)
        wide = np.abs(b - a).max(axis=1) > tol
        if not wide.any():
            break
        same = lead(m[wide]) == la[wide]
        idx = np.flatnonzero(wide)
        a[idx[same]] = m[idx[same]]
        b[idx[~same]] = m[idx[~same]]
    V[todo] = 0.5 * (a + b)
    return np.split(V, np.cumsum([len(v) for v in lines])[:-1])


def class_colors(style: Style, n_outputs: int, n_classes: int) -> list[str]:
    """Category colours: green A / red B for one output, the output colours for argmax."""
    if n_outputs == 1:
        return list(style.class_colors)
    return [style.color(k) for k in range(n_classes)]


def regions(net: Network, weights: Any = None, *, ax: Any = None,
            threshold: float | None = None, style: str | Style | None = None,
            labels: Any = None, xlim: tuple[float, float] = XLIM, n_points: int = 400,
            ylim: tuple[float, float] | None = None, n_grid: int = 100,
            view: str | None = None, zlim: tuple[float, float] | None = None,
            elev: float = ELEV, azim: float = AZIM, tol: float = 1e-9,
            surfaces: bool = True, facets: int | None = None, legend: bool = True,
            f: Any = None) -> RegionsPlot:
    """Classifier regions of a 1- or 2-input network for one weight vector.

    Parameters
    ----------
    net : Network
        1 or 2 inputs; one output (split at ``threshold``) or several (argmax).
    weights : array (n_weights,), optional
        Default: the network's own weights.
    ax : Axes, optional
        2-D axes (1 input, or 2 inputs drawn flat) or 3-D axes (2 inputs); default new.
    threshold : float, optional
        Split level of a single output (default from its activation: tanh 0, logistic 0.5).
    style : str, Style or None
        Look (see :data:`dagnet.plot.STYLES`). None (the default): a new figure in the
        article's look, or a given ``ax`` in its own look (:func:`~dagnet.plot.axes_style`).
    labels : sequence of str, optional
        Category names (default "Category A", "Category B", ...).
    xlim : (float, float)
        The window of every input (article: (-6, 6)).
    n_points : int
        The x values of the drawn curves (1 input).
    ylim : (float, float), optional
        The y window (1 input); default as :func:`~dagnet.plot.family`.
    n_grid : int
        Grid points per side (2 inputs).
    view : "3d" or "2d", optional
        2 inputs: surfaces with the classified floor (default, or when ``ax`` is 3-D), or a
        flat map (default when ``ax`` is 2-D).
    zlim, elev, azim : (float, float), float, float
        The 3-D window and camera (defaults as :func:`~dagnet.plot.surface`).
    tol : float
        Precision of the 1-D dividers in x (see :func:`crossings`) and of the 2-D boundary
        lines' vertices along their grid edges (see :func:`boundary_lines`).
    surfaces : bool
        3-D: draw the output landscapes above the floor.
    facets : int, optional
        3-D: facets per side of each landscape (default ``n_grid``; fewer draw faster).
    legend : bool
        2 inputs: a legend of the category colours.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    RegionsPlot
        The category bands (1 input) or grid (2 inputs), the dividers, and what was drawn.

    Raises
    ------
    PlotError
        The network has neither 1 nor 2 inputs, ``threshold`` with several outputs, or a
        bad window or option.
    MissingWeightError
        No ``weights`` and the network's weights are unset.

    Examples
    --------
    The article's classifier: where a 1-11-9-1 tanh network is above 0 (A) or below (B).

    >>> import matplotlib.pyplot as plt, numpy as np, dagnet, dagnet.plot as P
    >>> net = dagnet.mlp([1, 11, 9, 1], "tanh")
    >>> reg = P.regions(net, weights=net.sample_weights(rng=3))
    >>> bool(np.all(np.diff(reg.crossings) > 0))     # exact dividers, left to right
    True
    >>> len(reg.intervals) == len(reg.crossings) + 1
    True
    >>> plt.close(reg.figure)

    Two inputs: the category at every grid point.

    >>> reg = P.regions(dagnet.mlp([2, 3, 2], "tanh", rng=0), n_grid=20, view="2d")
    >>> reg.classes.shape, reg.labels
    ((20, 20), ['Category A', 'Category B'])
    >>> plt.close(reg.figure)
    """
    net = as_network(net)
    if net.n_inputs not in (1, 2):
        require_inputs(net, 1, "regions()")
    t = _rule(net, threshold)
    w = one_weights(net, weights)
    f = net.compile() if f is None else f
    lim = check_lim(xlim)
    if net.n_inputs == 1:
        return _regions_1d(net, w, f, t, ax, style, labels, lim, n_points, ylim, tol)
    if view not in (None, "3d", "2d"):
        raise PlotError(f"view must be '3d' or '2d', got {view!r}")
    if view is None:
        view = "2d" if (ax is not None and getattr(ax, "name", "") != "3d") else "3d"
    n_grid = check_count(n_grid, "n_grid", 2)
    facets = n_grid if facets is None else min(n_grid, check_count(facets, "facets", 2))
    return _regions_2d(net, w, f, t, ax, style, labels, lim, n_grid, view, zlim, elev, azim,
                       surfaces, facets, legend, tol)


def _regions_1d(net, w, f, t, ax, style, labels, lim, n_points, ylim, tol) -> RegionsPlot:
    n_points = check_count(n_points, "n_points", 2)
    x = np.linspace(lim[0], lim[1], n_points)
    Y = f(x[:, None], weights=w)
    xc = crossings(net, w, xlim=lim, threshold=t, tol=tol, f=f)
    edges = np.concatenate([[lim[0]], xc, [lim[1]]])
    mids = 0.5 * (edges[:-1] + edges[1:])
    cats = classes_of(f(mids[:, None], weights=w), t)
    n_cls = 2 if net.n_outputs == 1 else net.n_outputs
    names = class_labels(n_cls, labels)
    ax, s = prepare_axes(ax, style, what="regions()")
    colors = class_colors(s, net.n_outputs, n_cls)
    span = lim[1] - lim[0]
    art: dict[str, list] = {"bands": [], "dividers": [], "texts": [], "curves": []}
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for a, b, c in zip(edges[:-1], edges[1:], cats):
        art["bands"].append(ax.axvspan(a, b, color=colors[c], alpha=s.band_alpha, lw=0,
                                       zorder=0))
        width = (b - a) / span
        if width >= 0.03:
            text = names[c] if width >= 0.2 else names[c].split()[-1]
            art["texts"].append(ax.text(0.5 * (a + b), 0.985, text, transform=trans,
                                        ha="center", va="top", color=colors[c],
                                        fontsize=s.fontsize * (1.0 if width >= 0.2 else 0.9),
                                        fontweight="bold"))
    art["axis"] = draw_axis_lines(ax, s, x=False)
    if t is not None:
        art["threshold"] = [ax.axhline(t, color=s.light, lw=1.0, ls=(0, (4, 3)), zorder=1)]
    for xv in xc:
        art["dividers"].append(ax.axvline(xv, color=s.foreground, lw=1.6, zorder=3))
    for j in range(net.n_outputs):
        art["curves"].append(ax.plot(x, Y[:, j], color=s.color(j), lw=s.linewidth,
                                     solid_capstyle="round", zorder=4)[0])
    finish_1d_axes(ax, s, lim, value_limits(net, Y) if ylim is None
                   else check_lim(ylim, "ylim"))
    intervals = tuple((float(a), float(b), int(c)) for a, b, c in zip(edges[:-1], edges[1:],
                                                                      cats))
    return RegionsPlot(ax=ax, threshold=t, labels=names, x=x, y=Y, z=None, crossings=xc,
                       intervals=intervals, classes=None, artists=art)


def _regions_2d(net, w, f, t, ax, style, labels, lim, n_grid, view, zlim, elev, azim,
                show_surfaces, facets, legend, tol) -> RegionsPlot:
    g, G1, G2, Z = grid_outputs(f, w, lim, n_grid)
    Y = np.moveaxis(Z, 0, -1)  # (n_grid, n_grid, n_out)
    cls = classes_of(Y, t)
    M = margins(Y, t)  # category k wins where M[k] > 0; M[k] == 0 on its boundary
    n_cls = M.shape[0]
    names = class_labels(n_cls, labels)
    three = view == "3d"
    ax, s = prepare_axes(ax, style, projection="3d" if three else None, what="regions()")
    colors = class_colors(s, net.n_outputs, n_cls)
    vrange = value_range(net, Z)
    if three:
        zlim = floor_limits(vrange) if zlim is None else check_lim(zlim, "zlim")
    where = dict(zdir="z", offset=zlim[0]) if three else {}
    art: dict[str, list] = {"fills": [], "boundary": [], "surfaces": [], "legend": []}
    for k in range(n_cls):
        top = float(M[k].max())
        if top > 0:
            art["fills"].append(ax.contourf(G1, G2, M[k], levels=[0.0, top + 1.0],
                                            colors=[colors[k]], alpha=0.9, **where))
        else:
            art["fills"].append(None)
    # The boundary: one output -> y = t; several -> where a category's lead is 0. Traced on
    # the grid, then every vertex is moved onto the decision level along its grid edge.
    for k in range(1 if net.n_outputs == 1 else n_cls):
        if M[k].min() < 0 < M[k].max():
            for line in boundary_lines(f, w, t, g, M[k], k, tol):
                zs = dict(zs=zlim[0], zdir="z") if three else {}
                art["boundary"].append(ax.plot(line[:, 0], line[:, 1], color=s.foreground,
                                               lw=1.4, **zs)[0])
    if three:
        if show_surfaces:
            F1, F2, FZ = facet_grid(f, w, lim, facets, G1, G2, Z)
            FZ = np.clip(FZ, *zlim)
            if net.n_outputs == 1:
                art["surfaces"].append(ax.plot_surface(F1, F2, FZ[0], rcount=facets,
                                                       ccount=facets, linewidth=0,
                                                       antialiased=False, cmap=s.cmap,
                                                       vmin=vrange[0], vmax=vrange[1]))
            else:  # one collection, so that crossing surfaces hide each other correctly
                art["surfaces"].append(stacked_surfaces(
                    ax, F1, F2, FZ, [s.color(j) for j in range(net.n_outputs)], 0.75))
        finish_3d_axes(ax, s, lim, zlim, elev, azim)
    else:
        ax.set_xlim(*lim)
        ax.set_ylim(*lim)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁ (input)", color=s.foreground)
        ax.set_ylabel("x₂ (input)", color=s.foreground)
    if legend:
        handles = [Patch(color=colors[k], label=names[k]) for k in range(n_cls)]
        leg = ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=s.fontsize * 0.9,
                        labelcolor=s.foreground)
        art["legend"].append(leg)
    return RegionsPlot(ax=ax, threshold=t, labels=names, x=g, y=g.copy(), z=Z,
                       crossings=np.empty(0), intervals=(), classes=cls, artists=art)
