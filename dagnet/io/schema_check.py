"""Checks for untrusted network documents: safe JSON parsing, the published schema, limits.

A network file is data, never code. :func:`parse_json` reads text with :mod:`json` only,
refusing NaN, infinities, integers beyond 64 bits and repeated keys, and turning every parser
failure (including deep nesting) into a :class:`~dagnet.NetworkFileError`.
:func:`check_document` then checks everything the JSON Schema
``dagnet/io/network-v1.schema.json`` says, in one pass of plain Python over the parsed
document (:func:`schema_problem`), naming the place of the first problem (its JSON path and
node) and what the format expects there. The published file stays the reference: the pass
reads its limits, patterns and names from it, and a test checks on fuzzed documents that the
pass and the ``jsonschema`` library reading the published file give the same verdict. Beyond
the schema, every string must be valid Unicode (no lone surrogate) and every number finite
and within 64 bits. :mod:`dagnet.io` builds the graph afterwards.

Examples
--------
>>> doc = parse_json('{"dagnet": {"format": "network", "version": 1}}', "a.json")
>>> check_document(doc, "a.json")
Traceback (most recent call last):
...
dagnet.errors.NetworkFileError: a.json: the document: the key 'directed' is missing; ...
>>> parse_json('{"x": NaN}', "b.json")
Traceback (most recent call last):
...
dagnet.errors.NetworkFileError: b.json: the number NaN is not allowed; numbers must be finite
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable
from importlib import resources
from operator import itemgetter
from typing import Any, NamedTuple

from ..core.structure import all_fullmatch
from ..errors import NetworkFileError

__all__ = ["FORMAT", "VERSION", "MAX_DEPTH", "schema", "parse_json", "check_document",
           "check_schema", "schema_problem", "shorten"]

#: The format name and version written in every file's ``dagnet`` header.
FORMAT = "network"
VERSION = 1
#: Deepest nesting of JSON arrays/objects accepted (the format itself needs 3).
MAX_DEPTH = 32
#: Largest magnitude of an integer anywhere in a file (64-bit signed range).
_MAX_INT = 2**63 - 1
_SCHEMA_FILE = "network-v1.schema.json"
_SCHEMA_HINT = "see the format in dagnet/io/network-v1.schema.json"


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters (for messages that quote user data)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- the schema ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("dagnet.io").joinpath(_SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict:
    """The published JSON Schema of network files (a fresh copy).

    The same schema as ``dagnet/io/network-v1.schema.json``; every file read and written
    is checked against it (``docs/file-format.md`` explains each field).

    Returns
    -------
    dict
        The schema as a JSON document; changing it changes nothing else.

    Examples
    --------
    >>> schema()["$id"]
    'urn:dagnet:schema:network-v1'
    """
    return json.loads(_schema_text())


# -- the one pass: what the schema says, in plain Python ----------------------------------
class _Rule(NamedTuple):
    """What one key's value must be: a predicate, its words for messages, and the same
    predicate over a whole column of values (C loops where it can; never laxer than ``ok``)."""

    ok: Callable[[Any], bool]
    need: str
    column: Callable[[list], bool]


def _rule(ok: Callable[[Any], bool], need: str,
          column: Callable[[list], bool] | None = None) -> _Rule:
    def each(values: list) -> bool:
        return all(map(ok, values))

    def column_or_each(values: list) -> bool:
        try:
            return column(values) or each(values)  # type: ignore[misc]
        except (TypeError, ValueError, OverflowError):  # unhashable, unorderable, huge
            return each(values)

    return _Rule(ok, need, each if column is None else column_or_each)


def _unicode(text: str) -> bool:
    """Whether ``text`` is valid Unicode (holds no lone surrogate), so UTF-8 can write it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number(v: Any) -> bool:
    """A JSON number dagnet keeps: an integer within 64 bits or a finite float (not a bool)."""
    if type(v) is int:
        return -_MAX_INT <= v <= _MAX_INT
    return type(v) is float and math.isfinite(v)


def _types(values: list) -> set:
    return set(map(type, values))


def _matcher(pattern: str) -> Callable[[str], Any]:
    """The JSON Schema ``pattern`` as a full match. Schema patterns are ECMA-262, whose ``$``
    is the end of the text; Python's ``$`` also matches before a final newline, so the
    pattern is anchored with :meth:`re.Pattern.fullmatch` instead."""
    if not (pattern.startswith("^") and pattern.endswith("$")) or "|" in pattern:
        raise ValueError(f"the schema's pattern {pattern!r} is not ^...$ without '|'")
    return re.compile(pattern[1:-1]).fullmatch


