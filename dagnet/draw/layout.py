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
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import filterfalse, repeat
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


def _one(items: Any) -> Any:
    return next(iter(items))


def _spine(G: nx.DiGraph, structure: Any) -> tuple[list, dict]:
    """The nodes other than weights in topological order, and weight -> the node it reads.

    Both at C speed: each node hands its own id to the weights it feeds.
    """
    succ = adjacency(G)[2]
    spine = list(filterfalse(set(structure.weights).__contains__, structure.order))
    wsrc: dict[Any, Any] = {}
    for n in spine:
        wsrc.update(dict.fromkeys(succ[n], n))
    for n in spine:  # what fed an activation, a pass-through, an output or a sum directly
        wsrc.pop(n, None)
    return spine, wsrc


def _direct_edges(G: nx.DiGraph, spine: list, n_weights: int) -> bool:
    """Whether some sum reads a node other than a weight: each weight feeds exactly one sum,
    so the sums' in-edges outnumber the weights exactly then."""
    nodes, pred, _ = adjacency(G)
    return sum(len(pred[n]) for n in spine if nodes[n]["kind"] == "sum") != n_weights


def explicit_columns(G: nx.DiGraph, spine: list, wsrc: Mapping[Any, Any]) -> dict[Any, int]:
    """Column of every node but the weights: one right of its latest input (through its
    weight, two: a weight sits just before its sum), a bias (and the weights it feeds)
    placed as late as its first consumer allows. A weight's column is its sum's minus one.

    ``spine`` is the non-weight nodes in topological order, ``wsrc`` weight -> its input
    (both from :func:`_spine`). A sum reads its weights' inputs at C speed.
    """
    nodes, pred, succ = adjacency(G)
    direct = _direct_edges(G, spine, len(wsrc))
    col: dict[Any, int] = {}
    reach: dict[Any, int] = {}  # node (not a bias) -> its column + 2, where a sum it feeds
    for n in spine:             # through a weight is at the earliest
        kind = nodes[n]["kind"]
        if kind == "bias":
            continue
        ps = pred[n]
        if kind != "sum":
            c = reach.get(next(iter(ps)), 1) - 1 if ps else 0
        elif direct:
            c = max(((reach[wsrc[p]] if p in wsrc else reach[p] - 1) for p in ps
                     if wsrc.get(p, p) in reach), default=-1)
        else:
            c = max(map(reach.get, map(wsrc.__getitem__, ps), repeat(-1)))
        col[n] = c if c >= 0 or kind != "sum" else 2
        reach[n] = col[n] + 2
    for n in spine:
        if nodes[n]["kind"] == "bias":
            col[n] = min(col[_one(succ[s])] - 1 if s in wsrc else col[s] for s in succ[n]) - 1
    return col


def _weight_layers(nodes: Mapping[Any, Any], weights: tuple) -> dict[int, tuple[int, int]]:
    """layer -> the slice of ``weights`` (ordered by layer, then ``j``, then ``i``) in it."""
    out: dict[int, tuple[int, int]] = {}
    lo = 0
    while lo < len(weights):
        layer = nodes[weights[lo]]["layer"]
        hi = bisect_right(weights, layer, lo, key=lambda w: nodes[w]["layer"])
        out[layer] = (lo, hi)
        lo = hi
    return out


@dataclass
class _Hidden:
    """What a wide explicit diagram leaves out: nodes of elided groups and all they feed."""

    #: hidden nodes other than weights
    nodes: set
    #: layer -> its hidden weights, in the structure's weight order
    weights: dict[int, list]
    #: the weights drawn (both ends drawn)
    shown: list

    def __len__(self) -> int:
        return len(self.nodes) + sum(map(len, self.weights.values()))


