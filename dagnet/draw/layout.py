"""Plans of the two diagram styles: which boxes to draw, in which column and order.

A :class:`Drawing` is plain data (node attributes, ordered columns, clusters, edges) that
:meth:`Drawing.lines` writes as DOT with the pure builders of :mod:`dagnet.draw.dot`. The
public entry points are in :mod:`dagnet.draw.render`; this module only reads the network.

Columns are computed, not taken from the ``layer`` attribute, so any DAG can be drawn:
a node sits one column right of its latest input, a weight just before its sum, and a
bias just before the first node it feeds. Skip connections become edges that jump
columns.

Examples
--------
>>> import dagnet
>>> plan = explicit_plan(dagnet.linear(1))
>>> [ids for _, _, ids in plan.columns]
[['L1.x1', 'L1.x0'], ['L1.w10', 'L1.w00'], ['L1.v0'], ['L1.v0.out']]
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..core.activations import get_activation
from ..core.graph import as_network
from ..core.structure import adjacency, node_name, roman
from ..errors import DiagramError
from .dot import (
    NODE_STYLES,
    Html,
    default_stmt,
    edge_stmt,
    node_stmt,
    rank_same,
    resolve,
    subgraph,
    symbol_html,
    theme_row,
)
from .options import DiagramOptions

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["Drawing", "plan_diagram", "explicit_plan", "simplified_plan", "activation_label",
           "ellipsis_label", "node_tooltip"]

_LETTER = {"input": "x", "bias": "x", "weight": "w", "sum": "v", "activation": "y",
           "output": "o"}


@dataclass
class Drawing:
    """A drawing as data: defaults, node attributes, ordered columns, clusters, edges."""

    defaults: dict[str, dict[str, Any]]
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (cluster, column, node ids top to bottom); every column lies in a cluster
    columns: list[tuple[str, int, list[str]]] = field(default_factory=list)
    clusters: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    #: ids of the vertical-ellipsis nodes that stand for elided nodes
    ellipses: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        """The DOT body lines: defaults, clusters with their columns, then edges.

        Every column sits in a cluster because dot orders a column's nodes differently
        inside and outside clusters (see :func:`dagnet.draw.dot.rank_same`).
        """
        out = [default_stmt(what, self.defaults[what]) for what in ("graph", "node", "edge")]
        grouped: dict[str, list[list[str]]] = defaultdict(list)
        for cluster, _, ids in sorted(self.columns, key=lambda c: c[1]):
            grouped[cluster].append(ids)
        for name, attrs in self.clusters.items():
            out += subgraph(name, attrs, self._column_lines(grouped[name]))
        position = {n: p for p, n in enumerate(n for _, _, ids in self.columns for n in ids)}
        edges = sorted(self.edges, key=lambda e: (position[e[0]], position[e[1]]))
        out += [edge_stmt(u, v, attrs) for u, v, attrs in edges]
        return out

    def _column_lines(self, columns: list[list[str]]) -> list[str]:
        lines: list[str] = []
        for ids in columns:
            lines += [node_stmt(n, self.nodes[n]) for n in ids]
            if len(ids) > 1:
                lines += rank_same(ids)
        return lines


def _defaults(style: str, theme: str) -> dict[str, dict[str, Any]]:
    return {what: resolve(NODE_STYLES[style][what], theme) for what in ("graph", "node", "edge")}



def _free_id(G: nx.DiGraph, wanted: str) -> str:
    while wanted in G:
        wanted += "_"
    return wanted


def activation_label(name: str) -> Html:
    """The activation box label: ``f`` over the activation's glyph.

    >>> activation_label("tanh")
    '<I>f</I><BR/><FONT POINT-SIZE="10">tanh</FONT>'
    """
    glyph = html.escape(get_activation(name).glyph, quote=False)
    return Html(f'<I>f</I><BR/><FONT POINT-SIZE="10">{glyph}</FONT>')


def ellipsis_label(hidden: int) -> Html:
    """A vertical ellipsis over the count of nodes it stands for.

    >>> ellipsis_label(778)
    '&#8942;<BR/><FONT POINT-SIZE="10">+778</FONT>'
    """
    return Html(f'&#8942;<BR/><FONT POINT-SIZE="10">+{hidden}</FONT>')


def _elide(members: list, k: int, max_width: int) -> list:
    """The members an ellipsis replaces: all but the first and last ``k`` of a wide group."""
    return members[k:len(members) - k] if len(members) > max_width else []


class _Implied:
    """Dashed edges that stand for the edges to and from elided nodes.

    One edge between two ellipses, or between an ellipsis and a shown node whose column
    is drawn whole; a shown node in an elided column gets none (the ellipsis-to-ellipsis
    edge already implies its connections), which keeps wide diagrams uncluttered.
    """

    def __init__(self, plan: Drawing, attrs: dict[str, Any]):
        self.plan, self.attrs, self.seen = plan, attrs, set()
        self.ellipses = plan.ellipses
        self.crowded = {n for _, _, ids in plan.columns if plan.ellipses.intersection(ids)
                        for n in ids}

    def add(self, a: str, b: str) -> None:
        if a == b or (a, b) in self.seen:
            return
        self.seen.add((a, b))
        ea, eb = a in self.ellipses, b in self.ellipses
        if (ea and eb) or (ea and b not in self.crowded) or (eb and a not in self.crowded):
            self.plan.edges.append((a, b, dict(self.attrs)))


def _refuse_if_large(count: int, options: DiagramOptions) -> None:
    if count > options.max_nodes:
        raise DiagramError(
            f"the {options.style} diagram would draw {count} nodes "
            f"(max_nodes={options.max_nodes}); pass a smaller max_width (now {options.width}) "
            f"or k (now {options.k}) so wide layers are elided, use style='simplified', "
            "or raise max_nodes"
        )


# -- explicit ---------------------------------------------------------------------------------
def _explicit_key(attrs: Mapping[str, Any], node: Any) -> tuple:
    """Top-to-bottom order in a column: by index (weights by j, then i), bias x_0 last."""
    if attrs["kind"] == "weight":
        return (attrs["layer"], 0, attrs["j"], attrs["i"] == 0, attrs["i"], str(node))
    return (attrs["layer"], int(attrs["kind"] == "bias"), attrs["index"], False, 0, str(node))


def explicit_columns(G: nx.DiGraph, order: tuple) -> dict[Any, int]:
    """Column of every node: one right of its latest input; weights just before their sum;
    a bias (and the weights it feeds) placed as late as its first consumer allows."""
    nodes, pred, succ = adjacency(G)
    floating: set = set()
    col: dict[Any, int] = {}
    for n in order:
        kind = nodes[n]["kind"]
        preds = [p for p in pred[n] if p not in floating]
        if kind == "bias" or (kind == "weight" and not preds):
            floating.add(n)
            continue
        col[n] = max((col[p] + 1 for p in preds), default=2 if kind == "sum" else 0)
    for n in order:
        if nodes[n]["kind"] == "weight":
            col[n] = col[next(iter(succ[n]))] - 1
    for n in floating:
        if nodes[n]["kind"] == "bias":
            col[n] = min(col[s] for s in succ[n]) - 1
    return col


def _explicit_hidden(G: nx.DiGraph, order: tuple, k: int, max_width: int) -> set:
    nodes, pred, succ = adjacency(G)
    groups: dict[tuple, list] = defaultdict(list)
    for n in order:
        kind = nodes[n]["kind"]
        if kind == "sum" or (kind == "input" and not pred[n]):
            groups[(nodes[n]["layer"], kind)].append(n)
    hidden: set = set()
    for members in groups.values():
        members.sort(key=lambda n: _explicit_key(nodes[n], n))
        hidden.update(_elide(members, k, max_width))
    for n in order:
        kind = nodes[n]["kind"]
        if n in hidden or kind in ("bias", "sum") or (kind == "input" and not pred[n]):
            continue
        if any(p in hidden for p in pred[n]) or (
                kind == "weight" and any(s in hidden for s in succ[n])):
            hidden.add(n)
    return hidden


#: A sum's tooltip lists at most this many terms (then "... + last", with the count).
_TIP_TERMS = 6


def _produced(nodes: Mapping[Any, Any], n: Any) -> str:
    """The name of the value node ``n`` produces: ``u_ij`` for a weight, else its symbol."""
    name = nodes[n].get("name") or node_name(nodes[n])
    return "u" + name[1:] if nodes[n]["kind"] == "weight" else name


def node_tooltip(G: nx.DiGraph, n: Any, layered: bool | None = None) -> str:
    """The equation (and value) of node ``n`` in plain text, from the graph's facts alone.

    What an SVG diagram shows when the pointer rests on a node: ``u_10 = x_1 w_10;
    w_10 = 0.37`` for a weight, ``v_0 = u_00 + u_10`` for a sum, ``y_0 = tanh(v_0)`` for an
    activation, ``x_0 = 1 (bias)``; the layer is named where the graph has several.

    Parameters
    ----------
    G : networkx.DiGraph
        A validated network's graph (``net.graph``).
    n : node id
    layered : bool, optional
        Name the node's layer (default: when the graph has several layers).

    Returns
    -------
    str

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.linear(1)
    >>> net.set_weights([0.5, 0.37])
    >>> node_tooltip(net.graph, "L1.w10"), node_tooltip(net.graph, "L1.v0")
    ('u_10 = x_1 w_10; w_10 = 0.37', 'v_0 = u_00 + u_10')
    """
    nodes, pred, _ = adjacency(G)
    attrs = nodes[n]
    kind, me = attrs["kind"], _produced(nodes, n)
    args = [_produced(nodes, p) for p in pred[n]]
    if kind == "sum":  # the same text whatever order the edges were added in
        args.sort(key=lambda a: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", a)])
    if kind == "bias":
        text = f"{me} = 1: bias"
    elif kind == "weight":
        w = attrs.get("name") or node_name(attrs)
        value = attrs.get("value")
        text = f"{me} = {args[0]} {w}; " + (f"{w} = {value:.4g}" if value is not None
                                           else f"{w} not set")
    elif kind == "sum":
        terms = args if len(args) <= _TIP_TERMS else (
            args[:_TIP_TERMS - 1] + ["...", args[-1]] + [])
        text = f"{me} = " + " + ".join(terms) + (f" ({len(args)} terms)"
                                                  if len(args) > _TIP_TERMS else "")
    elif kind == "activation":
        name = attrs["activation"]
        text = f"{me} = {args[0]}" if name == "identity" else f"{me} = {name}({args[0]})"
    elif args:
        text = f"{me} = {args[0]}"
    else:
        text = f"{me}: input"
    if layered is None:
        layered = len({a.get("layer") for a in nodes.values()}) > 1
    return text + (f" (layer {roman(attrs['layer'])})" if layered else "")


def _layered(G: nx.DiGraph) -> bool:
    return len({a.get("layer") for _, a in G.nodes(data=True)}) > 1


def _unit_tooltip(G: nx.DiGraph, u: Any, layered: bool) -> str:
    """A simplified diagram's circle: its sum's equation and the activation after it."""
    text = node_tooltip(G, u, layered=False)
    after = [a for a in G.successors(u) if G.nodes[a]["kind"] == "activation"]
    if G.nodes[u]["kind"] == "sum" and len(after) == 1:
        text += "; " + node_tooltip(G, after[0], layered=False)
    return text + (f" (layer {roman(G.nodes[u]['layer'])})" if layered else "")


def _explicit_label(net: Network, n: Any, attrs: Mapping[str, Any], show_values: bool,
                    labels: Mapping[str, str]) -> Html:
    if n in labels:
        label = symbol_html(labels[n])
    elif attrs["kind"] == "sum":
        label = "&#931;"
    elif attrs["kind"] == "activation":
        return activation_label(attrs["activation"])
    else:
        label = symbol_html(attrs.get("name") or node_name(attrs))
    value = attrs.get("value") if attrs["kind"] == "weight" else None
    if show_values and value is not None:
        label += f'<BR/><FONT POINT-SIZE="9">{value:.2f}</FONT>'
    return Html(label)


def _out_label(n: Any, attrs: Mapping[str, Any], out_labels: Mapping[str, str]) -> str | None:
    if n in out_labels:
        return out_labels[n] or None
    kind = attrs["kind"]
    if kind not in ("weight", "sum", "activation"):
        return None
    name = attrs.get("name") or node_name(attrs)
    return "u" + name[1:] if kind == "weight" else name


def _explicit_ellipses(G: nx.DiGraph, hidden: set) -> tuple[dict, dict, dict]:
    """One ellipsis per layer and letter of hidden nodes.

    Returns hidden node -> its ellipsis, ellipsis -> how many it stands for, and
    ellipsis -> the member whose place it takes (the median, in column order).
    """
    nodes, _, _ = adjacency(G)
    groups: dict[tuple, list] = defaultdict(list)
    for n in hidden:
        groups[(nodes[n]["layer"], _LETTER[nodes[n]["kind"]])].append(n)
    rep: dict[Any, str] = {}
    counts: dict[str, int] = {}
    first: dict[str, Any] = {}
    for (layer, letter), members in sorted(groups.items()):
        e = _free_id(G, f"L{layer}.{letter}.more")
        rep.update(dict.fromkeys(members, e))
        counts[e] = len(members)
        members.sort(key=lambda n: _explicit_key(nodes[n], n))
        first[e] = members[len(members) // 2]
    return rep, counts, first


def _explicit_clusters(plan: Drawing, layers: Any, options: DiagramOptions) -> None:
    """One tinted box per layer, titled "Layer I", "Layer II", ... when there are several."""
    several = len(layers) > 1
    for layer in layers:
        attrs = resolve(NODE_STYLES["explicit"]["cluster"], options.theme)
        if several and options.layer_labels:
            attrs["label"] = f"Layer {roman(layer)}"
        plan.clusters[f"cluster_L{layer}"] = attrs


def _labelled_edge(u: Any, v: Any, attrs: Mapping[str, Any],
                   out_labels: Mapping[str, str]) -> tuple[Any, Any, dict[str, Any]]:
    label = _out_label(u, attrs, out_labels)
    return (u, v, {"label": Html(symbol_html(label))} if label else {})


def _explicit_terminal(plan: Drawing, G: nx.DiGraph, n: Any, c: int, placed: dict, key: tuple,
                       options: DiagramOptions) -> None:
    """A point in column ``c`` for the edge out of output ``n`` to end on."""
    end = _free_id(G, f"{n}.out")
    plan.nodes[end] = {**resolve(NODE_STYLES["explicit"]["terminal"], options.theme), "id": end}
    plan.clusters.setdefault(f"cluster_end{c}", {"style": "invis"})
    placed[(f"cluster_end{c}", c)].append((key, end))
    plan.edges.append(_labelled_edge(n, end, adjacency(G)[0][n], options.out_labels or {}))


def explicit_plan(net: Network, options: DiagramOptions | None = None) -> Drawing:
    """Drawing the explicit diagram (see :func:`dagnet.to_dot` for the options)."""
    net = as_network(net)
    options = options or DiagramOptions(style="explicit")
    theme, labels = options.theme, options.labels or {}
    structure = net.validate()
    G, order, style = net.graph, structure.order, NODE_STYLES["explicit"]
    nodes, _, _ = adjacency(G)
    hidden = _explicit_hidden(G, order, options.k, options.width)
    col = explicit_columns(G, order)
    sinks = [n for n in structure.outputs if nodes[n]["kind"] != "output" and n not in hidden]
    rep, counts, first = _explicit_ellipses(G, hidden)
    _refuse_if_large(G.number_of_nodes() - len(hidden) + len(counts) + len(sinks), options)

    plan = Drawing(_defaults("explicit", theme))
    layered = _layered(G)
    _explicit_clusters(plan, structure.layers, options)
    placed: dict[tuple, list[tuple[tuple, str]]] = defaultdict(list)
    for n in order:
        if n in hidden:
            continue
        attrs = nodes[n]
        plan.nodes[n] = {**resolve(style[attrs["kind"]], theme), "id": str(n),
                         "label": _explicit_label(net, n, attrs, options.show_values, labels),
                         "tooltip": node_tooltip(G, n, layered)}
        placed[(f"cluster_L{attrs['layer']}", col[n])].append((_explicit_key(attrs, n), n))
    for e, n in first.items():
        plan.nodes[e] = {**resolve(style["ellipsis"], theme), "id": e,
                         "label": ellipsis_label(counts[e])}
        plan.ellipses.add(e)
        placed[(f"cluster_L{nodes[n]['layer']}", col[n])].append((_explicit_key(nodes[n], n), e))
    for n in sinks:
        _explicit_terminal(plan, G, n, col[n] + 1, placed, (structure.outputs.index(n),),
                           options)
    for (cluster, c), items in sorted(placed.items(), key=lambda kv: (kv[0][1], str(kv[0][0]))):
        plan.columns.append((cluster, c, [n for _, n in sorted(items)]))

    _explicit_edges(plan, G, order, hidden, rep, options)
    return plan


def _explicit_edges(plan: Drawing, G: nx.DiGraph, order: tuple, hidden: set,
                    rep: Mapping[Any, str], options: DiagramOptions) -> None:
    """The network's edges, labelled; a hidden node's become dashed implied edges."""
    nodes, _, succ = adjacency(G)
    out_labels = options.out_labels or {}
    implied = _Implied(plan, resolve(NODE_STYLES["explicit"]["implied"], options.theme))
    for u, v in ((a, b) for a in order for b in succ[a]):
        if u in hidden or v in hidden:
            implied.add(rep.get(u, u), rep.get(v, v))
        else:
            plan.edges.append(_labelled_edge(u, v, nodes[u], out_labels))


def _pad_columns(plan: Drawing, sep: float) -> None:
    """Centre short columns with invisible spacers, so the size labels under them line up."""
    def height(ids: list[str]) -> float:
        return sum(float(plan.nodes[n].get("height", plan.nodes[n].get("width", 0.5)))
                   for n in ids) + sep * (len(ids) - 1)

    tallest = max(height(ids[:-1]) for _, _, ids in plan.columns)
    for _, _, ids in plan.columns:
        gap = (tallest - height(ids[:-1])) / 2 - sep
        if gap > 0.02:
            top, bottom = f"{ids[-1]}.top", f"{ids[-1]}.bottom"
            for spacer in (top, bottom):
                plan.nodes[spacer] = {"style": "invis", "shape": "box", "fixedsize": "true",
                                      "width": "0.1", "height": f"{gap:.3f}"}
            ids[:] = [top, *ids[:-1], bottom, ids[-1]]


# -- simplified -------------------------------------------------------------------------------
def _units(G: nx.DiGraph, order: tuple) -> dict[Any, Any]:
    """Map every non-weight node to the circle that stands for it in the simplified style."""
    nodes, pred, _ = adjacency(G)
    unit: dict[Any, Any] = {}
    for n in order:
        kind = nodes[n]["kind"]
        if kind in ("sum", "bias") or (kind == "input" and not pred[n]):
            unit[n] = n
        elif kind != "weight":
            unit[n] = unit[next(iter(pred[n]))]
    return unit


def _unit_edges(G: nx.DiGraph, order: tuple, unit: Mapping[Any, Any]) -> dict[tuple, list]:
    """(circle, sum) -> the weight nodes that join them (None for an edge without a weight)."""
    nodes, pred, succ = adjacency(G)
    weights: dict[tuple, list] = defaultdict(list)
    for n in order:
        kind = nodes[n]["kind"]
        if kind == "weight":
            (src,), (dst,) = pred[n], succ[n]
            weights[(unit[src], dst)].append(n)
        elif kind == "sum":
            for p in pred[n]:
                if nodes[p]["kind"] != "weight":
                    weights[(unit[p], n)].append(None)
    return weights


@dataclass
class _Circles:
    """The simplified style's graph: one circle per input, bias and sum, and their edges."""

    nodes: dict[Any, dict[str, Any]]
    #: the circles in topological order
    units: list
    is_bias: dict[Any, bool]
    #: (circle, sum) -> the weight nodes between them (None for an edge without a weight)
    weights: dict[tuple, list]
    #: circle -> column: one right of its latest input; a bias just left of its first sum
    col: dict[Any, int]
    #: the circles that stand for the network's outputs
    outputs: set

    def column(self, c: int) -> list:
        """The circles (biases aside) of column ``c``, top to bottom."""
        return sorted((u for u in self.units if not self.is_bias[u] and self.col[u] == c),
                      key=lambda u: (self.nodes[u]["layer"], self.nodes[u]["index"], str(u)))

    def skips(self, show_bias: bool) -> bool:
        """Whether a drawn edge jumps a column."""
        return any(self.col[b] - self.col[a] > 1 for a, b in self.weights
                   if show_bias or not self.is_bias[a])