#: Character-set categories that hold no newline (others are taken to hold one).
_NO_NEWLINE_CATEGORIES = ("CATEGORY_DIGIT", "CATEGORY_WORD")


def _set_holds_newline(items: list) -> bool:
    """Whether a parsed character set (``[...]``) may match ``\n`` (True when unsure)."""
    ops = [str(op) for op, _ in items]
    listed = any((op == "LITERAL" and av == 10) or (op == "RANGE" and av[0] <= 10 <= av[1])
                 for (_, av), op in zip(items, ops))
    if ops[:1] == ["NEGATE"]:
        return not listed or not set(ops[1:]) <= {"LITERAL", "RANGE"}
    return listed or any(op not in ("LITERAL", "RANGE") and str(av) not in _NO_NEWLINE_CATEGORIES
                         for (_, av), op in zip(items, ops))


def _may_match_newline(parsed: Any) -> bool:
    """Whether a parsed pattern may match a text holding ``\n`` (True when unsure)."""
    for op, av in parsed:
        name = str(op)
        if name == "LITERAL":
            if av == 10:
                return True
        elif name == "IN":
            if _set_holds_newline(av):
                return True
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if _may_match_newline(av[2]):
                return True
        elif name == "SUBPATTERN":
            if av[1] or av[2] or _may_match_newline(av[3]):  # flags: unsure
                return True
        else:  # ANY, NOT_LITERAL, anchors, branches, references, ...: unsure
            return True
    return False


def _lines_matcher(body: str) -> Callable[[list], bool] | None:
    """:func:`~dagnet.core.structure.all_fullmatch` of ``body``, or None when ``body`` might
    match a newline (then a match of the joined text would not say that each text matches
    on its own)."""
    try:
        unsure = _may_match_newline(re._parser.parse(body))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a private parser: if it changes, check one by one
        return None
    return None if unsure else all_fullmatch(body)


def _all_match(pattern: str) -> Callable[[list], bool]:
    """Whether every string of a list fully matches the schema ``pattern``: one match of the
    ``\n``-joined list when the pattern cannot match a newline and no string holds one."""
    match = _matcher(pattern)
    lines = _lines_matcher(pattern[1:-1])
    return lines if lines is not None else (lambda values: all(map(match, values)))


def _string(spec: dict, what: str) -> _Rule:
    low, high = spec.get("minLength", 0), spec.get("maxLength", math.inf)
    match = _matcher(spec["pattern"]) if "pattern" in spec else None
    all_match = _all_match(spec["pattern"]) if "pattern" in spec else None

    def ok(v: Any) -> bool:
        return (type(v) is str and low <= len(v) <= high
                and (match is None or match(v) is not None) and _unicode(v))

    def column(values: list) -> bool:
        lengths = list(map(len, values)) if _types(values) == {str} else [-1]
        return (low <= min(lengths) and max(lengths) <= high
                and (all_match is None or all_match(values))
                and _unicode("".join(values)))

    return _rule(ok, what, column)


def _integer(spec: dict, what: str) -> _Rule:
    low, high = spec["minimum"], spec["maximum"]

    def ok(v: Any) -> bool:  # JSON Schema's integer: 1.0 is one, True is not
        return (type(v) is int or (type(v) is float and v.is_integer())) and low <= v <= high

    def column(values: list) -> bool:
        return _types(values) == {int} and low <= min(values) and max(values) <= high

    return _rule(ok, f"an integer from {low} to {high} ({what})", column)


def _enum(values: Iterable[str], what: str) -> _Rule:
    allowed = frozenset(values)
    return _rule(lambda v: type(v) is str and v in allowed, what,
                 lambda column: _types(column) == {str} and allowed.issuperset(column))


def _value(values: list) -> bool:
    """The weights' column: finite floats (None, ints and the rest: one by one)."""
    return _types(values) == {float} and all(map(math.isfinite, values))


