"""The network graph: a validated :class:`networkx.DiGraph` of typed nodes.

A :class:`Network` owns one ``networkx.DiGraph`` (``net.graph``). Every node is
one box of the article's explicit diagrams and carries its facts as plain node
attributes:

=============  ==============================================================
key            meaning
=============  ==============================================================
``kind``       ``"input"`` (pass-through ``x_i``), ``"bias"`` (``x_0 = 1``),
               ``"weight"`` (``u_ij = x_i w_ij``), ``"sum"`` (``v_j``),
               ``"activation"`` (``y_j = f(v_j)``) or ``"output"``
``layer``      layer index ``L`` (an int from 1; default 1)
``index``      ``i`` of a pass-through or bias node, ``j`` of a sum,
               activation or output node
``i``, ``j``   the two indices of a weight node ``w_ij``
``name``       the article's symbol without layer, e.g. ``"w_10"``
``activation`` registry name of an activation node's function
``value``      the numeric weight of a weight node (absent or None: unset)
=============  ==============================================================

An ``input`` node with no predecessor is a network input; with one predecessor
it is a hidden pass-through node (``x`` of layer L+1 is ``y`` of layer L).
Node ids are readable strings built from the notation: ``"L1.x0"``,
``"L1.w10"``, ``"L2.v0"``, ``"L2.y0"``.

Examples
--------
Build ``y = m x + b`` box by box, in the article's renamed form:

>>> import dagnet
>>> net = dagnet.Network()
>>> x0, x1 = net.add_bias(), net.add_input(1)
>>> v0 = net.add_sum(0)
>>> net.add_weight(x0, v0, value=0.5), net.add_weight(x1, v0, value=2.0)
('L1.w00', 'L1.w10')
>>> net
Network(inputs=1, outputs=1, layers=1, weights=2)
>>> net.weight_names
('w_00', 'w_10')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from itertools import repeat
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from ..errors import (
    DagnetError,
    DuplicateNodeError,
    MissingWeightError,
    NetworkError,
    WeightError,
    WiringError,
)
from .activations import get_activation
from .arrays import MAX_ARRAY_BYTES, as_real_array, check_size
from .infer import infer_attributes
from .structure import (
    Structure,
    adjacency,
    check_index,
    check_weight_value,
    index_pair,
    node_name,
    paused_gc,
    validate,
    validate_built,
)

if TYPE_CHECKING:  # the arrows out of the graph, imported lazily at run time
    import graphviz
    import sympy as sp

    from ..compiled.backprop import LossGradient
    from ..compiled.forward import CompiledNetwork
    from ..symbolic.analysis import AffineForm

__all__ = ["Network", "as_network"]

_VALUE_KINDS = ("input", "bias", "sum", "activation", "output")


# -- the cache's version: every mutation of the graph, in O(1) ---------------------------
class _Clock:
    """A graph's mutation counter, shared by all its dicts.

    ``dict_type`` is this graph's own subclass of :class:`_TrackedDict`, which knows the
    clock as a class attribute: making one of its dicts is then a plain ``dict`` call (C
    speed, no Python ``__init__``), so a graph of 100k nodes wraps its 300k dicts in bulk.
    """

    __slots__ = ("ticks", "values", "dict_type")

    def __init__(self, ticks: int = 0, values: int = 0) -> None:
        self.ticks = ticks
        self.values = values  # advanced by every change of a weight's value
        self.dict_type = type("_TrackedDict", (_TrackedDict,), {"__slots__": (), "_clock": self})

    def __reduce__(self) -> tuple:  # copy, deepcopy, pickle: a new clock (and its dict type)
        return (_Clock, (self.ticks, self.values))


class _TrackedDict(dict):
    """A dict that advances its graph's clock on every change (except of a weight's value).

    ``value`` is read at every call of a compiled network, so changing it needs no new
    compile; every other key (``kind``, ``activation``, ``layer``, the adjacency) does.
    Instances are of a graph's own subclass (:attr:`_Clock.dict_type`), which sets ``_clock``.
    """

    __slots__ = ()
    _clock: _Clock

    def _tick(self) -> None:
        self._clock.ticks += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        if key != "value":
            self._clock.ticks += 1
        else:
            self._clock.values += 1
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._tick()
        dict.__delitem__(self, key)

    def __ior__(self, other: Any) -> _TrackedDict:
        self.update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._clock.ticks += 1
        dict.update(self, *args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._tick()
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple:
        self._tick()
        return dict.popitem(self)

    def clear(self) -> None:
        self._tick()
        dict.clear(self)

    def __reduce__(self) -> tuple:  # copy, deepcopy and pickle keep the tracking
        return (_tracked_dict, (self._clock, dict(self)))


def _tracked_dict(clock: _Clock, items: dict) -> _TrackedDict:
    return clock.dict_type(items)


class _TrackedDiGraph(nx.DiGraph):
    """The DiGraph a :class:`Network` builds on: its node, attribute and adjacency dicts
    advance one clock on every mutation, through networkx's documented dict factories."""

    def __init__(self, incoming_graph_data: Any = None, **attr: Any) -> None:
        self._clock = _Clock()
        super().__init__(incoming_graph_data, **attr)

    def node_dict_factory(self) -> _TrackedDict:
        return self._clock.dict_type()

    node_attr_dict_factory = adjlist_outer_dict_factory = adjlist_inner_dict_factory = \
        node_dict_factory


