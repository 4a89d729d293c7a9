"""The graph's schema and its check: node kinds, the article's names, :func:`validate`.

What every :class:`~dagnet.Network` graph must satisfy (the attribute table is in
:mod:`dagnet.core.graph`): :data:`KINDS` are the article's boxes; :func:`node_name` and
:func:`roman` spell a node's symbol (``w_10``, layer ``II``); :func:`validate`
checks kinds, attributes and wiring (weights feed one sum, outputs are sinks, no
cycle, every node leads to an output, no two nodes share a symbol) and returns
the :class:`Structure` it learned: the topological order, layers, inputs,
outputs and the fixed weight order (layer, then ``j``, then ``i``).

Examples
--------
>>> import dagnet
>>> from dagnet.core.structure import node_name, validate
>>> s = validate(dagnet.linear(2).graph)
>>> s.inputs, s.weights
(('L1.x1', 'L1.x2'), ('L1.w00', 'L1.w10', 'L1.w20'))
>>> node_name({"kind": "weight", "i": 12, "j": 3})
'w_12,3'
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import re
from collections.abc import Callable, Iterator, Mapping
from itertools import chain
from numbers import Real
from typing import Any

import networkx as nx
import numpy as np

from ..errors import (
    CycleError,
    DanglingNodeError,
    DuplicateNodeError,
    NetworkError,
    NodeKindError,
    WeightError,
    WiringError,
)
from .activations import get_activation

__all__ = ["KINDS", "Structure", "validate", "roman", "node_name", "check_weight_value",
           "check_index", "index_pair", "adjacency", "check_name", "check_node_id",
           "NAME_PATTERN", "all_fullmatch"]

#: The node kinds, exactly the article's boxes.
KINDS = ("input", "bias", "weight", "sum", "activation", "output")


@functools.lru_cache(maxsize=256)
def roman(n: int) -> str:
    """Roman numeral for a layer index, as the article labels layers.

    >>> roman(1), roman(2), roman(4), roman(14)
    ('I', 'II', 'IV', 'XIV')
    """
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def index_pair(i: int, j: int) -> str:
    """The two indices of ``w_ij`` as written in names: ``10``, or ``12,3`` past 9.

    >>> index_pair(1, 0), index_pair(12, 3)
    ('10', '12,3')
    """
    return f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"


def node_name(attrs: Mapping[str, Any]) -> str:
    """The article's symbol for a node (without layer), e.g. ``x_1``, ``w_10``, ``v_0``."""
    kind = attrs["kind"]
    if kind == "weight":
        return f"w_{index_pair(attrs['i'], attrs['j'])}"
    letter = {"input": "x", "bias": "x", "sum": "v", "activation": "y", "output": "o"}[kind]
    return f"{letter}_{attrs['index']}"


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a graph is assembled or checked in bulk.

    Assembling a 100k-node graph allocates three dicts per node and one per edge, none of
    them garbage; the collector, triggered by allocation counts, would traverse the whole
    growing heap several times, about half of the assembly's time (the trick Mercurial's
    ``util.nogc`` uses). Reference counting still frees everything as usual, and the
    collector is switched back on (if it was on) however the block ends.

    Returns
    -------
    contextmanager
        A ``with`` block during which the cyclic collector is off.

    Examples
    --------
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


#: A node's ``name`` (its symbol without layer): ASCII letters, then ``_`` and indices.
NAME_PATTERN = r"[A-Za-z][A-Za-z0-9]{0,15}(_[A-Za-z0-9,]{1,24})?"
_NAME = re.compile(NAME_PATTERN).fullmatch
#: The letters of the notation: each kind's own, and ``u`` of a weighted input ``x_i w_ij``.
_LETTERS = {"input": "x", "bias": "x", "weight": "w", "sum": "v", "activation": "y",
            "output": "o"}
_NOTATION = frozenset("xwvyou")
_GOOD_NAMES: set[tuple[str, str]] = set()  # (kind, name) pairs already checked