def _circles(net: Network) -> _Circles:
    structure = net.validate()
    G, order = net.graph, structure.order
    nodes, _, _ = adjacency(G)
    unit = _units(G, order)
    weights = _unit_edges(G, order, unit)
    units = [n for n in order if unit.get(n) == n]
    is_bias = {u: nodes[u]["kind"] == "bias" for u in units}
    preds: dict[Any, list] = defaultdict(list)
    succs: dict[Any, list] = defaultdict(list)
    for a, b in weights:
        preds[b].append(a)
        succs[a].append(b)
    col: dict[Any, int] = {}
    for u in units:
        if not is_bias[u]:
            col[u] = max((col[a] + 1 for a in preds[u] if not is_bias[a]),
                         default=1 if nodes[u]["kind"] == "sum" else 0)
    for u in units:
        if is_bias[u]:
            col[u] = min(col[b] for b in succs[u]) - 1
    return _Circles(nodes=nodes, units=units, is_bias=is_bias, weights=weights, col=col,
                    outputs={unit[o] for o in structure.outputs})


def _size_label(circles: _Circles, members: list) -> Html:
    """The label under a column: its size and role ("3 inputs", "9 hidden", "1 output")."""
    nodes = circles.nodes
    role = ("input" if all(nodes[u]["kind"] == "input" for u in members) else
            "output" if all(u in circles.outputs for u in members) else "hidden")
    plural = "s" if role != "hidden" and len(members) != 1 else ""
    return Html(f"{len(members)}<BR/>{role}{plural}")