def tracked_graph(nodes: Iterable[tuple[Any, dict]], edges: Iterable[tuple[Any, Any, dict]],
                  graph: Mapping[str, Any] | None = None) -> nx.DiGraph:
    """A tracked graph of these nodes and edges, assembled in bulk.

    The same graph (the same dicts, in the same order) as ``add_nodes_from(nodes)`` and
    ``add_edges_from(edges)`` on a :class:`_TrackedDiGraph`, without a Python call per
    dict change: each node's attribute dict is copied into a tracked dict, each edge's
    attribute dict is used as is (shared by its successor and predecessor entries, as
    networkx shares it). Only for the graphs dagnet makes itself: the edges' ends must
    be among the nodes, and no edge may repeat.

    Parameters
    ----------
    nodes : iterable of (node, dict)
        The nodes in order, each with its attributes.
    edges : iterable of (u, v, dict)
        The edges in order, each with its own attribute dict.
    graph : mapping, optional
        The graph attributes.

    Returns
    -------
    networkx.DiGraph
        A graph whose every change (other than of a weight's value) advances its clock,
        for a :class:`Network` to own.

    Examples
    --------
    >>> G = tracked_graph([("x", {"kind": "input"}), ("w", {"kind": "weight"})],
    ...                   [("x", "w", {})])
    >>> list(G.edges), G.nodes["w"]
    ([('x', 'w')], {'kind': 'weight'})
    >>> ticks = G._clock.ticks
    >>> G.nodes["w"]["i"] = 1
    >>> G._clock.ticks > ticks
    True
    """
    H = _TrackedDiGraph()
    T = H._clock.dict_type
    if graph:
        H.graph.update(graph)
    with paused_gc():
        attrs = T(nodes)  # node -> its attributes, in order
        succ, pred = (T(zip(attrs, map(T, repeat((), len(attrs))))) for _ in range(2))
        put = dict.__setitem__  # inside the graph's own dicts: no tick per edge
        for u, v, data in edges:
            put(succ[u], v, data)
            put(pred[v], u, data)
        H._node = T(zip(attrs, map(T, attrs.values())))
    H._adj = succ  # also sets H._succ (networkx resets its cached views)
    H._pred = pred
    return H


def _tracked_copy(G: nx.DiGraph) -> _TrackedDiGraph:
    """A copy of ``G`` (graph, node and edge attributes copied one level) that is tracked."""
    node, _, succ = adjacency(G)
    return tracked_graph(node.items(), ((u, v, dict(d)) for u, nbrs in succ.items()
                                        for v, d in nbrs.items()), G.graph)


def _snapshot(G: nx.DiGraph) -> tuple:
    """What a graph from outside (not tracked) looks like apart from weight values: O(n)."""
    plain = (str, int, float, bool, type(None))
    node, _, succ = adjacency(G)
    return tuple((n, tuple(succ[n]), tuple(
        (k, v if type(v) in plain else repr(v)) for k, v in a.items() if k != "value"))
        for n, a in node.items())


