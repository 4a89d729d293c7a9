"""dagnet: neural networks built explicitly, node by node, as a networkx DAG.

The public API, re-exported explicitly.
"""

from .activations import (
    Activation,
    activation_names,
    get_activation,
    register_activation,
    unregister_activation,
)
from .builders import linear, logistic, mlp
from .errors import (
    CycleError,
    DagnetError,
    DanglingNodeError,
    DuplicateNodeError,
    GraphvizMissingError,
    MissingWeightError,
    NetworkError,
    NetworkFileError,
    NodeKindError,
    NotLayeredError,
    NotLinearError,
    ShapeError,
    StaleCompileError,
    UnknownActivationError,
    WeightError,
    WiringError,
)
from .graph import KINDS, Network, validate
from .numeric import CompiledNetwork
from .symbolic import AffineForm

__version__ = "0.1.0"

__all__ = [
    "Activation", "activation_names", "get_activation", "register_activation",
    "unregister_activation",
    "linear", "logistic", "mlp",
    "Network", "KINDS", "validate", "AffineForm", "CompiledNetwork",
    "DagnetError", "NetworkError", "CycleError", "NodeKindError", "WiringError",
    "DanglingNodeError", "DuplicateNodeError", "UnknownActivationError", "WeightError",
    "MissingWeightError", "ShapeError", "NotLinearError", "NotLayeredError",
    "StaleCompileError", "GraphvizMissingError", "NetworkFileError",
]
