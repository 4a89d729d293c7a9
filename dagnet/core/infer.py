"""What a graph's structure implies: the ``layer``, ``index``, ``i`` and ``j`` left out.

:meth:`dagnet.Network.from_graph` calls :func:`infer_attributes` on its copy of the graph
before validating it, so a graph needs only each node's ``kind`` (plus ``activation`` on
activation nodes and, optionally, ``value`` on weights). Attributes that are present are never
changed; only absent ones are filled in, by these rules:

=====================  ======================================================================
attribute              rule
=====================  ======================================================================
``layer``              a network input (an ``input`` node without predecessor): 1;
                       a hidden pass-through node: its source's layer + 1; a sum: the largest
                       layer its weights read from (an input or bias gives its own layer, a
                       sum or activation the next one; 1 without any); an activation or
                       output: its source's layer; a weight: its sum's layer; a bias: the
                       layer of the sums it feeds (refused when they are in several layers)
``index`` of a sum     the lowest free ``j >= 0`` of its layer, in the graph's node order
``index`` of an        its source's index (``y_j = f(v_j)``, output ``o_j``)
activation or output
``index`` of a hidden  its source's index + 1 (the ``y_j`` of layer L is the ``x_{j+1}`` of
pass-through node      layer L+1)
``index`` of a bias    0 (refused when its layer has an ``x_0`` already)
``index`` of a         the lowest free ``i >= 1`` of its layer, in the graph's node order
network input
``i``, ``j``           the index of the weight's source and of its sum
``name``               the article's symbol (``w_10``), set by ``from_graph`` after validation
=====================  ======================================================================

A filled-in index that gives a node the same symbol as another node is refused with a
:class:`~dagnet.DuplicateNodeError` naming the node and the rule; a graph too malformed to
infer anything from (no ``kind``, a cycle, a weight without a sum) is left for
:func:`dagnet.validate` to report.

Examples
--------
>>> import networkx as nx
>>> G = nx.DiGraph([("x", "w"), ("b", "wb"), ("w", "v"), ("wb", "v"), ("v", "y")])
>>> nx.set_node_attributes(G, {"x": "input", "b": "bias", "w": "weight", "wb": "weight",
...                            "v": "sum", "y": "activation"}, "kind")
>>> G.nodes["y"]["activation"] = "tanh"
>>> infer_attributes(G)
>>> G.nodes["w"]
{'kind': 'weight', 'layer': 1, 'i': 1, 'j': 0}
>>> G.nodes["b"]["index"], G.nodes["y"]["index"]
(0, 0)
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..errors import DuplicateNodeError, NetworkError
from .structure import KINDS, adjacency, node_name

__all__ = ["infer_attributes"]

#: The letter namespaces of :func:`~dagnet.core.structure.node_name`: kinds sharing a letter
#: share their indices within a layer.
_LETTER = {"input": "x", "bias": "x", "sum": "v", "activation": "y", "output": "o"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def infer_attributes(G: nx.DiGraph) -> None:
    """Fill in the ``layer``, ``index``, ``i`` and ``j`` that ``G``'s structure implies, in place.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph whose nodes carry at least ``kind`` (see :mod:`dagnet.core.graph`). Present
        attributes are kept as they are.

    Returns
    -------
    None

    Raises
    ------
    NetworkError
        A bias without ``layer`` feeds sums of several layers.
    DuplicateNodeError
        A filled-in index gives a node the symbol of another node.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "wa"), ("wa", "s"), ("s", "h"), ("h", "wh"), ("wh", "t")])
    >>> nx.set_node_attributes(G, {"a": "input", "wa": "weight", "s": "sum", "h": "input",
    ...                            "wh": "weight", "t": "sum"}, "kind")
    >>> infer_attributes(G)
    >>> [(n, G.nodes[n]["layer"], G.nodes[n].get("index")) for n in ("a", "s", "h", "t")]
    [('a', 1, 1), ('s', 1, 0), ('h', 2, 1), ('t', 2, 0)]
    >>> G.nodes["wh"]["i"], G.nodes["wh"]["j"]
    (1, 0)
    """
    node, pred, succ = adjacency(G)
    attrs = list(node.values())
    kinds = [a.get("kind") for a in attrs]
    if not all(map(KINDS.__contains__, kinds)):
        return  # validate() names the node without a kind
    if not [a for a, k in zip(attrs, kinds) if "layer" not in a or (
            ("i" not in a or "j" not in a) if k == "weight" else "index" not in a)]:
        return  # the common case (every saved file): nothing to infer, no extra sort
    try:
        order = list(nx.topological_sort(G))
    except nx.NetworkXUnfeasible:
        return  # validate() shows the cycle
    _infer_layers(node, pred, succ, order)
    filled = _infer_indices(node, pred, succ, order)
    _check_new_symbols(node, filled)


def _one(nodes: Any) -> Any:
    """The only element of ``nodes``, or None."""
    return next(iter(nodes)) if len(nodes) == 1 else None


def _layer(node: dict, n: Any) -> Any:
    value = node[n].get("layer")
    return value if _is_int(value) else None


def _infer_layers(node: dict, pred: dict, succ: dict, order: list) -> None:
    for n in order:  # every node's sources come first
        attrs = node[n]
        kind = attrs["kind"]
        if "layer" in attrs or kind in ("weight", "bias"):
            continue
        source = _one(pred[n])
        if kind == "input":
            if not pred[n]:
                attrs["layer"] = 1
            elif source is not None and _layer(node, source) is not None:
                attrs["layer"] = _layer(node, source) + 1
        elif kind in ("activation", "output"):
            if source is not None and _layer(node, source) is not None:
                attrs["layer"] = _layer(node, source)
        elif kind == "sum":
            attrs["layer"] = max((_offered(node, pred, w) for w in pred[n]), default=1)
    for n in order:
        attrs = node[n]
        if "layer" in attrs:
            continue
        if attrs["kind"] == "weight":
            target = _one(succ[n])
            if target is not None and _layer(node, target) is not None:
                attrs["layer"] = _layer(node, target)
        elif attrs["kind"] == "bias":
            attrs["layer"] = _bias_layer(node, succ, n)


def _offered(node: dict, pred: dict, term: Any) -> int:
    """The layer a sum's term (a weight, or a value fed in directly) gives it (1: unknown)."""
    source = _one(pred[term]) if node[term]["kind"] == "weight" else term
    if source is None or _layer(node, source) is None:
        return 1
    bump = 1 if node[source]["kind"] in ("sum", "activation") else 0
    return _layer(node, source) + bump