def check_name(node: Any, kind: str, name: Any) -> None:
    """Raise :class:`~dagnet.NetworkError` unless ``name`` is a safe symbol for a ``kind`` node.

    A name is written into LaTeX, DOT, HTML and Python text, so it is a plain word
    (:data:`NAME_PATTERN`: ASCII letters and digits, ``_``, ``,``), and it may not start
    with another kind's letter of the notation (``u_00`` for a sum would read as a
    weighted input).

    Examples
    --------
    >>> check_name("L1.v0", "sum", "v_0")
    >>> check_name("L1.v0", "sum", "u_00")
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkError: node 'L1.v0' (sum) has the name 'u_00', which reads as ...
    """
    if (kind, name) in _GOOD_NAMES if type(name) is str else False:
        return
    if type(name) is not str or not _NAME(name):
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
        raise NetworkError(
            f"node {node!r} ({kind}) has the name {shown}; a name is ASCII letters and digits, "
            "then '_' and indices (such as 'x_1' or 'w_12,3'): fix it or delete it"
        )
    head = name.partition("_")[0]
    if head in _NOTATION and head != _LETTERS[kind]:
        raise NetworkError(
            f"node {node!r} ({kind}) has the name {name!r}, which reads as another kind's "
            f"symbol in the equations; a {kind} node's name starts with "
            f"{_LETTERS[kind]!r} or a letter outside {', '.join(sorted(_NOTATION))}"
        )
    if len(_GOOD_NAMES) > 65536:
        _GOOD_NAMES.clear()
    _GOOD_NAMES.add((kind, name))


def check_node_id(node: Any) -> None:
    """Raise :class:`~dagnet.NetworkError` for a text id that cannot be written as UTF-8.

    >>> check_node_id("L1.x1")
    >>> check_node_id(chr(0xD800))
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkError: node id '\\ud800' is not valid Unicode text ...
    """
    if type(node) is str and not node.isascii():
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            raise NetworkError(
                f"node id {node!r} is not valid Unicode text (a lone surrogate) and cannot "
                "be saved or drawn; rename the node"
            ) from None


#: The largest layer and index a node may have (names, Roman numerals and tables stay small).
MAX_LAYER, MAX_INDEX = 10_000, 10**9


def check_index(node: Any, attrs: Mapping[str, Any], key: str, low: int) -> None:
    """Raise :class:`~dagnet.NetworkError` unless ``attrs[key]`` is an integer from ``low`` to
    :data:`MAX_LAYER` (``layer``) or :data:`MAX_INDEX` (the indices)."""
    value = attrs.get(key)
    high = MAX_LAYER if key == "layer" else MAX_INDEX
    if (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low
            or value > high):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise NetworkError(
            f"node {node!r} ({attrs.get('kind')}) needs an integer {key!r} >= {low}, got "
            f"{shown} (at most {high}); set it with G.nodes[{node!r}][{key!r}] = ..."
        )


def check_weight_value(node: Any, value: Any) -> float:
    """Return ``value`` as a finite float or raise :class:`WeightError` naming ``node``."""
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise WeightError(f"weight {node!r} must be a real number, got {value!r}")
    try:
        value = float(value)
    except OverflowError:  # a Python int beyond float64
        raise WeightError(f"weight {node!r} is an integer of {len(str(value))} digits, too "
                          "large for a float (about 1.8e308 at most)") from None
    if not math.isfinite(value):
        raise WeightError(f"weight {node!r} is {value}; weights must be finite numbers")
    return value


# -- bulk passes: decide "all good" for the whole graph in a few C-speed sweeps -----------
# Each returns False when it cannot vouch for every node; validate() then runs the per-node
# check, which raises the first problem with its message (or passes: the bulk pass is only
# conservative, e.g. for numpy integers).
_KIND_CODE = {k: c for c, k in enumerate(KINDS)}
_KIND_SET = frozenset(KINDS)
_INPUT, _BIAS, _WEIGHT, _SUM, _ACTIVATION, _OUTPUT = range(len(KINDS))


