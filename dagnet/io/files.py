"""Network files: save and load networks, GraphML, and exports (DOT, LaTeX, numpy source).

A network file is JSON: networkx *node-link* data (``directed``, ``multigraph``,
``graph``, ``nodes``, ``edges``) plus a ``dagnet`` header naming the format and
its version. Every node is one object with its id and its attributes (see
:mod:`dagnet.core.graph`); a weight node without ``value`` is unset. Keys are sorted
and nodes and edges come in natural order of their ids, one per line, so the
same network gives the same text on every run. The format is published as a
JSON Schema, ``dagnet/io/network-v1.schema.json`` (:func:`schema`).

Loading treats a file as data, never as code: the text is parsed by :mod:`json`
(no ``eval``, no pickle, no sympy parsing), checked against the schema in one pass
(:func:`dagnet.io.schema_check.schema_problem`), checked for sizes and nesting, and the
graph is then validated by :func:`dagnet.validate` like any other graph, once. Activation names are
looked up in the registry only. Every problem is a :class:`~dagnet.DagnetError`
(:class:`~dagnet.NetworkFileError` for the file itself). Every file is written
atomically: a failed write leaves the previous file intact.

Examples
--------
>>> import os, tempfile, numpy as np, dagnet
>>> from dagnet import io
>>> net = dagnet.mlp([1, 2, 1], rng=0)
>>> path = io.save(net, os.path.join(tempfile.mkdtemp(), "net.json"))
>>> back = io.load(path)
>>> bool(np.array_equal(back.weights, net.weights))
True
>>> print(io.to_json(dagnet.linear(1)), end="")
{"dagnet": {"format": "network", "version": 1},
 "directed": true,
 "edges": [
  {"source": "L1.w00", "target": "L1.v0"},
  {"source": "L1.w10", "target": "L1.v0"},
  {"source": "L1.x0", "target": "L1.w00"},
  {"source": "L1.x1", "target": "L1.w10"}
 ],
 "graph": {},
 "multigraph": false,
 "nodes": [
  {"id": "L1.v0", "index": 0, "kind": "sum", "layer": 1, "name": "v_0"},
  {"i": 0, "id": "L1.w00", "j": 0, "kind": "weight", "layer": 1, "name": "w_00"},
  {"i": 1, "id": "L1.w10", "j": 0, "kind": "weight", "layer": 1, "name": "w_10"},
  {"id": "L1.x0", "index": 0, "kind": "bias", "layer": 1, "name": "x_0"},
  {"id": "L1.x1", "index": 1, "kind": "input", "layer": 1, "name": "x_1"}
 ]}
"""

from __future__ import annotations

import json
import math
import os
import re
from itertools import repeat
from numbers import Integral, Real
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
import numpy as np

from ..core.atomic import atomic_path, write_bytes, write_text
from ..core.graph import Network, as_network, tracked_graph
from ..core.structure import adjacency, all_fullmatch, check_weight_value, paused_gc
from ..errors import DagnetError, NetworkFileError, OutputError
from .schema_check import (
    FORMAT,
    MAX_DEPTH,
    VERSION,
    check_document,
    parse_json,
    schema,
    schema_problem,
    shorten,
)

__all__ = [
    "FORMAT", "VERSION", "MAX_BYTES", "MAX_DEPTH", "schema", "to_document", "to_json",
    "from_json", "save", "load", "to_graphml", "from_graphml", "export", "EXPORT_SUFFIXES",
]

#: Largest file (bytes) the loaders read; bigger files are refused before parsing.
MAX_BYTES = 256 * 2**20
#: Graph attributes that GraphML files use for themselves.
_GRAPH_RESERVED = ("dagnet_format", "dagnet_version", "node_default", "edge_default")
#: Suffixes :func:`export` writes, and what it writes for each.
EXPORT_SUFFIXES = {
    ".json": "network file (dagnet.io.save)",
    ".graphml": "GraphML (dagnet.io.to_graphml)",
    ".tex": "LaTeX equations (net.latex())",
    ".py": "standalone numpy module with forward(X, weights) (net.compile().source inside)",
    ".dot": "Graphviz DOT text (dagnet.draw.render.to_dot)",
}


# -- writing ------------------------------------------------------------------------------
_DIGIT_RUNS = re.compile(r"(\d+)").split


