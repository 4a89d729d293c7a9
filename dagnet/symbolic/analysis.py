"""What a network can compute, read from its graph: linearity, affine form, output range.

A network whose input paths pass through identity activations only (any depth or
width) computes an affine function of its inputs; :func:`linear_coefficients`
collapses it to slopes and an intercept, as expressions of the weights, the
article's "it is still a straight line". :func:`output_range` is the interval
the output's activation allows.

Examples
--------
>>> import dagnet
>>> net = dagnet.mlp([1, 100, 1], "identity")
>>> net.is_linear()
True
>>> len(net.linear_coefficients().slopes)
1
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import networkx as nx
import sympy as sp

from ..core.activations import get_activation
from ..core.graph import as_network
from ..errors import NotLinearError
from .notation import symbols, weight_symbols

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["is_linear", "AffineForm", "linear_coefficients", "output_range"]


def _input_dependent(net: Network) -> dict[Any, tuple[bool, bool]]:
    """Per node: (depends on an input, passed through a nonlinear function of an input)."""
    s = net.validate()
    G = net.graph
    flags: dict[Any, tuple[bool, bool]] = {}
    for n in s.order:
        preds = list(G.predecessors(n))
        dep = any(flags[p][0] for p in preds) or (G.nodes[n]["kind"] == "input" and not preds)
        nonlin = any(flags[p][1] for p in preds)
        if G.nodes[n]["kind"] == "activation" and dep:
            nonlin = nonlin or not get_activation(G.nodes[n]["activation"]).linear
        flags[n] = (dep, nonlin)
    return flags


def is_linear(net: Network, output: int | None = None) -> bool:
    """True when the output (every output if None) is affine in the inputs.

    Any depth and width of identity activations (or none) collapses to one
    line, plane or hyperplane; one nonlinear activation on an input path does not.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    output : int, optional
        Check only this output; every output when None.

    Returns
    -------
    bool

    Raises
    ------
    NetworkError
        The network is invalid.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.mlp([1, 100, 1], "identity").is_linear(), dagnet.mlp([1, 1], "tanh").is_linear()
    (True, False)
    """
    net = as_network(net)
    flags = _input_dependent(net)
    outs = net.outputs if output is None else [net.validate().output_node(output)]
    return not any(flags[o][1] for o in outs)


class AffineForm:
    """``y = sum_k slopes[k] * inputs[k] + intercept`` for one output of a linear network.

    Made by :func:`linear_coefficients`: the article's "a stack of linear layers is still
    a straight line", with the slope and intercept written in the weights.

    Parameters
    ----------
    inputs : tuple of sympy.Symbol
        The input symbols ``x_1 .. x_n``.
    slopes : tuple of sympy.Expr
        One slope per input.
    intercept : sympy.Expr
        The value at ``x = 0``.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.mlp([1, 1, 1], None)
    >>> net.set_weights([1.0, 2.0, 3.0, 4.0])    # y = 4 (2 x + 1) + 3
    >>> form = net.linear_coefficients(weights="numeric")
    >>> form.slopes, form.intercept
    ((8.0,), 7.0)
    """

    def __init__(self, inputs: tuple[sp.Symbol, ...], slopes: tuple[sp.Expr, ...],
                 intercept: sp.Expr):
        self.inputs, self.slopes, self.intercept = inputs, slopes, intercept

    def as_expr(self) -> sp.Expr:
        """The affine expression itself.

        Returns
        -------
        sympy.Expr
            ``sum_k slopes[k] * inputs[k] + intercept``.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.linear(1).linear_coefficients().as_expr()
        w_00 + w_10*x_1
        """
        return sp.Add(*(m * x for m, x in zip(self.slopes, self.inputs)), self.intercept)

    def __repr__(self) -> str:
        terms = " + ".join(f"({m})*{x}" for m, x in zip(self.slopes, self.inputs))
        return f"AffineForm({terms} + ({self.intercept}))"


def linear_coefficients(net: Network, output: int = 0, weights: str = "symbolic") -> AffineForm:
    """Collapse a linear network to slopes and an intercept, as expressions of its weights.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    output : int, default 0
        Which output.
    weights : {"symbolic", "numeric"}, default "symbolic"
        Coefficients in the weight symbols, or numbers from the current values.

    Returns
    -------
    AffineForm
        ``slopes`` (one per input) and ``intercept``.

    Raises
    ------
    NotLinearError
        The output is not affine in the inputs (a nonlinear activation on its path).
    MissingWeightError
        ``weights="numeric"`` and a weight has no value.

    Examples
    --------
    >>> import dagnet
    >>> form = dagnet.mlp([1, 2, 1], None).linear_coefficients()
    >>> form.slopes[0]
    w_10^I*w_10^II + w_11^I*w_20^II
    """
    net = as_network(net)
    if not is_linear(net, output):
        raise NotLinearError(
            f"output {output} is not linear in the inputs (a nonlinear activation lies on an input "
            "path); slopes and intercept exist only for linear networks")
    s = net.validate()
    G = net.graph
    sym = symbols(net)
    w = weight_symbols(net, weights)
    pos = {n: k for k, n in enumerate(s.inputs)}
    zero = (sp.S.Zero,) * len(s.inputs)
    forms: dict[Any, tuple[tuple[sp.Expr, ...], sp.Expr]] = {}
    target = s.output_node(output)
    needed = nx.ancestors(G, target) | {target}
    for n in s.order:
        if n not in needed:
            continue
        attrs = G.nodes[n]
        preds = list(G.predecessors(n))
        kind = attrs["kind"]
        if kind == "bias":
            forms[n] = (zero, sp.S.One)
        elif not preds:
            forms[n] = (tuple(sp.S.One if k == pos[n] else sp.S.Zero
                              for k in range(len(zero))), sp.S.Zero)
        elif kind == "weight":
            c, b = forms[preds[0]]
            forms[n] = (tuple(x * w[n] for x in c), b * w[n])
        elif kind == "sum":
            cs = [forms[p] for p in preds]
            forms[n] = (tuple(sp.Add(*col) for col in zip(*(c for c, _ in cs))),
                        sp.Add(*(b for _, b in cs)))
        elif kind == "activation" and not get_activation(attrs["activation"]).linear:
            c, b = forms[preds[0]]  # input-independent here, since the output is linear
            forms[n] = (zero, get_activation(attrs["activation"]).sympy(b))
        else:
            forms[n] = forms[preds[0]]
    c, b = forms[target]
    return AffineForm(tuple(sym[x] for x in s.inputs), c, b)


def output_range(net: Network, output: int = 0) -> tuple[float, float]:
    """The interval an output can take, implied by the activation that produces it.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    output : int, default 0
        Which output.

    Returns
    -------
    tuple of float
        ``(low, high)``: the activation's range, or ``(-inf, inf)`` for an output that is
        a sum or an identity.

    Raises
    ------
    NetworkError
        The network is invalid.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.mlp([2, 3, 1], "tanh").output_range(), dagnet.linear(1).output_range()
    ((-1.0, 1.0), (-inf, inf))
    """
    net = as_network(net)
    G = net.graph
    node = net.validate().output_node(output)
    while G.nodes[node]["kind"] in ("output", "input"):
        source = next(iter(G.predecessors(node)), None)
        if source is None:  # a network input fed straight to the output: unbounded
            return (-math.inf, math.inf)
        node = source
    if G.nodes[node]["kind"] == "activation":
        lo, hi = get_activation(G.nodes[node]["activation"]).range
        return (float(lo), float(hi))
    return (-math.inf, math.inf)