class _Rules:
    """The published schema's constraints, read from the file once (see :func:`_rules`).

    The shape of the document (which object holds which keys, the node's kind-dependent
    keys) is written out here; limits, patterns and names come from the file.
    """

    def __init__(self, s: dict) -> None:
        top, defs = s["properties"], s["$defs"]
        self.top_required: tuple[str, ...] = tuple(s["required"])
        self.top_keys: tuple[str, ...] = tuple(top)
        header = top["dagnet"]
        self.header_required: tuple[str, ...] = tuple(header["required"])
        self.header = {k: v["const"] for k, v in header["properties"].items()}
        self.flags = {k: top[k]["const"] for k in ("directed", "multigraph")}
        self.max_items = {k: top[k]["maxItems"] for k in ("nodes", "edges")}
        self.key = _matcher(defs["key"]["pattern"])
        self.max_keys = {k: defs[k]["maxProperties"] for k in ("attributes", "node", "edge")}
        self.node_required: tuple[str, ...] = tuple(defs["node"]["required"])
        self.edge_required: tuple[str, ...] = tuple(defs["edge"]["required"])
        scalar_len = defs["scalar"]["maxLength"]
        self.scalar = _rule(
            lambda v: ((type(v) is str and len(v) <= scalar_len and _unicode(v))
                       or type(v) is bool or _number(v)),
            f"a string (at most {scalar_len} characters), a finite number or a boolean: extra "
            "attributes are scalars")
        node = defs["node"]["properties"]
        ident = defs["id"]
        id_rule = _string(ident, f"a node id: {ident['minLength']} to {ident['maxLength']} "
                                 "characters, no control characters")
        count = _integer(defs["count"], "an index")
        self.kinds: tuple[str, ...] = tuple(node["kind"]["enum"])
        self.node_rules = {
            "id": id_rule,
            "kind": _enum(self.kinds, "a node kind: one of " + ", ".join(self.kinds)),
            "layer": _integer(node["layer"], "a layer"),
            "index": count, "i": count, "j": count,
            "name": _string(node["name"], "a symbol such as 'w_10' or 'x_1' (a letter, letters "
                                          "or digits, then '_' and indices; at most "
                                          f"{node['name']['maxLength']} characters)"),
            "activation": _string(node["activation"], "an activation name (at most "
                                                      f"{node['activation']['maxLength']} "
                                                      "characters)"),
            "value": _rule(lambda v: v is None or _number(v),
                           "a finite number (or null: an unset weight)", _value),
        }
        self.edge_rules = {"source": id_rule, "target": id_rule}

    def node_keys(self, kind: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The keys a node of ``kind`` must have and the ones it must not (the ``allOf``)."""
        weight, activation = kind == "weight", kind == "activation"
        required = [*self.node_required, *(("i", "j") if weight else ("index",))]
        forbidden = {"index"} if weight else {"i", "j", "value"}
        if activation:
            required.append("activation")
        else:
            forbidden.add("activation")
        return tuple(required), frozenset(forbidden)


@functools.lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules(schema())


def _show(value: Any) -> str:
    """A value for a message, without walking deep structures."""
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, str) and not _unicode(value):
        return f"the text {shorten(repr(value), 60)} (not valid Unicode: a lone surrogate)"
    return shorten(repr(value), 60)


def _keys_problem(R: _Rules, keys: Iterable[str], required: Iterable[str], limit: int,
                  forbidden: Iterable[str] = (), kind: str = "") -> tuple[str, str] | None:
    """(key, message) for an object whose key names break the schema, else None."""
    keys = list(keys)
    if len(keys) > limit:
        return "", f"{len(keys)} attributes; at most {limit} are allowed"
    for key in keys:
        if type(key) is not str or R.key(key) is None:
            return "", (f"the attribute name {_show(key)} is not allowed; names are letters, "
                        "digits and '_' (at most 64, not starting with a digit): rename it")
    for key in required:
        if key not in keys:
            return "", f"the key {key!r} is missing"
    for key in forbidden:
        if key in keys:
            return key, f"a {kind} node has no {key!r}: remove it"
    return None


def _value_problem(rules: dict[str, _Rule], default: _Rule,
                   obj: dict) -> tuple[str, str] | None:
    for key, value in obj.items():
        rule = rules.get(key, default)
        if not rule.ok(value):
            return key, f"{_show(value)} is not {rule.need}"
    return None


def _node_problem(R: _Rules, node: Any) -> tuple[str, str] | None:
    """(key, message) of the first problem of one node, or None (the slow, wordy path)."""
    if type(node) is not dict:
        return "", f"{_show(node)} is not a node object ({{\"id\": ..., \"kind\": ...}})"
    kind = node.get("kind", "weight")  # an absent kind takes the schema's "then" branches
    if "kind" in node and not R.node_rules["kind"].ok(kind):
        return "kind", f"{_show(kind)} is not {R.node_rules['kind'].need}"
    required, forbidden = R.node_keys(kind)
    return (_keys_problem(R, node, required, R.max_keys["node"], sorted(forbidden), kind)
            or _value_problem(R.node_rules, R.scalar, node))


def _edge_problem(R: _Rules, edge: Any) -> tuple[str, str] | None:
    if type(edge) is not dict:
        return "", f"{_show(edge)} is not an edge object ({{\"source\": ..., \"target\": ...}})"
    return (_keys_problem(R, edge, R.edge_required, R.max_keys["edge"])
            or _value_problem(R.edge_rules, R.scalar, edge))


def _nodes_pass(R: _Rules, nodes: list) -> bool:
    """Whether every node follows the schema, decided a column at a time: each distinct
    shape (kind and keys) is checked once, then each key's values together. False means
    only: look node by node (:func:`_first_bad_node`)."""
    try:
        if _types(nodes) - {dict}:
            return False
        shapes = set(zip(map(itemgetter("kind"), nodes), map(tuple, nodes)))
    except (KeyError, TypeError):  # a node without a kind, or an unhashable kind
        return False
    if len(shapes) > 4096:  # so many shapes: node by node is as quick
        return False
    everywhere: set[str] | None = None
    for kind, keys in shapes:
        if not R.node_rules["kind"].ok(kind):
            return False
        required, forbidden = R.node_keys(kind)
        if _keys_problem(R, keys, required, R.max_keys["node"], forbidden) is not None:
            return False
        everywhere = set(keys) if everywhere is None else everywhere & set(keys)
    for key in set().union(*(keys for _, keys in shapes)) - {"kind"}:  # kinds: checked
        if key in (everywhere or ()):
            values = list(map(itemgetter(key), nodes))
        else:
            values = [node[key] for node in nodes if key in node]
        if not R.node_rules.get(key, R.scalar).column(values):
            return False
    return True


def _untracked_pass(R: _Rules, nodes: list) -> bool:
    """Whether the nodes' ``value`` and ``activation`` columns follow the schema, and only
    weights hold a value: what can differ from nodes that passed before with the same
    structure (a weight's value changes without changing the structure; an activation name
    has no length limit in the registry). False means only: check every column."""
    try:
        valued = [node for node in nodes if "value" in node]
        acts = [node["activation"] for node in nodes if "activation" in node]
        return ((not valued or set(map(itemgetter("kind"), valued)) == {"weight"})
                and R.node_rules["value"].column(list(map(itemgetter("value"), valued)))
                and R.node_rules["activation"].column(acts))
    except (KeyError, TypeError):
        return False


def _first_bad_node(R: _Rules, nodes: list, known: bool = False,
                    as_laid: list | None = None) -> tuple[int, tuple[str, str]] | None:
    laid = nodes if as_laid is None else as_laid  # the same nodes: the verdict is the same
    if (known and _untracked_pass(R, laid)) or _nodes_pass(R, laid):
        return None
    for k, node in enumerate(nodes):
        problem = _node_problem(R, node)
        if problem is not None:
            return k, problem
    return None


def _first_bad_edge(R: _Rules, edges: list, ids: set) -> tuple[int, tuple[str, str]] | None:
    """Edges of two node ids (already checked as ids) are fine; the rest, one by one."""
    try:
        if (not _types(edges) - {dict} and set(map(len, edges)) <= {2}
                and ids.issuperset(map(itemgetter("source"), edges))
                and ids.issuperset(map(itemgetter("target"), edges))):
            return None
    except (KeyError, TypeError):
        pass
    for k, edge in enumerate(edges):
        problem = _edge_problem(R, edge)
        if problem is not None:
            return k, problem
    return None


def _at(items: str, k: int, item: Any, key: str) -> str:
    where = f"{items}[{k}]" + (f".{key}" if key.isidentifier() else f"[{key!r}]" if key else "")
    if type(item) is dict:
        if items == "nodes" and type(item.get("id")) is str:
            where += f" (node {shorten(item['id'], 60)!r})"
        elif items == "edges" and type(item.get("source")) is type(item.get("target")) is str:
            where += f" (edge {shorten(item['source'], 40)!r} -> {shorten(item['target'], 40)!r})"
    return where


def _header_problem(R: _Rules, doc: dict) -> tuple[str, str] | None:
    header = doc["dagnet"]
    if type(header) is not dict:
        return "dagnet", f"{_show(header)} is not the header object {_header_text()}"
    for key in R.header_required:
        if key not in header:
            return "dagnet", f"the key {key!r} is missing from the header {_header_text()}"
    for key, value in header.items():
        if key not in R.header:
            return "dagnet", (f"the key {shorten(repr(key), 60)} is not part of the header "
                              f"{_header_text()}: remove it")
        if not _same(value, R.header[key]):
            return f"dagnet.{key}", f"{_show(value)} is not {R.header[key]!r}"
    return None


def _header_text() -> str:
    return f'{{"format": "{FORMAT}", "version": {VERSION}}}'


def _same(value: Any, const: Any) -> bool:
    """JSON Schema's ``const`` for scalars: ``true`` is not ``1``, ``1.0`` is ``1``."""
    if type(value) is bool or type(const) is bool:
        return value is const
    if type(const) is str:
        return value == const
    return type(value) in (int, float) and value == const


def _top_problem(R: _Rules, doc: Any) -> tuple[str, str] | None:
    """(place, message) of a problem outside the node and edge lists, or None."""
    if type(doc) is not dict:
        return "the document", f"{_show(doc)} is not a network (a JSON object)"
    for key in R.top_required:
        if key not in doc:
            return "the document", f"the key {key!r} is missing"
    for key in doc:
        if key not in R.top_keys:
            return "the document", (f"the key {shorten(repr(key), 60)} is not part of the "
                                    f"format (its keys: {', '.join(R.top_keys)}): remove it")
    problem = _header_problem(R, doc)
    if problem is not None:
        return problem
    for key, const in R.flags.items():
        if not _same(doc[key], const):
            return key, f"{_show(doc[key])} is not {json.dumps(const)}"
    graph = doc["graph"]
    if type(graph) is not dict:
        return "graph", f"{_show(graph)} is not an object of graph attributes"
    problem = (_keys_problem(R, graph, (), R.max_keys["attributes"])
               or _value_problem({}, R.scalar, graph))
    if problem is not None:
        return "graph" + (f".{problem[0]}" if problem[0] else ""), problem[1]
    for key in ("nodes", "edges"):
        if type(doc[key]) is not list:
            return key, f"{_show(doc[key])} is not an array of {key}"
        if len(doc[key]) > R.max_items[key]:
            return key, f"{len(doc[key])} {key}; at most {R.max_items[key]} are allowed"
    return None


def schema_problem(doc: Any, *, plain_edges: int = 0, known_nodes: bool = False,
                   nodes_as_laid: list | None = None) -> str | None:
    """What the first problem of ``doc`` against the published schema is, or None.

    One pass of plain Python over the parsed document (objects as ``dict``, arrays as
    ``list``). The message names the JSON path (and the node), the value found and what
    the format expects there.

    Parameters
    ----------
    doc : object
        A parsed network document (as :func:`parse_json` returns it).
    plain_edges : int
        Edges ``{"source": u, "target": v}`` between nodes of ``doc`` that a writer left out
        of ``doc["edges"]`` as they need no check but their number (against the limit).
    known_nodes : bool
        A writer's promise that the nodes have passed this check before, with the same
        ids and every attribute the same but weight values (as :attr:`Structure.built
        <dagnet.core.structure.Structure>` or an unchanged structure tells): only the
        ``value`` column (where only weights may hold one) and the ``activation`` column
        (the registry does not limit a name's length) are checked; if they fail, all are.
    nodes_as_laid : list, optional
        ``doc["nodes"]`` in another order, quicker to read (the order in which a writer
        made them, which is their order in memory), for the checks of whole columns; the
        node a problem names is still the first in ``doc["nodes"]``.

    Returns
    -------
    str or None
        ``"PLACE: PROBLEM; see the format in ..."``, or None when ``doc`` follows the schema
        (and holds only valid Unicode text and finite, 64-bit numbers).

    Examples
    --------
    >>> doc = {"dagnet": {"format": "network", "version": 1}, "directed": True,
    ...        "multigraph": False, "graph": {}, "edges": [],
    ...        "nodes": [{"id": "L1.x1", "kind": "input", "index": 1, "layer": 0}]}
    >>> print(schema_problem(doc))
    nodes[0].layer (node 'L1.x1'): 0 is not an integer from 1 to 1000000 (a layer); ...
    >>> doc["nodes"][0]["layer"] = 1
    >>> schema_problem(doc) is None
    True
    """
    R = _rules()
    found = _top_problem(R, doc)
    if found is None and len(doc["edges"]) + plain_edges > R.max_items["edges"]:
        found = "edges", (f"{len(doc['edges']) + plain_edges} edges; at most "
                          f"{R.max_items['edges']} are allowed")
    if found is not None:
        return f"{found[0]}: {found[1]}; {_SCHEMA_HINT}"
    nodes, edges = doc["nodes"], doc["edges"]
    hit = _first_bad_node(R, nodes, known_nodes, nodes_as_laid)
    if hit is None and edges:
        hit = _first_bad_edge(R, edges, set(map(itemgetter("id"), nodes)))
        items = "edges"
    else:
        items = "nodes"
    if hit is None:
        return None
    k, (key, message) = hit
    return f"{_at(items, k, doc[items][k], key)}: {message}; {_SCHEMA_HINT}"


def check_schema(doc: Any, source: str) -> None:
    """Raise :class:`~dagnet.NetworkFileError` naming ``source`` and the place unless ``doc``
    follows the published schema (see :func:`schema_problem`)."""
    problem = schema_problem(doc)
    if problem is not None:
        raise NetworkFileError(f"{source}: {problem}")


# -- parsing ------------------------------------------------------------------------------
def _reject_constant(token: str) -> Any:
    raise NetworkFileError(f"the number {token} is not allowed; numbers must be finite")


def _parse_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise NetworkFileError(f"the number {shorten(token, 40)} is out of range; "
                               "numbers must be finite doubles")
    return value


def _parse_int(token: str) -> int:
    if len(token) > 20 or abs(value := int(token)) > _MAX_INT:
        raise NetworkFileError(f"the integer {shorten(token, 40)} is out of range; "
                               "integers must fit in 64 bits")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise NetworkFileError(f"the key {shorten(dup, 60)!r} appears twice in one object; "
                               "each key may appear once")
    return out


def _check_tree(doc: Any, source: str) -> None:
    """Bound the nesting depth; every number finite and in range (iterative, no recursion)."""
    stack = [(doc, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise NetworkFileError(f"{source}: the document is nested more than {MAX_DEPTH} "
                                       "levels deep; a network file needs 3")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, float) and not math.isfinite(item):
            raise NetworkFileError(f"{source}: the number {item} is not allowed; "
                                   "numbers must be finite")
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > _MAX_INT:
            raise NetworkFileError(f"{source}: an integer is out of range; "
                                   "integers must fit in 64 bits")


def _check_header(doc: Any, source: str) -> None:
    if not isinstance(doc, dict):
        raise NetworkFileError(f"{source}: a network file is a JSON object, got a "
                               f"{type(doc).__name__}; write one with dagnet.save(net, path)")
    header = doc.get("dagnet")
    if not isinstance(header, dict) or "version" not in header:
        raise NetworkFileError(
            f"{source}: no 'dagnet' header; is this a dagnet network file? Files written by "
            f'dagnet.save start with {{"dagnet": {_header_text()}'
        )
    version = header["version"]
    if version != VERSION or isinstance(version, bool):
        newer = isinstance(version, int) and not isinstance(version, bool) and version > VERSION
        fix = "upgrade dagnet to read it" if newer else f"this dagnet reads version {VERSION}"
        raise NetworkFileError(f"{source}: format version {shorten(repr(version), 40)} is not "
                               f"supported; {fix}")


def parse_json(text: str, source: str) -> Any:
    """Parse JSON text strictly (see the module docs); errors name ``source``."""
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float,
                          parse_int=_parse_int, object_pairs_hook=_unique_keys)
    except NetworkFileError as exc:
        raise NetworkFileError(f"{source}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise NetworkFileError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} "
                               f"column {exc.colno}") from None
    except RecursionError:
        raise NetworkFileError(f"{source}: the document is nested too deeply; a network file "
                               "needs 3 levels") from None
    except ValueError as exc:  # e.g. Python's limit on the digits of an int
        raise NetworkFileError(f"{source}: not valid JSON: {shorten(str(exc))}") from None


def check_document(doc: Any, source: str) -> None:
    """The schema (one pass); on a problem, the depth, the numbers and the ``dagnet`` header
    are looked at first, so a deep, out-of-range or foreign document is named as such.
    Errors name ``source``."""
    problem = schema_problem(doc)
    if problem is not None:
        _check_tree(doc, source)
        _check_header(doc, source)
        raise NetworkFileError(f"{source}: {problem}")
