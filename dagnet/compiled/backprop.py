"""The compiled gradient: the loss's derivative with respect to every weight, as numpy code.

The forward part of the code is printed by the block-code printer
(:mod:`dagnet.compiled.printer`) from the same matrix equations as ``net.compile()``'s
(:mod:`dagnet.compiled.forward`; both from the planner in :mod:`dagnet.core.blocks`): sum
nodes of one generation that share their sources form a dense block
``V = S @ W + B``, and activations one elementwise call. This module writes the rest,
from the values the printer keeps (each block's ``V`` or ``Y`` and its input ``S``).
Reading the node equations backwards (see :mod:`dagnet.symbolic.backward` for them in
symbols) gives, per block, matrix products again:

* ``dL/dW = S.T @ dL/dV`` and ``dL/dB = sum over points of dL/dV``
  (from ``du_ij/dw_ij = x_i`` and ``dv_j/du_ij = 1``);
* ``dL/dS = dL/dV @ W.T`` (from ``du_ij/dx_i = w_ij``), added into every node
  that feeds the block (fan-out adds up);
* ``dL/dV = dL/dY * f'(V)`` for an activation, where ``f'`` is the registry
  row's ``derivative`` or else ``sympy.diff`` of its sympy form, lambdified once
  per activation.

Any DAG works: skip connections, sums fed directly (weight 1) by inputs, hidden
nodes read by several layers, several outputs. The generated Python source is
kept at ``g.source``.

Examples
--------
>>> import numpy as np, dagnet
>>> net = dagnet.linear(1)
>>> net.set_weights([0.0, 2.0])                    # y = 2 x
>>> X, y = np.array([[1.0], [2.0]]), np.array([1.0, 1.0])
>>> result = dagnet.gradient(net, X, y, loss="mse")
>>> result.loss                                    # ((2 - 1)**2 + (4 - 1)**2) / 2
5.0
>>> result.gradient.tolist()                       # [mean 2(y-t), mean 2(y-t) x]
[4.0, 7.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import sympy as sp

from ..core.activations import Activation, get_activation
from ..core.arrays import as_real_array
from ..core.blocks import EXTENSION, ONES, ActGroup, X, extend_weights, runs
from ..core.graph import as_network
from ..core.losses import Loss, get_loss
from ..errors import FitError, ShapeError, StaleCompileError, WeightError
from ..symbolic.matrixform import MatrixForm
from .kernel import check_inputs
from .printer import GradientCode

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["CompiledGradient", "LossGradient", "compile_gradient", "gradient",
           "activation_derivative"]

_DERIVATIVES: dict[str, tuple[Activation, Callable]] = {}


def activation_derivative(name: str | Activation) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``f'(v)`` of a registered activation as ``fn(v, y)`` (``y = f(v)``), cached per row.

    The registry row's ``derivative`` when it has one, else ``sympy.diff`` of its
    sympy form, lambdified to numpy once.

    Parameters
    ----------
    name : str or Activation
        A registered activation.

    Returns
    -------
    callable
        ``fn(v, y)`` gives ``f'(v)`` elementwise, with the shape of ``v``.

    Raises
    ------
    UnknownActivationError
        ``name`` is not registered.
    FitError
        The derivative of the sympy form has no numpy form; register the activation with
        ``derivative=``.

    Examples
    --------
    >>> import numpy as np
    >>> d = activation_derivative("tanh")
    >>> float(d(np.array(0.0), np.tanh(0.0)))
    1.0
    """
    act = get_activation(name)
    hit = _DERIVATIVES.get(act.name)
    if hit is not None and hit[0] is act:
        return hit[1]
    if act.derivative is not None:
        fn = act.derivative
    else:
        v = sp.Symbol("v", real=True)  # real: d|v|/dv is sign(v), not a complex Derivative
        expr = sp.diff(act.sympy(v), v)
        try:
            raw = sp.lambdify(v, expr, "numpy")
        except Exception as exc:  # sympy raises several kinds for unprintable expressions
            raise FitError(
                f"the derivative of activation {act.name!r}, {expr}, has no numpy form "
                f"({type(exc).__name__}); register it with derivative=lambda v, y: ... "
                "(overwrite=True)") from exc

        def fn(v: np.ndarray, y: np.ndarray, _raw: Callable = raw) -> np.ndarray:
            out = _raw(v)
            return out if np.shape(out) == np.shape(v) else np.broadcast_to(out, np.shape(v))
    _DERIVATIVES[act.name] = (act, fn)
    return fn


