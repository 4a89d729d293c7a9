"""dagnet.io: network files (JSON, GraphML) and exports (DOT, LaTeX, numpy source).

===================  ================================================================
:mod:`.files`        :func:`save`, :func:`load`, :func:`export` and the formats
:mod:`.schema`       the published JSON Schema and the safe JSON reader
===================  ================================================================
"""

from .files import (
    EXPORT_SUFFIXES,
    FORMAT,
    MAX_BYTES,
    MAX_DEPTH,
    VERSION,
    export,
    from_graphml,
    from_json,
    load,
    save,
    schema,
    to_document,
    to_graphml,
    to_json,
)

__all__ = [
    "FORMAT", "VERSION", "MAX_BYTES", "MAX_DEPTH", "schema", "to_document", "to_json",
    "from_json", "save", "load", "to_graphml", "from_graphml", "export", "EXPORT_SUFFIXES",
]
