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

Each name is imported from its stage on first use (``import dagnet`` itself imports only
:mod:`dagnet.errors`): the graph brings numpy and networkx, equations sympy, plots
matplotlib, and a command line that only asks for ``--help`` none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # the names re-exported on first use (_LAZY below), for type checkers
    from types import ModuleType

    from .compiled import (
        CompiledGradient,
        CompiledNetwork,
        LossGradient,
        compile_gradient,
        gradient,
    )
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

#: The names re-exported from the stages, each imported on its first use (PEP 562
#: ``__getattr__``), keyed by the module that defines them: ``import dagnet`` imports only
#: :mod:`dagnet.errors`, so ``dagnet --help`` starts at once, the graph brings numpy and
#: networkx, and sympy, matplotlib and graphviz come in with the first name that needs them.
_LAZY: dict[str, tuple[str, ...]] = {
    "core": ("Network", "as_network", "KINDS", "validate", "linear", "logistic", "mlp",
             "Activation", "activation_names", "get_activation", "register_activation",
             "unregister_activation", "Loss", "loss_names", "parse_spec", "network_from_spec"),
    "core.palette": ("THEMES",),
    "symbolic": ("AffineForm", "backward_equations", "backward_latex"),
    "compiled": ("CompiledNetwork", "CompiledGradient", "LossGradient", "compile_gradient",
                 "gradient"),
    "draw": ("to_dot", "render_diagram", "GraphvizWarning"),
    "learn": ("fit", "fit_csv", "History"),
    "io": ("save", "load", "export", "from_sklearn", "from_torch", "from_onnx", "to_onnx"),
    "gallery": ("build_gallery",),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}
#: The stages that are attributes of ``dagnet`` (``dagnet.plot``), imported on first use.
#: Not ``cli``: the gallery imports ``dagnet``, and the pipeline's layers forbid it to reach
#: the command line above it (``import dagnet.cli`` imports it).
_STAGES = ("core", "symbolic", "compiled", "draw", "plot", "learn", "io", "gallery")


def _import(module: str) -> ModuleType | None:
    """Import a stage, or the module of a lazy name (import statements the linter sees)."""
    if module == "core":
        import dagnet.core as stage
    elif module == "core.palette":
        import dagnet.core.palette as stage
    elif module == "symbolic":
        import dagnet.symbolic as stage
    elif module == "compiled":
        import dagnet.compiled as stage
    elif module == "draw":
        import dagnet.draw as stage
    elif module == "plot":
        import dagnet.plot as stage
    elif module == "learn":
        import dagnet.learn as stage
    elif module == "io":
        import dagnet.io as stage
    elif module == "gallery":
        import dagnet.gallery as stage
    else:
        return None
    return stage


def __getattr__(name: str) -> Any:
    """A re-exported name (``dagnet.mlp``) or a stage (``dagnet.plot``), imported on first use."""
    home = _HOME.get(name) or (name if name in _STAGES else "")
    module = _import(home)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = module if home == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_STAGES})