class _Backward:
    """The compiled gradient's code: the forward statements from the block-code printer
    (:class:`~dagnet.compiled.printer.GradientCode`), then the loss and the backward pass,
    written here from the blocks and the forward values the printer kept (``names``: each
    block's ``V<b>`` or ``Y<b>``; ``inputs``: the input ``S`` each block read)."""

    def __init__(self, net: Network):
        code = self.code = GradientCode(MatrixForm(net))
        self.plan = code.plan
        self.consts = code.consts
        for block in self.plan.blocks:
            if isinstance(block, ActGroup):  # f'(v), checked now: may raise FitError
                self.consts[f"_d_{code.suffix(block.name)}"] = activation_derivative(block.name)

    def _backward(self) -> list[str]:
        lines: list[str] = []
        have: set[int] = set()
        names, width = self.code.names, self.plan.width

        def add(var: int, a: int, b: int, expr: str) -> None:
            if var in (X, ONES):  # inputs and the column of ones: nothing to learn upstream
                return
            whole = a == 0 and b == width[var]
            g = f"G_{names[var]}"
            if var not in have:
                have.add(var)
                if whole:
                    lines.append(f"{g} = {expr}")
                    return
                lines.append(f"{g} = np.zeros_like({names[var]})")
            lines.append(f"{g}{'' if whole else f'[:, {a}:{b}]'} += {expr}")

        def scatter(locs: list, expr: str) -> None:
            """Add the columns of ``expr`` (one per location) into the locations' gradients."""
            if not any(v not in (X, ONES) for v, _ in locs):
                return
            parts = runs(locs)
            if len(parts) == 1:
                add(*parts[0], expr)
                return
            if not expr.isidentifier():
                lines.append(f"_t = {expr}")
                expr = "_t"
            off = 0
            for var, a, b in parts:
                add(var, a, b, f"{expr}[:, {off}:{off + b - a}]")
                off += b - a

        def learn(part: str, b: str, dups: tuple | None, grad: str) -> None:
            """The gradient of the block's W (or B) into the weights' slots of ``_g``."""
            index = f"_{'I' if part == 'W' else 'J'}{b}"
            if dups is None:
                lines.append(f"_g[{index}] = {grad}")
                return
            lines.append(f"_g{part} = {grad}")  # the weights that share a slot share its gradient
            lines.append(f"_g[{index}] = _g{part}")
            where = ", ".join(f"_D{part}{b}_{axis}" for axis in range(len(dups) - 1))
            lines.append(f"_g[_D{part}{b}_k] = _g{part}[{where}]")

        scatter(self.plan.outputs, "G_OUT")
        for block in reversed(self.plan.blocks):
            if block.var not in have:
                continue
            name, src = names[block.var], self.code.inputs.get(block.var)
            g = f"G_{name}"
            if isinstance(block, ActGroup):
                scatter(block.srcs, f"{g} * _d_{self.code.suffix(block.name)}({src}, {name})")
                continue
            b = name[1:]
            if block.srcs:
                learn("W", b, block.dups, f"{src}.T @ {g}")
            if block.bias is not None:  # the sum over points, as a product (3x faster than .sum)
                learn("B", b, block.bias_dups, f"_ones @ {g}")
            if block.srcs:
                scatter(block.srcs, f"{g} @ W{b}.T")
        return lines

    def source(self) -> str:
        lines = ["def _run(X, T, _wx, _loss):"]
        lines += [f"    {ln}" for ln in self.code.body]
        lines.append(f"    _OUT = {self.code.out}")
        lines.append("    _L, G_OUT = _loss(_OUT, T)")
        lines.append(f"    _g = np.zeros({self.plan.n_weights + len(EXTENSION)})")
        lines.append("    _ones = np.ones(X.shape[0])")
        lines += [f"    {ln}" for ln in self._backward()]
        lines.append("    return _L, _g")
        return "\n".join(lines) + "\n"


