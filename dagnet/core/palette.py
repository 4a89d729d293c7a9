"""The palette: every colour of every picture dagnet makes, one row per theme.

Diagrams (:mod:`dagnet.draw`), plots (:mod:`dagnet.plot`), the gallery's equation
pictures and its HTML page all take their colours from :data:`THEMES`, and nothing
else in dagnet writes a colour. It sits in :mod:`dagnet.core` because ``draw`` and
``plot`` may import only ``core``, and it holds colours only (fonts, sizes and line
widths stay with the stage that uses them), hence "palette" rather than "theme".

Two themes, one set of names everywhere (``theme=`` for diagrams and the gallery,
``style=`` for plots):

``"article"``
    The article's dark "Retro Rocks" look: navy background, sand lines and text,
    muted-teal layer boxes. ``"retro"`` is an alias of it (the diagrams' earlier name;
    it gives the same output byte for byte).
``"plain"``
    Light, prints well.

Every row has every key of :data:`KEYS`: a colour ``"#rrggbb"``, a tuple of colours
(``series``, ``classes``) or a matplotlib colormap name (``cmap``, ``boundary_cmap``).
The light theme's text colours differ a little between media (each was tuned for its
own medium), so media keep their own text keys; the dark theme uses one sand for all.

Examples
--------
>>> sorted(THEMES), THEME_ALIASES
(['article', 'plain'], {'retro': 'article'})
>>> theme("retro") is theme("article")
True
>>> theme("article")["background"], theme("plain")["background"]
('#04253a', '#ffffff')
>>> theme("neon")
Traceback (most recent call last):
...
dagnet.errors.DagnetError: unknown theme 'neon'; use one of 'article', 'plain' (or 'retro', \
an alias of 'article')
"""

from __future__ import annotations

from typing import Any

from ..errors import DagnetError

__all__ = ["THEMES", "THEME_ALIASES", "KEYS", "theme", "theme_name", "choices"]

#: What each key of a theme row is for, grouped by the medium that reads it.
KEYS: dict[str, str] = {
    # every medium
    "background": "background of diagrams, plots, equation pictures and the page",
    "accent": "layer boxes' outline (diagrams), plot accent, rules between page sections",
    # diagrams (dagnet.draw): the per-kind STYLES table refers to these as "{key}"
    "ink": "diagram lines and node outlines",
    "text": "diagram labels",
    "node_fill": "inside of diagram nodes",
    "layer_fill": "inside of a layer's box (explicit diagrams)",
    "layer_text": "layer titles (explicit diagrams)",
    "bias_fill": "inside of a bias node x_0",
    "bias_line": "outline of a bias node",
    "bias_text": "label of a bias node",
    "muted": "dashed implied edges, ellipses, greyed biases",
    "positive": "simplified diagram with values: edge of a weight >= 0",
    "negative": "simplified diagram with values: edge of a weight < 0",
    # plots (dagnet.plot)
    "plot_text": "plot lines at 0, axes, ticks and labels",
    "plot_light": "secondary plot text, thresholds, grid",
    "categories": "category A, B, C: one colour each, in every plot, band and legend",
    "series": "colour of output (or argmax class) 0, 1, 2, ... (cycled): the categories first",
    "classes": "categories A (above the threshold) and B of a single-output classifier",
    "cmap": "colormap of surfaces and class-share maps (red = low, green = high)",
    "boundary_cmap": "colormap of the boundary-share map (dagnet.plot.class_frequency)",
    # equation pictures (dagnet.gallery.mathtext)
    "equation_text": "equations drawn with mathtext",
    # the gallery page (dagnet.gallery.page)
    "page_text": "body text of the gallery page",
    "page_heading": "headings, captions and links of the page",
    "page_panel": "background of figures and code blocks on the page",
}

#: Category colours A, B, C per theme: output k of a classifier names category k, and a
#: single-output classifier's A (above the threshold) and B are the first two, so "Category A"
#: has one colour in every figure. Chosen far apart: CIEDE2000 >= 40 from each other and
#: >= 50 from the background in the article theme (checked in tests/gallery/test_fidelity.py,
#: also for the bands they tint). Article: Retro Rocks' green, salmon ("peach") and blue.
_CATEGORIES = {"article": ("#b3de69", "#fa8174", "#81b1d2"),
               "plain": ("#1a9850", "#d73027", "#1f77b4")}