def _ints_within(values: list, low: int, high: int) -> bool:
    return not values or (set(map(type, values)) == {int} and low <= min(values)
                          and max(values) <= high)


def all_fullmatch(body: str) -> Callable[[list[str]], bool]:
    """Whether every string of a list fully matches the regex ``body``, in one call.

    The strings are joined by ``\\n`` and the lines that ``^body$`` matches (multiline) are
    counted by one :meth:`re.Pattern.subn`: C speed for a column of 100k names, where one
    match per string costs a Python call each (and a single match of ``body`` repeated with
    ``\\n`` between keeps a backtracking state per line: 2-4x slower at 1e6 lines). Only
    sound when ``body`` matches no text holding a newline (the caller's promise): then
    every match is one whole line. A string holding a newline is refused.

    Parameters
    ----------
    body : str
        A regular expression, unanchored, that cannot match a newline.

    Returns
    -------
    callable
        ``all_match(strings) -> bool``; True for an empty list.

    Examples
    --------
    >>> all_match = all_fullmatch("[a-z]+[0-9]*")
    >>> all_match(["x1", "w10", "bias"]), all_match(["x1", "W"]), all_match(["x\\n1"])
    (True, False, False)
    """
    lines = re.compile(f"^(?:{body})$", re.MULTILINE).subn

    def all_match(strings: list[str]) -> bool:
        text = "\n".join(strings)  # a string holding a newline would pass as two: refused
        return not strings or (text.count("\n") == len(strings) - 1
                               and lines("", text)[1] == len(strings))

    return all_match


@functools.cache
def _names_match() -> Callable[[list[str]], bool]:
    """:func:`all_fullmatch` of lines ``letter + name`` (the letter of the node's kind,
    :data:`_LETTERS`) for every name that :func:`check_name` accepts for that kind."""
    heads = "|".join(f"{letter}(?![{''.join(sorted(_NOTATION - {letter}))}](?:_|\\n|\\Z))"
                     for letter in sorted(set(_LETTERS.values())))
    return all_fullmatch(f"(?:{heads}){NAME_PATTERN}")


def _names_ok(kinds: list, attrs: list) -> bool:
    names = [a.get("name") for a in attrs]
    if not set(map(type, names)) <= {str, type(None)}:
        return False
    return _names_match()([letter + name for letter, name
                           in zip(map(_LETTERS.__getitem__, kinds), names) if name is not None])


def _attributes_ok(ids: list, attrs: list, kinds: list) -> bool:
    """:func:`_check_attributes` of every node, in bulk."""
    try:
        if set(map(type, kinds)) != {str} or not set(kinds) <= _KIND_SET:
            return False
        weights = [a for a, k in zip(attrs, kinds) if k == "weight"]
        others = [a for a, k in zip(attrs, kinds) if k != "weight"]
        values = [v for v in (a.get("value") for a in weights) if v is not None]
        acts = {a.get("activation") for a, k in zip(attrs, kinds) if k == "activation"}
        if not (_ints_within([a.get("layer") for a in attrs], 1, MAX_LAYER)
                and _ints_within([a.get("i") for a in weights], 0, MAX_INDEX)
                and _ints_within([a.get("j") for a in weights], 0, MAX_INDEX)
                and _ints_within([a.get("index") for a in others], 0, MAX_INDEX)
                and set(map(type, values)) <= {float}
                and np.isfinite(np.array(values, dtype=float)).all()
                and _names_ok(kinds, attrs)
                and "".join(n for n in ids if type(n) is str).isascii()
                and None not in acts):
            return False
        for name in acts:
            get_activation(name)
    except Exception:  # an unhashable or unknown value: the per-node check says which
        return False
    return True


