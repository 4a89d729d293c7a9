"""Surfaces: what a 2-input network computes, with contours on the floor.

:func:`surface` evaluates one weight vector on a grid over [-6, 6] x [-6, 6]
(100 x 100 by default), draws the output as a 3-D surface coloured red-yellow-
green over the output's range, and projects filled contours onto the floor
as the article does (camera at elevation 20, azimuth -55; for tanh the z axis
spans [-2, 1] with the floor at -2). The contour levels always include the
classifier threshold (0 for tanh, 0.5 for logistic), so the floor splits
exactly there.

Examples
--------
>>> import matplotlib.pyplot as plt, dagnet
>>> from dagnet.plot import surface
>>> res = surface(dagnet.mlp([2, 11, 9, 1], rng=0), n_grid=20)
>>> res.z.shape, res.zlim, float(res.levels[5])
((1, 20, 20), (-2.0, 1.0), 0.0)
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
    one_weights,
    output_activation,
    require_inputs,
    value_range,
)
from .style import Style, prepare_axes

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["SurfacePlot", "surface", "grid_outputs", "facet_grid", "floor_limits", "finish_3d_axes"]

#: The article's camera.
ELEV, AZIM = 20.0, -55.0


@dataclass(frozen=True, eq=False, repr=False)
class SurfacePlot(AxesResult):
    """What :func:`surface` drew.

    Parameters
    ----------
    ax : mplot3d Axes3D
        The axes drawn on (``.figure`` is its figure).
    x, y : ndarray (n_grid,)
        Grid coordinates of input 1 (columns) and input 2 (rows).
    z : ndarray (n_shown, n_grid, n_grid)
        Output values, ``z[k, r, c]`` at ``(x[c], y[r])`` for the k-th shown output.
    outputs : tuple of int
        Which outputs are shown.
    zlim : (float, float)
        z axis limits; the floor is at ``zlim[0]``.
    levels : ndarray
        Floor contour levels.
    surfaces : tuple of Poly3DCollection
        One per shown output.
    floor : tuple of ContourSet
        The contours projected on the floor.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> surf = P.surface(dagnet.mlp([2, 3, 1], rng=0), n_grid=20)
    >>> surf.z.shape, surf.outputs, surf.zlim
    ((1, 20, 20), (0,), (-2.0, 1.0))
    >>> plt.close(surf.figure)
    """

    ax: Any
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    outputs: tuple
    zlim: tuple
    levels: np.ndarray
    surfaces: tuple
    floor: tuple


def grid_outputs(f: Any, w: np.ndarray, lim: tuple[float, float],
                 n_grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(g, G1, G2, Z)``: grid axis, meshgrids of inputs 1 and 2, outputs (n_out, n, n).

    ``w`` may be one weight vector or a stack (K, n_weights), giving (K, n_out, ...).
    """
    g = np.linspace(lim[0], lim[1], n_grid)
    G1, G2 = np.meshgrid(g, g)
    Y = f(np.column_stack([G1.ravel(), G2.ravel()]), weights=w)
    Z = np.moveaxis(Y, -1, -2).reshape(Y.shape[:-2] + (Y.shape[-1], n_grid, n_grid))
    return g, G1, G2, Z