def _explicit_hidden(G: nx.DiGraph, structure: Any, spine: list, wsrc: Mapping[Any, Any],
                     k: int, max_width: int) -> _Hidden:
    """Wide groups of sums and of inputs (per layer) lose their middle; then every node fed
    by a hidden one, and every weight into a hidden sum. Weights are read per layer in the
    structure's order, not one by one."""
    nodes, pred, _ = adjacency(G)
    groups: dict[tuple, list] = defaultdict(list)
    for n in spine:
        kind = nodes[n]["kind"]
        if kind == "sum" or (kind == "input" and not pred[n]):
            groups[(nodes[n]["layer"], kind)].append(n)
    hidden: set = set()
    for members in groups.values():
        members.sort(key=lambda n: _explicit_key(nodes[n], n))
        hidden.update(_elide(members, k, max_width))
    for n in spine:
        kind = nodes[n]["kind"]
        if n in hidden or kind in ("bias", "sum") or (kind == "input" and not pred[n]):
            continue
        if not hidden.isdisjoint(pred[n]):
            hidden.add(n)
    shown = [w for v in spine if nodes[v]["kind"] == "sum" and v not in hidden
             for w in pred[v] if w in wsrc and wsrc[w] not in hidden]
    per_layer = Counter(nodes[w]["layer"] for w in shown)
    weights, drawn = structure.weights, set(shown)
    out: dict[int, list] = {}
    for layer, (lo, hi) in _weight_layers(nodes, weights).items():
        if hi - lo > per_layer[layer]:
            out[layer] = list(filterfalse(drawn.__contains__, weights[lo:hi]))
    return _Hidden(nodes=hidden, weights=out, shown=shown)


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


def _median_weight(nodes: Mapping[Any, Any], ws: list) -> Any:
    """The middle of one layer's weights ``ws`` (in the structure's order: ``j``, then ``i``)
    in column order (``j``, then ``i`` with the bias's ``i = 0`` last): only the run of the
    middle weight's ``j`` is sorted, because both orders sort by ``j`` first."""
    p = len(ws) // 2
    j = nodes[ws[p]]["j"]
    a, b = p, p + 1
    while a and nodes[ws[a - 1]]["j"] == j:
        a -= 1
    while b < len(ws) and nodes[ws[b]]["j"] == j:
        b += 1
    return sorted(ws[a:b], key=lambda n: (nodes[n]["i"] == 0, nodes[n]["i"], str(n)))[p - a]