def _simplified_column(plan: Drawing, G: nx.DiGraph, circles: _Circles, c: int,
                       options: DiagramOptions) -> dict[Any, str]:
    """Draw column ``c`` (wide ones elided, biases if asked, its size label under it).

    Returns elided circle -> the ellipsis that stands for it.
    """
    style, theme, nodes = NODE_STYLES["simplified"], options.theme, circles.nodes
    members = circles.column(c)
    elided = _elide(members, options.k, options.width)
    ids = [u for u in members if u not in set(elided)]
    layered = _layered(G)
    for u in ids:
        plan.nodes[u] = {**resolve(style[nodes[u]["kind"]], theme), "id": str(u),
                         "tooltip": _unit_tooltip(G, u, layered)}
    rep: dict[Any, str] = {}
    if elided:
        e = _free_id(G, f"C{c}.more")
        rep = dict.fromkeys(elided, e)
        ids.insert(options.k, e)
        plan.nodes[e] = {**resolve(style["ellipsis"], theme), "id": e,
                         "label": ellipsis_label(len(elided))}
        plan.ellipses.add(e)
    if options.show_bias:
        for u in circles.units:
            if circles.is_bias[u] and circles.col[u] == c:
                plan.nodes[u] = {**resolve(style["bias"], theme), "id": str(u), "label": "1",
                                 "tooltip": _unit_tooltip(G, u, layered)}
                ids.append(u)
    size = _free_id(G, f"C{c}.size")
    plan.nodes[size] = {**resolve(style["size"], theme), "id": size,
                        "label": _size_label(circles, members)}
    plan.clusters[f"cluster_C{c}"] = {"style": "invis"}
    plan.columns.append((f"cluster_C{c}", c, ids + [size]))
    return rep


