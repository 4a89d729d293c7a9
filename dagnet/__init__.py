"""dagnet: neural networks built explicitly, node by node, as a networkx DAG.

The public API, re-exported explicitly from the pipeline's stages:

==================  ===================================================================
:mod:`dagnet.core`  the graph: :class:`Network`, validation, activations, builders, SPECs
``symbolic``        sympy equations and LaTeX (``net.equations()``, ``net.latex()``)
``compiled``        fast numpy code (``net.compile()``), the loss gradient
``draw``            Graphviz diagrams (:func:`to_dot`, :func:`render_diagram`)
``plot``            matplotlib figures (:mod:`dagnet.plot`)
``learn``           :func:`fit`
``io``              network files (:func:`save`, :func:`load`, :func:`export`) and other
                    libraries' models (:func:`from_sklearn`, :func:`from_torch`,
                    :func:`from_onnx`, :func:`to_onnx`)
``gallery``         the article's figures (:func:`build_gallery`)
``cli``             the ``dagnet`` command
==================  ===================================================================
"""

from .compiled import CompiledGradient, CompiledNetwork, LossGradient, compile_gradient, gradient
from .core import (
    KINDS,
    Activation,
    Loss,
    Network,
    activation_names,
    as_network,
    get_activation,
    linear,
    logistic,
    loss_names,
    mlp,
    network_from_spec,
    parse_spec,
    register_activation,
    unregister_activation,
    validate,
)
from .core.palette import THEMES
from .draw import GraphvizWarning, render_diagram, to_dot
from .errors import (
    CycleError,
    DagnetError,
    DanglingNodeError,
    DiagramError,
    DuplicateNodeError,
    FitError,
    GraphvizMissingError,
    MissingExtraError,
    MissingWeightError,
    ModelImportError,
    NetworkError,
    NetworkFileError,
    NodeKindError,
    NotLayeredError,
    NotLinearError,
    OutputError,
    PlotError,
    ShapeError,
    SizeLimitError,
    SpecError,
    StaleCompileError,
    UnknownActivationError,
    WeightError,
    WiringError,
)
from .gallery import build_gallery
from .io import export, from_onnx, from_sklearn, from_torch, load, save, to_onnx
from .learn import History, fit, fit_csv
from .symbolic import AffineForm, backward_equations, backward_latex

__version__ = "0.1.0"

__all__ = [
    # core: the graph
    "Network", "as_network", "KINDS", "validate", "linear", "logistic", "mlp",
    "Activation", "activation_names", "get_activation", "register_activation",
    "unregister_activation", "Loss", "loss_names", "parse_spec", "network_from_spec",
    # symbolic and compiled
    "AffineForm", "backward_equations", "backward_latex", "CompiledNetwork",
    "compile_gradient", "gradient", "CompiledGradient", "LossGradient",
    # diagrams
    "to_dot", "render_diagram", "THEMES", "GraphvizWarning",
    # learning, files, the gallery
    "fit", "fit_csv", "History", "save", "load", "export", "build_gallery",
    "from_sklearn", "from_torch", "from_onnx", "to_onnx",
    # errors (dagnet.errors)
    "DagnetError", "NetworkError", "CycleError", "NodeKindError", "WiringError",
    "DanglingNodeError", "DuplicateNodeError", "UnknownActivationError", "WeightError",
    "MissingWeightError", "ShapeError", "NotLinearError", "NotLayeredError",
    "StaleCompileError", "GraphvizMissingError", "NetworkFileError", "DiagramError",
    "PlotError", "SpecError", "FitError", "ModelImportError", "MissingExtraError",
    "OutputError", "SizeLimitError",
]