def _explicit_ellipses(G: nx.DiGraph, hidden: _Hidden) -> tuple[dict, dict, dict]:
    """One ellipsis per layer and letter of hidden nodes.

    Returns hidden node -> its ellipsis, ellipsis -> how many it stands for, and
    ellipsis -> the member whose place it takes (the median, in column order).
    """
    nodes, _, _ = adjacency(G)
    groups: dict[tuple, list] = defaultdict(list)
    for n in hidden.nodes:
        groups[(nodes[n]["layer"], _LETTER[nodes[n]["kind"]])].append(n)
    for layer, ws in hidden.weights.items():
        groups[(layer, "w")] = ws
    rep: dict[Any, str] = {}
    counts: dict[str, int] = {}
    first: dict[str, Any] = {}
    for (layer, letter), members in sorted(groups.items(), key=lambda kv: kv[0]):
        e = _free_id(G, f"L{layer}.{letter}.more")
        rep.update(dict.fromkeys(members, e))
        counts[e] = len(members)
        first[e] = (_median_weight(nodes, members) if letter == "w" else
                    sorted(members, key=lambda n: _explicit_key(nodes[n], n))[len(members) // 2])
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
    """Drawing the explicit diagram (see :func:`dagnet.to_dot` for the options).

    The cost grows with the nodes drawn, plus one pass at C speed over the edges: hidden
    weights are counted per layer and stand behind one ellipsis per layer.
    """
    net = as_network(net)
    options = options or DiagramOptions(style="explicit")
    theme, labels = options.theme, options.labels or {}
    structure = net.validate()
    G, style = net.graph, NODE_STYLES["explicit"]
    nodes, _, succ = adjacency(G)
    spine, wsrc = _spine(G, structure)
    hidden = _explicit_hidden(G, structure, spine, wsrc, options.k, options.width)
    col = explicit_columns(G, spine, wsrc)
    for w in hidden.shown:
        col[w] = col[_one(succ[w])] - 1
    rep, counts, first = _explicit_ellipses(G, hidden)
    sinks = [n for n in structure.outputs if nodes[n]["kind"] != "output" and n not in rep]
    _refuse_if_large(G.number_of_nodes() - len(hidden) + len(counts) + len(sinks), options)

    plan = Drawing(_defaults("explicit", theme))
    layered = len(structure.layers) > 1
    _explicit_clusters(plan, structure.layers, options)
    placed: dict[tuple, list[tuple[tuple, str]]] = defaultdict(list)
    shown = [n for n in spine if n not in rep] + hidden.shown
    for n in shown:
        attrs = nodes[n]
        plan.nodes[n] = {**resolve(style[attrs["kind"]], theme), "id": str(n),
                         "label": _explicit_label(net, n, attrs, options.show_values, labels),
                         "tooltip": node_tooltip(G, n, layered)}
        placed[(f"cluster_L{attrs['layer']}", col[n])].append((_explicit_key(attrs, n), n))
    for e, n in first.items():
        c = col[n] if n in col else col[_one(succ[n])] - 1
        plan.nodes[e] = {**resolve(style["ellipsis"], theme), "id": e,
                         "label": ellipsis_label(counts[e])}
        plan.ellipses.add(e)
        placed[(f"cluster_L{nodes[n]['layer']}", c)].append((_explicit_key(nodes[n], n), e))
    for n in sinks:
        _explicit_terminal(plan, G, n, col[n] + 1, placed, (structure.outputs.index(n),),
                           options)
    for (cluster, c), items in sorted(placed.items(), key=lambda kv: (kv[0][1], str(kv[0][0]))):
        plan.columns.append((cluster, c, [n for _, n in sorted(items)]))

    _explicit_edges(plan, G, shown, hidden, rep, options)
    return plan


def _explicit_edges(plan: Drawing, G: nx.DiGraph, shown: list, hidden: _Hidden,
                    rep: Mapping[Any, str], options: DiagramOptions) -> None:
    """The network's edges, labelled; a hidden node's become dashed implied edges.

    Drawn edges join two shown nodes. Every other edge has a hidden end that is not a
    weight (its edges are mapped to ellipses in bulk), or a hidden weight and a shown end.
    """
    nodes, pred, succ = adjacency(G)
    out_labels = options.out_labels or {}
    pairs: set = set()
    for n in hidden.nodes:
        e = rep[n]
        pairs.update(zip(repeat(e), set(map(rep.get, succ[n], succ[n]))))
        pairs.update(zip(set(map(rep.get, pred[n], pred[n])), repeat(e)))
    for u in shown:
        for v in succ[u]:
            if v in rep:
                pairs.add((u, rep[v]))
            else:
                plan.edges.append(_labelled_edge(u, v, nodes[u], out_labels))
        pairs.update((rep[p], u) for p in pred[u] if p in rep)
    implied = _Implied(plan, resolve(NODE_STYLES["explicit"]["implied"], options.theme))
    for a, b in sorted(pairs, key=str):
        implied.add(a, b)


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
@dataclass
class _Circles:
    """The simplified style's graph: one circle per input, bias and sum, and their edges."""

    nodes: dict[Any, dict[str, Any]]
    #: the circles in topological order
    units: list
    is_bias: dict[Any, bool]
    #: sum -> the circles that feed it (through weights or directly)
    sources: dict[Any, set]
    #: node -> its circle (not a weight)
    circle: dict[Any, Any]
    #: weight -> the node it reads
    wsrc: dict[Any, Any]
    #: circle -> column: one right of its latest input; a bias just left of its first sum
    col: dict[Any, int]
    #: the circles that stand for the network's outputs
    outputs: set
    #: whether a drawn edge jumps a column (with the bias's edges, without them)
    jumps: dict[bool, bool]
    #: whether the network has several layers (tooltips then name the layer)
    layered: bool
    #: the bias circles
    biases: set

    def column(self, c: int) -> list:
        """The circles (biases aside) of column ``c``, top to bottom."""
        return sorted((u for u in self.units if not self.is_bias[u] and self.col[u] == c),
                      key=lambda u: (self.nodes[u]["layer"], self.nodes[u]["index"], str(u)))

    def skips(self, show_bias: bool) -> bool:
        """Whether a drawn edge jumps a column."""
        return self.jumps[show_bias]

    def weights(self, G: nx.DiGraph, b: Any) -> dict[Any, list]:
        """Circle -> the weight nodes from it into sum ``b`` (None for an edge without one)."""
        nodes, pred, _ = adjacency(G)
        out: dict[Any, list] = defaultdict(list)
        for p in pred[b]:
            out[self.circle[self.wsrc.get(p, p)]].append(p if p in self.wsrc else None)
        return out


def _circle_map(G: nx.DiGraph, spine: list) -> tuple[dict, list]:
    """Node (not a weight) -> its circle: sums, biases and inputs are circles, a node after
    one (an activation, a hidden input) belongs to it.

    Returns that map and the circles in topological order.
    """
    nodes, pred, _ = adjacency(G)
    circle: dict[Any, Any] = {}
    units = []
    for n in spine:
        kind = nodes[n]["kind"]
        if kind in ("sum", "bias") or (kind == "input" and not pred[n]):
            units.append(n)
            circle[n] = n
        else:
            circle[n] = circle[_one(pred[n])]
    return circle, units


def _circles(net: Network) -> _Circles:
    structure = net.validate()
    G = net.graph
    nodes, pred, _ = adjacency(G)
    spine, wsrc = _spine(G, structure)
    circle, units = _circle_map(G, spine)
    is_bias = {u: nodes[u]["kind"] == "bias" for u in units}
    biases = {u for u in units if is_bias[u]}
    sources: dict[Any, set] = {}
    feeds: dict[Any, list] = defaultdict(list)  # bias -> the sums it feeds
    col: dict[Any, int] = {}
    after: dict[Any, int] = {}  # circle (not a bias) -> its column + 1
    jumps = {False: False, True: False}
    for u in units:
        if is_bias[u]:
            continue
        if nodes[u]["kind"] != "sum":
            col[u] = 0
        else:
            ps = pred[u]
            sources[u] = src = set(map(circle.__getitem__, map(wsrc.get, ps, ps)))
            for b in biases.intersection(src):
                feeds[b].append(u)
            last = max(map(after.get, src, repeat(-1)))
            col[u] = last if last >= 0 else 1
            if min(map(after.get, src, repeat(col[u]))) < col[u]:
                jumps[False] = jumps[True] = True
        after[u] = col[u] + 1
    for b in biases:
        col[b] = min(col[s] for s in feeds[b]) - 1
        if any(col[s] - col[b] > 1 for s in feeds[b]):
            jumps[True] = True
    return _Circles(nodes=nodes, units=units, is_bias=is_bias, sources=sources, circle=circle,
                    wsrc=wsrc,
                    col=col, outputs={circle[o] for o in structure.outputs}, jumps=jumps,
                    layered=len(structure.layers) > 1, biases=biases)


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
    hide = set(elided)
    ids = [u for u in members if u not in hide]
    layered = circles.layered
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


def _simplified_edges(plan: Drawing, G: nx.DiGraph, circles: _Circles,
                      rep: Mapping[Any, str], options: DiagramOptions) -> None:
    """The edges between circles; an elided circle's become dashed implied edges.

    Only the edges into drawn sums are read one by one (for their weights' values); an
    elided sum's edges are mapped to ellipses in bulk.
    """
    row = theme_row(options.theme)
    implied = _Implied(plan, resolve(NODE_STYLES["simplified"]["implied"], row))
    pairs: set = set()
    for b, src in circles.sources.items():
        if not options.show_bias:
            src = src.difference(circles.biases)
        if b in rep:
            pairs.update(zip(set(map(rep.get, src, src)), repeat(rep[b])))
            continue
        drawn = set()
        for a in src:
            if a in rep:
                pairs.add((rep[a], b))
            else:
                drawn.add(a)
        for a, ws in circles.weights(G, b).items() if drawn else ():
            if a in drawn:
                values = [circles.nodes[w].get("value") for w in ws if w is not None]
                plan.edges.append((a, b, _weight_edge_attrs(values, circles.is_bias[a], row,
                                                            options.show_values)))
    for a, b in sorted(pairs, key=str):
        implied.add(a, b)


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
    _simplified_edges(plan, net.graph, circles, rep, options)
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