def _wiring_ok(codes: np.ndarray, indeg: np.ndarray, outdeg: np.ndarray, dst: np.ndarray) -> bool:
    """:func:`_check_wiring` of every node (and every edge), in bulk."""
    kind = codes
    src_kind, dst_kind = np.repeat(kind, outdeg), kind[dst]
    one_in = (kind == _WEIGHT) | (kind == _ACTIVATION) | (kind == _OUTPUT)
    bad = (((kind == _BIAS) & (indeg > 0)) | ((kind == _INPUT) & (indeg > 1))
           | (one_in & (indeg != 1)) | ((kind == _SUM) & (indeg == 0))
           | ((kind == _OUTPUT) & (outdeg > 0)) | ((kind == _WEIGHT) & (outdeg != 1)))
    bad_edge = (src_kind == _OUTPUT) | ((src_kind == _WEIGHT) & (dst_kind != _SUM))
    return not (bad.any() or bad_edge.any())


class _Columns:
    """The graph as columns in node order: ids, attribute dicts, kinds, degrees, and the
    successors of all nodes as one array of node positions (CSR, in adjacency order)."""

    def __init__(self, G: nx.DiGraph):
        node, pred, succ = adjacency(G)
        self.ids = list(node)
        self.attrs = list(node.values())
        self.kinds = [a.get("kind") for a in self.attrs]
        # networkx adds and removes a node in _node, _pred and _succ together, so the three
        # are in one order; checked (one C-speed list comparison) before reading in bulk.
        in_order = list(pred) == self.ids and list(succ) == self.ids
        preds = pred.values() if in_order else map(pred.__getitem__, self.ids)
        succs = succ.values() if in_order else map(succ.__getitem__, self.ids)
        self.indeg = np.fromiter(map(len, preds), np.intp, len(self.ids))
        self.outdeg = np.fromiter(map(len, succs), np.intp, len(self.ids))
        self.pos = dict(zip(self.ids, range(len(self.ids))))
        self.order: np.ndarray | None = None  # positions in topological order, once known
        self.weight_order: np.ndarray | None = None  # positions of the weights, in order
        succs = succ.values() if in_order else map(succ.__getitem__, self.ids)
        self.dst = np.fromiter(map(self.pos.__getitem__, chain.from_iterable(succs)), np.intp,
                               int(self.outdeg.sum()))

    @functools.cached_property
    def src(self) -> np.ndarray:
        """The source position of every edge of :attr:`dst`."""
        return np.repeat(np.arange(len(self.ids)), self.outdeg)

    @functools.cached_property
    def codes(self) -> np.ndarray:
        """Each node's kind as its position in :data:`KINDS` (the kinds must be valid)."""
        return np.array([_KIND_CODE[k] for k in self.kinds], dtype=np.int8)