def _natural(node: str) -> tuple:
    """Sort key putting ``x2`` before ``x10``: the text between digit runs, and each digit
    run as its length, then its digits, in one flat tuple (quick to compare; it spells the
    id, so no two ids share a key)."""
    parts: list[Any] = _DIGIT_RUNS(node)  # text, digits, text, ..., text
    runs = parts[1::2]
    key: list[Any] = [None] * (len(parts) + len(runs))
    key[0::3], key[1::3], key[2::3] = parts[0::2], list(map(len, runs)), runs
    return tuple(key)


#: The builders' ids (``L{layer}.{letter}{index}`` or ``...{i}_{j}``), ASCII digits only.
_BUILDER_IDS = all_fullmatch(r"L[0-9]{1,18}\.[a-z][0-9]{1,18}(?:_[0-9]{1,18})?")
#: 10**k for the digits of a run of up to 18 (its value fits in an int64).
_POW10 = 10 ** np.arange(18, dtype=np.int64)


def _builder_columns(ids: list[str]) -> list[np.ndarray]:
    """The columns of :func:`_natural`'s key for builder ids, read from their text at once.

    Such a key is ``("L", len, layer, "." + letter, len, index, "")`` or ``(..., index,
    "_", len, j, "")``: the columns (layer length, layer, letter, index length, index, has
    ``_j``, j length, j) sort in the same order. The ids, joined by newlines, are parsed as
    one byte array: the digit runs (two or three per id), their lengths and values, and the
    letter after each ``.``.
    """
    b = np.frombuffer("\n".join(ids).encode("ascii"), dtype=np.uint8)
    digit = (b - np.uint8(48)) < 10
    edge = np.diff(digit.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    lengths = ends - starts
    at = np.flatnonzero(digit)  # every digit; the runs are consecutive slices of it
    run = np.repeat(np.arange(len(starts)), lengths)
    places = _POW10[ends[run] - 1 - at]
    values = np.add.reduceat((b[at] - np.uint8(48)).astype(np.int64) * places,
                             np.cumsum(lengths) - lengths)
    runs = np.bincount(np.searchsorted(np.flatnonzero(b == 10), starts), minlength=len(ids))
    first = np.cumsum(runs) - runs  # each id's layer run; its index run follows
    has_j = runs == 3
    j = np.where(has_j, first + 2, 0)
    zero = np.zeros(len(ids), dtype=np.int64)
    return [lengths[first], values[first], b[np.flatnonzero(b == 46) + 1],
            lengths[first + 1], values[first + 1], has_j,
            np.where(has_j, lengths[j], zero), np.where(has_j, values[j], zero)]


def _natural_places(ids: list[str]) -> np.ndarray:
    """The positions of ``ids`` in the order ``sorted(ids, key=_natural)``: by one
    :func:`numpy.lexsort` of :func:`_builder_columns` when every id follows the builders'
    pattern, else the general sort."""
    if len(ids) > 1 and _BUILDER_IDS(ids):
        return np.lexsort(_builder_columns(ids)[::-1])
    return np.array(sorted(range(len(ids)), key=lambda k: _natural(ids[k])), dtype=np.intp)


class _FileOrder(NamedTuple):
    """The order of the file: node ids in natural order (``places``: their positions in the
    graph's order), and each edge's ends as places in it (the edges sorted by source place,
    then target place)."""

    nodes: tuple[str, ...]
    places: np.ndarray
    sources: np.ndarray
    targets: np.ndarray

    def pairs(self) -> list[tuple[str, str]]:
        """The edges as (source, target) id pairs, in the order of the file."""
        ids = np.array(self.nodes, dtype=object)
        return list(zip(ids[self.sources].tolist(), ids[self.targets].tolist()))


def _file_order(ids: list[str], src: np.ndarray, dst: np.ndarray) -> _FileOrder:
    """The :class:`_FileOrder` of nodes ``ids`` and edges ``ids[src[k]] -> ids[dst[k]]``."""
    places = _natural_places(ids)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[places] = np.arange(len(ids))
    sources, targets = rank[src], rank[dst]
    by = np.argsort(sources * len(ids) + targets, kind="stable")
    return _FileOrder(tuple(np.array(ids, dtype=object)[places].tolist()), places,
                      sources[by], targets[by])


def _plain(value: Any, where: str) -> Any:
    """A JSON scalar for an attribute value (None means: do not store)."""
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, str):  # numpy.str_ and other subclasses: the text itself
        return str(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if math.isfinite(value):
            return value
        raise NetworkFileError(f"{where} is {value}; only finite numbers can be saved")
    raise NetworkFileError(
        f"{where} is a {type(value).__name__}; files store only strings, numbers and booleans "
        "as attributes: convert it or delete the attribute before saving"
    )


def _attrs(attrs: dict, where: str, reserved: tuple[str, ...]) -> dict:
    out = {}
    for key in sorted(attrs, key=str):
        if not isinstance(key, str) or key in reserved:
            raise NetworkFileError(
                f"{where} has an attribute named {key!r}, which a file cannot store "
                f"(reserved: {', '.join(reserved) or 'none'}; names must be strings): rename it"
            )
        value = _plain(attrs[key], f"attribute {key!r} of {where}")
        if value is not None:
            out[key] = value
    return out


def _node_item(n: str, attrs: dict) -> dict:
    """One node of the document, every attribute converted and checked (the careful path)."""
    if attrs.get("kind") == "weight" and attrs.get("value") is not None:
        # a float (one type per key, also in GraphML), or the WeightError naming the node
        attrs = {**attrs, "value": check_weight_value(n, attrs["value"])}
    return {"id": n, **_attrs(attrs, f"node {n!r}", ("id",))}


def _edge_item(u: str, v: str, attrs: dict) -> dict:
    return {"source": u, "target": v,
            **_attrs(attrs, f"edge {u!r} -> {v!r}", ("source", "target"))}


class _Absent:
    """What a node without a ``value`` shows in place of one (any value is distinct)."""


def _as_is(attrs: dict) -> bool:
    """Whether a node's attributes go into the file as they are: no ``id`` among them, and
    a float ``value`` if any."""
    return "id" not in attrs and type(attrs.get("value", 0.0)) is float


def _nodes(ids: list[str], attrs: list[dict], order: _FileOrder,
           careful: bool) -> tuple[list[dict], list[dict] | None]:
    """The nodes (``ids`` and their ``attrs`` in the graph's order) in the file's order,
    as dicts; and the same dicts in the order they were made, if that differs.

    The quick way copies each node's attributes as they are (:func:`_as_is`): when all
    nodes allow it, in the graph's order, which reads the attribute dicts where they lie in
    memory (3x faster than in the file's order for 1e6 nodes), then put in the file's order.
    Whatever it lets through that the careful way would convert, drop or refuse (odd keys,
    non-scalars) breaks the schema, and :func:`_document` then takes the careful way.
    """
    absent = _Absent()
    all_as_is = not any(map(dict.__contains__, attrs, repeat("id"))) and (  # C-speed _as_is
        set(map(type, map(dict.get, attrs, repeat("value"), repeat(absent)))) <= {float, _Absent})
    if careful or not all_as_is:  # node by node, in the file's order (errors name the first)
        return [{"id": n, **a} if not careful and _as_is(a) else _node_item(n, a)
                for n, a in zip(order.nodes, map(attrs.__getitem__, order.places.tolist()))], None
    made = [{"id": n, **a} for n, a in zip(ids, attrs)]
    column = np.empty(len(made), dtype=object)
    column[:] = made
    return column[order.places].tolist(), made


def _document(net: Network, *, edges: bool = True) -> tuple[dict, _FileOrder]:
    """The document, and the order of the file.

    With ``edges=False``, edges without attributes are left out of ``doc["edges"]`` (the
    pairs say all; :func:`to_json` writes them) and only their number is checked.
    """
    net = as_network(net)
    structure = net.validate()  # cached; a weight's value is checked below
    cols = structure.columns
    node, _, succ = adjacency(net.graph)
    if not all(map(isinstance, node, repeat(str))):
        n = next(n for n in node if not isinstance(n, str))
        raise NetworkFileError(
            f"node id {n!r} is a {type(n).__name__}; files need string ids: "
            "relabel with networkx.relabel_nodes(G, str)"
        )
    # Both orders depend on the ids and edges alone: kept until the structure changes (a
    # network saved again after training, with new weight values, reuses them).
    order = net.cached("io.file_order", lambda: _file_order(cols.ids, cols.src, cols.dst))
    if not edges and any(map(any, map(dict.values, succ.values()))):
        edges = True  # some edge has attributes: all go through the document
    items = [_edge_item(u, v, a) if (a := succ[u][v]) else {"source": u, "target": v}
             for u, v in order.pairs()] if edges else []
    # Whether these nodes, as they are, passed the schema since the structure last changed:
    # then only what changes without it (weight values) needs a check again.
    passed = net.cached("io.nodes_passed", dict)
    for careful in (False, True):
        nodes, as_laid = _nodes(cols.ids, cols.attrs, order, careful)
        doc = {
            "dagnet": {"format": FORMAT, "version": VERSION},
            "directed": True,
            "edges": items,
            "graph": _attrs(net.graph.graph, "the graph", ()),
            "multigraph": False,
            "nodes": nodes,
        }
        known = not careful and (structure.built or passed.get("quick", False))
        problem = schema_problem(doc, plain_edges=0 if edges else len(order.sources),
                                 known_nodes=known, nodes_as_laid=as_laid)
        if problem is None:
            if not careful:  # the careful way changed the nodes: no promise for next time
                passed["quick"] = True
            return doc, order
    raise NetworkFileError(f"cannot save the network: {problem}")


def to_document(net: Network) -> dict:
    """The network as a plain node-link ``dict`` in the file format (validated).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    dict
        networkx's node-link data with a ``dagnet`` header (format and version), nodes and
        edges in a natural order: what :func:`to_json` writes.

    Raises
    ------
    NetworkError
        The graph is not a valid network (a subclass names the node).
    NetworkFileError
        A node id is not a string, or an attribute cannot be stored in JSON.

    Examples
    --------
    >>> import dagnet
    >>> doc = to_document(dagnet.linear(1))
    >>> doc["dagnet"], len(doc["nodes"]), len(doc["edges"])
    ({'format': 'network', 'version': 1}, 5, 4)
    """
    return _document(net)[0]


def _dumps(obj: Any) -> str:
    # ASCII with \u escapes: any Python string (even a lone surrogate) round-trips exactly.
    return json.dumps(obj, sort_keys=True, ensure_ascii=True, allow_nan=False)


#: json's C encoder with a separator that cannot occur in its ASCII output otherwise
#: (a NUL byte is written as \u0000 inside strings), so one call encodes a whole list.
_ENCODE_LIST = json.JSONEncoder(sort_keys=True, ensure_ascii=True, allow_nan=False,
                                separators=("\0", ": ")).encode


def _lines(items: list[dict]) -> list:
    """``[`` + one ``_dumps(item)`` per line + `` ]``, the items being flat objects, as
    ASCII pieces (the big one a view: a 100 MB text is not copied once more to cut it)."""
    if not items:
        return [b"[]"]
    # Between two items the separator follows a "}" and precedes a "{"; inside an item it
    # follows a scalar and precedes a key's '"'.
    text = _ENCODE_LIST(items).replace("}\0{", "},\n  {").replace("\0", ", ")
    return [b"[\n  ", memoryview(text.encode("ascii"))[1:-1], b"\n ]"]


def _pair_lines(order: _FileOrder) -> list:
    """:func:`_lines` of the edges ``{"source": u, "target": v}`` (none has attributes)."""
    if not len(order.sources):
        return [b"[]"]
    quoted = np.array(list(map(_QUOTE, order.nodes)), dtype=object)  # each id quoted once
    body = ",\n  ".join(map('{{"source": {}, "target": {}}}'.format,
                            quoted[order.sources].tolist(), quoted[order.targets].tolist()))
    return [b"[\n  ", body.encode("ascii"), b"\n ]"]


#: A JSON string in ASCII, as json.dumps writes it (its C function when there is one).
_QUOTE = json.encoder.encode_basestring_ascii


def to_json(net: Network) -> str:
    """The network file's text: sorted keys, one node or edge per line, same text every run.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    str
        The JSON text of :func:`to_document`, ending in a newline.

    Raises
    ------
    NetworkError
        The graph is not a valid network.
    NetworkFileError
        A node id or attribute cannot be stored.

    Examples
    --------
    >>> import dagnet
    >>> to_json(dagnet.linear(1)) == to_json(dagnet.linear(1))
    True
    """
    return b"".join(_json_pieces(net)).decode("ascii")


def _json_pieces(net: Network) -> list:
    """The text of :func:`to_json` as ASCII pieces, in order (written without joining)."""
    with paused_gc():  # a dict per node and a string per line, none of them garbage
        doc, order = _document(net, edges=False)
        pieces: list = [b"{"]
        for k, key in enumerate(sorted(doc)):
            value = doc[key]
            sep = ",\n " if k else ""  # one key per line
            pieces.append(f"{sep}{_dumps(key)}: ".encode("ascii"))
            if key == "edges" and not value:
                pieces += _pair_lines(order)
            elif key in ("nodes", "edges"):
                pieces += _lines(value)
            else:
                pieces.append(_dumps(value).encode("ascii"))
        pieces.append(b"}\n")
        return pieces


def _write(path: str | os.PathLike, text: str | list) -> str:
    try:
        return write_text(path, text) if isinstance(text, str) else write_bytes(path, text)
    except OutputError:  # the path itself (a folder, under a file): already says so
        raise
    except OSError as exc:
        raise NetworkFileError(
            f"cannot write {os.fspath(path)!s}: {exc.strerror or exc}; check that the folder is "
            "writable (the previous file, if any, is unchanged)"
        ) from exc


def save(net: Network, path: str | os.PathLike) -> str:
    """Write ``net`` to the network file ``path`` (atomically); return the path.

    A ``.graphml`` path is written as GraphML (:func:`to_graphml`, read back by :func:`load`),
    any other as the JSON network file (:func:`to_json`; ``docs/file-format.md``).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    path : str or os.PathLike
        The file to write; missing folders are made (as by every writer of
        :mod:`dagnet.core.atomic`; the command line asks for ``--mkdir``).

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    NetworkError
        The graph is not a valid network.
    NetworkFileError
        An attribute cannot be stored, or the file cannot be written.
    OutputError
        ``path`` is a folder or lies under a file, or its folder cannot be made.

    Examples
    --------
    >>> import os, tempfile, dagnet
    >>> p = save(dagnet.linear(2, rng=0), os.path.join(tempfile.mkdtemp(), "plane.json"))
    >>> load(p)
    Network(inputs=2, outputs=1, layers=1, weights=3)
    """
    net = as_network(net)
    if Path(path).suffix.lower() == ".graphml":
        return to_graphml(net, path)
    return _write(path, _json_pieces(net))


# -- reading ------------------------------------------------------------------------------
def _first_repeat(items: list) -> Any:
    seen: set = set()
    return next(x for x in items if x in seen or seen.add(x))


def _graph(doc: dict, source: str) -> nx.DiGraph:
    """The graph of a checked document, assembled in bulk as the kind of graph a Network
    builds on (no copy), once ids are known unique and edges to name known nodes, once each
    (what :func:`~dagnet.core.graph.tracked_graph` asks).
    Consumes ``doc``: its node and edge objects become the attributes."""
    nodes, edges = doc["nodes"], doc["edges"]
    ids = [node.pop("id") for node in nodes]
    known = set(ids)
    if len(known) != len(ids):
        raise NetworkFileError(f"{source}: node {shorten(_first_repeat(ids), 60)!r} appears "
                               "twice; node ids must be unique")
    pairs = [(e.pop("source"), e.pop("target")) for e in edges]
    if not (known.issuperset(map(itemgetter(0), pairs))
            and known.issuperset(map(itemgetter(1), pairs))):
        u, v = next((u, v) for u, v in pairs if u not in known or v not in known)
        raise NetworkFileError(f"{source}: edge {shorten(u, 60)!r} -> {shorten(v, 60)!r} "
                               f"names the unknown node {shorten(u if u not in known else v, 60)!r}"
                               "; list every node under 'nodes'")
    if len(set(pairs)) != len(pairs):
        u, v = _first_repeat(pairs)
        raise NetworkFileError(f"{source}: edge {shorten(u, 60)!r} -> {shorten(v, 60)!r} "
                               "appears twice; a network has no parallel edges")
    for node in nodes:
        if node.get("value", 0) is None:  # null: an unset weight
            del node["value"]
    return tracked_graph(zip(ids, nodes), ((u, v, e) for (u, v), e in zip(pairs, edges)),
                         doc["graph"])


def _from_document(doc: Any, source: str) -> Network:
    check_document(doc, source)
    G = _graph(doc, source)
    try:
        return Network.from_graph(G, copy=False)
    except DagnetError as exc:  # the usual dagnet error, naming the file
        exc.args = (f"{source}: {exc}", *exc.args[1:])
        raise


def _decode(data: bytes | str, source: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise NetworkFileError(f"{source}: {len(data)} bytes is more than the limit of "
                               f"{max_bytes}; pass max_bytes=... to read bigger files")
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NetworkFileError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                               "network files are UTF-8 JSON") from exc


def from_json(text: str | bytes, *, source: str = "network JSON",
              max_bytes: int = MAX_BYTES) -> Network:
    """Read a network from the text of a network file (see the module docs).

    Parameters
    ----------
    text : str or bytes
        The file's text (UTF-8 when bytes).
    source : str
        Name used in error messages, e.g. the file's path.
    max_bytes : int
        Refuse longer texts.

    Returns
    -------
    Network
        A validated network; nothing in the text is ever evaluated as code.

    Raises
    ------
    NetworkFileError
        Not JSON, wrong structure, unknown version, too big or too deep.
    NetworkError, UnknownActivationError, WeightError
        The graph is not a valid network (cycle, wiring, unknown activation, ...).

    Examples
    --------
    >>> import dagnet
    >>> from_json(to_json(dagnet.logistic(1)))
    Network(inputs=1, outputs=1, layers=1, weights=2)
    >>> from_json('{"nodes": []}')
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkFileError: network JSON: no 'dagnet' header; ...
    """
    text = _decode(text, source, max_bytes)
    doc = parse_json(text, source)
    return _from_document(doc, source)


def _read(path: str | os.PathLike, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise NetworkFileError(f"{os.fspath(path)!s}: {size} bytes is more than the limit "
                                       f"of {max_bytes}; pass max_bytes=... to read bigger files")
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise NetworkFileError(f"cannot read {os.fspath(path)!s}: {exc.strerror or exc}") \
            from exc


def load(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> Network:
    """Read a network file written by :func:`save` (a ``.graphml`` path goes to GraphML).

    A network file is data: loading never evaluates, sympifies or unpickles anything, and
    activations resolve only through the registry.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.json`` network file, or ``.graphml``.
    max_bytes : int, default 256 MiB
        Refuse larger files.

    Returns
    -------
    Network
        The validated network, weights included when the file has them.

    Raises
    ------
    NetworkFileError
        The file cannot be read, is too big, is not a network file (not JSON, wrong
        structure, unknown version); the message names the file and the place.
    NetworkError, UnknownActivationError, WeightError
        The graph is not a valid network.

    Examples
    --------
    >>> import os, tempfile, dagnet
    >>> path = os.path.join(tempfile.mkdtemp(), "mlp.json")
    >>> net = dagnet.mlp([2, 3, 1], rng=0)
    >>> same = load(save(net, path))
    >>> bool((same.weights == net.weights).all())
    True
    >>> load(os.path.join(tempfile.mkdtemp(), "missing.json"))
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkFileError: cannot read ...missing.json: ...
    """
    if Path(path).suffix.lower() == ".graphml":
        return from_graphml(path, max_bytes=max_bytes)
    return from_json(_read(path, max_bytes), source=os.fspath(path), max_bytes=max_bytes)


# -- GraphML ------------------------------------------------------------------------------
def to_graphml(net: Network, path: str | os.PathLike) -> str:
    """Write ``net`` as GraphML (atomically) through networkx; return the path.

    Node attributes become GraphML data keys; an unset weight has no ``value`` data and
    reads back unset. The graph carries ``dagnet_format`` and ``dagnet_version``.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    path : str or os.PathLike
        The file to write.

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    NetworkFileError
        An attribute GraphML cannot hold (or a reserved graph attribute), or the file cannot
        be written.
    OutputError
        ``path`` is a folder or lies under a file, or its folder cannot be made.

    Examples
    --------
    >>> import os, tempfile, dagnet
    >>> net = dagnet.mlp([2, 3, 1])                  # weights unset
    >>> p = to_graphml(net, os.path.join(tempfile.mkdtemp(), "net.graphml"))
    >>> back = from_graphml(p)
    >>> back, "value" in back.graph.nodes["L1.w00"]
    (Network(inputs=2, outputs=1, layers=2, weights=13), False)
    """
    doc, order = _document(net, edges=False)  # edges without attributes: only their ends
    _check_xml_text(doc)  # every id is a node's
    clash = sorted(set(doc["graph"]) & set(_GRAPH_RESERVED))
    if clash:
        raise NetworkFileError(f"the graph attribute {clash[0]!r} is used by GraphML files "
                               "themselves: rename it, or save as .json")
    H = nx.DiGraph()
    H.graph.update(doc["graph"])
    H.graph.update(dagnet_format=FORMAT, dagnet_version=VERSION)
    # attributes in sorted order: GraphML declares its keys in the order it meets them
    H.add_nodes_from((node["id"], {k: node[k] for k in sorted(node) if k != "id"})
                     for node in doc["nodes"])
    H.add_edges_from([(e["source"], e["target"],
                       {k: e[k] for k in sorted(e) if k not in ("source", "target")})
                      for e in doc["edges"]] or order.pairs())
    try:
        with atomic_path(path) as tmp:
            nx.write_graphml(H, tmp)
    except (ValueError, nx.NetworkXError) as exc:
        raise NetworkFileError(f"cannot write {os.fspath(path)!s} as GraphML: "
                               f"{shorten(str(exc))}; save it as .json instead") from exc
    except OutputError:
        raise
    except OSError as exc:
        raise NetworkFileError(f"cannot write {os.fspath(path)!s}: {exc.strerror or exc}") \
            from exc
    return str(path)


_DTD = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")  # \r: XML reads \n


def _check_xml_text(doc: dict) -> None:
    """XML 1.0 cannot hold control characters or lone surrogates (and reads a carriage return
    back as a newline): say so before writing rather than write a file that reads back wrong.
    All the text is searched at once (a newline, which XML holds, joins it); only a hit is
    looked for item by item, to name it."""
    dicts = [doc["graph"], *doc["nodes"], *doc["edges"]]
    if not _NOT_XML.search("\n".join([v for d in dicts for v in d.values() if type(v) is str])):
        return
    items = [("the graph", doc["graph"])]
    items += [(f"node {n['id']!r}", n) for n in doc["nodes"]]
    items += [(f"edge {e['source']!r} -> {e['target']!r}", e) for e in doc["edges"]]
    for where, attrs in items:
        for key, value in attrs.items():
            if isinstance(value, str) and _NOT_XML.search(value):
                raise NetworkFileError(
                    f"{shorten(where, 80)}: {key} {shorten(repr(value), 60)} has characters that "
                    "GraphML (XML) cannot hold exactly (control characters, carriage returns, "
                    "lone surrogates): remove them, or save as .json, which can"
                )


def _graphml_document(G: Any, source: str) -> dict:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        kind = "has parallel edges" if G.is_multigraph() else "is undirected"
        raise NetworkFileError(f"{source}: the GraphML graph {kind}; a network is a directed "
                               "graph without parallel edges (edgedefault=\"directed\")")
    graph = {k: v for k, v in G.graph.items() if k not in _GRAPH_RESERVED}
    header = {"format": G.graph.get("dagnet_format", FORMAT),
              "version": G.graph.get("dagnet_version", VERSION)}
    nodes = []
    for n, attrs in G.nodes(data=True):
        if "id" in attrs:
            raise NetworkFileError(f"{source}: node {shorten(str(n), 60)!r} has a data key named "
                                   "'id', which is reserved for the node id: rename it")
        nodes.append({"id": n, **attrs})
    edges = []
    for u, v, attrs in G.edges(data=True):
        if "source" in attrs or "target" in attrs:
            raise NetworkFileError(f"{source}: edge {shorten(str(u), 60)!r} -> "
                                   f"{shorten(str(v), 60)!r} has a data key named 'source' or "
                                   "'target', which are reserved: rename it")
        edges.append({"source": u, "target": v, **attrs})
    return {"dagnet": header, "directed": True, "multigraph": False, "graph": graph,
            "nodes": nodes, "edges": edges}


class _Declaration(Exception):
    pass


def _refuse_declaration(*args: Any) -> None:
    raise _Declaration


def _has_dtd(data: bytes) -> bool:
    """Whether expat, reading ``data`` in the encoding it detects (UTF-8, UTF-16 or UTF-32
    with or without a byte-order mark, or the declared one), meets a DOCTYPE or an entity
    declaration. Malformed XML is left to the GraphML parser's own error."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    parser.UnparsedEntityDeclHandler = _refuse_declaration
    parser.ExternalEntityRefHandler = _refuse_declaration
    try:
        parser.Parse(data, True)
    except _Declaration:
        return True
    except (xml.parsers.expat.ExpatError, ValueError, LookupError):
        return False
    return False


def from_graphml(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> Network:
    """Read a network from GraphML, with the same checks as :func:`load`.

    The GraphML is parsed by networkx (no DTDs or entities are accepted), turned into
    the node-link document of the file format, validated against the schema and then
    by :func:`dagnet.validate`. GraphML without ``dagnet_version`` is read as version 1.

    Parameters
    ----------
    path : str or os.PathLike
        A GraphML file, e.g. written by :func:`to_graphml` or ``networkx.write_graphml``.
    max_bytes : int, default 256 MiB
        Refuse larger files.

    Returns
    -------
    Network

    Raises
    ------
    NetworkFileError
        The file cannot be read, has a DOCTYPE or ENTITY declaration, is not GraphML, or
        does not follow the file format.
    NetworkError
        The graph is not a valid network.

    Examples
    --------
    A graph networkx wrote itself (no dagnet header) reads as version 1:

    >>> import os, tempfile, networkx as nx, dagnet
    >>> net = dagnet.linear(1, rng=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "line.graphml")
    >>> nx.write_graphml(net.graph, path)
    >>> bool((from_graphml(path).weights == net.weights).all())
    True
    """
    source = os.fspath(path)
    data = _read(path, max_bytes)
    if _DTD.search(data) or _has_dtd(data):  # bytes in UTF-8; expat's view in any encoding
        raise NetworkFileError(f"{source}: GraphML with a DOCTYPE or ENTITY declaration is "
                               "refused; remove the declaration (GraphML does not need one)")
    try:
        G = nx.parse_graphml(data)
    except Exception as exc:  # noqa: BLE001 - any parser failure on untrusted input
        raise NetworkFileError(f"{source}: not valid GraphML: {type(exc).__name__}: "
                               f"{shorten(str(exc))}") from None
    return _from_document(_graphml_document(G, source), source)


# -- exports ------------------------------------------------------------------------------
def _dot_text(net: Network, **options: Any) -> str:
    from ..draw import to_dot

    return to_dot(net, **options)


def export(net: Network, path: str | os.PathLike, **options: Any) -> str:
    """Write ``net`` in the format named by the suffix of ``path``; return the path.

    ``.json`` (network file), ``.graphml``, ``.tex`` (``net.latex(**options)``), ``.py``
    (a standalone numpy module: ``forward(X, weights)`` around ``net.compile(**options).source``,
    needing numpy only) or ``.dot`` (``dagnet.draw.render.to_dot``).
    Every file is written atomically.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    path : str or os.PathLike
        The file to write; its suffix picks the format.
    **options
        For ``.tex`` the options of :meth:`Network.latex`, for ``.py`` those of
        :meth:`Network.compile`, for ``.dot`` those of :func:`dagnet.to_dot`; ``.json``
        and ``.graphml`` take none.

    Returns
    -------
    str
        ``path``.

    Raises
    ------
    NetworkFileError
        An unknown suffix, or options for ``.json``/``.graphml``.
    OutputError
        ``path`` is a folder or lies under a file, or its folder cannot be made.

    Examples
    --------
    >>> import os, tempfile, dagnet
    >>> d = tempfile.mkdtemp()
    >>> p = export(dagnet.linear(1), os.path.join(d, "line.tex"))
    >>> open(p).read().startswith("\\\\begin{align")
    True
    >>> export(dagnet.linear(1), os.path.join(d, "line.png"))
    Traceback (most recent call last):
    ...
    dagnet.errors.NetworkFileError: cannot export to ...line.png: unknown suffix '.png'; ...
    """
    net = as_network(net)
    suffix = Path(path).suffix.lower()
    if options and suffix in (".json", ".graphml"):
        raise NetworkFileError(f"{suffix} files take no options, got {sorted(options)}; options "
                               "apply to .tex (net.latex), .py (net.compile) and .dot")
    if suffix == ".json":
        return save(net, path)
    if suffix == ".graphml":
        return to_graphml(net, path)
    if suffix == ".tex":
        return _write(path, net.latex(**options).rstrip("\n") + "\n")
    if suffix == ".py":
        from ..compiled.export import module_source

        return _write(path, module_source(net, **options))
    if suffix == ".dot":
        return _write(path, _dot_text(net, **options).rstrip("\n") + "\n")
    known = ", ".join(f"{s} ({what})" for s, what in EXPORT_SUFFIXES.items())
    raise NetworkFileError(f"cannot export to {os.fspath(path)!s}: unknown suffix {suffix!r}; "
                           f"use one of {known}")
