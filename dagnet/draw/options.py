"""The options of a diagram, their defaults and their checks, declared once.

:class:`DiagramOptions` is what :func:`dagnet.to_dot`, :func:`dagnet.draw.diagram` and
:func:`dagnet.render_diagram` build from their keyword arguments and what the planners of
:mod:`dagnet.draw.layout` read. It is frozen and checked when made, so a planner never
sees a bad value.

Examples
--------
>>> DiagramOptions(style="simplified", theme="retro", k=2)
DiagramOptions(style='simplified', theme='article', k=2)
>>> DiagramOptions().width, DiagramOptions(k=1).width, DiagramOptions(max_width=11).width
(7, 3, 11)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..core import palette
from ..errors import DiagramError

__all__ = ["DiagramOptions", "DIAGRAM_STYLES"]

#: The diagram styles.
DIAGRAM_STYLES = ("explicit", "simplified")


@dataclass(frozen=True, repr=False)
class DiagramOptions:
    """Everything a diagram can be asked for, with its default (see :func:`dagnet.to_dot`).

    Parameters
    ----------
    style : {"explicit", "simplified"}
        The article's box-by-box drawing, or circles and lines.
    theme : {"plain", "article"}
        A theme of the palette (:data:`dagnet.core.palette.THEMES`): ``"plain"`` (light,
        the default) or ``"article"`` (the article's dark "Retro Rocks" look; ``"retro"``
        is an alias). Stored as the palette's name, so ``"retro"`` reads back as
        ``"article"``.
    show_values : bool
        Explicit: write weight values in the weight boxes. Simplified: colour edges by sign
        and widen them with ``|w|``.
    show_bias : bool
        Simplified only: draw the bias nodes (greyed).
    k : int
        A wide layer shows its first ``k`` and last ``k`` nodes around an ellipsis.
    max_width : int, optional
        Elide layers with more inputs or sums than this. Unset (None), it is ``2 k + 1``
        (7 for the default ``k``): the limit the diagrams have always used, so a layer is
        elided exactly when the ellipsis hides at least one node. :attr:`width` is the
        value in force.
    labels : mapping, optional
        Explicit only: node id -> label replacing the default symbol.
    out_labels : mapping, optional
        Explicit only: node id -> label of the edges out of that node (``""`` for none).
    layer_labels : bool
        Explicit only: label the layer boxes "Layer I", "Layer II", ... when there are
        several layers.
    max_nodes : int
        Refuse to plan a drawing of more nodes than this.

    Raises
    ------
    DiagramError
        For an unknown style or theme, or ``k``, ``max_width`` or ``max_nodes`` that is not
        a whole number >= 1.

    Examples
    --------
    >>> DiagramOptions(k=0)
    Traceback (most recent call last):
    ...
    dagnet.errors.DiagramError: k must be an integer >= 1, got 0
    """

    style: str = "explicit"
    theme: str = "plain"
    show_values: bool = False
    show_bias: bool = False
    k: int = 3
    max_width: int | None = None
    labels: Mapping[str, str] | None = None
    out_labels: Mapping[str, str] | None = None
    layer_labels: bool = True
    max_nodes: int = 2000

    def __post_init__(self) -> None:
        if self.style not in DIAGRAM_STYLES:
            raise DiagramError(f"unknown diagram style {self.style!r}; use one of "
                               f"{', '.join(map(repr, DIAGRAM_STYLES))}")
        object.__setattr__(self, "theme", palette.theme_name(self.theme, error=DiagramError))
        for name in ("k", "max_width", "max_nodes"):
            value = getattr(self, name)
            if value is None and name == "max_width":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DiagramError(f"{name} must be an integer >= 1, got {value!r}")
        for name in ("labels", "out_labels"):
            _check_labels(name, getattr(self, name))

    @property
    def width(self) -> int:
        """The layer width above which a layer is elided: ``max_width``, else ``2 k + 1``.

        Examples
        --------
        >>> DiagramOptions(k=2).width, DiagramOptions(max_width=784).width
        (5, 784)
        """
        return 2 * self.k + 1 if self.max_width is None else self.max_width

    @classmethod
    def of(cls, style: str, options: Mapping[str, Any]) -> DiagramOptions:
        """Options from a style and keyword arguments, refusing unknown names.

        Parameters
        ----------
        style : str
            The diagram style.
        options : mapping
            Keyword arguments as given to :func:`dagnet.to_dot`.

        Returns
        -------
        DiagramOptions

        Raises
        ------
        DiagramError
            For an option name that is not a field, or a bad value.

        Examples
        --------
        >>> DiagramOptions.of("explicit", {"colour": "red"})
        Traceback (most recent call last):
        ...
        dagnet.errors.DiagramError: unknown diagram option(s) colour; options are k, \
labels, layer_labels, max_nodes, max_width, out_labels, show_bias, show_values, theme
        """
        known = {f.name for f in fields(cls)} - {"style"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise DiagramError(f"unknown diagram option(s) {', '.join(unknown)}; "
                               f"options are {', '.join(sorted(known))}")
        return cls(style=style, **options)

    def __repr__(self) -> str:
        """The options that differ from the defaults (style always)."""
        shown = [f"style={self.style!r}"]
        shown += [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                  if f.name != "style" and getattr(self, f.name) != f.default]
        return f"DiagramOptions({', '.join(shown)})"


def _check_labels(name: str, labels: Any) -> None:
    """``labels`` / ``out_labels``: None or a mapping of node id -> text (or None: no label
    on an output's edge)."""
    if labels is None:
        return
    if not isinstance(labels, Mapping):
        raise DiagramError(f"{name} must be a mapping of node id -> text, such as "
                           f"{{'L1.x1': 'x_1'}}, got {type(labels).__name__}")
    for node, text in labels.items():
        if not (isinstance(text, str) or (text is None and name == "out_labels")):
            raise DiagramError(f"{name}[{node!r}] must be text, got {text!r}")