def facet_grid(f: Any, w: np.ndarray, lim: tuple[float, float], facets: int, G1: np.ndarray,
               G2: np.ndarray, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid a surface is drawn on: the full one, or a coarser one evaluated afresh.

    (Subsampling with ``plot_surface(rcount=...)`` is slower than drawing a coarse grid.)
    """
    if facets >= G1.shape[0]:
        return G1, G2, Z
    _, F1, F2, FZ = grid_outputs(f, w, lim, facets)
    return F1, F2, FZ


def stacked_surfaces(ax: Any, X: np.ndarray, Y: np.ndarray, Zs: Any, colors: Any,
                     alpha: float = 1.0) -> Any:
    """Several surfaces over one grid as ONE shaded collection of facets; returns it.

    mplot3d depth-sorts the facets within a collection but paints whole collections one
    after another, so separate ``plot_surface`` calls that cross each other hide the wrong
    parts. One collection lets every facet of every surface be sorted together.
    """
    from matplotlib.colors import to_rgba
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    quads, faces = [], []
    for Z, color in zip(Zs, colors):
        v = np.stack([X, Y, Z], axis=-1)  # facet corners counter-clockwise from above: lit
        q = np.stack([v[:-1, :-1], v[:-1, 1:], v[1:, 1:], v[1:, :-1]], axis=2).reshape(-1, 4, 3)
        quads.append(q)
        faces.append(np.broadcast_to(to_rgba(color, alpha), (len(q), 4)))
    coll = Poly3DCollection(np.concatenate(quads), facecolors=np.concatenate(faces), shade=True,
                            linewidths=0, antialiased=False)
    ax.add_collection3d(coll)
    return coll


def floor_limits(vrange: tuple[float, float]) -> tuple[float, float]:
    """The article's z window: the range topped at its high end, floor half a range below.

    >>> floor_limits((-1.0, 1.0)), floor_limits((0.0, 1.0))
    ((-2.0, 1.0), (-0.5, 1.0))
    """
    lo, hi = vrange
    return (lo - 0.5 * (hi - lo), hi)


def contour_levels(vrange: tuple[float, float], n: int, threshold: float | None) -> np.ndarray:
    """``n`` evenly spaced levels over the range, moved so ``threshold`` is one of them."""
    lo, hi = vrange
    levels = np.linspace(lo, hi, n)
    if threshold is not None and lo < threshold < hi:
        k = int(np.argmin(np.abs(levels - threshold)))
        if 0 < k < n - 1:
            levels[k] = threshold
        else:
            levels = np.sort(np.append(levels, threshold))
    return levels


def finish_3d_axes(ax: Any, style: Style, lim: tuple[float, float], zlim: tuple[float, float],
                   elev: float, azim: float) -> None:
    """Limits, camera and labels of a 2-input plot."""
    ax.set_xlim(*lim)
    ax.set_ylim(*lim)
    ax.set_zlim(*zlim)
    ax.view_init(elev=elev, azim=azim)
    ax.set_xlabel("x₁ (input)", color=style.foreground)
    ax.set_ylabel("x₂ (input)", color=style.foreground)
    ax.set_zlabel("y (output)", color=style.foreground)


def surface(net: Network, weights: Any = None, *, ax: Any = None,
            style: str | Style | None = None, output: int | None = None,
            lim: tuple[float, float] = XLIM, n_grid: int = 100,
            zlim: tuple[float, float] | None = None, elev: float = ELEV, azim: float = AZIM,
            floor: bool = True, levels: int = 11, alpha: float = 1.0,
            facets: int | None = None, crange: tuple[float, float] | None = None,
            f: Any = None) -> SurfacePlot:
    """The output surface of a 2-input network with its contours projected on the floor.

    Parameters
    ----------
    net : Network
        A network with two inputs.
    weights : array (n_weights,), optional
        One draw; default the network's own weight values.
    ax : mplot3d Axes3D, optional
        Draw here (``fig.add_subplot(projection="3d")``); default a new figure.
    style : str, Style or None
        Look (see :data:`dagnet.plot.STYLES`). None (the default): a new figure in the
        article's look, or a given ``ax`` in its own look (:func:`~dagnet.plot.axes_style`).
    output : int, optional
        Show only this output; default all (several outputs are drawn stacked, each in its
        colour, with contour lines on the floor).
    lim, n_grid : (float, float), int
        The window of both inputs and the grid points per side (article: (-6, 6), 100).
    zlim : (low, high), optional
        Default from the output range: tanh (-2, 1), logistic (-0.5, 1), unbounded from data.
    elev, azim : float
        The camera's elevation and azimuth in degrees (article: 20, -55).
    floor : bool
        Project contours onto the floor at ``zlim[0]``.
    levels : int
        Number of contour levels over the range (the threshold is always one of them).
    alpha : float
        Surface opacity.
    facets : int, optional
        Facets per side of the drawn surface (default ``n_grid``); fewer draw faster (the
        surface then passes through every k-th grid point; the floor keeps the full grid).
    crange : (float, float), optional
        The values the colormap spans; default the output range (from the data where
        it is unbounded). Give the same ``crange`` to frames that must share colours.
    f : CompiledNetwork, optional
        ``net.compile()`` reused across calls.

    Returns
    -------
    SurfacePlot
        The grid, the outputs on it, and what was drawn.

    Raises
    ------
    PlotError
        The network does not have two inputs, ``ax`` is not 3-D, ``weights`` is not one
        draw, or a bad window or option.
    MissingWeightError
        No ``weights`` and the network's weights are unset.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
    >>> net = dagnet.mlp([2, 3, 3, 1], "tanh", rng=0)
    >>> surf = P.surface(net, n_grid=30)
    >>> surf.x.shape, surf.z.shape
    ((30,), (1, 30, 30))
    >>> float(surf.x[0]), float(surf.x[-1])           # the article's window
    (-6.0, 6.0)
    >>> plt.close(surf.figure)
    """
    net = as_network(net)
    require_inputs(net, 2, "surface()")
    lim = check_lim(lim, "lim")
    n_grid = check_count(n_grid, "n_grid", 2)
    facets = n_grid if facets is None else min(n_grid, check_count(facets, "facets", 2))
    levels = check_count(levels, "levels", 2)
    if output is None:
        shown = tuple(range(net.n_outputs))
    elif isinstance(output, (int, np.integer)) and 0 <= output < net.n_outputs:
        shown = (int(output),)
    else:
        raise PlotError(f"output must be an index 0..{net.n_outputs - 1} or None, got {output!r}")
    w = one_weights(net, weights)
    f = net.compile() if f is None else f
    g, G1, G2, Zall = grid_outputs(f, w, lim, n_grid)
    Z = Zall[list(shown)]
    ax, s = prepare_axes(ax, style, projection="3d", what="surface()")
    vrange = value_range(net, Z) if crange is None else check_lim(crange, "crange")
    zlim = floor_limits(vrange) if zlim is None else check_lim(zlim, "zlim")
    thr = output_activation(net, shown[0]).threshold
    lv = contour_levels(vrange, levels, thr)
    surfaces, floors = [], []
    single = len(shown) == 1
    F1, F2, FZ = facet_grid(f, w, lim, facets, G1, G2, Zall)
    # values beyond zlim are drawn flat at the limit (res.z keeps the true values)
    if single:
        surfaces.append(ax.plot_surface(F1, F2, np.clip(FZ[shown[0]], *zlim), rcount=facets,
                                        ccount=facets, linewidth=0, antialiased=False,
                                        alpha=alpha, cmap=s.cmap, vmin=vrange[0],
                                        vmax=vrange[1]))
    else:  # one collection, so that crossing surfaces hide each other correctly
        surfaces.append(stacked_surfaces(ax, F1, F2, [np.clip(FZ[k], *zlim) for k in shown],
                                         [s.color(k) for k in shown], alpha))
    for k, Zk in zip(shown, Z):
        if floor and single:
            floors.append(ax.contourf(G1, G2, Zk, levels=lv, zdir="z", offset=zlim[0],
                                      cmap=s.cmap, vmin=vrange[0], vmax=vrange[1]))
        elif floor:
            floors.append(ax.contour(G1, G2, Zk, levels=lv, zdir="z", offset=zlim[0],
                                     colors=[s.color(k)], linewidths=0.8))
    finish_3d_axes(ax, s, lim, zlim, elev, azim)
    return SurfacePlot(ax=ax, x=g, y=g.copy(), z=Z, outputs=shown, zlim=tuple(zlim), levels=lv,
                       surfaces=tuple(surfaces), floor=tuple(floors))