class Structure:
    """What validation learns about a graph: inputs, outputs, weights, order.

    Made by :func:`validate` (and :meth:`Network.validate`, which caches it); the later
    stages read it instead of walking the graph again.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph that passed the schema checks.
    order : tuple
        Its node ids in a topological order.
    cols : _Columns, optional
        The graph as arrays, when :func:`validate` has them already (else made here).

    Attributes
    ----------
    inputs, outputs : tuple
        Network input and output node ids, in column order.
    weights : tuple
        Weight node ids in the fixed weight order (layer, ``j``, ``i``).
    layers : tuple of int
        The layer indices used.
    built : bool
        Whether the attributes were written by a builder and not checked again
        (:func:`validate_built`); False after :func:`validate`, which checks them.
    columns : _Columns
        The graph as arrays (node ids, attribute dicts, kinds, degrees, successors), which
        the block planner reads.

    Examples
    --------
    >>> import dagnet
    >>> s = dagnet.validate(dagnet.linear(1).graph)
    >>> s.inputs, s.outputs, s.weights
    (('L1.x1',), ('L1.v0',), ('L1.w00', 'L1.w10'))
    """

    def __init__(self, G: nx.DiGraph, order: tuple, cols: _Columns | None = None):
        cols = cols or _Columns(G)
        ids, attrs, kinds = cols.ids, cols.attrs, cols.kinds
        self.order: tuple = order
        layer = [a["layer"] for a in attrs]
        self.layers: tuple[int, ...] = tuple(sorted(set(layer)))

        def by_place(nodes: Any) -> tuple:
            return tuple(sorted(nodes, key=lambda k: (layer[k], attrs[k]["index"], str(ids[k]))))

        self.inputs: tuple = tuple(ids[k] for k in by_place(
            k for k in np.flatnonzero(cols.indeg == 0).tolist() if kinds[k] == "input"))
        marked = [k for k, kind in enumerate(kinds) if kind == "output"]
        self.outputs: tuple = tuple(ids[k] for k in by_place(
            marked or np.flatnonzero(cols.outdeg == 0).tolist()))
        cols.weight_order = _weight_order(ids, attrs, kinds)
        self.weights: tuple = tuple(map(ids.__getitem__, cols.weight_order.tolist()))
        if cols.order is None or len(cols.order) != len(order):  # an order made elsewhere
            cols.order = np.fromiter(map(cols.pos.__getitem__, order), np.intp, len(order))
        self.layered_names = len(self.layers) > 1
        self.built = False  # set by validate_built
        self.columns = cols  # for the block planner: the graph as arrays

    def output_node(self, output: Any) -> Any:
        """The node id of output number ``output``, checked.

        Parameters
        ----------
        output : int
            An output number, ``0 <= output < len(outputs)``.

        Returns
        -------
        hashable
            ``outputs[output]``.

        Raises
        ------
        NetworkError
            ``output`` is not an int in range (the message gives the range).

        Examples
        --------
        >>> import dagnet
        >>> s = dagnet.mlp([1, 2], rng=0).validate()
        >>> s.output_node(1)
        'L1.y1'
        >>> s.output_node(5)
        Traceback (most recent call last):
        ...
        dagnet.errors.NetworkError: output must be an int in [0, 2), got 5
        """
        n = len(self.outputs)
        if (not isinstance(output, (int, np.integer)) or isinstance(output, bool)
                or not 0 <= output < n):
            raise NetworkError(f"output must be an int in [0, {n}), got {output!r}")
        return self.outputs[int(output)]

    def symbol_name(self, G: nx.DiGraph, n: Any) -> str:
        """The article's symbol of node ``n``: its name, with the layer as a Roman
        superscript when the network has several layers.

        Parameters
        ----------
        G : networkx.DiGraph
            The graph this structure describes.
        n : hashable
            A node id of ``G``.

        Returns
        -------
        str

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.mlp([1, 2, 1])
        >>> net.validate().symbol_name(net.graph, "L2.w10")
        'w_10^II'
        """
        attrs = adjacency(G)[0][n]
        name = attrs.get("name") or node_name(attrs)
        return f"{name}^{roman(attrs['layer'])}" if self.layered_names else name


def _weight_order(ids: list, attrs: list, kinds: list) -> np.ndarray:
    """The positions of the weight nodes sorted by (layer, ``j``, ``i``, ``str(node)``): one
    numpy lexsort, or Python's sort when two weights tie on the numbers."""
    w = [k for k, kind in enumerate(kinds) if kind == "weight"]
    if not w:
        return np.zeros(0, dtype=np.intp)
    keys = [np.array([attrs[k][key] for k in w], dtype=np.int64) for key in ("i", "j", "layer")]
    rank = np.lexsort(keys)
    ranked = np.stack([key[rank] for key in keys])
    if (np.diff(ranked, axis=1) == 0).all(axis=0).any():  # a tie: str(node) decides
        a = [attrs[k] for k in w]
        rank = np.array(sorted(range(len(w)), key=lambda k: (
            a[k]["layer"], a[k]["j"], a[k]["i"], str(ids[w[k]]))), dtype=np.intp)
    return np.array(w, dtype=np.intp)[rank]


