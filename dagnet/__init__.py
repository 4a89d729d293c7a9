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
from .analysis import AffineForm
from .backprop import CompiledGradient, LossGradient, compile_gradient, gradient
from .backward import backward_equations, backward_latex
from .builders import linear, logistic, mlp
from .diagram import (  # the function dagnet.diagram.diagram is net.diagram()
    THEMES,
    GraphvizWarning,
    render_diagram,
    to_dot,
)
from .errors import (
    CycleError,
    DagnetError,
    DanglingNodeError,
    DiagramError,
    DuplicateNodeError,
    FitError,
    GraphvizMissingError,
    MissingWeightError,
    NetworkError,
    NetworkFileError,
    NodeKindError,
    NotLayeredError,
    NotLinearError,
    PlotError,
    ShapeError,
    SpecError,
    StaleCompileError,
    UnknownActivationError,
    WeightError,
    WiringError,
)
from .gallery import build_gallery
from .graph import Network
from .io import export, load, save  # network files (dagnet.io)
from .learn import History, fit, fit_csv
from .losses import Loss, loss_names
from .numeric import CompiledNetwork
from .spec import network_from_spec, parse_spec
from .structure import KINDS, validate

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
    # learning (dagnet.backward, dagnet.backprop, dagnet.losses, dagnet.learn)
    "backward_equations", "backward_latex", "compile_gradient", "gradient", "CompiledGradient",
    "LossGradient", "fit", "fit_csv", "History", "Loss", "loss_names", "FitError",
    # diagrams
    "to_dot", "render_diagram", "THEMES", "DiagramError", "GraphvizWarning", "PlotError",
    # command line and gallery
    "SpecError", "parse_spec", "network_from_spec", "build_gallery",
    # network files (dagnet.io)
    "save", "load", "export",
]
