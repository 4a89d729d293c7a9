"""Plot looks as data, figure creation and atomic saving.

:data:`STYLES` holds one :class:`Style` per theme of the palette
(:data:`dagnet.core.palette.THEMES`): ``"article"`` is the article's look (dark navy
background, the "Retro Rocks" palette, 8 x 4.5 inches at 150 dpi = 1200 x 675 px, GIFs
640 px wide; ``"retro"`` is an alias) and ``"plain"`` a white one for papers and
notebooks. A look's colours come from the palette when it is looked up; its sizes and
line widths are kept here. Every plot function takes ``style=`` as a name or a
:class:`Style`; :func:`style_axes` applies a style to any axes (also ones the caller
made), so plots look right without touching global ``rcParams``.

Examples
--------
>>> from dagnet.core.palette import THEMES
>>> from dagnet.plot import STYLES, get_style
>>> sorted(STYLES)
['article', 'plain']
>>> s = get_style("article")
>>> s.background == THEMES["article"]["background"], s.colors == THEMES["article"]["series"]
(True, True)
>>> get_style("retro") == s
True
>>> tuple(round(v * s.dpi) for v in s.figsize), round(s.figsize[0] * s.gif_dpi)
((1200, 675), 640)
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import palette
from ..core.atomic import atomic_path
from ..errors import PlotError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Style", "STYLES", "get_style", "new_figure", "style_axes", "save_figure",
           "owned_figure", "prepare_axes", "axes_style"]


@dataclass(frozen=True)
class Style:
    """One look for every plot (a row of :data:`STYLES`).

    Parameters
    ----------
    name : str
        Key in :data:`STYLES` (a theme of the palette).
    background, foreground, light, accent : str
        Figure/axes background; lines and text; secondary text; layer-box colour.
    colors : tuple of str
        Colour of output 0, 1, 2, ... (cycled); also the class colours of argmax regions.
    class_colors : (str, str)
        Colours of categories A (above the threshold) and B of a single-output classifier.
    cmap : str
        Colormap of surfaces, floor contours and class-share maps (red = low, green = high).
    figsize : (float, float)
        Figure size in inches.
    dpi, gif_dpi : int
        Resolution of still figures and of animation frames.
    linewidth, family_linewidth, axis_linewidth : float
        One draw's thick curve, a curve among many draws, the axis lines at 0.
    fontsize : float
        Size of labels and ticks.
    band_alpha : float
        Opacity of classifier bands and region fills drawn over curves.
    boundary_cmap : str
        Colormap of the boundary-share map of :func:`dagnet.plot.class_frequency`.

    Examples
    --------
    >>> import dataclasses, dagnet.plot as P
    >>> article = P.get_style("article")
    >>> article.figsize, article.dpi
    ((8.0, 4.5), 150)
    >>> big = dataclasses.replace(article, name="big", fontsize=14)   # a variant
    >>> big.fontsize, big.background == article.background
    (14, True)
    """

    name: str
    background: str
    foreground: str
    light: str
    accent: str
    colors: tuple[str, ...]
    class_colors: tuple[str, str]
    cmap: str
    figsize: tuple[float, float]
    dpi: int
    gif_dpi: int
    linewidth: float
    family_linewidth: float
    axis_linewidth: float
    fontsize: float
    band_alpha: float
    boundary_cmap: str = palette.THEMES["article"]["boundary_cmap"]

    def color(self, k: int) -> str:
        """Colour of output (or argmax class) ``k``, cycling through :attr:`colors`.

        Parameters
        ----------
        k : int
            The output or class.

        Returns
        -------
        str
            A matplotlib colour.

        Examples
        --------
        >>> import dagnet.plot as P
        >>> s = P.get_style("plain")
        >>> s.color(0) == s.colors[0], s.color(len(s.colors)) == s.colors[0]
        (True, True)
        """
        return self.colors[k % len(self.colors)]

    def rc(self) -> dict[str, Any]:
        """``rcParams`` for ``matplotlib.rc_context`` (used when dagnet creates axes).

        Returns
        -------
        dict
            Background, foreground and font settings of this look.

        Examples
        --------
        >>> import matplotlib, matplotlib.pyplot as plt, dagnet.plot as P
        >>> s = P.get_style("article")
        >>> with matplotlib.rc_context(s.rc()):
        ...     fig = plt.figure()
        >>> bool(matplotlib.colors.same_color(fig.get_facecolor(), s.background))
        True
        >>> plt.close(fig)
        """
        return {
            "figure.facecolor": self.background, "axes.facecolor": self.background,
            "savefig.facecolor": self.background, "axes.edgecolor": self.foreground,
            "axes.labelcolor": self.foreground, "text.color": self.foreground,
            "xtick.color": self.foreground, "ytick.color": self.foreground,
            "grid.color": self.light, "font.size": self.fontsize,
        }


#: What a plot look sets besides its colours, per theme (the colours are the palette's).
_SIZES: dict[str, dict[str, Any]] = {
    "article": {"figsize": (8.0, 4.5), "dpi": 150, "gif_dpi": 80, "linewidth": 3.0,
                "family_linewidth": 1.2, "axis_linewidth": 0.6, "fontsize": 11.0,
                "band_alpha": 0.35},
    "plain": {"figsize": (8.0, 4.5), "dpi": 100, "gif_dpi": 80, "linewidth": 2.0,
              "family_linewidth": 0.9, "axis_linewidth": 0.6, "fontsize": 10.0,
              "band_alpha": 0.35},
}


class _Looks(Mapping[str, Style]):
    """The plot looks by theme name, each made from the palette's row when looked up."""

    def __getitem__(self, name: str) -> Style:
        if name not in _SIZES:
            raise KeyError(name)
        row = palette.THEMES[name]
        return Style(name=name, background=row["background"], foreground=row["plot_text"],
                     light=row["plot_light"], accent=row["accent"],
                     colors=tuple(row["series"]), class_colors=tuple(row["classes"]),
                     cmap=row["cmap"], boundary_cmap=row["boundary_cmap"], **_SIZES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(_SIZES)

    def __len__(self) -> int:
        return len(_SIZES)

    def __repr__(self) -> str:
        return f"STYLES({', '.join(map(repr, self))})"


#: The looks every plot function accepts by name (a read-only view of the palette).
STYLES: Mapping[str, Style] = _Looks()


def get_style(style: str | Style) -> Style:
    """The :class:`Style` named ``style`` (a :class:`Style` passes through).

    Parameters
    ----------
    style : str or Style
        A theme of the palette (``"article"``, ``"plain"``, or the alias ``"retro"``).

    Returns
    -------
    Style

    Raises
    ------
    PlotError
        For any other name; the message lists the names.

    Examples
    --------
    >>> get_style("plain").background == palette.THEMES["plain"]["background"]
    True
    >>> get_style("neon")
    Traceback (most recent call last):
    ...
    dagnet.errors.PlotError: unknown plot style 'neon'; use one of 'article', 'plain' (or ...
    """
    if isinstance(style, Style):
        return style
    return STYLES[palette.theme_name(style, error=PlotError, what="plot style",
                                     alternative="a dagnet.plot.Style")]


def _is_3d(ax: Any) -> bool:
    return getattr(ax, "name", "") == "3d"


def style_axes(ax: Any, style: str | Style = "article") -> None:
    """Colour ``ax`` (2-D or 3-D) and its figure with ``style``; changes no data.

    Parameters
    ----------
    ax : matplotlib Axes
        The axes (and, through it, its figure) to colour.
    style : str or Style, default "article"
        A name of :data:`STYLES` or a :class:`Style`.

    Raises
    ------
    PlotError
        An unknown style name.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> style_axes(ax, "article")
    >>> ax.get_facecolor()[:3] == fig.get_facecolor()[:3]
    True
    >>> plt.close(fig)
    """
    s = get_style(style)
    ax.figure.set_facecolor(s.background)
    ax.set_facecolor(s.background)
    ax.tick_params(colors=s.foreground, labelsize=s.fontsize * 0.85)
    for label in (ax.xaxis.label, ax.yaxis.label, ax.title):
        label.set_color(s.foreground)
    for spine in ax.spines.values():
        spine.set_color(s.foreground)
    if _is_3d(ax):
        ax.zaxis.label.set_color(s.foreground)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.set_pane_color(s.background)
            info = getattr(axis, "_axinfo", None)  # private in mplot3d, stable since 3.1
            if isinstance(info, dict):
                info.setdefault("grid", {})["color"] = s.light + "40"
                info.setdefault("axisline", {})["color"] = s.foreground
            axis.line.set_color(s.foreground)


def new_figure(style: str | Style = "article", *, projection: str | None = None,
               figsize: tuple[float, float] | None = None,
               dpi: float | None = None) -> tuple[Figure, Axes]:
    """A new pyplot figure and axes in ``style`` (``projection="3d"`` for surfaces).

    The figure belongs to the caller (close it with ``plt.close(fig)``).

    Parameters
    ----------
    style : str or Style, default "article"
        A name of :data:`STYLES` or a :class:`Style`.
    projection : str, optional
        ``"3d"`` for surfaces.
    figsize : (float, float), optional
        Inches; the style's by default (article: 8 x 4.5).
    dpi : float, optional
        The style's by default (article: 150).

    Returns
    -------
    (Figure, Axes)
        A new figure and its one axes, both in ``style``.

    Raises
    ------
    PlotError
        An unknown style name.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = new_figure("article")
    >>> fig.get_size_inches().tolist(), float(fig.dpi)
    ([8.0, 4.5], 150.0)
    >>> plt.close(fig)
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    s = get_style(style)
    with mpl.rc_context(s.rc()):
        fig = plt.figure(figsize=figsize or s.figsize, dpi=dpi or s.dpi)
        ax = fig.add_subplot(projection=projection)
    if projection == "3d":  # the cube fills the height; the wide figure keeps room for labels
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    style_axes(ax, s)
    return fig, ax


def owned_figure(style: str | Style = "article", *, projection: str | None = None,
                 dpi: float | None = None, figsize: tuple[float, float] | None = None):
    """Like :func:`new_figure` but outside pyplot (an Agg canvas; nothing to close).

    For figures a function makes and discards itself (animation frames).
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    s = get_style(style)
    with mpl.rc_context(s.rc()):
        fig = Figure(figsize=figsize or s.figsize, dpi=dpi or s.dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(projection=projection)
    if projection == "3d":
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    style_axes(ax, s)
    return fig, ax


def axes_style(ax: Any) -> Style:
    """The look of axes dagnet did not make: their own colours, the user's rcParams.

    Background, text and grid colours and the colour cycle come from ``ax`` and
    ``matplotlib.rcParams`` (so a plot drawn into ``plt.style.use("dark_background")`` axes
    stays readable); the category colours and colormaps stay the palette's, so category A
    has one colour everywhere; sizes are the "plain" look's.

    Parameters
    ----------
    ax : matplotlib Axes
        Axes made by the caller.

    Returns
    -------
    Style
        A style named ``"axes"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.colors import to_hex
    >>> with plt.style.context("dark_background"):
    ...     fig, ax = plt.subplots()
    ...     s = axes_style(ax)
    >>> s.name, s.background == to_hex("black"), s.foreground == to_hex("white")
    ('axes', True, True)
    >>> plt.close(fig)
    """
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    plain = STYLES["plain"]
    rc = mpl.rcParams
    cycle = tuple(to_hex(c) for c in rc["axes.prop_cycle"].by_key().get("color", ()))
    return replace(plain, name="axes", background=to_hex(ax.get_facecolor()),
                   foreground=to_hex(rc["text.color"]), light=to_hex(rc["grid.color"]),
                   colors=cycle or plain.colors)


def prepare_axes(ax: Any, style: str | Style | None, *, projection: str | None = None,
                 what: str = "this plot"):
    """``(ax, Style)``: a new figure's axes when ``ax`` is None, else ``ax`` as given.

    With ``ax=None`` the figure is new, in ``style`` (None: the article's look). Axes the
    caller made keep their own look (:func:`axes_style`) unless a ``style`` is asked for,
    which then restyles them.
    """
    if ax is None:
        s = get_style("article" if style is None else style)
        return new_figure(s, projection=projection)[1], s
    if projection == "3d" and not _is_3d(ax):
        raise PlotError(f"{what} draws in 3-D: pass axes made with "
                        "fig.add_subplot(projection='3d'), or ax=None")
    if style is None:
        return ax, axes_style(ax)
    s = get_style(style)
    style_axes(ax, s)
    return ax, s


#: Metadata that keeps saved files free of timestamps (None drops the key).
_STABLE_METADATA: dict[str, dict] = {
    "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
    "ps": {"CreationDate": None}, "eps": {"CreationDate": None},
}


def save_figure(fig: Any, path: str | os.PathLike, *, dpi: float | None = None,
                **savefig_kw: Any) -> Path:
    """Write ``fig`` to ``path`` atomically; the suffix picks the format. Returns the path.

    The figure is not closed (it belongs to the caller). Output is byte-for-byte
    reproducible: no dates in SVG/PDF/PS metadata and fixed SVG element ids.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    path : str or os.PathLike
        The file; its suffix picks the format (``.png``, ``.svg``, ``.pdf``, ...).
    dpi : float, optional
        The resolution; the figure's own by default.
    **savefig_kw
        Passed to ``fig.savefig``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    PlotError
        The file name does not end in a suffix matplotlib can write.
    OutputError
        ``path`` is a folder or lies under a file, or its folder cannot be made.

    Examples
    --------
    >>> import os, tempfile, matplotlib.pyplot as plt
    >>> fig, ax = new_figure("plain")
    >>> p = save_figure(fig, os.path.join(tempfile.mkdtemp(), "a.png"))
    >>> p.name, p.stat().st_size > 0
    ('a.png', True)
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    supported = fig.canvas.get_supported_filetypes()
    if fmt not in supported:
        raise PlotError(f"cannot save a figure as {target.name!r}: the file name must end in "
                        f"one of {', '.join('.' + k for k in sorted(supported))}")
    savefig_kw.setdefault("metadata", _STABLE_METADATA.get(fmt))
    with atomic_path(target) as tmp, mpl.rc_context({"svg.hashsalt": "dagnet"}):
        fig.savefig(tmp, format=fmt, dpi=dpi or fig.dpi, facecolor=fig.get_facecolor(),
                    **savefig_kw)
    return target
