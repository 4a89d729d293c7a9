"""Pure DOT text builders and the per-kind style table of diagrams.

Everything here is a small pure function of plain data: no graph, no
Graphviz program. :mod:`dagnet.draw.render` plans a drawing and calls these
functions to write it. Attributes are always written sorted and quoted, so
equal inputs give byte-identical DOT text.

:data:`NODE_STYLES` is data: diagram style -> element -> DOT attributes, where an element is
a node kind (``input``, ``bias``, ``weight``, ``sum``, ``activation``, ``output``) or a
drawing element (``graph``, ``node``, ``edge``, ``implied``, ``cluster``, ``ellipsis``,
``terminal``, ``size``). A value ``"{ink}"`` is filled in from the theme's row of the
palette, :data:`dagnet.core.palette.THEMES` (re-exported here as :data:`THEMES`): every
colour of a diagram comes from there.

Examples
--------
>>> print(node_stmt("L1.x1", {"shape": "circle", "label": Html(symbol_html("x_1"))}), end="")
\t"L1.x1" [label=<<I>x</I><SUB>1</SUB>> shape="circle"]
>>> fill = resolve(NODE_STYLES["explicit"]["sum"], "plain")["fillcolor"]
>>> fill == THEMES["plain"]["node_fill"]
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core import palette
from ..core.palette import THEMES
from ..errors import DiagramError

__all__ = [
    "THEMES", "NODE_STYLES", "FONT", "Html", "symbol_html", "resolve", "quote", "attr_list",
    "node_stmt", "edge_stmt", "default_stmt", "rank_same", "subgraph", "document",
]

#: The font of every diagram label.
FONT = "DejaVu Sans"

_NODE = {"style": "filled", "fillcolor": "{node_fill}", "color": "{ink}",
         "fontcolor": "{text}", "penwidth": "1.2"}

#: DOT attributes per diagram style and element (node kinds plus drawing elements).
NODE_STYLES: dict[str, dict[str, dict[str, str]]] = {
    "explicit": {
        "graph": {"bgcolor": "{background}", "fontname": FONT, "fontcolor": "{layer_text}",
                  "rankdir": "LR", "newrank": "true", "remincross": "false", "nodesep": "0.12",
                  "ranksep": "0.35", "pad": "0.2"},
        "node": {"fontname": FONT, "fontsize": "14"},
        "edge": {"fontname": FONT, "fontsize": "11", "color": "{ink}",
                 "fontcolor": "{text}", "arrowsize": "0.6", "penwidth": "1.1"},
        "implied": {"style": "dashed", "color": "{muted}", "arrowhead": "none"},
        "cluster": {"style": "filled,rounded", "fillcolor": "{layer_fill}",
                    "color": "{accent}", "fontcolor": "{layer_text}", "fontsize": "15",
                    "labeljust": "c", "labelloc": "t", "margin": "10"},
        "input": {**_NODE, "shape": "circle", "width": "0.5", "fixedsize": "true"},
        "bias": {**_NODE, "shape": "circle", "width": "0.5", "fixedsize": "true",
                 "fillcolor": "{bias_fill}", "color": "{bias_line}", "fontcolor": "{bias_text}",
                 "style": "filled,bold", "penwidth": "2"},
        "weight": {**_NODE, "shape": "box", "width": "0.45", "height": "0.3", "margin": "0.04",
                   "fontsize": "12"},
        "sum": {**_NODE, "shape": "square", "width": "0.55", "fixedsize": "true",
                "fontsize": "22"},
        "activation": {**_NODE, "shape": "box", "style": "filled,rounded", "width": "0.55",
                       "height": "0.55", "margin": "0.04"},
        "output": {**_NODE, "shape": "doublecircle", "width": "0.4", "fixedsize": "true",
                   "fontsize": "12"},
        "ellipsis": {"shape": "plaintext", "fontcolor": "{muted}", "fontsize": "12",
                     "margin": "0"},
        "terminal": {"shape": "point", "width": "0.06", "color": "{ink}"},
    },
    "simplified": {
        "graph": {"bgcolor": "{background}", "fontname": FONT, "fontcolor": "{text}",
                  "rankdir": "LR", "newrank": "true", "remincross": "false", "nodesep": "0.18",
                  "ranksep": "1.1", "splines": "line", "pad": "0.2"},
        "node": {"fontname": FONT, "fontsize": "12", "label": ""},
        "edge": {"color": "{ink}", "arrowhead": "none", "penwidth": "0.9"},
        "implied": {"style": "dashed", "color": "{muted}", "arrowhead": "none"},
        "input": {**_NODE, "shape": "circle", "width": "0.32", "fixedsize": "true"},
        "bias": {**_NODE, "shape": "circle", "width": "0.32", "fixedsize": "true",
                 "style": "filled,dashed", "color": "{muted}", "fontcolor": "{muted}",
                 "fontsize": "10"},
        "sum": {**_NODE, "shape": "circle", "width": "0.32", "fixedsize": "true"},
        "ellipsis": {"shape": "plaintext", "fontcolor": "{muted}", "fontsize": "12",
                     "margin": "0", "fixedsize": "true", "width": "0.7", "height": "0.45"},
        "size": {"shape": "plaintext", "fontcolor": "{text}", "fontsize": "12",
                 "height": "0.45"},
    },
}


class Html(str):
    """A Graphviz HTML-like label: written as ``<...>`` instead of a quoted string."""

    __slots__ = ()


_SYMBOL = re.compile(r"^([^_^]*)(?:_([^^]*))?(?:\^(.*))?$", re.S)


def _italic(base: str) -> str:
    text = html.escape(base, quote=False)
    return f"<I>{text}</I>" if base.isalpha() else text


def symbol_html(symbol: str) -> str:
    """HTML-like label text for a symbol written as ``base_sub^sup``.

    >>> symbol_html("x_1"), symbol_html("w_12,3^II"), symbol_html("1")
    ('<I>x</I><SUB>1</SUB>', '<I>w</I><SUB>12,3</SUB><SUP>II</SUP>', '1')
    """
    base, sub, sup = _SYMBOL.match(symbol).groups()
    out = _italic(base)
    if sub:
        out += f"<SUB>{html.escape(sub, quote=False)}</SUB>"
    if sup:
        out += f"<SUP>{html.escape(sup, quote=False)}</SUP>"
    return out


def resolve(attrs: Mapping[str, str], theme: str | Mapping[str, str]) -> dict[str, str]:
    """Fill ``"{key}"`` placeholders in a style row from a theme (name or palette row).

    >>> resolve({"color": "{ink}", "shape": "box"}, "retro") == {
    ...     "color": THEMES["article"]["ink"], "shape": "box"}
    True
    """
    row = theme_row(theme) if isinstance(theme, str) else theme
    return {key: value.format_map(row) if isinstance(value, str) and not isinstance(value, Html)
            else value for key, value in attrs.items()}


def theme_row(name: str) -> dict[str, Any]:
    """The palette row of theme ``name`` (``"retro"`` is ``"article"``).

    Raises :class:`~dagnet.DiagramError` for an unknown name.
    """
    return palette.theme(name, error=DiagramError)


def quote(text: str) -> str:
    """A DOT double-quoted string.

    >>> print(quote('say "hi"'))
    "say \\"hi\\""
    """
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(value: object) -> str:
    return f"<{value}>" if isinstance(value, Html) else quote(str(value))


def attr_list(attrs: Mapping[str, object]) -> str:
    """``[a="1" b=<...>]`` with keys sorted, or an empty string for no attributes.

    >>> attr_list({"shape": "box", "color": "red"})
    '[color="red" shape="box"]'
    """
    if not attrs:
        return ""
    return "[" + " ".join(f"{key}={_value(attrs[key])}" for key in sorted(attrs)) + "]"


def _stmt(head: str, attrs: Mapping[str, object], depth: int) -> str:
    tail = attr_list(attrs)
    return "\t" * depth + (f"{head} {tail}" if tail else head) + "\n"


def node_stmt(node: str, attrs: Mapping[str, object], depth: int = 1) -> str:
    """One node statement line."""
    return _stmt(quote(node), attrs, depth)


def edge_stmt(u: str, v: str, attrs: Mapping[str, object], depth: int = 1) -> str:
    """One edge statement line ``"u" -> "v" [...]``."""
    return _stmt(f"{quote(u)} -> {quote(v)}", attrs, depth)


def default_stmt(what: str, attrs: Mapping[str, object], depth: int = 1) -> str:
    """A ``graph``, ``node`` or ``edge`` default-attribute line."""
    return _stmt(what, attrs, depth)


def rank_same(nodes: Iterable[str], depth: int = 1) -> list[str]:
    """Lines that put ``nodes`` in one rank (a column of a left-to-right drawing), in order.

    Invisible edges between neighbours keep the given order top to bottom. Use it inside
    a cluster: there, in a ``rankdir=LR`` drawing, dot stacks a flat edge's head above its
    tail, so the edges run from each node to the one listed before it. (Outside clusters
    dot 2.43 stacks them the other way round; dagnet puts every column in a cluster.)

    >>> print("".join(rank_same(["a", "b"], depth=0)), end="")
    {rank=same; "a"; "b";}
    "b" -> "a" [style="invis"]
    """
    nodes = list(nodes)
    lines = ["\t" * depth + "{rank=same; " + " ".join(quote(n) + ";" for n in nodes) + "}\n"]
    lines += [edge_stmt(b, a, {"style": "invis"}, depth) for a, b in zip(nodes, nodes[1:])]
    return lines


def subgraph(name: str, attrs: Mapping[str, object], body: Iterable[str],
             depth: int = 1) -> list[str]:
    """A ``subgraph name { ... }`` block (a cluster when the name starts with ``cluster``)."""
    pad = "\t" * depth
    lines = [f"{pad}subgraph {quote(name)} {{\n"]
    if attrs:
        lines.append(default_stmt("graph", attrs, depth + 1))
    lines += ["\t" + line for line in body]
    lines.append(f"{pad}}}\n")
    return lines


def document(body: Iterable[str], name: str = "dagnet") -> str:
    """The whole DOT text: ``digraph name { body }`` (the layout graphviz.Digraph writes)."""
    return f"digraph {name} {{\n" + "".join(body) + "}\n"
