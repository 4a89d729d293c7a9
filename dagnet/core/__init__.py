"""dagnet.core: the network graph itself, the first stage of the pipeline.

A :class:`Network` owns one ``networkx.DiGraph`` of typed nodes; everything else
in dagnet reads it. This stage holds what every later stage stands on:

===================  ================================================================
:mod:`.graph`        :class:`Network`, the explicit node API and the weights
:mod:`.structure`    the node schema, notation names and :func:`validate`
:mod:`.infer`        what a graph's structure implies (``from_graph`` fills it in)
:mod:`.activations`  the activation registry (a data table)
:mod:`.losses`       the loss registry (a data table)
:mod:`.builders`     :func:`linear`, :func:`logistic`, :func:`mlp`
:mod:`.spec`         the SPEC grammar (``"2-11-9-1:tanh"``), the one used everywhere
:mod:`.blocks`       the dense-block planner that symbolic and compiled code share
:mod:`.atomic`       atomic file writes, used by every stage that writes a file
:mod:`.palette`      the colours of every picture (diagrams, plots, the gallery), per theme
===================  ================================================================
"""

# networkx before numpy: imported in the other order, the two take ~60 ms (~35%) longer
# (measured by benchmarks/bench_startup.py).
import networkx  # noqa: F401

from .activations import (
    Activation,
    activation_names,
    get_activation,
    register_activation,
    unregister_activation,
)
from .builders import linear, logistic, mlp
from .graph import Network, as_network
from .losses import Loss, get_loss, loss_names
from .spec import Spec, format_spec, network_from_spec, parse_spec
from .structure import KINDS, Structure, validate

__all__ = [
    "Network", "as_network", "KINDS", "Structure", "validate",
    "Activation", "activation_names", "get_activation", "register_activation",
    "unregister_activation", "Loss", "get_loss", "loss_names",
    "linear", "logistic", "mlp", "Spec", "parse_spec", "format_spec", "network_from_spec",
]
