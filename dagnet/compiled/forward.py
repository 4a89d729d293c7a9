"""The numeric arrow: compile a network to a fast numpy function.

The network's equations ``v_j = sum_i x_i w_ij`` and ``y_j = f(v_j)`` are
lowered *per dense block*, never as one flattened expression: sum nodes of the
same generation that share their sources become one matrix product
``S @ W + b`` (a broadcast product when the block has one source), and the
activations that follow them one elementwise call of the registry's numpy form
(whose agreement with the sympy form is tested row by row), in place when
nothing else reads the sums. The blocks come from :mod:`dagnet.core.blocks`, the
planner the compiled gradient (:mod:`dagnet.compiled.backprop`) shares, and each is
first a sympy matrix equation (:mod:`dagnet.symbolic.matrixform`,
``net.equations(form="matrix")``): the forward code is the *printing* of those
equations by the block-code printer (:mod:`dagnet.compiled.printer`, which prints the
gradient's forward pass too: ``S W`` -> ``np.matmul``, or ``np.multiply``
when S has one column; ``1_n B`` -> ``V += B``; ``f.(S)`` -> the activation's
numpy call, in place where the form reuses the block's number; column slices and
block matrices -> slicing and ``_cat``). The generated Python source is kept at
``f.source``; a comment above each block states its equation. The weight
gathering (``_prepare``) is written from the block plan's index arrays.

Evaluation runs in units of cache-sized chunks of rows (and of weight draws),
each into preallocated buffers; large calls spread the units over threads
(``threads=``), with BLAS held to one thread meanwhile, since thin matrix
products on many BLAS threads are slow. A chunked ``dask.array`` input (or
weight stack) gives a lazy dask array evaluated block by block.

Examples
--------
>>> import numpy as np, dagnet
>>> net = dagnet.mlp([1, 3, 1], rng=0)
>>> f = net.compile()
>>> f
CompiledNetwork(inputs=1, outputs=1, weights=10, blocks=2)
>>> f(np.zeros((4, 1))).shape
(4, 1)
>>> f(np.zeros((4, 1)), weights=net.sample_weights(5, rng=1)).shape
(5, 4, 1)
>>> for eq in net.equations(form="matrix")[:2]:
...     print(eq)
Eq(V1, X*W1 + 1*B1)
Eq(Y1, Lambda(v, tanh(v)).(V1))
>>> plain = net.compile(fused=False)     # the numpy code (default: fused kernels if numba)
>>> print(plain.source[plain.source.index("def _forward"):])
def _forward(X, OUT, _V, W1, B1, W2, B2):
    V1, V2 = _V
    # V1 = X * W1 + B1
    np.multiply(X, W1, out=V1)
    V1 += B1
    _f_tanh(V1, out=V1)
    # V2 = V1 @ W2 + B2
    np.matmul(V1, W2, out=V2)
    V2 += B2
    _f_tanh(V2, out=V2)
    OUT[...] = V2
<BLANKLINE>
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.arrays import MAX_ARRAY_BYTES, check_size
from ..core.blocks import X
from ..core.extras import needs
from ..core.graph import as_network
from ..errors import DagnetError, ShapeError, StaleCompileError, WeightError
from ..symbolic.matrixform import MatrixForm
from .kernel import (
    CACHE_ELEMENTS,
    MAX_ROWS,
    MIN_ROWS,
    BlockTask,
    Kernel,
    WeightCache,
    check_input_shape,
    check_inputs,
    check_weights,
    is_lazy,
    usable_cpus,
)
from .printer import ForwardCode

if TYPE_CHECKING:
    from ..core.graph import Network
    from .jaxcode import JaxCompiledNetwork

__all__ = ["CompiledNetwork", "compile_network", "CACHE_ELEMENTS", "MIN_ROWS", "MAX_ROWS"]


class CompiledNetwork:
    """A network compiled to numpy: ``f(X)`` or ``f(X, weights=W)``.

    Parameters are read from the network at call time when ``weights`` is None.
    ``X`` has shape (n_points, n_inputs); the result (n_points, n_outputs), or
    (K, n_points, n_outputs) for a stack of K weight vectors of shape (K, n_weights).
    A ``dask.array`` X or weight stack gives a lazy dask array of the same shape.

    Parameters
    ----------
    net : Network
        The network to compile.
    chunk_rows : int, optional
        Rows per unit of work for one weight draw; default: as many as keep the
        widest block buffer within :data:`CACHE_ELEMENTS`, between
        :data:`MIN_ROWS` and :data:`MAX_ROWS`.
    threads : int, optional
        Threads that share the units of a large call (default: the usable CPUs);
        BLAS is held to one thread while they run (and for any product BLAS would
        thread). ``threads=1``: the caller only.
    max_bytes : int, optional
        The largest result a call may return (default 4 GiB); a call that would return
        more raises :class:`~dagnet.SizeLimitError` before computing anything.
    fused : bool, optional
        Evaluate thin blocks and their ``tanh``/``relu`` with the fused kernels of
        :mod:`dagnet.compiled.fused` (numba, ``pip install 'dagnet[fast]'``). Default: when
        numba is installed; ``False``: the plain numpy code; ``True`` without numba raises
        :class:`~dagnet.MissingExtraError`.

    Attributes
    ----------
    source : str
        The generated code, ``_prepare`` and ``_forward`` (:mod:`dagnet.compiled.printer`).
    functions : dict
        Activation name -> the suffix of its function ``_f_<suffix>`` in the code: a
        built-in's name, ``u0``, ``u1``, ... for the user's (never the user's text).
    kernel : Kernel
        That code with its constants, run in units of rows
        (:class:`~dagnet.compiled.kernel.Kernel`; the ``.py`` export reads it).

    Raises
    ------
    ShapeError
        (at call time) ``X`` is not ``(n_points, n_inputs)``, or ``weights`` not
        ``(n_weights,)`` or ``(K, n_weights)``.
    StaleCompileError
        (at call time, without ``weights``) the network's nodes or edges changed after
        compiling; weight values may change freely.
    SizeLimitError
        (at call time) the result would be larger than ``max_bytes``.

    Examples
    --------
    The article's random-weight plots: many networks over one grid, in one call.

    >>> import numpy as np, dagnet
    >>> net = dagnet.mlp([1, 11, 9, 1], "tanh", rng=0)
    >>> f = net.compile()
    >>> X = np.linspace(-6, 6, 100)[:, None]
    >>> f(X).shape, f(X, weights=net.sample_weights(49, rng=1)).shape
    ((100, 1), (49, 100, 1))
    >>> line = dagnet.linear(1)
    >>> line.set_weights([0.5, 2.0])                 # y = 2 x + 0.5
    >>> line.compile()([[1.0], [2.0]])
    array([[2.5],
           [4.5]])
    """

    def __init__(self, net: Network, chunk_rows: int | None = None, threads: int | None = None,
                 max_bytes: int = MAX_ARRAY_BYTES, fused: bool | None = None):
        code = ForwardCode(MatrixForm(net), fused=_use_fused(fused))
        self.net = net
        self.source: str = code.source()
        self.n_inputs = code.plan.width[X]
        self.n_outputs = len(net.outputs)
        self.n_weights = code.plan.n_weights
        self.n_blocks = code.n_blocks
        self.functions = code.functions  # activation name -> suffix of its _f_ in the code
        self.chunk_rows = None if chunk_rows is None else max(1, int(chunk_rows))
        self.threads = usable_cpus() if threads is None else max(1, int(threads))
        self.max_bytes = int(max_bytes)
        self._key = net.structure_key
        self._names: tuple[str, ...] | None = None
        self.kernel = Kernel(self.source, code.consts, [w for _, w in code.buffers],
                             self.n_outputs, f"<dagnet compiled {net!r}>", code.macs)
        # one cache for the graph's weights, one for weights passed in
        self._own = WeightCache(self.kernel.mats)
        self._given = WeightCache(self.kernel.mats)

    @property
    def weight_names(self) -> tuple[str, ...]:
        """The order of a weight vector (``net.weight_names`` at compile time).

        Examples
        --------
        >>> import dagnet
        >>> dagnet.linear(1).compile().weight_names
        ('w_00', 'w_10')
        """
        if self._names is None:
            self._names = self.net.weight_names
        return self._names

    def __repr__(self) -> str:
        return (f"CompiledNetwork(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights}, blocks={self.n_blocks})")

    def _weights(self, weights: Any) -> np.ndarray:
        if weights is None:
            return self._prepared(None)[0]
        return check_weights(weights, self.n_weights)

    def _prepared(self, weights: Any) -> tuple[np.ndarray, tuple]:
        """The weights as an array and their block matrices, reused while the values repeat.

        One cache entry for the graph's weights (read again only after a value was set,
        :meth:`~dagnet.compiled.kernel.WeightCache.network`) and one for weights passed in
        (:class:`~dagnet.compiled.kernel.WeightCache`), each keyed by the values themselves
        (not by identity: arrays change in place).
        """
        if weights is not None:
            return self._given.get(self._weights(weights))
        if self.net.structure_key != self._key:
            raise StaleCompileError("the network's nodes or edges changed after compile(); "
                                    "call net.compile() again")
        return self._own.network(self.net)

    def prepare(self, weights: Any = None) -> tuple:
        """The per-block weight matrices for ``weights`` (what every chunk reuses).

        Parameters
        ----------
        weights : array_like, optional
            One weight vector ``(n_weights,)`` or a stack ``(K, n_weights)`` in
            :attr:`weight_names` order; the network's current weights when omitted.

        Returns
        -------
        tuple of numpy.ndarray
            Per sum block of the matrix form, its ``W_b`` then its ``B_b`` (with a leading
            ``K`` axis for a stack); then, for each chain of fused blocks in the code, its
            weights side by side (``C<c>``, see :func:`dagnet.compiled.fused.chain`).

        Raises
        ------
        ShapeError
            ``weights`` has the wrong shape.
        MissingWeightError
            No ``weights`` and a weight of the network has no value.

        Examples
        --------
        ``y = 2 x + 0.5``: one block, ``V1 = X W1 + 1_n B1``.

        >>> import dagnet
        >>> net = dagnet.linear(1)
        >>> net.set_weights([0.5, 2.0])
        >>> net.compile().prepare()
        (array([[2.]]), array([[0.5]]))
        """
        return self._prepared(weights)[1]

    def __call__(self, X: Any, weights: Any = None) -> Any:
        if (type(X) is not np.ndarray and is_lazy(X)) or (
                weights is not None and type(weights) is not np.ndarray and is_lazy(weights)):
            return self._lazy(X, weights)
        X = check_inputs(X, self.n_inputs)
        w, mats = self._prepared(weights)
        k = len(w) if w.ndim == 2 else None
        check_size(8 * (k or 1) * X.shape[0] * self.n_outputs,
                   f"the result of shape {((k,) if k else ()) + (X.shape[0], self.n_outputs)}",
                   self.max_bytes, "net.compile(max_bytes=...)")
        return self.kernel.evaluate(X, mats, k, self.chunk_rows, self.threads)

    def _lazy(self, X: Any, weights: Any) -> Any:
        """Evaluate block by block under dask: rows of X, and draws of a weight stack."""
        import dask.array as da

        if is_lazy(X):
            check_input_shape(X.shape, self.n_inputs)
            if X.dtype.kind not in "fiub":
                raise ShapeError(f"X must be a float array, got a dask array of dtype {X.dtype}")
        else:
            X = check_inputs(X, self.n_inputs)
            X = da.from_array(X, chunks=(max(1, (1 << 22) // max(1, self.n_inputs)), -1))
        X = X.astype(float).rechunk({1: -1})
        if is_lazy(weights):
            if weights.dtype.kind not in "fiub":
                raise WeightError("weights must be a float array, got a dask array of dtype "
                                  f"{weights.dtype}")
            if weights.ndim != 2 or weights.shape[1] != self.n_weights:
                raise ShapeError(f"a lazy weight stack must have shape (K, {self.n_weights}), "
                                 f"got {weights.shape}")
            W = weights.astype(float).rechunk({1: -1})
        else:
            w, mats = self._prepared(weights)
            if w.ndim == 1:
                return X.map_blocks(BlockTask(self.kernel, mats), dtype=float,
                                    chunks=(X.chunks[0], (self.n_outputs,)))
            per = max(1, (1 << 22) // max(1, max(X.chunks[0], default=1) * self.n_outputs))
            W = da.from_array(w, chunks=(per, -1))
        return da.blockwise(BlockTask(self.kernel), "kno", W, "kw", X, "ni", dtype=float,
                            new_axes={"o": self.n_outputs}, concatenate=True)


def _use_fused(fused: bool | None) -> bool:
    """Whether to print fused kernels: ``fused``, or by default whether numba is there."""
    from . import fused as kernels

    if fused is None:
        return kernels.available()
    if fused and not kernels.available():
        with needs("fast", "compile(fused=True)"):
            raise ImportError("No module named 'numba'")
    return bool(fused)


def compile_network(net: Network, chunk_rows: int | None = None, threads: int | None = None,
                    backend: str = "numpy", max_bytes: int = MAX_ARRAY_BYTES,
                    fused: bool | None = None) -> CompiledNetwork | JaxCompiledNetwork:
    """Compile ``net`` once; evaluate it on any inputs and any number of weight draws.

    ``X`` and weights must be real numbers: float, integer or bool arrays are computed in
    float64 (float32 input too, and the result is float64); text, bytes, complex, object or
    date arrays, and Python integers beyond float64, raise :class:`~dagnet.ShapeError` (X)
    or :class:`~dagnet.WeightError` (weights) naming the dtype
    (:func:`dagnet.core.arrays.as_real_array`).

    Parameters
    ----------
    net : Network or networkx.DiGraph
        A valid network.
    chunk_rows, threads : int, optional
        numpy backend: rows per chunk and worker threads (None: chosen for the machine).
    backend : {"numpy", "jax"}
        ``"numpy"``: the block code printed as numpy (a :class:`CompiledNetwork`);
        ``"jax"``: the same equations as jit-compiled ``jax.numpy``
        (:class:`~dagnet.compiled.jaxcode.JaxCompiledNetwork`, needs JAX).
    max_bytes : int
        numpy backend: refuse a call whose result would be larger
        (:class:`~dagnet.SizeLimitError`).
    fused : bool, optional
        numpy backend: use the fused kernels (default: when numba is installed; see
        :class:`CompiledNetwork`).

    Returns
    -------
    CompiledNetwork or JaxCompiledNetwork

    Raises
    ------
    DagnetError
        An unknown backend; :class:`~dagnet.MissingExtraError` when JAX is missing for
        ``backend="jax"``.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> f = compile_network(dagnet.mlp([2, 3, 1], rng=0))
    >>> f
    CompiledNetwork(inputs=2, outputs=1, weights=13, blocks=2)
    >>> f(np.float32([[0.5, 1.0]])).dtype
    dtype('float64')
    """
    net = as_network(net)
    if backend == "jax":
        from .jaxcode import compile_jax
        return compile_jax(net)
    if backend != "numpy":
        raise DagnetError(f"backend must be 'numpy' or 'jax', got {backend!r}")
    return CompiledNetwork(net, chunk_rows=chunk_rows, threads=threads, max_bytes=max_bytes,
                           fused=fused)
