"""Animations: one weight draw per frame, as the article's GIFs.

:func:`animate` draws ``n_frames`` weight vectors (uniform on [-1, 1)),
evaluates them in one compiled call to fix shared axis limits (for unbounded
outputs, limits that fit 95 % of the frames; see :func:`_typical`), renders one
frame per draw and writes a GIF with matplotlib's Pillow writer (no external
program needed), one frame per second by default and 640 px wide as the
article's GIFs. With ``mp4=True`` an MP4 is written next to it through ffmpeg
(which must be installed). Files are written atomically.

Examples
--------
>>> import os, tempfile, dagnet
>>> from dagnet.plot import animate
>>> p = animate(dagnet.mlp([1, 3, 1]), os.path.join(tempfile.mkdtemp(), "a.gif"),
...             n_frames=2, rng=0)
>>> from PIL import Image
>>> im = Image.open(p); (im.n_frames, im.size, im.info["duration"])
(2, (640, 360), 1000)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.atomic import atomic_path
from ..core.graph import as_network
from ..errors import PlotError
from ._common import XLIM, check_count, check_lim, value_limits, value_range, weight_stack
from .classifiers import regions
from .curves import family
from .style import Style, get_style, owned_figure
from .surfaces import floor_limits, grid_outputs, surface

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["animate", "ANIMATION_KINDS"]

#: What each frame can show.
ANIMATION_KINDS = ("family", "surface", "regions")


def _check(net: Network, kind: str | None, path: Any, fps: Any) -> tuple[str, Path]:
    if kind is None:
        kind = "family" if net.n_inputs == 1 else "surface"
    if kind not in ANIMATION_KINDS:
        raise PlotError(f"kind must be one of {', '.join(ANIMATION_KINDS)}, got {kind!r}")
    need = {"family": (1,), "surface": (2,), "regions": (1, 2)}[kind]
    if net.n_inputs not in need:
        raise PlotError(f"kind={kind!r} needs a network with {' or '.join(map(str, need))} "
                        f"input(s), this one has {net.n_inputs}; use 'family' or 'regions' for "
                        "1 input, 'surface' or 'regions' for 2")
    target = Path(os.fspath(path))
    if target.suffix.lower() != ".gif":
        raise PlotError(f"animate() writes a GIF: the path must end in .gif, got {target.name!r}"
                        " (pass mp4=True for an MP4 beside it)")
    if not (isinstance(fps, (int, float)) and fps > 0):
        raise PlotError(f"fps must be a positive number (frames per second), got {fps!r}")
    return kind, target


def animate(net: Network, path: str | os.PathLike, *, kind: str | None = None,
            n_frames: int = 49, rng: Any = None, weights: Any = None, fps: float = 1,
            style: str | Style = "article", dpi: float | None = None, mp4: bool = False,
            xlim: tuple[float, float] = XLIM, n_grid: int = 100, facets: int = 50,
            f: Any = None, **plot_kw: Any) -> Path:
    """Write a GIF cycling through random weight draws; return its path.

    Parameters
    ----------
    net : Network
        1 input (``kind="family"`` or ``"regions"``) or 2 inputs (``"surface"`` or
        ``"regions"``).
    path : str or os.PathLike
        The GIF to write; it must end in ``.gif``.
    kind : "family", "surface" or "regions", optional
        Default: "family" for 1 input, "surface" for 2.
    n_frames : int
        Number of draws (the article: 49); ignored when ``weights`` is given.
    rng : seed or numpy Generator, optional
        Source of the draws.
    weights : array (K, n_weights), optional
        Explicit draws, one per frame.
    fps : float
        Frames per second (the article: 1).
    style : str or Style
        The look of every frame (:data:`STYLES`).
    dpi : float, optional
        Frame resolution; default the style's ``gif_dpi`` (article: 80, i.e. 640 x 360).
    mp4 : bool
        Also write ``path`` with suffix ``.mp4`` (needs ffmpeg on the PATH).
    xlim : (float, float)
        The window of every input.
    n_grid : int
        Grid points per side for 2-input frames.
    facets : int
        Facets per side of 2-input surfaces (fewer than ``n_grid``: 4x faster frames).
    f : CompiledNetwork, optional
        ``net.compile()`` (or ``net.compile(fused=False)``) to evaluate the frames with.
    **plot_kw
        Passed to the frame's plot function (:func:`family`, :func:`surface`, :func:`regions`).

    Returns
    -------
    pathlib.Path
        The GIF's path.

    Raises
    ------
    PlotError
        ``path`` does not end in ``.gif``, an unknown ``kind`` or one that does not fit
        the number of inputs, ``fps`` not positive, ``mp4=True`` without ffmpeg, or a bad
        option.

    Examples
    --------
    The article's animation of successive draws, three frames here:

    >>> import os, tempfile, dagnet, dagnet.plot as P
    >>> from PIL import Image
    >>> path = P.animate(dagnet.mlp([1, 3, 1], "tanh"), os.path.join(tempfile.mkdtemp(), "a.gif"),
    ...                  n_frames=3, rng=0, dpi=20)
    >>> Image.open(path).n_frames
    3
    """
    net = as_network(net)
    from matplotlib import animation

    kind, target = _check(net, kind, path, fps)
    s = get_style(style)
    lim = check_lim(xlim)
    n_grid = check_count(n_grid, "n_grid", 2)
    if mp4 and not animation.writers.is_available("ffmpeg"):
        raise PlotError("mp4=True needs the ffmpeg program, which is not installed: install it "
                        "(e.g. apt-get install ffmpeg) or write only the GIF (mp4=False)")
    W = weight_stack(net, n_frames, rng, weights)
    f = net.compile() if f is None else f
    three = net.n_inputs == 2 and (kind == "surface" or plot_kw.get("view", "3d") == "3d")
    fig, ax = owned_figure(s, projection="3d" if three else None, dpi=dpi or s.gif_dpi)
    if net.n_inputs == 2:
        plot_kw["facets"] = facets
    draw = _frames(net, kind, W, f, ax, s, lim, n_grid, plot_kw)
    gif = animation.PillowWriter(fps=fps)
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(atomic_path(target))
        writers = [(gif, tmp)]
        if mp4:
            tmp4 = stack.enter_context(atomic_path(target.with_suffix(".mp4")))
            writers.append((animation.FFMpegWriter(fps=fps), tmp4))
        for writer, out in writers:
            stack.enter_context(writer.saving(fig, out, dpi or s.gif_dpi))
        for i in range(W.shape[0]):
            draw(i)
            for writer, _ in writers:
                writer.grab_frame()
    return target


def _typical(Y: np.ndarray) -> np.ndarray:
    """Low and high ends of the frames' values, ignoring the most extreme 5 % of frames.

    Shared limits for unbounded outputs (identity, relu) then suit most frames instead of
    the one outlier; a frame beyond them is clipped at the axes.
    """
    flat = Y.reshape(Y.shape[0], -1)
    return np.array([np.quantile(flat.min(axis=1), 0.05), np.quantile(flat.max(axis=1), 0.95)])


def _frames(net, kind, W, f, ax, s, lim, n_grid, plot_kw):
    """A function drawing frame ``i`` on ``ax`` (common limits across frames)."""
    if net.n_inputs == 1:
        n_points = plot_kw.pop("n_points", 100 if kind == "family" else 400)
        x = np.linspace(lim[0], lim[1], n_points)
        Y = f(x[:, None], weights=W)  # every frame in one call: (K, n_points, n_outputs)
        ylim = plot_kw.pop("ylim", None) or value_limits(net, _typical(Y))
        if kind == "family":
            res = family(net, weights=W[0], ax=ax, style=s, xlim=lim, n_points=n_points,
                         ylim=ylim, f=f, color_by="output", **plot_kw)

            def draw(i: int) -> None:
                for j, line in enumerate(res.lines[0]):
                    line.set_ydata(Y[i, :, j])
            return draw

        return _redraw(ax, lambda i: regions(net, W[i], ax=ax, style=s, xlim=lim, ylim=ylim,
                                             n_points=n_points, f=f, **plot_kw))

    zlim = plot_kw.pop("zlim", None)
    if kind == "surface" and "crange" not in plot_kw:
        # one colour scale for every frame: 0 has one colour, even in a dead (flat) frame
        _, _, _, Z = grid_outputs(f, W, lim, n_grid)
        plot_kw["crange"] = value_range(net, _typical(Z))
        zlim = floor_limits(plot_kw["crange"]) if zlim is None else zlim
    if zlim is None:
        _, _, _, Z = grid_outputs(f, W, lim, n_grid)
        zlim = floor_limits(value_range(net, _typical(Z)))
    fn = surface if kind == "surface" else regions
    key = "lim" if kind == "surface" else "xlim"
    return _redraw(ax, lambda i: fn(net, W[i], ax=ax, style=s, zlim=zlim, n_grid=n_grid, f=f,
                                    **{key: lim}, **plot_kw))


def _redraw(ax: Any, plot: Any):
    """Frame drawer that removes the previous frame's artists instead of clearing the axes.

    (``ax.cla()`` rebuilds every tick: 2-3x slower per frame on 3-D axes.)
    """
    drawn: list = []

    def draw(i: int) -> None:
        for artist in drawn:
            artist.remove()
        before = set(map(id, ax.get_children()))
        plot(i)
        drawn[:] = [a for a in ax.get_children() if id(a) not in before]
    return draw