class LossGradient(NamedTuple):
    """The loss (mean over points) and its gradient, in ``net.weight_names`` order.

    Parameters
    ----------
    loss : float
        The mean loss over the points.
    gradient : numpy.ndarray
        ``dL/dw`` for every weight, shape ``(n_weights,)``.

    Examples
    --------
    >>> import dagnet
    >>> net = dagnet.linear(1)
    >>> net.set_weights([0.0, 1.0])
    >>> loss, grad = dagnet.gradient(net, [[2.0]], [[0.0]])   # a NamedTuple: unpacks
    >>> loss, grad                                          # (2 - 0)^2; dL/dw = 2 (y - t) x
    (4.0, array([4., 8.]))
    """

    loss: float
    gradient: np.ndarray


class CompiledGradient:
    """A network's loss gradient compiled to numpy: ``g(X, y, loss="mse", weights=None)``.

    ``X`` is (n_points, n_inputs); ``y`` the targets the loss expects (see
    :mod:`dagnet.core.losses`); ``weights`` one vector in ``net.weight_names`` order
    (None: the network's current weights). Returns a :class:`LossGradient`.

    Reverse mode over the dense blocks of the matrix form, printed as numpy code that
    shares the forward pass's code. Make one with :func:`compile_gradient`, which caches it.

    Parameters
    ----------
    net : Network
        A valid network.

    Attributes
    ----------
    source : str
        The generated code: ``_run(X, T, _wx, _loss)``.
    run : callable
        That function: ``run(X, T, wx, loss)`` with ``X`` checked (:meth:`inputs`),
        targets ``T`` (``Loss.targets``), the extended weights ``wx``
        (:meth:`extend`) and ``loss(OUT, T) -> (value, dL/dOUT)``
        (``Loss.value_and_gradient``) returns the loss and its gradient by every entry of
        ``wx`` (the last two, for the constants, unused). For loops that reuse ``wx``
        (training) without the checks of a call.

    Raises
    ------
    ShapeError
        (at call time) ``X``, ``y`` or ``weights`` has the wrong shape.
    StaleCompileError
        (at call time, without ``weights``) the network's structure changed since.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> net = dagnet.mlp([1, 3, 1], "tanh", rng=0)
    >>> g = dagnet.compile_gradient(net)
    >>> X, y = np.linspace(-1, 1, 5)[:, None], np.zeros((5, 1))
    >>> w, e = net.weights, 1e-6 * np.eye(net.n_weights)[0]   # check dL/dw_00 by differences
    >>> fd = (g(X, y, weights=w + e).loss - g(X, y, weights=w - e).loss) / 2e-6
    >>> bool(np.isclose(g(X, y).gradient[0], fd))
    True
    """

    def __init__(self, net: Network):
        code = _Backward(net)
        self.net = net
        self.source: str = code.source()
        self.n_inputs, self.n_outputs = len(net.inputs), len(net.outputs)
        self.n_weights = code.plan.n_weights
        self.n_blocks = code.code.n_blocks
        self._key = net.structure_key
        namespace: dict[str, Any] = {"np": np, **code.consts}
        exec(compile(self.source, f"<dagnet gradient {net!r}>", "exec"), namespace)
        self.run: Callable = namespace["_run"]

    def __repr__(self) -> str:
        return (f"CompiledGradient(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights}, blocks={self.n_blocks})")

    def extend(self, weights: Any = None) -> np.ndarray:
        """The weight vector with the two constants (0, 1) the generated code indexes.

        Parameters
        ----------
        weights : array_like, optional
            Shape ``(n_weights,)``; the network's current weights when omitted.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_weights + 2,)``: the weights, then 0 and 1.

        Raises
        ------
        ShapeError
            ``weights`` has the wrong shape.
        StaleCompileError
            No ``weights`` and the network's structure changed after compiling.

        Examples
        --------
        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights([0.5, 2.0])
        >>> dagnet.compile_gradient(net).extend()
        array([0.5, 2. , 0. , 1. ])
        """
        if weights is None:
            if self.net.structure_key != self._key:
                raise StaleCompileError("the network's nodes or edges changed after "
                                        "compile_gradient(); compile it again")
            w = self.net.weights
        else:
            w = as_real_array(weights, "weights must be a float array", WeightError)
            if w.shape != (self.n_weights,):
                raise ShapeError(f"weights must have shape ({self.n_weights},) in "
                                 f"net.weight_names order, got {w.shape}")
        return extend_weights(w)

    def inputs(self, X: Any) -> np.ndarray:
        """``X`` checked and converted to a float array (n_points, n_inputs).

        Parameters
        ----------
        X : array_like
            The inputs, one row per point.

        Returns
        -------
        numpy.ndarray
            ``X`` as float64.

        Raises
        ------
        ShapeError
            ``X`` does not have ``n_inputs`` columns, or is not a real array.

        Examples
        --------
        >>> import dagnet
        >>> dagnet.compile_gradient(dagnet.linear(1)).inputs([[1], [2]]).dtype
        dtype('float64')
        """
        return check_inputs(X, self.n_inputs)

    def __call__(self, X: Any, y: Any, loss: str | Loss = "mse",
                 weights: Any = None) -> LossGradient:
        X = self.inputs(X)
        row = get_loss(loss)
        T = row.targets(y, X.shape[0], self.n_outputs)
        value, g = self.run(X, T, self.extend(weights), row.value_and_gradient)
        return LossGradient(float(value), g[:self.n_weights].copy())