#: Colours per theme (one row per theme; every row has every key of :data:`KEYS`).
THEMES: dict[str, dict[str, Any]] = {
    "article": {
        "background": "#04253a", "accent": "#4c837a",
        "ink": "#d4d2b7", "text": "#d4d2b7", "node_fill": "#04253a",
        "layer_fill": "#4c837a", "layer_text": "#e1ddbf",
        "bias_fill": "#e1ddbf", "bias_line": "#e1ddbf", "bias_text": "#04253a",
        "muted": "#b5c2bb", "positive": "#81b1d2", "negative": "#fa8174",
        "plot_text": "#d4d2b7", "plot_light": "#e1ddbf",
        # The categories, then the rest of Retro Rocks' cycle (lavender, orange, ...).
        "categories": _CATEGORIES["article"],
        "series": _CATEGORIES["article"] + ("#bfbbd9", "#fdb462", "#bc82bd", "#8dd3c7",
                                            "#feffb3"),
        "classes": _CATEGORIES["article"][:2], "cmap": "RdYlGn", "boundary_cmap": "magma",
        "equation_text": "#d4d2b7",
        "page_text": "#d4d2b7", "page_heading": "#e1ddbf", "page_panel": "#0a3350",
    },
    "plain": {
        "background": "#ffffff", "accent": "#4c837a",
        "ink": "#2f3b45", "text": "#1b1b1b", "node_fill": "#ffffff",
        "layer_fill": "#e8f0ee", "layer_text": "#2e5a53",
        "bias_fill": "#f3dfae", "bias_line": "#9a6b12", "bias_text": "#1b1b1b",
        "muted": "#8a949c", "positive": "#2c6fa8", "negative": "#c0392b",
        "plot_text": "#222222", "plot_light": "#777777",
        # The categories, then matplotlib's tab10 cycle without its grey and olive.
        "categories": _CATEGORIES["plain"],
        "series": _CATEGORIES["plain"] + ("#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                                          "#17becf"),
        "classes": _CATEGORIES["plain"][:2], "cmap": "RdYlGn", "boundary_cmap": "magma",
        "equation_text": "#000000",
        "page_text": "#1a1a1a", "page_heading": "#333333", "page_panel": "#f2f2f2",
    },
}

#: Other accepted names: alias -> theme.
THEME_ALIASES: dict[str, str] = {"retro": "article"}


def choices() -> str:
    """The accepted theme names, as error messages list them.

    >>> choices()
    "'article', 'plain' (or 'retro', an alias of 'article')"
    """
    names = ", ".join(repr(name) for name in THEMES)
    aliases = ", ".join(f"{alias!r}, an alias of {name!r}" for alias, name in THEME_ALIASES.items())
    return f"{names} (or {aliases})" if aliases else names


def theme_name(name: Any, *, error: type[DagnetError] = DagnetError, what: str = "theme",
               alternative: str = "") -> str:
    """The row name of theme ``name``: itself, or the theme an alias stands for.

    Parameters
    ----------
    name : str
        A key of :data:`THEMES` or of :data:`THEME_ALIASES`.
    error : type of DagnetError
        The error to raise for an unknown name (each stage raises its own).
    what : str
        What the caller calls a theme, for the message ("theme", "plot style").
    alternative : str
        Anything else the caller accepts, added to the message ("a dagnet.plot.Style").

    Returns
    -------
    str
        A key of :data:`THEMES`.

    Raises
    ------
    DagnetError
        ``error`` when ``name`` is neither a theme nor an alias; the message lists both.

    Examples
    --------
    >>> theme_name("retro"), theme_name("plain")
    ('article', 'plain')
    """
    if isinstance(name, str):
        name = THEME_ALIASES.get(name, name)
        if name in THEMES:
            return name
    also = f" or {alternative}" if alternative else ""
    raise error(f"unknown {what} {name!r}; use one of {choices()}{also}")


def theme(name: Any, *, error: type[DagnetError] = DagnetError,
          what: str = "theme") -> dict[str, Any]:
    """The row of :data:`THEMES` for ``name`` (a theme or an alias), read when called.

    Parameters
    ----------
    name : str
        A key of :data:`THEMES` or of :data:`THEME_ALIASES`.
    error, what
        As for :func:`theme_name`.

    Returns
    -------
    dict
        Key -> colour, tuple of colours or colormap name (see :data:`KEYS`).

    Raises
    ------
    DagnetError
        ``error`` for an unknown name.

    Examples
    --------
    >>> theme("plain")["accent"] == theme("article")["accent"]
    True
    """
    return THEMES[theme_name(name, error=error, what=what)]
