"""Diagrams of a network with Graphviz: the article's explicit and simplified drawings.

:func:`to_dot` returns DOT text (no Graphviz program needed); :func:`diagram` wraps the
same text in a :class:`graphviz.Digraph`; :func:`render_diagram` writes SVG, PNG, PDF or
DOT files. Both styles only read the network.

``style="explicit"`` (the article's first diagrams)
    Every node drawn with its glyph, left to right, one column per stage: pass-through
    nodes ``x_i`` as circles, weights ``w_ij`` as small boxes with ``u_ij`` on the edge out,
    sums as a box with a capital sigma and ``v_j`` out, activations as a box showing ``f``
    and the activation's glyph with ``y_j`` out. Each layer is a tinted cluster (labelled
    "Layer I", "Layer II", ... when there are several) with its bias ``x_0`` at the bottom,
    drawn in the bias colour. ``show_values=True`` writes each weight's value in its box.
``style="simplified"`` (the article's fully connected section)
    Circles and lines: one circle per input and per sum (a sum stands for its activation and
    the hidden node it feeds), one column per layer in index order, the layer sizes under
    the columns. Bias nodes are left out unless ``show_bias=True`` (then greyed).
    ``show_values=True`` colours edges by the weight's sign and widens them with ``|w|``.

Wide layers are elided, in both styles: a layer with more than ``max_width`` inputs or
sums (default ``2 k + 1`` = 7) shows its first ``k`` and last ``k`` and a vertical-ellipsis
node with a "+N" count in between (explicit: in each of its columns, weights included;
simplified: per column of circles). Edges to the hidden nodes are implied by dashed
edges: between two ellipses, and between an ellipsis and a column drawn whole. So
784-128-10 stays a few dozen boxes in either style; pass a larger ``max_width`` to draw
a layer whole (the explicit 2-11-9-1 with ``max_width=11`` has 250 boxes, 9000 px tall as
PNG). A drawing that would still have more than ``max_nodes`` nodes is refused with a
:class:`~dagnet.DiagramError`.

Examples
--------
>>> import dagnet
>>> dot = dagnet.to_dot(dagnet.linear(1))
>>> dot.startswith("digraph dagnet {"), "<I>x</I><SUB>0</SUB>" in dot, "&#931;" in dot
(True, True, True)
>>> dot == dagnet.to_dot(dagnet.linear(1))
True
"""

from __future__ import annotations

import contextlib
import io
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.atomic import write_bytes, write_text
from ..core.graph import as_network
from ..errors import DiagramError, GraphvizMissingError
from .dot import NODE_STYLES, THEMES, document
from .layout import plan_diagram
from .options import DIAGRAM_STYLES, DiagramOptions

if TYPE_CHECKING:
    import graphviz

    from ..core.graph import Network

__all__ = ["to_dot", "diagram", "render_diagram", "has_dot", "repr_mimebundle", "THEMES",
           "NODE_STYLES", "DIAGRAM_STYLES", "DiagramOptions", "MISSING_DOT_HINT", "GraphvizWarning"]


class GraphvizWarning(UserWarning):
    """Graphviz's ``dot`` printed a warning while rendering a diagram (its text is included).

    A warning, not an error: the file is still written. Turn it into an error with
    ``warnings.simplefilter("error", dagnet.GraphvizWarning)``.
    """