class Network:
    """A neural network as an explicit DAG of typed nodes (see module docs).

    Every box of the article's explicit diagram is one node of :attr:`graph`: pass-through
    nodes ``x_i`` (the bias ``x_0 = 1`` among them), weights ``u_ij = x_i w_ij``, sums
    ``v_j = sum_i u_ij`` and activations ``y_j = f(v_j)``. Build one node by node with the
    ``add_*`` methods, or with the builders :func:`dagnet.linear`, :func:`dagnet.mlp`, ...

    Parameters
    ----------
    graph : networkx.DiGraph, optional
        Start from this graph (used as is, not copied, not validated); to validate a graph
        and fill in the attributes its structure implies, use :meth:`from_graph`.

    See Also
    --------
    dagnet.mlp : a multilayer perceptron in one call.
    dagnet.as_network : a Network from a Network or a DiGraph.

    Examples
    --------
    ``y = tanh(2 x_1 + 0.5)``, one box at a time:

    >>> import dagnet
    >>> net = dagnet.Network()
    >>> x0, x1 = net.add_bias(), net.add_input(1)
    >>> v0 = net.add_sum(0)
    >>> _ = net.add_weight(x0, v0, value=0.5), net.add_weight(x1, v0, value=2.0)
    >>> y0 = net.add_activation(v0, "tanh")
    >>> net
    Network(inputs=1, outputs=1, layers=1, weights=2)
    >>> sorted(net.graph.nodes)
    ['L1.v0', 'L1.w00', 'L1.w10', 'L1.x0', 'L1.x1', 'L1.y0']
    >>> net.compile()([[0.0], [1.0]]).round(4)
    array([[0.4621],
           [0.9866]])
    """

    def __init__(self, graph: nx.DiGraph | None = None):
        self._version = 0
        self.graph = _TrackedDiGraph() if graph is None else graph

    @property
    def graph(self) -> nx.DiGraph:
        """The network's graph; any change to it (through dagnet or networkx) is noticed.

        A plain ``networkx.DiGraph`` whose node attributes follow the schema of the module
        docs: every networkx algorithm runs on it.

        Examples
        --------
        >>> import networkx as nx, dagnet
        >>> net = dagnet.linear(1)
        >>> dict(sorted(net.graph.nodes(data="kind")))
        {'L1.v0': 'sum', 'L1.w00': 'weight', 'L1.w10': 'weight', 'L1.x0': 'bias',
         'L1.x1': 'input'}
        >>> nx.dag_longest_path_length(net.graph)
        2
        """
        return self._graph

    @graph.setter
    def graph(self, graph: nx.DiGraph) -> None:
        self._graph = graph
        self._clock = getattr(graph, "_clock", None) if type(graph) is _TrackedDiGraph else None
        self._touch()

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_graph(cls, G: nx.DiGraph, *, copy: bool = True) -> Network:
        """Validate a copy of ``G`` and wrap it, filling in what the structure implies.

        Absent ``layer``, ``index``, ``i``, ``j`` and ``name`` attributes are inferred by the
        rules of :mod:`dagnet.core.infer`; present ones are kept. ``G`` is not changed.

        Parameters
        ----------
        G : networkx.DiGraph
            A graph following the schema (see the module docs); each node needs a ``kind``.
        copy : bool
            ``False`` completes and wraps ``G`` itself, without a copy, when it is a graph of
            the kind a Network builds on (``Network().graph``) that nothing else holds, such
            as one a file reader has just filled; ``G`` then gets the inferred attributes.
            Any other graph is copied anyway.

        Returns
        -------
        Network
            A network owning a validated copy of ``G``.

        Raises
        ------
        NetworkError
            ``G`` is not a ``networkx.DiGraph``, or is not a valid network once completed
            (a subclass names the node and the problem).

        Examples
        --------
        >>> import networkx as nx, dagnet
        >>> G = nx.DiGraph()
        >>> G.add_node("x", kind="input", index=1)
        >>> G.add_node("w", kind="weight", i=1, j=0, value=3.0)
        >>> G.add_node("v", kind="sum", index=0)
        >>> G.add_edges_from([("x", "w"), ("w", "v")])
        >>> dagnet.Network.from_graph(G).weights
        array([3.])

        Only the kinds (and the activation's name) are needed; the rest is inferred:

        >>> G = nx.DiGraph([("x", "w"), ("w", "v"), ("v", "y")])
        >>> nx.set_node_attributes(G, {"x": "input", "w": "weight", "v": "sum",
        ...                            "y": "activation"}, "kind")
        >>> G.nodes["y"]["activation"] = "tanh"
        >>> net = dagnet.Network.from_graph(G)
        >>> net.weight_names, net.graph.nodes["y"]["name"]
        (('w_10',), 'y_0')
        """
        if not isinstance(G, nx.DiGraph) or G.is_multigraph():
            raise NetworkError(f"from_graph needs a networkx.DiGraph, got {type(G).__name__}")
        H = G if not copy and type(G) is _TrackedDiGraph else _tracked_copy(G)
        infer_attributes(H)
        node = adjacency(H)[0]
        for attrs in [a for a in node.values() if "layer" not in a]:
            attrs["layer"] = 1  # what inference could not tell (a malformed graph)
        net = cls(H)
        net.validate()
        for attrs in [a for a in node.values() if "name" not in a]:
            attrs["name"] = node_name(attrs)
        return net

    def _add(self, node: str, **attrs: Any) -> str:
        if node in self.graph:
            raise DuplicateNodeError(
                f"node {node!r} already exists; pick another index (or i=... for weights)"
            )
        attrs["name"] = node_name(attrs)
        self.graph.add_node(node, **attrs)
        self._touch()
        return node

    def _touch(self) -> None:
        self._version += 1
        self._cache: dict[Any, Any] = {}

    def _require(self, node: str, kinds: Iterable[str], role: str) -> dict:
        if node not in self.graph:
            raise NetworkError(f"no node {node!r} in the network (the {role})")
        attrs = self.graph.nodes[node]
        if attrs["kind"] not in kinds:
            raise WiringError(f"the {role} {node!r} is a {attrs['kind']} node; "
                              f"expected one of {', '.join(kinds)}")
        return attrs

    def add_input(self, index: int, layer: int = 1, *, source: str | None = None) -> str:
        """Add pass-through node ``x_index`` to ``layer``; with ``source`` it is a hidden node.

        Parameters
        ----------
        index : int
            ``i`` of ``x_i``, from 1 (``x_0`` is the bias: :meth:`add_bias`).
        layer : int, default 1
            The layer ``L`` the node feeds.
        source : str, optional
            A node of the layer below whose value this node passes on (the ``y_j`` of layer
            ``L - 1`` is the ``x_{j+1}`` of layer ``L``). Without it the node is a network
            input: one column of ``X``.

        Returns
        -------
        str
            The node id, ``f"L{layer}.x{index}"``.

        Raises
        ------
        NetworkError
            ``index`` or ``layer`` is not a valid integer, or ``source`` does not exist.
        WiringError
            ``source`` is a weight or an output node.
        DuplicateNodeError
            The node exists already.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.Network()
        >>> net.add_input(1), net.add_input(2)
        ('L1.x1', 'L1.x2')
        >>> v = net.add_sum(0)
        >>> net.add_input(1, layer=2, source=v)   # a hidden node: x_1 of layer 2 is v_0
        'L2.x1'
        """
        check_index("x", {"index": index, "layer": layer}, "index", 0)
        if source is not None:
            self._require(source, _VALUE_KINDS[:-1], "source of the pass-through node")
        node = self._add(f"L{layer}.x{index}", kind="input", layer=layer, index=index)
        if source is not None:
            self.connect(source, node)
        return node

    def add_bias(self, layer: int = 1, index: int = 0) -> str:
        """Add the bias node ``x_0 = 1`` of ``layer``.

        Parameters
        ----------
        layer : int, default 1
            The layer ``L`` the bias feeds (each layer has its own ``x_0``).
        index : int, default 0
            Its index; the article always uses 0.

        Returns
        -------
        str
            The node id, e.g. ``"L1.x0"``.

        Raises
        ------
        NetworkError
            ``layer`` or ``index`` is not a valid integer.
        DuplicateNodeError
            The layer has this bias already.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.Network()
        >>> net.add_bias(), net.add_bias(layer=2)
        ('L1.x0', 'L2.x0')
        """
        check_index("x0", {"index": index, "layer": layer}, "layer", 1)
        return self._add(f"L{layer}.x{index}", kind="bias", layer=layer, index=index)

    def add_sum(self, index: int, layer: int = 1) -> str:
        """Add sum node ``v_index`` to ``layer``: ``v_j = sum_i u_ij`` of its weights.

        Parameters
        ----------
        index : int
            ``j`` of ``v_j``, from 0.
        layer : int, default 1
            The layer ``L``.

        Returns
        -------
        str
            The node id, e.g. ``"L1.v0"``.

        Raises
        ------
        NetworkError
            ``index`` or ``layer`` is not a valid integer.
        DuplicateNodeError
            The node exists already.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.Network().add_sum(3, layer=2)
        'L2.v3'
        """
        check_index("v", {"index": index, "layer": layer}, "index", 0)
        return self._add(f"L{layer}.v{index}", kind="sum", layer=layer, index=index)

    def add_weight(self, source: str, target: str, value: float | None = None, *,
                   i: int | None = None) -> str:
        """Add weight ``w_ij`` on the way from ``source`` (``x_i``) into sum ``target`` (``v_j``).

        The weight node computes ``u_ij = x_i w_ij``. The layer and ``j`` come from the sum,
        ``i`` from the source's index unless given.

        Parameters
        ----------
        source : str
            The node ``x_i`` whose value is weighted (any node but a weight or an output).
        target : str
            The sum node ``v_j`` it adds into.
        value : float, optional
            The weight's value ``w_ij``; unset when omitted (see :meth:`randomize`,
            :meth:`set_weights`).
        i : int, optional
            ``i`` of ``w_ij`` when it is not the source's index (e.g. a skip connection).

        Returns
        -------
        str
            The node id, e.g. ``"L1.w10"`` (``"L1.w12_3"`` when an index has two digits).

        Raises
        ------
        NetworkError
            ``source`` or ``target`` does not exist, or ``i`` is not a valid integer.
        WiringError
            ``target`` is not a sum, or ``source`` is a weight or an output.
        WeightError
            ``value`` is not a finite real number.
        DuplicateNodeError
            The weight ``w_ij`` of this layer exists already.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.Network()
        >>> x1, v0 = net.add_input(1), net.add_sum(0)
        >>> net.add_weight(x1, v0, value=2.0)
        'L1.w10'
        >>> net.add_weight(x1, v0, value=float("nan"))
        Traceback (most recent call last):
        ...
        dagnet.errors.WeightError: weight 'L1.w10' is nan; weights must be finite numbers
        """
        src = self._require(source, _VALUE_KINDS[:-1], "source of the weight")
        tgt = self._require(target, ("sum",), "target of the weight")
        i = src["index"] if i is None else i
        j, layer = tgt["index"], tgt["layer"]
        check_index("w", {"i": i}, "i", 0)
        attrs: dict[str, Any] = {"kind": "weight", "layer": layer, "i": i, "j": j}
        if value is not None:
            attrs["value"] = check_weight_value(f"L{layer}.w{index_pair(i, j)}", value)
        node = self._add(f"L{layer}.w{index_pair(i, j).replace(',', '_')}", **attrs)
        self.connect(source, node)
        self.connect(node, target)
        return node

    def add_activation(self, source: str, activation: str = "tanh", *,
                       index: int | None = None) -> str:
        """Add ``y_j = f(source)``; ``j`` and the layer come from ``source`` (usually a sum).

        Parameters
        ----------
        source : str
            The node whose value ``f`` is applied to, usually the sum ``v_j``.
        activation : str, default "tanh"
            A registered activation name (:func:`dagnet.activation_names`).
        index : int, optional
            ``j`` of ``y_j`` when it is not the source's index.

        Returns
        -------
        str
            The node id, e.g. ``"L1.y0"``.

        Raises
        ------
        UnknownActivationError
            ``activation`` is not registered.
        NetworkError
            ``source`` does not exist.
        WiringError
            ``source`` is a weight or an output.
        DuplicateNodeError
            The node exists already.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.Network()
        >>> net.add_activation(net.add_sum(0), "logistic")
        'L1.y0'
        >>> net.add_activation(net.add_sum(1), "sigmoid")
        Traceback (most recent call last):
        ...
        dagnet.errors.UnknownActivationError: ...
        """
        src = self._require(source, _VALUE_KINDS[:-1], "source of the activation")
        get_activation(activation)
        j = src["index"] if index is None else index
        node = self._add(f"L{src['layer']}.y{j}", kind="activation", layer=src["layer"],
                         index=j, activation=activation)
        self.connect(source, node)
        return node

    def add_output(self, source: str, index: int | None = None) -> str:
        """Mark ``source`` as a network output with an ``output`` node ``o_index``.

        Without output nodes, the outputs are the nodes nothing reads from; mark them to
        choose (or order) the outputs yourself.

        Parameters
        ----------
        source : str
            The node whose value is an output.
        index : int, optional
            ``j`` of the output (its column in the result); the source's index by default.

        Returns
        -------
        str
            The node id, ``f"out{index}"``.

        Raises
        ------
        NetworkError
            ``source`` does not exist.
        WiringError
            ``source`` is a weight or an output.
        DuplicateNodeError
            An output of this index exists already.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.add_output("L1.v0")
        'out0'
        >>> net.outputs
        ('out0',)
        """
        src = self._require(source, _VALUE_KINDS[:-1], "source of the output")
        j = src["index"] if index is None else index
        node = self._add(f"out{j}", kind="output", layer=src["layer"], index=j)
        self.connect(source, node)
        return node

    def connect(self, u: str, v: str) -> None:
        """Add the edge ``u -> v`` (both nodes must exist); checked by :meth:`validate`.

        Parameters
        ----------
        u, v : str
            Existing node ids: the value of ``u`` flows into ``v``.

        Raises
        ------
        NetworkError
            ``u`` or ``v`` does not exist.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.Network()
        >>> x1, w, v = net.add_input(1), net.add_sum(0), net.add_sum(1)
        >>> net.connect(x1, "L1.x9")
        Traceback (most recent call last):
        ...
        dagnet.errors.NetworkError: no node 'L1.x9' in the network; add it first
        """
        for node in (u, v):
            if node not in self.graph:
                raise NetworkError(f"no node {node!r} in the network; add it first")
        self.graph.add_edge(u, v)
        self._touch()

    # -- structure ----------------------------------------------------------------------
    def validate(self) -> Structure:
        """Validate the graph (cached until the structure changes) and return its structure.

        Returns
        -------
        Structure
            The facts every later stage reads: inputs, outputs, layers and the weight order.

        Raises
        ------
        NetworkError
            The graph is not a valid network; a subclass (:class:`CycleError`,
            :class:`WiringError`, :class:`DanglingNodeError`, ...) names the node and the fix.

        Examples
        --------
        >>> import dagnet
        >>> s = dagnet.mlp([2, 3, 1]).validate()
        >>> s.inputs, s.layers
        (('L1.x1', 'L1.x2'), (1, 2))
        >>> net = dagnet.Network()
        >>> _ = net.add_weight(net.add_input(1), net.add_sum(0))
        >>> net.connect("L1.v0", "L1.x1")
        >>> net.validate()
        Traceback (most recent call last):
        ...
        dagnet.errors.CycleError: ...
        """
        return self._structure(validate)

    def _structure(self, check: Callable[[nx.DiGraph], Structure]) -> Structure:
        """The cached structure, made by ``check(graph)`` when the graph changed since."""
        key = self.structure_key
        if self._cache.get("key") != key:
            self._cache.clear()
            self._cache["structure"] = check(self.graph)
            self._cache["key"] = key
        return self._cache["structure"]

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once and kept until the network's nodes or edges change.

        The later stages keep what they derive from the structure alone here (the symbols
        of the nodes, the compiled gradient): the cache is emptied whenever
        :attr:`structure_key` changes, never when only weight values do.

        Parameters
        ----------
        key : str
            The name of the value (one per kind of value, e.g. ``"gradient"``).
        build : callable
            Called without arguments, and only when nothing is cached under ``key``.

        Returns
        -------
        object
            What ``build()`` returned, now or when it was last called.

        Raises
        ------
        DagnetError
            Whatever :meth:`validate` raises for an invalid network (before ``build``
            runs), or ``build`` raises (then nothing is cached).

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> calls = []
        >>> net.cached("answer", lambda: calls.append(1) or 42)
        42
        >>> net.cached("answer", lambda: calls.append(1) or 43), len(calls)
        (42, 1)
        >>> _ = net.add_weight(net.add_input(2), "L1.v0", 1.0)  # a new structure: built again
        >>> net.cached("answer", lambda: calls.append(1) or 43), len(calls)
        (43, 2)
        """
        self.validate()  # empties the cache when the structure changed
        slot = ("cached", key)  # apart from validate()'s own entries
        if slot not in self._cache:
            self._cache[slot] = build()
        return self._cache[slot]

    @property
    def structure_key(self) -> tuple:
        """Changes whenever the graph does, through the API or ``net.graph``, except for
        weight values (which compiled networks read at every call).

        The graphs a Network builds (and :meth:`from_graph`'s copies) count their own
        mutations, so the key costs O(1); a plain ``networkx.DiGraph`` given to the
        constructor is compared by a snapshot of its nodes, attributes and edges, O(n).

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> key = net.structure_key
        >>> net.set_weights([1.0, 2.0]); net.structure_key == key
        True
        >>> net.graph.nodes["L1.v0"]["layer"] = 1; net.structure_key == key
        False
        """
        if self._clock is not None:
            return (self._version, self._clock.ticks)
        return (self._version, _snapshot(self._graph))

    @property
    def weights_key(self) -> tuple | None:
        """Changes whenever :attr:`structure_key` does or a weight's value is set; None for
        a plain ``networkx.DiGraph`` given to the constructor (its changes are not counted).

        A compiled network reuses its block matrices while this key stays the same, instead
        of reading every weight's value at each call. A value set around the graph's dicts
        (``dict.__setitem__``) is not counted.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> key = net.weights_key
        >>> net.set_weights([1.0, 2.0]); net.weights_key == key
        False
        >>> key = net.weights_key
        >>> net.graph.nodes["L1.w00"]["value"] = 0.5; net.weights_key == key
        False
        >>> import networkx as nx
        >>> dagnet.Network(nx.DiGraph(net.graph)).weights_key is None
        True
        """
        if self._clock is not None:
            return (self._version, self._clock.ticks, self._clock.values)
        return None

    @property
    def inputs(self) -> tuple:
        """Network input node ids, in column order of ``X``.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([2, 3, 1]).inputs
        ('L1.x1', 'L1.x2')
        """
        return self.validate().inputs

    @property
    def outputs(self) -> tuple:
        """Network output node ids, in column order of the result.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([2, 3, 2], "tanh").outputs
        ('L2.y0', 'L2.y1')
        """
        return self.validate().outputs

    @property
    def n_inputs(self) -> int:
        """The number of inputs: columns of ``X``.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([2, 3, 1]).n_inputs
        2
        """
        return len(self.inputs)

    @property
    def n_outputs(self) -> int:
        """The number of outputs: columns of the result.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([2, 3, 4]).n_outputs
        4
        """
        return len(self.outputs)

    @property
    def layers(self) -> tuple[int, ...]:
        """The layer indices ``L`` the network uses, in order.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([1, 11, 9, 1]).layers
        (1, 2, 3)
        """
        return self.validate().layers

    @property
    def weight_nodes(self) -> tuple:
        """Weight node ids in the fixed weight order (layer, then ``j``, then ``i``).

        Examples
        --------
        >>> import dagnet
        >>> dagnet.linear(2).weight_nodes
        ('L1.w00', 'L1.w10', 'L1.w20')
        """
        return self.validate().weights

    @property
    def weight_names(self) -> tuple[str, ...]:
        """Symbol names of the weights, in the fixed order used by every weight array.

        The layer is a Roman superscript, as in the article (``w_00^I``), when the network
        has several layers.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.linear(2).weight_names
        ('w_00', 'w_10', 'w_20')
        >>> dagnet.mlp([1, 1, 1]).weight_names
        ('w_00^I', 'w_10^I', 'w_00^II', 'w_10^II')
        """
        s = self.validate()
        return tuple(s.symbol_name(self.graph, n) for n in s.weights)

    @property
    def n_weights(self) -> int:
        """The number of weights (biases included): the length of :attr:`weights`.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([1, 11, 9, 1]).n_weights   # (1+1)*11 + (11+1)*9 + (9+1)*1
        140
        """
        return len(self.weight_nodes)

    def symbol_name(self, node: str) -> str:
        """The article's symbol of ``node``, with a layer superscript when there are several.

        Parameters
        ----------
        node : str
            A node id.

        Returns
        -------
        str
            E.g. ``"v_0"`` in a one-layer network, ``"v_0^II"`` (layer 2) in a deeper one.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.linear(1).symbol_name("L1.v0"), dagnet.mlp([1, 2, 1]).symbol_name("L2.v0")
        ('v_0', 'v_0^II')
        """
        return self.validate().symbol_name(self.graph, node)

    # -- weights ------------------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        """The weight values as a float array in :attr:`weight_names` order.

        Raises
        ------
        MissingWeightError
            Some weight has no value yet.
        WeightError
            A value set directly on the graph is not a finite real number.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights({"w_00": 0.5, "w_10": 2.0})
        >>> net.weights
        array([0.5, 2. ])
        """
        order = self.weight_nodes
        attrs = self.cached("core.weight_attrs",  # the weights' attribute dicts, in order
                            lambda: list(map(adjacency(self.graph)[0].__getitem__, order)))
        values = list(map(dict.get, attrs, repeat("value")))
        if set(map(type, values)) == {float}:  # what set_weights and add_weight store
            arr = np.array(values, dtype=float)
            if np.isfinite(arr).all():
                return arr
        missing = [n for n, v in zip(order, values) if v is None]
        if missing:
            raise MissingWeightError(
                f"{len(missing)} of {len(values)} weights have no value (first: {missing[0]!r}); "
                "call net.randomize(rng=0) or net.set_weights(...), or pass weights=... explicitly"
            )
        # Values set directly on the graph (ints, numpy scalars or bad ones): check each.
        return np.array([check_weight_value(n, v) for n, v in zip(order, values)])

    def set_weights(self, values: np.ndarray | Mapping[str, float] | Iterable[float]) -> None:
        """Set weights from an array (``n_weights``,) or a mapping of names or node ids.

        Parameters
        ----------
        values : array_like or mapping
            ``n_weights`` real numbers in :attr:`weight_names` order, or a mapping from
            weight names (``"w_10"``) or node ids (``"L1.w10"``) to values; a mapping sets
            only the weights it names.

        Raises
        ------
        WeightError
            A value is not a finite real number, the array has the wrong shape, or a name is
            not a weight; nothing is set then.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights([0.5, 2.0])
        >>> net.set_weights({"w_10": -1.0})
        >>> net.weights
        array([ 0.5, -1. ])
        >>> net.set_weights([1.0])
        Traceback (most recent call last):
        ...
        dagnet.errors.WeightError: expected 2 weights (shape (2,)), got shape (1,)
        """
        order = self.weight_nodes
        nodes = self.graph.nodes
        if isinstance(values, Mapping):
            by_name = dict(zip(self.weight_names, order))
            checked = {}  # all or nothing: check every value before setting any
            for key, value in values.items():
                node = by_name.get(key, key)
                if node not in nodes or nodes[node]["kind"] != "weight":
                    raise WeightError(f"no weight named {key!r}; names are net.weight_names, "
                                      f"e.g. {self.weight_names[:3]}")
                checked[node] = check_weight_value(key, value)
            for node, value in checked.items():
                nodes[node]["value"] = value
            return
        arr = as_real_array(values, f"weights must be {len(order)} real numbers in "
                            "net.weight_names order", WeightError)
        if arr.shape != (len(order),):
            raise WeightError(f"expected {len(order)} weights (shape ({len(order)},)), "
                              f"got shape {arr.shape}")
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise WeightError(f"weight {order[bad[0]]!r} is {arr[bad[0]]}; weights must be finite")
        if self._clock is None:
            for node, value in zip(order, arr.tolist()):
                nodes[node]["value"] = value
            return
        put = dict.__setitem__  # in C, the value clock advanced once for all
        for attrs, value in zip(map(adjacency(self.graph)[0].__getitem__, order), arr.tolist()):
            put(attrs, "value", value)
        self._clock.values += 1

    def sample_weights(self, k: int | None = None, *, rng: Any = None, low: float = -1.0,
                       high: float = 1.0, max_bytes: int = MAX_ARRAY_BYTES) -> np.ndarray:
        """Draw weights uniform on ``[low, high)``, the article's random networks.

        The network is not changed: pass the draws as ``weights=`` to a compiled network
        to evaluate many random networks in one call.

        Parameters
        ----------
        k : int, optional
            The number of draws; one draw when omitted.
        rng : int or numpy.random.Generator, optional
            A seed or a generator; fresh entropy when omitted.
        low, high : float, default -1.0, 1.0
            The interval.
        max_bytes : int, default 4 GiB
            The largest stack to allocate.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_weights,)``, or ``(k, n_weights)`` with ``k``.

        Raises
        ------
        SizeLimitError
            The stack would be larger than ``max_bytes``.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(2)
        >>> net.sample_weights(4, rng=0).shape
        (4, 3)
        >>> W = net.sample_weights(1000, rng=0, low=0.0, high=0.5)
        >>> bool(W.min() >= 0.0 and W.max() < 0.5)
        True
        """
        gen = np.random.default_rng(rng)
        shape = (self.n_weights,) if k is None else (int(k), self.n_weights)
        check_size(8 * math.prod(shape), f"a weight stack of shape {shape}", max_bytes,
                   "max_bytes=...")
        return gen.uniform(low, high, size=shape)

    def randomize(self, rng: Any = None, low: float = -1.0, high: float = 1.0) -> np.ndarray:
        """Set every weight uniform on ``[low, high)`` (the article's draw) and return them.

        Parameters
        ----------
        rng : int or numpy.random.Generator, optional
            A seed or a generator; fresh entropy when omitted.
        low, high : float, default -1.0, 1.0
            The interval.

        Returns
        -------
        numpy.ndarray
            The new weights, shape ``(n_weights,)`` (also in :attr:`weights` now).

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> w = net.randomize(rng=0)
        >>> bool((net.weights == w).all()), w.round(3)
        (True, array([ 0.274, -0.46 ]))
        """
        w = self.sample_weights(rng=rng, low=low, high=high)
        self.set_weights(w)
        return w

    def copy(self) -> Network:
        """An independent copy (graph and attributes copied).

        Returns
        -------
        Network
            Changing it (weights or structure) leaves this network unchanged.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights([1.0, 2.0])
        >>> twin = net.copy()
        >>> twin.set_weights([0.0, 0.0])
        >>> net.weights
        array([1., 2.])
        """
        return Network(_tracked_copy(self.graph))

    # -- the other arrows: thin methods over the later stages ----------------------------
    def equations(self, form: str = "nodes", weights: str = "symbolic") -> list[sp.Eq]:
        """The network's sympy equations, one per node or one per layer.

        See :func:`dagnet.symbolic.equations`, which this calls.

        Parameters
        ----------
        form : {"nodes", "matrix", "indexed"}, default "nodes"
            ``"nodes"``: one equation per node (``u_ij = x_i w_ij``, ``v_j = sum_i u_ij``,
            ``y_j = f(v_j)``); ``"matrix"``: one matrix equation per dense block
            (``V1 = X W1 + 1_n B1``); ``"indexed"``: a handful per layer.
        weights : {"symbolic", "numeric"}, default "symbolic"
            Weights as symbols ``w_ij`` or as their values.

        Returns
        -------
        list of sympy.Eq
            Displayed as LaTeX in Jupyter.

        Raises
        ------
        NetworkError
            The network is invalid, or ``form``/``weights`` is not one of the choices.
        MissingWeightError
            ``weights="numeric"`` and a weight has no value.

        Examples
        --------
        >>> import dagnet
        >>> for eq in dagnet.logistic(1).equations():
        ...     print(eq)
        Eq(u_00, w_00*x_0)
        Eq(u_10, w_10*x_1)
        Eq(v_0, u_00 + u_10)
        Eq(y_0, 1/(1 + exp(-v_0)))
        """
        from ..symbolic.display import Equations
        from ..symbolic.notation import equations
        return Equations(equations(self, form=form, weights=weights))

    def expression(self, output: int = 0, weights: str = "symbolic",
                   depth: int | None = None) -> sp.Expr:
        """The output as one expression of the inputs; see :func:`dagnet.symbolic.expression`.

        Built with room for deep recursion (:func:`dagnet.core.deep.call_deep`), so a
        network of many layers works.

        Parameters
        ----------
        output : int, default 0
            Which output.
        weights : {"symbolic", "numeric"}, default "symbolic"
            Weights as symbols ``w_ij`` or as their values.
        depth : int, optional
            Substitute only this many levels of nodes (the rest stay symbols).

        Returns
        -------
        sympy.Expr

        Raises
        ------
        NetworkError
            The network is invalid or ``output`` is out of range.
        MissingWeightError
            ``weights="numeric"`` and a weight has no value.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.logistic(1).expression()
        1/(1 + exp(-(w_00 + w_10*x_1)))
        """
        from ..symbolic.notation import expression
        from .deep import call_deep
        return call_deep(expression, self, output=output, weights=weights, depth=depth)

    def latex(self, form: str = "nodes", weights: str = "symbolic", expression: bool = False,
              output: int = 0) -> str:
        """The equations as a LaTeX ``align`` block; see :func:`dagnet.symbolic.latex`.

        Parameters
        ----------
        form : {"nodes", "matrix", "indexed"}, default "nodes"
            As in :meth:`equations`.
        weights : {"symbolic", "numeric"}, default "symbolic"
            Weights as symbols ``w_ij`` or as their values.
        expression : bool, default False
            Give the output as one expression of the inputs instead.
        output : int, default 0
            Which output, with ``expression=True``.

        Returns
        -------
        str
            LaTeX text; Jupyter renders it.

        Raises
        ------
        NetworkError
            The network is invalid, or an option is not one of the choices.
        MissingWeightError
            ``weights="numeric"`` and a weight has no value.

        Examples
        --------
        >>> import dagnet
        >>> tex = dagnet.logistic(1).latex(expression=True)
        >>> print(tex.splitlines()[-2])     # the output as one expression of the input
        y_{0} &= \\frac{1}{1 + e^{- (w_{00} + x_{1} w_{10})}}
        """
        from ..symbolic.display import LatexText
        from ..symbolic.notation import latex
        return LatexText(latex(self, form=form, weights=weights, expression=expression,
                               output=output))

    def is_linear(self) -> bool:
        """True when every output is affine in the inputs; see :func:`dagnet.symbolic.is_linear`.

        The article's point: without nonlinear activations, any stack of layers collapses
        to ``y = m x + b``.

        Returns
        -------
        bool

        Raises
        ------
        NetworkError
            The network is invalid.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([1, 100, 1], activation=None).is_linear()
        True
        >>> dagnet.mlp([1, 3, 1], activation="relu").is_linear()
        False
        """
        from ..symbolic.analysis import is_linear
        return is_linear(self)

    def linear_coefficients(self, output: int = 0, weights: str = "symbolic") -> AffineForm:
        """Collapsed slopes and intercept of a linear network: ``y = sum_i m_i x_i + b``.

        See :func:`dagnet.symbolic.linear_coefficients`.

        Parameters
        ----------
        output : int, default 0
            Which output.
        weights : {"symbolic", "numeric"}, default "symbolic"
            Coefficients in the weight symbols or in their values.

        Returns
        -------
        AffineForm
            ``slopes`` (one per input) and ``intercept``.

        Raises
        ------
        NotLinearError
            The output is not affine in the inputs.

        Examples
        --------
        >>> import dagnet
        >>> form = dagnet.mlp([1, 1, 1], activation=None).linear_coefficients()
        >>> form.slopes, form.intercept
        ((w_10^I*w_10^II,), w_00^I*w_10^II + w_00^II)
        """
        from ..symbolic.analysis import linear_coefficients
        return linear_coefficients(self, output=output, weights=weights)

    def output_range(self, output: int = 0) -> tuple[float, float]:
        """Bounds of an output implied by its last activation.

        Parameters
        ----------
        output : int, default 0
            Which output.

        Returns
        -------
        tuple of float
            ``(low, high)``, infinite where the activation does not bound it.

        Raises
        ------
        NetworkError
            The network is invalid.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.mlp([1, 3, 1], "tanh").output_range(), dagnet.logistic(1).output_range()
        ((-1.0, 1.0), (0.0, 1.0))
        >>> dagnet.linear(1).output_range()
        (-inf, inf)
        """
        from ..symbolic.analysis import output_range
        return output_range(self, output=output)

    def gradient(self, X: Any, y: Any, loss: str = "mse", weights: Any = None) -> LossGradient:
        """Loss and its gradient by every weight; see :func:`dagnet.gradient`.

        Parameters
        ----------
        X : array_like
            Inputs, shape ``(n_points, n_inputs)``.
        y : array_like
            Targets, shape ``(n_points, n_outputs)`` (or ``(n_points,)`` for one output).
        loss : {"mse", "cross_entropy"}, default "mse"
            A registered loss (:func:`dagnet.loss_names`).
        weights : array_like, optional
            Weights in :attr:`weight_names` order; the network's own by default.

        Returns
        -------
        LossGradient
            ``loss`` and ``gradient`` (shape ``(n_weights,)``).

        Raises
        ------
        ShapeError
            ``X``, ``y`` or ``weights`` has the wrong shape.
        MissingWeightError
            No ``weights`` given and a weight has no value.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights([0.0, 1.0])      # y = x
        >>> g = net.gradient([[1.0], [2.0]], [[1.0], [3.0]])
        >>> float(g.loss), g.gradient        # mean of (y - t)^2 = (0 + 1) / 2
        (0.5, array([-1., -2.]))
        """
        from ..compiled.backprop import gradient
        return gradient(self, X, y, loss=loss, weights=weights)

    def compile(self, **options: Any) -> CompiledNetwork:
        """Compile to a fast numpy callable; see :func:`dagnet.compiled.compile_network`.

        Parameters
        ----------
        **options
            Passed to :func:`dagnet.compiled.compile_network` (``backend``,
            ``chunk_rows``, ...).

        Returns
        -------
        CompiledNetwork
            ``f(X)`` gives shape ``(n_points, n_outputs)``; ``f(X, weights=W)`` with ``W``
            of shape ``(k, n_weights)`` gives ``(k, n_points, n_outputs)``.

        Raises
        ------
        NetworkError
            The network is invalid.

        Examples
        --------
        >>> import numpy as np, dagnet
        >>> net = dagnet.mlp([1, 3, 1], "tanh", rng=0)
        >>> f = net.compile()
        >>> f(np.zeros((5, 1))).shape, f(np.zeros((5, 1)), weights=net.sample_weights(7)).shape
        ((5, 1), (7, 5, 1))
        """
        from ..compiled.forward import compile_network
        return compile_network(self, **options)

    def diagram(self, style: str = "explicit", **options: Any) -> graphviz.Digraph:
        """The network drawn with Graphviz; see :func:`dagnet.draw.diagram`.

        Parameters
        ----------
        style : {"explicit", "simplified"}, default "explicit"
            Every box of the article (``"explicit"``), or circles and lines.
        **options
            Drawing options of :func:`dagnet.draw.diagram` (``theme``, ``max_width``, ...).

        Returns
        -------
        graphviz.Digraph
            Jupyter shows it inline; ``.source`` is the DOT text.

        Raises
        ------
        DiagramError
            An unknown style or option.

        Examples
        --------
        >>> import dagnet
        >>> g = dagnet.linear(1).diagram("simplified")
        >>> g.source.startswith("digraph dagnet {")
        True
        """
        from ..draw.render import diagram
        return diagram(self, style, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """Jupyter display: the diagram as SVG when Graphviz's ``dot`` exists; never raises."""
        from ..draw.render import repr_mimebundle
        return repr_mimebundle(self, include=include, exclude=exclude)

    def __repr__(self) -> str:
        try:
            s = self.validate()
        except DagnetError:
            return (f"Network(unvalidated: {self.graph.number_of_nodes()} nodes, "
                    f"{self.graph.number_of_edges()} edges)")
        return (f"Network(inputs={len(s.inputs)}, outputs={len(s.outputs)}, "
                f"layers={len(s.layers)}, weights={len(s.weights)})")


def built_network(graph: nx.DiGraph) -> Network:
    """Wrap a graph a builder has just assembled, with its structure known from the start.

    The builders (:func:`~dagnet.mlp`) write every attribute themselves, so the graph is
    checked by :func:`~dagnet.core.structure.validate_built` (wiring, order and symbols, no
    per-attribute pass) and the :class:`Structure` is cached at once: drawing, compiling or
    printing the new network does not validate it again until it changes.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`tracked_graph`, not yet seen by anyone else.

    Returns
    -------
    Network
        The network, validated.

    Raises
    ------
    NetworkError
        If the builder made an invalid graph (a bug in the builder).

    Examples
    --------
    >>> G = tracked_graph([("x", {"kind": "input", "layer": 1, "index": 1}),
    ...                    ("w", {"kind": "weight", "layer": 1, "i": 1, "j": 1}),
    ...                    ("v", {"kind": "sum", "layer": 1, "index": 1})],
    ...                   [("x", "w", {}), ("w", "v", {})])
    >>> built_network(G)
    Network(inputs=1, outputs=1, layers=1, weights=1)
    """
    net = Network(graph)
    net._structure(validate_built)
    return net


def as_network(obj: Any) -> Network:
    """The :class:`Network` that ``obj`` is or describes: the one coercion of every public API.

    Parameters
    ----------
    obj : Network or networkx.DiGraph
        A network, returned as is, or a ``networkx.DiGraph`` following the schema of
        :mod:`dagnet.core.graph`, wrapped by :meth:`Network.from_graph` (a validated copy
        with the attributes its structure implies filled in; ``obj`` is not changed).

    Returns
    -------
    Network

    Raises
    ------
    NetworkError
        ``obj`` is neither (the message names its type and the fix), or the DiGraph is not a
        valid network (a subclass names the node).

    Examples
    --------
    >>> import networkx as nx, dagnet
    >>> net = dagnet.linear(1)
    >>> as_network(net) is net
    True
    >>> as_network(net.graph)
    Network(inputs=1, outputs=1, layers=1, weights=2)
    >>> as_network([1, 2])
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkError: expected a dagnet.Network or a networkx.DiGraph, got list; ...
    """
    if isinstance(obj, Network):
        return obj
    if isinstance(obj, nx.DiGraph) and not obj.is_multigraph():
        return Network.from_graph(obj)
    hint = ("collapse parallel edges with networkx.DiGraph(G)" if isinstance(obj, nx.DiGraph)
            else "a network is directed: build a networkx.DiGraph" if isinstance(obj, nx.Graph)
            else "build one with dagnet.mlp(...), dagnet.Network() or "
                 "dagnet.from_sklearn/from_torch/from_onnx")
    raise NetworkError(f"expected a dagnet.Network or a networkx.DiGraph, got "
                       f"{type(obj).__name__}; {hint}")
