"""dagnet.io: network files (JSON, GraphML) and exports (DOT, LaTeX, numpy source).

===================  ================================================================
:mod:`.files`        :func:`save`, :func:`load`, :func:`export` and the formats
:mod:`.schema`       the published JSON Schema and the safe JSON reader
:mod:`.sklearn`      :func:`from_sklearn`: scikit-learn MLPs in (the ``sklearn`` extra)
:mod:`.torch`        :func:`from_torch`: PyTorch ``nn.Sequential`` in (the ``torch`` extra)
:mod:`.onnx`         :func:`from_onnx`, :func:`to_onnx`: ONNX in and out (the ``onnx`` extra)
:mod:`.dense`        dense layers to a network, shared by the importers
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
from .onnx import from_onnx, to_onnx
from .sklearn import from_sklearn
from .torch import from_torch

__all__ = [
    "FORMAT", "VERSION", "MAX_BYTES", "MAX_DEPTH", "schema", "to_document", "to_json",
    "from_json", "save", "load", "to_graphml", "from_graphml", "export", "EXPORT_SUFFIXES",
    "from_sklearn", "from_torch", "from_onnx", "to_onnx",
]