def validate(G: nx.DiGraph) -> Structure:
    """Check that ``G`` follows dagnet's schema; return its :class:`Structure`.

    ``G`` must already carry every attribute (``kind``, ``layer``, ``index``, ...); to have
    the implied ones filled in, use :meth:`Network.from_graph`.

    Parameters
    ----------
    G : networkx.DiGraph
        The graph to check; it is not changed.

    Returns
    -------
    Structure
        Its inputs, outputs, weight order and layers.

    Raises
    ------
    NetworkError
        A subclass naming the first problem found and its fix (:class:`CycleError`,
        :class:`NodeKindError`, :class:`WiringError`, :class:`DanglingNodeError`, ...).

    Examples
    --------
    >>> import networkx as nx, dagnet
    >>> G = nx.DiGraph([("a", "b"), ("b", "a")])
    >>> nx.set_node_attributes(G, "sum", "kind")
    >>> nx.set_node_attributes(G, 1, "layer")
    >>> nx.set_node_attributes(G, 0, "index")
    >>> dagnet.validate(G)
    Traceback (most recent call last):
    ...
    dagnet.errors.CycleError: the network has a cycle a -> b -> a; ...
    """
    with paused_gc():  # bulk passes over every node: many containers, none garbage
        return _validate(G)


def validate_built(G: nx.DiGraph) -> Structure:
    """:func:`validate` of a graph dagnet's own builders assembled, without the attribute checks.

    A builder (:func:`~dagnet.mlp`) writes every node's ``kind``, indices, name and
    activation itself from arguments it has already checked, so the per-attribute pass
    (40% of validation on 784-128-10) would only repeat them; the wiring, the order, the
    reach of the outputs and the uniqueness of the symbols are still checked, and the result
    is the :class:`Structure` that :func:`validate` returns.

    Parameters
    ----------
    G : networkx.DiGraph
        A graph just assembled by a builder, not yet seen by anyone else.

    Returns
    -------
    Structure
        The same structure :func:`validate` returns for ``G``.

    Raises
    ------
    NetworkError
        As :func:`validate`, for a wiring, order or symbol problem.

    Examples
    --------
    >>> import dagnet
    >>> G = dagnet.linear(2).graph
    >>> validate_built(G).weights == validate(G).weights
    True
    """
    with paused_gc():
        return _validate(G, attributes=False)


def _validate(G: nx.DiGraph, attributes: bool = True) -> Structure:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise NetworkError(f"a network is a networkx.DiGraph, got {type(G).__name__}")
    if G.number_of_nodes() == 0:
        raise DanglingNodeError("the network is empty; add input, weight and sum nodes first")
    node, pred, succ = adjacency(G)
    cols = _Columns(G)  # bulk passes first; the per-node checks name the first problem
    if attributes and not _attributes_ok(cols.ids, cols.attrs, cols.kinds):
        for n, attrs in node.items():
            _check_attributes(n, attrs)
    order = _acyclic_order(G, cols)
    if not _wiring_ok(cols.codes, cols.indeg, cols.outdeg, cols.dst):
        for n, attrs in node.items():
            if not _well_wired_weight(node, pred[n], succ[n], attrs):
                _check_wiring(G, n, attrs["kind"])
    s = Structure(G, order, cols)
    s.built = not attributes
    if not s.inputs:
        raise DanglingNodeError("the network has no input node; add one with net.add_input(1)")
    marked = "output" in cols.kinds  # else the outputs are the sinks, which all nodes reach
    if marked and any(k != "output" for k in map(cols.kinds.__getitem__,
                                                 np.flatnonzero(cols.outdeg == 0).tolist())):
        _check_reaches_an_output(G, s)  # a sink that is no output: name the first in order
    layers = [a["layer"] for a in cols.attrs]
    names = [a.get("name") or node_name(a) for a in cols.attrs]
    if len(set(map("{}\0{}".format, names, layers))) < len(names):  # the symbol, as text
        _check_unique_symbols(G, s)
    return s