def _bias_layer(node: dict, succ: dict, n: Any) -> int:
    layers = sorted({_layer(node, s) for w in succ[n] for s in succ[w]
                     if node[s]["kind"] == "sum" and _layer(node, s) is not None})
    if len(layers) > 1:
        raise NetworkError(
            f"bias node {n!r} has no 'layer' and feeds sums of layers {layers}; set its "
            f"'layer' (G.nodes[{n!r}]['layer'] = ...) or give each layer its own bias node"
        )
    return layers[0] if layers else 1


class _Indices:
    """The indices in use per (letter, layer), and the nodes given one here (``filled``)."""

    def __init__(self, node: dict):
        self.node = node
        self.used: dict[tuple, set] = {}
        self.filled: list = []
        for attrs in node.values():
            if attrs["kind"] != "weight" and _is_int(attrs.get("index")):
                self._free(attrs).add(attrs["index"])

    def _free(self, attrs: Any) -> set:
        return self.used.setdefault((_LETTER[attrs["kind"]], attrs.get("layer")), set())

    def give(self, n: Any, index: int) -> None:
        """Give node ``n`` ``index``."""
        attrs = self.node[n]
        attrs["index"] = index
        self._free(attrs).add(index)
        self.filled.append(n)

    def take(self, n: Any, low: int) -> None:
        """Give node ``n`` the lowest free index from ``low`` of its letter and layer."""
        free, k = self._free(self.node[n]), low
        while k in free:
            k += 1
        self.give(n, k)

    def from_sources(self, pred: dict, order: list) -> None:
        """``y_j = f(v_j)``, ``o_j`` and ``x_{j+1}`` of the next layer, from their source."""
        node = self.node
        for n in order:
            attrs = node[n]
            kind, source = attrs["kind"], _one(pred[n])
            if "index" in attrs or source is None or kind not in ("activation", "output", "input"):
                continue
            index = node[source].get("index")
            if _is_int(index):
                self.give(n, index + (1 if kind == "input" else 0))

    def bias(self, n: Any) -> None:
        """A layer's bias is its ``x_0``; a second one is refused naming the first."""
        node, layer = self.node, self.node[n].get("layer")
        if 0 in self.used.get(("x", layer), ()):
            other = next(m for m, a in node.items() if m != n and a.get("layer") == layer
                         and _LETTER.get(a["kind"]) == "x" and a.get("index") == 0)
            raise DuplicateNodeError(
                f"bias node {n!r} has no 'index', and x_0 of layer {layer} is already "
                f"node {other!r}: set G.nodes[{n!r}]['layer'] (or 'index') explicitly"
            )
        self.take(n, 0)


def _infer_weight_indices(node: dict, pred: dict, succ: dict, order: list) -> None:
    """A weight's ``i`` is its source's index and its ``j`` its sum's."""
    for n in order:
        attrs = node[n]
        if attrs["kind"] != "weight":
            continue
        source, target = _one(pred[n]), _one(succ[n])
        if "i" not in attrs and source is not None and "index" in node[source]:
            attrs["i"] = node[source]["index"]
        if "j" not in attrs and target is not None and "index" in node[target]:
            attrs["j"] = node[target]["index"]


def _infer_indices(node: dict, pred: dict, succ: dict, order: list) -> list:
    """Fill in indices: sums first, then what follows from sources, then biases and inputs."""
    indices = _Indices(node)
    lacking = [n for n in node if node[n]["kind"] != "weight" and "index" not in node[n]]
    for n in lacking:
        if node[n]["kind"] == "sum":
            indices.take(n, 0)
    indices.from_sources(pred, order)
    for n in lacking:
        if node[n]["kind"] == "bias" and "index" not in node[n]:
            indices.bias(n)
    for n in lacking:
        if node[n]["kind"] == "input" and not pred[n]:
            indices.take(n, 1)
    _infer_weight_indices(node, pred, succ, order)
    return indices.filled


def _check_new_symbols(node: dict, filled: list) -> None:
    """Refuse a filled-in index that repeats another node's symbol (naming both nodes)."""
    seen: dict[tuple, Any] = {}
    for n, attrs in node.items():
        if attrs["kind"] != "weight" and _is_int(attrs.get("index")) and n not in filled:
            seen[(attrs.get("layer"), node_name(attrs))] = n
    for n in filled:
        attrs = node[n]
        key = (attrs.get("layer"), node_name(attrs))
        if key in seen:
            raise DuplicateNodeError(
                f"node {n!r} ({attrs['kind']}) has no 'index'; its structure implies "
                f"{key[1]} of layer {key[0]}, which node {seen[key]!r} already is: set "
                f"G.nodes[{n!r}]['index'] (see dagnet.core.infer for the rules)"
            )
        seen[key] = n
