"""The JAX backend: the same matrix equations printed as ``jax.numpy`` and jit-compiled.

``net.compile(backend="jax")`` walks the matrix form (:mod:`dagnet.symbolic.matrixform`)
with the block-code printer's walk (:class:`~dagnet.compiled.printer.BlockCode`), the one
that prints ``compile()``'s numpy code, and writes each block as a pure ``jax.numpy``
expression: ``V = S @ W + B`` (a broadcast product when ``S`` has one column) and
``Y = f(V)`` with the activation's sympy form lambdified for JAX. As in the numpy backend,
``_prepare(_wx)`` gathers the block matrices from the extended weight vector ``_wx``
(weights on a shared slot added with ``.at[...].add``) once per weight values
(:class:`~dagnet.compiled.kernel.WeightCache`), and ``_forward(X, W1, B1, ...)`` reads them:
gathering inside the forward pass cost up to 20% of a call (1,000 draws of 1-100-1). Both
are jit-compiled once for one weight vector and once, under ``jax.vmap``, for a stack of
draws. Everything runs in float64 (inside
``jax.enable_x64``), on whatever device JAX uses (CPU here; a GPU where JAX has one).

JAX is an optional dependency: ``pip install 'dagnet[jax]'``.

Examples
--------
>>> import numpy as np, dagnet
>>> net = dagnet.mlp([1, 3, 1], "tanh", rng=0)
>>> f = net.compile(backend="jax")
>>> X = np.linspace(-1, 1, 5)[:, None]
>>> bool(np.allclose(f(X), net.compile()(X), rtol=0, atol=1e-12))
True
>>> f(X, weights=net.sample_weights(4, rng=1)).shape
(4, 5, 1)
>>> print(f.source.splitlines()[0])
def _prepare(_wx):
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from ..core.activations import V, get_activation
from ..core.blocks import extend_weights
from ..core.extras import needs
from .kernel import WeightCache, check_inputs, check_weights
from .printer import GradientCode

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["JaxCode", "JaxCompiledNetwork", "compile_jax"]


def _jax() -> Any:
    with needs("jax", "compile(backend='jax')"):
        import jax
    return jax


class JaxCode(GradientCode):
    """``_prepare(_wx)`` and ``_forward(X, *mats)`` in ``jax.numpy`` for one weight vector
    (see the module docs).

    The gradient's target with pure expressions (JAX arrays are immutable): the same
    values under the same names, block matrices gathered in ``_prepare`` (shared slots
    with ``.at[...].add``).

    Attributes
    ----------
    prep : list of str
        The body of ``_prepare``.
    mats : list of str
        The block matrices ``_prepare`` returns and ``_forward`` takes, in order.

    Parameters
    ----------
    form : MatrixForm
        The equations to print.

    Examples
    --------
    >>> import dagnet
    >>> from dagnet.symbolic.matrixform import MatrixForm
    >>> print(JaxCode(MatrixForm(dagnet.mlp([2, 2, 1], ["relu", "identity"]))).source())
    def _prepare(_wx):
        W1 = _wx[_I1]
        B1 = _wx[_J1]
        W3 = _wx[_I3]
        B3 = _wx[_J3]
        return (W1, B1, W3, B3)
    <BLANKLINE>
    def _forward(X, W1, B1, W3, B3):
        V1 = X @ W1 + B1
        Y2 = _f_relu(V1)
        V3 = Y2 @ W3 + B3
        return V3
    <BLANKLINE>
    """

    part = "{var}[:, {a}:{b}]"
    cat = "jnp.concatenate([{parts}], axis=1)"
    lead = ""
    zeros = "jnp.zeros"
    in_place = False

    def __init__(self, form: Any):
        self.prep: list[str] = []
        self.mats: list[str] = []
        super().__init__(form)

    def _one_column(self) -> None:
        if not self._ones:
            self._ones = True
            self.body.append("_1 = jnp.ones((X.shape[0], 1))")

    def _block_matrix(self, name: str, idx: np.ndarray, dups: tuple | None) -> list[str]:
        index = f"_{'I' if name[0] == 'W' else 'J'}{name[1:]}"
        self.consts[index] = idx
        lines = [f"{name} = _wx[{index}]"]
        if dups is not None:
            *at, ks = dups
            where = []
            for axis, a in enumerate(at):
                self.consts[f"_D{name}_{axis}"] = a
                where.append(f"_D{name}_{axis}")
            self.consts[f"_D{name}_k"] = ks
            slots = ", ".join(where) + ("," if len(where) == 1 else "")
            lines.append(f"{name} = {name}.at[({slots})].add(_wx[_D{name}_k])")
        self.prep += lines
        self.mats.append(name)
        return []

    def _function(self, name: str) -> str:
        fn = f"_f_{name}"
        act = get_activation(name)
        self.consts[fn] = sp.lambdify(V, act.sympy(V), modules="jax")
        return fn

    def source(self) -> str:
        """The generated functions ``_prepare(_wx)`` and ``_forward(X, *mats)``.

        Returns
        -------
        str
            Python source that reads ``jnp`` and the constants in :attr:`consts`.
        """
        mats = ", ".join(self.mats)
        lines = ["def _prepare(_wx):", *(f"    {ln}" for ln in self.prep),
                 f"    return ({mats}{',' if len(self.mats) == 1 else ''})", "",
                 f"def _forward(X{', ' if mats else ''}{mats}):",
                 *(f"    {ln}" for ln in self.body), f"    return {self.out}"]
        return "\n".join(lines) + "\n"


class JaxCompiledNetwork:
    """A network compiled to jit-compiled JAX (``net.compile(backend="jax")``).

    Called like :class:`~dagnet.CompiledNetwork`: ``f(X)`` with the network's weights,
    ``f(X, weights=w)`` with one weight vector (n_weights,) or a stack (K, n_weights);
    returns a float64 numpy array (n_points, n_outputs) or (K, n_points, n_outputs).

    Parameters
    ----------
    net : Network
        The network (its weights are read at each call without ``weights=``).

    Attributes
    ----------
    source : str
        The generated ``_prepare(_wx)`` and ``_forward(X, *mats)``.
    n_inputs, n_outputs, n_weights : int
        The network's sizes.
    """

    def __init__(self, net: Network):
        from ..symbolic.matrixform import MatrixForm

        jax = _jax()
        import jax.numpy as jnp

        self.net = net
        s = net.validate()
        self.n_inputs, self.n_outputs, self.n_weights = (len(s.inputs), len(s.outputs),
                                                         len(s.weights))
        code = JaxCode(MatrixForm(net))
        self.source = code.source()
        namespace: dict[str, Any] = {"jnp": jnp, **code.consts}
        exec(compile(self.source, f"<dagnet jax {net!r}>", "exec"), namespace)
        prepare, forward = namespace["_prepare"], namespace["_forward"]
        lead = (None,) + (0,) * len(code.mats)
        self._one = (jax.jit(prepare), jax.jit(forward))
        self._many = (jax.jit(jax.vmap(prepare)), jax.jit(jax.vmap(forward, in_axes=lead))
                      if code.mats else None)
        self._jax = jax
        self._cache = WeightCache(self._mats)

    def _x64(self) -> Any:
        """float64 for the call: a no-op when JAX already runs in float64 (the context
        manager costs a slower dispatch of every call)."""
        if self._jax.config.jax_enable_x64:
            return nullcontext()
        return self._jax.enable_x64(True)

    def _mats(self, w: np.ndarray) -> tuple:
        """The block matrices (on the device) of weights ``w`` (one vector or a stack)."""
        with self._x64():
            return self._one[0](extend_weights(w)) if w.ndim == 1 else (
                self._many[0](extend_weights(w)))

    def __call__(self, X: Any, weights: Any = None) -> np.ndarray:
        """Evaluate on ``X`` (n_points, n_inputs); see the class docs.

        Parameters
        ----------
        X : array_like, shape (n_points, n_inputs)
            Input points.
        weights : array_like, optional
            One weight vector (n_weights,) or a stack (K, n_weights); None: the network's.

        Returns
        -------
        numpy.ndarray
            (n_points, n_outputs), or (K, n_points, n_outputs) for a stack of weights.

        Raises
        ------
        ShapeError
            ``X`` of the wrong shape.
        WeightError
            Weights of the wrong shape or not real numbers.
        """
        X = check_inputs(X, self.n_inputs)
        w, mats = (self._cache.network(self.net) if weights is None
                   else self._cache.get(check_weights(weights, self.n_weights)))
        with self._x64():
            if w.ndim == 1:
                return np.asarray(self._one[1](X, *mats), dtype=float)
            if self._many[1] is None:  # no weights at all: every draw computes the same
                one = np.asarray(self._one[1](X), dtype=float)
                return np.broadcast_to(one, (len(w),) + one.shape).copy()
            return np.asarray(self._many[1](X, *mats), dtype=float)

    def __repr__(self) -> str:
        return (f"JaxCompiledNetwork(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights})")


def compile_jax(net: Network) -> JaxCompiledNetwork:
    """Compile ``net`` to jit-compiled JAX (see the module docs).

    Parameters
    ----------
    net : Network
        A valid network.

    Returns
    -------
    JaxCompiledNetwork

    Raises
    ------
    MissingExtraError
        JAX is not installed.

    Examples
    --------
    >>> import dagnet
    >>> compile_jax(dagnet.mlp([2, 3, 1], rng=0))
    JaxCompiledNetwork(inputs=2, outputs=1, weights=13)
    """
    return JaxCompiledNetwork(net)