def adjacency(G: nx.DiGraph) -> tuple[dict, dict, dict]:
    """The node-attribute, predecessor and successor dicts of a DiGraph, unwrapped.

    networkx keeps a DiGraph as plain dicts (``G._node``, ``G._pred``, ``G._succ``, the
    data structure its documentation describes); its public views wrap each lookup and
    cost ~1 us per call, which a 266k-node network pays hundreds of thousands of times in
    validation and planning. This is the one place dagnet reads them directly; treat the
    dicts as read-only.

    Examples
    --------
    >>> import dagnet
    >>> node, pred, succ = adjacency(dagnet.linear(1).graph)
    >>> node["L1.x1"]["kind"], list(succ["L1.x1"]), list(pred["L1.v0"])
    ('input', ['L1.w10'], ['L1.w00', 'L1.w10'])
    """
    return G._node, G._pred, G._succ


def _check_attributes(n: Any, attrs: Mapping[str, Any]) -> None:
    """The kind, integer indices, weight value and activation name of one node."""
    kind = attrs.get("kind")
    if type(kind) is not str or kind not in KINDS:
        raise NodeKindError(
            f"node {n!r} has kind {kind!r}; every node needs a 'kind' among {', '.join(KINDS)}"
        )
    # Fast paths (plain ints, finite floats) first: a 2-256x3-1 net has 132k weights.
    if type(attrs.get("layer")) is not int or not 1 <= attrs["layer"] <= MAX_LAYER:
        check_index(n, attrs, "layer", 1)
    if kind == "weight":
        for key in ("i", "j"):
            if type(attrs.get(key)) is not int or not 0 <= attrs[key] <= MAX_INDEX:
                check_index(n, attrs, key, 0)
        value = attrs.get("value")
        if value is not None and (type(value) is not float or value - value != 0.0):
            check_weight_value(n, value)
    elif type(attrs.get("index")) is not int or not 0 <= attrs["index"] <= MAX_INDEX:
        check_index(n, attrs, "index", 0)
    name = attrs.get("name")  # None: no name, the symbol is made from the indices
    if name is not None and (type(name) is not str or (kind, name) not in _GOOD_NAMES):
        check_name(n, kind, name)
    if type(n) is not str or not n.isascii():
        check_node_id(n)
    if kind == "activation":
        if attrs.get("activation") is None:
            raise NetworkError(f"activation node {n!r} has no 'activation' attribute; "
                               "set it to a name such as 'tanh'")
        get_activation(attrs["activation"])


def _acyclic_order(G: nx.DiGraph, cols: _Columns | None = None) -> tuple:
    """The topological order, or a :class:`CycleError` that shows one cycle."""
    try:
        return _topological_order(G, cols)
    except nx.NetworkXUnfeasible:
        cycle = [u for u, _ in nx.find_cycle(G)]
        path = " -> ".join(map(str, [*cycle, cycle[0]]))
        raise CycleError(
            f"the network has a cycle {path}; a network must be a DAG: remove one of these edges"
        ) from None


def _well_wired_weight(node: dict, preds: dict, succs: dict, attrs: Mapping[str, Any]) -> bool:
    """The common case, decided without a call to :func:`_check_wiring`: a weight with one
    input (not an output or weight) and one successor, a sum."""
    return (attrs["kind"] == "weight" and len(preds) == 1 and len(succs) == 1
            and node[next(iter(succs))]["kind"] == "sum"
            and node[next(iter(preds))]["kind"] not in ("output", "weight"))


def _check_reaches_an_output(G: nx.DiGraph, s: Structure) -> None:
    """One backward sweep: every node leads to an output."""
    node, _, succ = adjacency(G)
    reach = set(s.outputs)
    for n in reversed(s.order):
        if n not in reach and reach.isdisjoint(succ[n]):
            raise DanglingNodeError(
                f"node {n!r} ({node[n]['kind']}) does not lead to any output; "
                "connect it onward or remove it"
            )
        reach.add(n)


