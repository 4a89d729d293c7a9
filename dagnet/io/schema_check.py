"""Checks for untrusted network documents: the published schema, safe JSON parsing, limits.

A network file is data, never code. :func:`parse_json` reads text with :mod:`json` only,
refusing NaN, infinities, integers beyond 64 bits and repeated keys, and turning every parser
failure (including deep nesting) into a :class:`~dagnet.NetworkFileError`.
:func:`check_document` then bounds the nesting depth, checks the ``dagnet`` header and
validates against the JSON Schema ``dagnet/io/network-v1.schema.json`` with the ``jsonschema``
library, naming the place of the first problem. :mod:`dagnet.io` builds the graph afterwards.

Examples
--------
>>> doc = parse_json('{"dagnet": {"format": "network", "version": 1}}', "a.json")
>>> check_document(doc, "a.json")
Traceback (most recent call last):
...
dagnet.errors.NetworkFileError: a.json: the document: 'directed' is a required property; ...
>>> parse_json('{"x": NaN}', "b.json")
Traceback (most recent call last):
...
dagnet.errors.NetworkFileError: b.json: the number NaN is not allowed; numbers must be finite
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from importlib import resources
from typing import Any

from ..errors import NetworkFileError

__all__ = ["FORMAT", "VERSION", "MAX_DEPTH", "schema", "parse_json", "check_document",
           "check_schema", "shorten"]

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


def _inline_refs(node: Any, defs: dict) -> Any:
    """The schema with its local ``#/$defs/...`` references written out (same meaning).

    jsonschema resolves a ``$ref`` on every visit; inlined, validation is ~3x faster.
    """
    if isinstance(node, list):
        return [_inline_refs(x, defs) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    if "$ref" in node:
        out.update(_inline_refs(defs[node["$ref"].removeprefix("#/$defs/")], defs))
    return out


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # imported on first use: keeps `import dagnet` light

    published = schema()
    return jsonschema.Draft202012Validator(_inline_refs(published, published["$defs"]))


def _where(doc: Any, path: Any) -> str:
    parts = list(path)
    out = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    if len(parts) >= 2 and parts[0] in ("nodes", "edges") and isinstance(parts[1], int):
        item = doc[parts[0]][parts[1]]
        if parts[0] == "nodes" and isinstance(item, dict) and isinstance(item.get("id"), str):
            out += f" (node {shorten(item['id'], 60)!r})"
    return out or "the document"


@functools.lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """jsonschema-rs (compiled, ~1000x faster) for the yes/no verdict, when installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - it is a dependency; jsonschema alone still works
        return None
    return jsonschema_rs.Draft202012Validator(schema())


def check_schema(doc: Any, source: str) -> None:
    """Validate ``doc`` against the published schema; raise ``NetworkFileError`` naming the place.

    jsonschema-rs decides quickly whether the document is valid; only when it is not does
    the (slower) jsonschema library find the best error to report, and its verdict is final.
    """
    from jsonschema.exceptions import best_match

    fast = _fast_validator()
    try:
        if fast is not None and fast.is_valid(doc):
            return
    except UnicodeEncodeError as exc:  # a lone surrogate (JSON's "\ud800") in some string
        bad = exc.object[max(0, exc.start - 20):exc.end + 20]
        raise NetworkFileError(
            f"{source}: the text {bad!r} is not valid Unicode (a lone surrogate); "
            "network files hold UTF-8 text: fix or remove that string"
        ) from None
    try:
        err = best_match(itertools.islice(_validator().iter_errors(doc), 50))
    except RecursionError as exc:  # pragma: no cover - depth is checked before
        raise NetworkFileError(f"{source}: the document is nested too deeply") from exc
    if err is not None:
        raise NetworkFileError(
            f"{source}: {_where(doc, err.absolute_path)}: {shorten(err.message)}; {_SCHEMA_HINT}"
        )


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
            f'dagnet.save start with {{"dagnet": {{"format": "{FORMAT}", "version": {VERSION}}}'
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
    """Depth and numbers, the ``dagnet`` header, then the schema; errors name ``source``."""
    _check_tree(doc, source)
    _check_header(doc, source)
    check_schema(doc, source)