def compile_gradient(net: Network) -> CompiledGradient:
    """Compile the loss gradient of ``net`` (cached on the network until its structure changes).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).

    Returns
    -------
    CompiledGradient
        ``g(X, y, loss="mse", weights=None)`` returns a :class:`LossGradient`.

    Raises
    ------
    NetworkError
        The network is invalid.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.compile_gradient(dagnet.mlp([2, 16, 16, 1]))
    CompiledGradient(inputs=2, outputs=1, weights=337, blocks=6)
    """
    net = as_network(net)
    return net.cached("gradient", lambda: CompiledGradient(net))


def gradient(net: Network, X: Any, y: Any, loss: str | Loss = "mse",
             weights: Any = None) -> LossGradient:
    """The loss of ``net`` on ``(X, y)`` and its gradient with respect to every weight.

    Parameters
    ----------
    net : Network or networkx.DiGraph
        The network (a DiGraph following the schema is wrapped by :func:`dagnet.as_network`).
    X : array_like
        Inputs, shape ``(n_points, n_inputs)``.
    y : array_like
        Targets as the loss expects them (:mod:`dagnet.core.losses`): ``(n_points,
        n_outputs)`` values for ``"mse"``, 0/1 or class labels for ``"cross_entropy"``.
    loss : str or Loss, default "mse"
        The loss, averaged over the points.
    weights : array_like, optional
        One weight vector in ``net.weight_names`` order; the network's own by default.

    Returns
    -------
    LossGradient
        ``loss`` and ``gradient`` (``dL/dw_ij`` for every weight, shape ``(n_weights,)``).

    Raises
    ------
    ShapeError
        ``X``, ``y`` or ``weights`` has the wrong shape.
    FitError
        An unknown loss, or targets the loss cannot take.
    MissingWeightError
        No ``weights`` and a weight of the network has no value.

    See Also
    --------
    dagnet.backward_equations : the same chain rule as sympy equations.

    Examples
    --------
    ``y = w_00 + w_10 x``, mean squared error: ``dL/dw_i0 = 2 mean((y - t) x_i)``.

    >>> import numpy as np, dagnet
    >>> net = dagnet.linear(1)
    >>> net.set_weights([0.0, 1.0])
    >>> X, t = np.array([[1.0], [2.0]]), np.array([[0.0], [0.0]])
    >>> dagnet.gradient(net, X, t).gradient
    array([3., 5.])
    """
    net = as_network(net)
    return compile_gradient(net)(X, y, loss=loss, weights=weights)
