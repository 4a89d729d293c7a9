"""The one exception hierarchy of dagnet.

Every error that dagnet raises on bad user input is a :class:`DagnetError`, so
``except dagnet.DagnetError`` catches all of them. Each message names the
problem (the node, value or shape) and the fix.

Examples
--------
>>> import dagnet
>>> issubclass(dagnet.CycleError, dagnet.DagnetError)
True
"""

from __future__ import annotations

__all__ = [
    "DagnetError",
    "NetworkError",
    "CycleError",
    "NodeKindError",
    "WiringError",
    "DanglingNodeError",
    "DuplicateNodeError",
    "UnknownActivationError",
    "WeightError",
    "MissingWeightError",
    "ShapeError",
    "NotLinearError",
    "NotLayeredError",
    "StaleCompileError",
    "GraphvizMissingError",
    "NetworkFileError",
    "FitError",
    "DiagramError",
    "PlotError",
    "SpecError",
    "ModelImportError",
    "MissingExtraError",
    "OutputError",
    "SizeLimitError",
]


class DagnetError(Exception):
    """Base class of every error dagnet raises on bad input."""


class NetworkError(DagnetError, ValueError):
    """The graph does not follow dagnet's schema (see :mod:`dagnet.core.graph`)."""


class CycleError(NetworkError):
    """The graph has a directed cycle; a network must be a DAG."""


class NodeKindError(NetworkError):
    """A node has no ``kind`` or an unknown one."""


class WiringError(NetworkError):
    """A node has the wrong number or kind of inputs or outputs."""


class DanglingNodeError(NetworkError):
    """A node does not lead to any output, or the network has no input."""


class DuplicateNodeError(NetworkError):
    """Two nodes would share an id or a symbol name."""


class UnknownActivationError(DagnetError, KeyError):
    """An activation name is not in the registry."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class WeightError(DagnetError, ValueError):
    """A weight value or weight array is invalid (non-finite, wrong length, unknown name)."""


class MissingWeightError(WeightError):
    """A numeric weight was needed but the weight node has no ``value``."""


class ShapeError(DagnetError, ValueError):
    """An array passed to dagnet has the wrong shape."""


class NotLinearError(DagnetError, ValueError):
    """A linear-only operation was asked of a network that is not linear."""


class NotLayeredError(DagnetError, ValueError):
    """A layer-by-layer operation was asked of a network that is not fully layered."""


class StaleCompileError(DagnetError, RuntimeError):
    """The network's structure changed after it was compiled."""


class GraphvizMissingError(DagnetError, RuntimeError):
    """Rendering needs Graphviz's ``dot`` program, which is not installed."""


class NetworkFileError(DagnetError, ValueError):
    """A network file is malformed, of an unknown version, or cannot be written."""


class FitError(DagnetError, ValueError):
    """Fitting cannot proceed: unknown loss or optimizer, targets that do not suit the loss,
    or a loss that became NaN or infinite."""


class DiagramError(DagnetError, ValueError):
    """A diagram was asked with an unknown style or theme, bad options, or is too large."""


class SpecError(DagnetError, ValueError):
    """A command-line SPEC (``"2-11-9-1:tanh"`` or a network file path) is malformed."""


class PlotError(DagnetError, ValueError):
    """A plot was asked of a network it cannot show, or with invalid plot options."""


class ModelImportError(DagnetError, ValueError):
    """A model of another library (scikit-learn, PyTorch, ONNX) cannot be converted to or from
    a network: an unsupported layer or op, mismatched shapes, a non-float dtype, a malformed
    file."""


class MissingExtraError(DagnetError, ImportError):
    """An importer or exporter needs a library that is not installed (a ``dagnet[...]`` extra)."""


class OutputError(DagnetError, OSError):
    """A file cannot be written where asked: the path is a folder, lies under a file, or its
    folder cannot be made or written."""


class SizeLimitError(DagnetError, ValueError):
    """A network or array would be larger than the limit that applies (estimated before any
    memory is taken); the message names the size, the limit and the argument that raises it."""