def _weight_edge_attrs(values: list, bias: bool, row: Mapping[str, Any],
                       show_values: bool) -> dict[str, Any]:
    """A drawn edge: greyed from a bias; with ``show_values``, one weight's sign and size."""
    if show_values and len(values) == 1 and values[0] is not None:
        v = values[0]
        return {"color": row["positive" if v >= 0 else "negative"],
                "penwidth": f"{0.4 + 2.4 * min(abs(v), 1.0):.2f}"}
    return {"color": row["muted"]} if bias else {}


def _simplified_edges(plan: Drawing, circles: _Circles, rep: Mapping[Any, str],
                      options: DiagramOptions) -> None:
    """The edges between circles; an elided circle's become dashed implied edges."""
    row = theme_row(options.theme)
    implied = _Implied(plan, resolve(NODE_STYLES["simplified"]["implied"], row))
    for (a, b), ws in circles.weights.items():
        if circles.is_bias[a] and not options.show_bias:
            continue
        if a in rep or b in rep:
            implied.add(rep.get(a, a), rep.get(b, b))
            continue
        values = [circles.nodes[w].get("value") for w in ws if w is not None]
        plan.edges.append((a, b, _weight_edge_attrs(values, circles.is_bias[a], row,
                                                    options.show_values)))


def simplified_plan(net: Network, options: DiagramOptions | None = None) -> Drawing:
    """Drawing the simplified diagram (see :func:`dagnet.to_dot` for the options).

    One column of circles per layer (:class:`_Circles`), each column drawn by
    :func:`_simplified_column`, short columns centred, then the edges.
    """
    net = as_network(net)
    options = options or DiagramOptions(style="simplified")
    circles = _circles(net)
    plan = Drawing(_defaults("simplified", options.theme))
    rep: dict[Any, str] = {}
    for c in sorted({circles.col[u] for u in circles.units if not circles.is_bias[u]}):
        rep.update(_simplified_column(plan, net.graph, circles, c, options))
    _pad_columns(plan, float(NODE_STYLES["simplified"]["graph"]["nodesep"]))
    sizes = [ids[-1] for _, _, ids in plan.columns]
    plan.edges += [(a, b, {"style": "invis", "weight": "100"}) for a, b in zip(sizes, sizes[1:])]
    _refuse_if_large(len(plan.nodes), options)
    _simplified_edges(plan, circles, rep, options)
    if circles.skips(options.show_bias):
        plan.defaults["graph"]["splines"] = "true"  # curves route skip edges around circles
    return plan


def plan_diagram(net: Network, options: DiagramOptions) -> Drawing:
    """Drawing ``net``'s diagram in ``options.style``.

    Parameters
    ----------
    net : Network
        The network to draw (only read).
    options : DiagramOptions
        The style and every other option.

    Returns
    -------
    Drawing

    Raises
    ------
    DiagramError
        When the drawing would have more than ``options.max_nodes`` nodes.

    Examples
    --------
    >>> import dagnet
    >>> p = plan_diagram(dagnet.mlp([2, 3, 1]), DiagramOptions(style="simplified"))
    >>> [p.nodes[ids[-1]]["label"] for _, _, ids in p.columns]
    ['2<BR/>inputs', '3<BR/>hidden', '1<BR/>output']
    """
    net = as_network(net)
    planner = explicit_plan if options.style == "explicit" else simplified_plan
    return planner(net, options)