def _check_unique_symbols(G: nx.DiGraph, s: Structure) -> None:
    """No two nodes share a symbol (``w_10`` of layer I, say)."""
    seen: dict[str, Any] = {}
    for n in s.order:
        name = s.symbol_name(G, n)
        if name in seen:
            raise DuplicateNodeError(
                f"nodes {seen[name]!r} and {n!r} share the symbol {name}; give them different "
                "'index' (or 'i'/'j') attributes"
            )
        seen[name] = n


#: Generations with at most this many out-edges are walked in Python (see below).
_SMALL_GENERATION = 64


def _topological_order(G: nx.DiGraph, cols: _Columns | None = None) -> tuple:
    """``tuple(nx.topological_sort(G))``, node for node, by generations in numpy.

    Kahn's algorithm by generations, in networkx's order: the sources in node order, then
    each generation's children in the order their last parent releases them (the last
    place a child appears among the generation's out-edges, taken in node and adjacency
    order). Small generations (a deep, thin network) are walked in Python.
    """
    cols = cols or _Columns(G)
    n = len(cols.ids)
    start = np.zeros(n + 1, dtype=np.intp)
    np.cumsum(cols.outdeg, out=start[1:])
    left = cols.indeg.copy()
    generation = np.flatnonzero(left == 0)
    done: list[np.ndarray] = []
    while generation.size:
        done.append(generation)
        counts = cols.outdeg[generation]
        total = int(counts.sum())
        if total <= _SMALL_GENERATION:  # a few edges: numpy's per-call cost dominates
            following = []
            for g in generation.tolist():
                for child in cols.dst[start[g]:start[g + 1]].tolist():
                    left[child] -= 1
                    if not left[child]:
                        following.append(child)
            generation = np.array(following, dtype=np.intp)
            continue
        first = np.repeat(start[generation] - np.cumsum(counts) + counts, counts)
        children = cols.dst[first + np.arange(total)]
        seen, where, times = np.unique(children[::-1], return_index=True, return_counts=True)
        left[seen] -= times
        free = left[seen] == 0
        last = total - 1 - where[free]  # where each released child's last parent is
        generation = seen[free][np.argsort(last)]
    if sum(map(len, done)) < n:
        raise nx.NetworkXUnfeasible("Graph contains a cycle")
    cols.order = np.concatenate(done)
    return tuple(map(cols.ids.__getitem__, cols.order.tolist()))


def _check_wiring(G: nx.DiGraph, n: Any, kind: str) -> None:
    node, pred, succ = adjacency(G)
    preds, succ = pred[n], succ[n]
    ins, outs = len(preds), len(succ)
    if kind == "bias" and ins:
        raise WiringError(f"bias node {n!r} has an input; a bias is always 1: remove its in-edges")
    if kind == "input" and ins > 1:
        raise WiringError(
            f"pass-through node {n!r} has {ins} inputs; it passes on at most one value: "
            "add a sum node to combine them"
        )
    if kind in ("weight", "activation", "output") and ins != 1:
        raise WiringError(f"{kind} node {n!r} has {ins} inputs; it needs exactly one")
    if kind == "sum" and ins == 0:
        raise WiringError(f"sum node {n!r} has no input; connect weight nodes into it")
    if kind == "output" and outs:
        raise WiringError(f"output node {n!r} has out-edges; an output must be a sink")
    if kind == "weight":
        if outs != 1 or node[next(iter(succ))]["kind"] != "sum":
            raise WiringError(
                f"weight node {n!r} feeds {list(succ)!r}; a weight feeds exactly one sum node"
            )
    for p in preds:
        pk = node[p]["kind"]
        if pk == "output" or (pk == "weight" and kind != "sum"):
            raise WiringError(f"edge {p!r} -> {n!r}: a {pk} node cannot feed a {kind} node")