#: What to do when Graphviz's ``dot`` is missing (part of :class:`GraphvizMissingError`).
MISSING_DOT_HINT = (
    "Graphviz's `dot` program is not installed (or not on PATH), so diagrams cannot be "
    "rendered. Install it with `make graphviz` in the dagnet checkout, or "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz`. dagnet.to_dot(net) still works without it "
    "and returns the DOT text."
)

_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot"}
_RASTER = ("png",)
_REPR_MAX_NODES = 120


def to_dot(net: Network, style: str = DiagramOptions.style, **options: Any) -> str:
    """The network's diagram as DOT text (byte-identical on every run; no ``dot`` needed).

    Parameters
    ----------
    net : Network
        The network to draw (only read).
    style : {"explicit", "simplified"}
        The article's box-by-box drawing, or circles and lines (see module docs).
    **options
        The fields of :class:`~dagnet.draw.options.DiagramOptions`, which holds their
        defaults and checks them:

        ``theme`` ("plain")
            Colours from the palette, :data:`THEMES`: ``"plain"`` (light, prints well) or
            ``"article"`` (the article's dark "Retro Rocks" look; ``"retro"`` is the same).
        ``show_values`` (False)
            Explicit: write weight values in the weight boxes. Simplified: colour edges by
            sign and widen them with ``|w|``. Unset weights are drawn without a value.
        ``show_bias`` (False)
            Simplified only: draw the bias nodes (greyed). The explicit style always
            draws them.
        ``k`` (3)
            A wide layer shows its first ``k`` and last ``k`` nodes around an ellipsis.
        ``max_width`` (None: ``2 k + 1``)
            Elide layers with more inputs or sums than this.
        ``labels`` (None)
            Explicit only: node id -> label replacing the default symbol, written like the
            symbols (``"x_1"`` gets a subscript), e.g. ``{"L1.w10": "m"}`` for
            ``y = m x + b``.
        ``out_labels`` (None)
            Explicit only: node id -> label of the edges out of that node (``""`` for none).
        ``layer_labels`` (True)
            Explicit only: label each layer's cluster "Layer I", "Layer II", ... when there
            are several layers.
        ``max_nodes`` (2000)
            Refuse to draw more nodes than this.

    Returns
    -------
    str
        The DOT text.

    Raises
    ------
    DiagramError
        For an unknown style, theme or option, a bad value, or a drawing of more than
        ``max_nodes`` nodes.

    Examples
    --------
    >>> import dagnet
    >>> dot = dagnet.to_dot(dagnet.mlp([78, 12, 10]), "simplified")
    >>> "+72" in dot and "+6" in dot, dot.count("->") < 100
    (True, True)
    """
    net = as_network(net)
    return document(plan_diagram(net, DiagramOptions.of(style, options)).lines())


def diagram(net: Network, style: str = DiagramOptions.style, **options: Any) -> graphviz.Digraph:
    """The diagram as a :class:`graphviz.Digraph` (same text as :func:`to_dot`).

    Render it with graphviz's own API (``.pipe(format="svg")``, ``.render(...)``) or with
    :func:`render_diagram`; Jupyter shows it inline.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    style : {"explicit", "simplified"}, default "explicit"
        The article's box-by-box drawing, or circles and lines.
    **options
        Drawing options as for :func:`to_dot` (``theme``, ``show_values``, ``k``,
        ``max_width``, ...; :class:`DiagramOptions`).

    Returns
    -------
    graphviz.Digraph
        Its ``.source`` is the DOT text of :func:`to_dot`.

    Raises
    ------
    DiagramError
        An unknown style, theme or option.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.linear(2)
    >>> g = net.diagram("explicit", theme="retro")  # the same as diagram(net, ...)
    >>> g.source == dagnet.to_dot(net, "explicit", theme="retro")
    True
    """
    net = as_network(net)
    import graphviz

    body = plan_diagram(net, DiagramOptions.of(style, options)).lines()
    return graphviz.Digraph(name="dagnet", body=body)


#: Hover behaviour added to every SVG diagram: the edges of the node under the pointer (and
#: the node) get the class ``dagnet-hl``. Edges are found by their ``<title>`` ("a->b", the
#: node ids); nodes keep their ids. Plain script and style: offline, nothing fetched.
HOVER_SVG = """<style>
g.node.dagnet-hl > * { stroke-width: 2.5; }
g.edge.dagnet-hl path, g.edge.dagnet-hl polygon { stroke: %(hl)s; stroke-width: 2.5; }
g.edge.dagnet-hl polygon { fill: %(hl)s; }
</style>
<script type="text/javascript"><![CDATA[
(function () {
  var edges = document.querySelectorAll("g.edge"), ends = {};
  for (var k = 0; k < edges.length; k++) {
    var t = edges[k].querySelector("title");
    if (!t) { continue; }
    var pair = t.textContent.split("->");
    for (var m = 0; m < pair.length; m++) {
      (ends[pair[m]] = ends[pair[m]] || []).push(edges[k]);
    }
  }
  var nodes = document.querySelectorAll("g.node");
  for (var n = 0; n < nodes.length; n++) {
    (function (g) {
      if (g.getAttribute("data-dagnet-hover")) { return; }
      g.setAttribute("data-dagnet-hover", "1");
      var mine = ends[g.id] || [];
      function mark(on) {
        g.classList.toggle("dagnet-hl", on);
        for (var i = 0; i < mine.length; i++) { mine[i].classList.toggle("dagnet-hl", on); }
      }
      g.addEventListener("mouseenter", function () { mark(true); });
      g.addEventListener("mouseleave", function () { mark(false); });
    })(nodes[n]);
  }
})();
]]></script>
"""


def interactive_svg(svg: bytes, theme: str = DiagramOptions.theme) -> bytes:
    """``svg`` (as ``dot`` writes it) with :data:`HOVER_SVG` before its closing tag.

    The node tooltips come from the DOT text (every node's ``tooltip``); this adds the hover
    highlight of a node's edges, in the theme's highlight colour.

    >>> interactive_svg(b"<svg><g/></svg>").count(b"<script")
    1
    """
    hl = THEMES[_theme_key(theme)]["series"][4]  # orange in the article theme
    extra = (HOVER_SVG % {"hl": hl}).encode("utf-8")
    head, sep, tail = svg.rpartition(b"</svg>")
    return head + extra + sep + tail if sep else svg


def _theme_key(theme: str) -> str:
    from ..core import palette

    return palette.theme_name(theme, error=DiagramError)


def has_dot() -> bool:
    """True when Graphviz's ``dot`` program is on PATH (needed to render, not for DOT text).

    Returns
    -------
    bool

    Examples
    --------
    >>> import shutil
    >>> has_dot() == (shutil.which("dot") is not None)
    True
    """
    return shutil.which("dot") is not None


def _pipe(graph: graphviz.Digraph, fmt: str) -> bytes:
    """Run ``dot`` on ``graph``; its stderr becomes a :class:`GraphvizWarning`."""
    import graphviz

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissingError(MISSING_DOT_HINT) from exc
    text = err.getvalue().strip()
    if text:
        warnings.warn(f"Graphviz dot: {text}", GraphvizWarning, stacklevel=3)
    return data


def render_diagram(net: Network, path: str | Path, style: str = DiagramOptions.style, *,
                   dpi: int = 150, **options: Any) -> Path:
    """Draw the network into ``path``; the format comes from the suffix.

    ``.svg``, ``.png`` and ``.pdf`` need Graphviz's ``dot`` (a missing program raises
    :class:`~dagnet.GraphvizMissingError` saying how to install it); ``.dot`` writes the
    DOT text and needs nothing. Files are written atomically. Anything ``dot`` prints
    becomes a :class:`~dagnet.GraphvizWarning`.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    path : str or pathlib.Path
        The file to write: ``.svg``, ``.png``, ``.pdf`` or ``.dot``.
    style : {"explicit", "simplified"}, default "explicit"
        The article's box-by-box drawing, or circles and lines.
    dpi : int, default 150
        The resolution of a PNG.
    **options
        Drawing options as for :func:`to_dot` (``theme``, ``max_width``, ...).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    DiagramError
        The suffix is not one of the formats, or an unknown style or option.
    GraphvizMissingError
        An image format and no ``dot`` program; the message says how to install it.

    Examples
    --------
    >>> import dagnet, tempfile, pathlib
    >>> p = dagnet.render_diagram(dagnet.linear(1), pathlib.Path(tempfile.mkdtemp()) / "a.dot")
    >>> p.read_text().startswith("digraph dagnet {")
    True
    """
    net = as_network(net)
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DiagramError(f"cannot tell the format of {str(path)!r} from its suffix; "
                           f"use one of {', '.join(sorted(_FORMATS))}")
    graph = diagram(net, style, **options)
    if fmt == "dot":
        write_text(path, graph.source)
        return path
    if fmt in _RASTER:
        graph.graph_attr["dpi"] = str(int(dpi))
    data = _pipe(graph, fmt)
    if fmt == "svg":
        data = interactive_svg(data, options.get("theme", DiagramOptions.theme))
    write_bytes(path, data)
    return path


def repr_mimebundle(net: Network, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """Jupyter's rich display of a network: its diagram as SVG when ``dot`` exists.

    Small networks (at most 120 graph nodes) are drawn in the explicit style, larger ones
    simplified. Never raises: without ``dot``, or for a network that cannot be drawn, the
    bundle has only ``text/plain``.
    """
    bundle = {"text/plain": repr(net)}
    if has_dot():
        try:
            style = ("explicit" if net.graph.number_of_nodes() <= _REPR_MAX_NODES
                     else "simplified")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GraphvizWarning)
                svg = interactive_svg(_pipe(diagram(net, style), "svg"))
                bundle["image/svg+xml"] = svg.decode("utf-8")
        except Exception:  # noqa: BLE001 - a display hook must never raise
            pass
    if include:
        bundle = {key: value for key, value in bundle.items() if key in include}
    if exclude:
        bundle = {key: value for key, value in bundle.items() if key not in exclude}
    return bundle
