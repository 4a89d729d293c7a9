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
equations by a small numpy printer (``S W`` -> ``np.matmul``, or ``np.multiply``
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
>>> print(f.source[f.source.index("def _forward"):])
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

from itertools import repeat
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.printer import Printer

from ..core.activations import get_activation
from ..core.blocks import SumBlock, X, matrix
from ..core.graph import Network
from ..errors import ShapeError, StaleCompileError, WeightError
from ..symbolic.matrixform import MatrixForm
from .kernel import CACHE_ELEMENTS, MAX_ROWS, MIN_ROWS, _Blocks, _cpus, _is_lazy, _Kernel

__all__ = ["CompiledNetwork", "compile_network", "CACHE_ELEMENTS", "MIN_ROWS", "MAX_ROWS"]


class _Printer(Printer):
    """Forward code from the matrix form's expressions (:mod:`dagnet.symbolic.matrixform`): a value
    matrix prints as its buffer, a ``MatrixSlice`` as a column slice, a ``BlockMatrix``
    as ``_cat`` of its parts and ``1_n`` as the column of ones ``_1`` (made once, when a
    bias is read as a value)."""

    printmethod = "_dagnet_numpy"

    def __init__(self, names: dict[str, str], body: list[str]):
        super().__init__()
        self.names = names  # matrix symbol name -> buffer name in the code
        self.body = body
        self.ones = False

    def _print_MatrixSymbol(self, expr: Any) -> str:
        return self.names[expr.name]

    def _print_MatrixSlice(self, expr: Any) -> str:
        a, b, _ = expr.colslice
        return f"{self._print(expr.parent)}[..., {a}:{b}]"

    def _print_BlockMatrix(self, expr: Any) -> str:
        return f"_cat([{', '.join(map(self._print, expr.blocks))}])"

    def _print_OneMatrix(self, expr: Any) -> str:
        if not self.ones:
            self.ones = True
            self.body.append("_1 = np.ones((X.shape[0], 1))")
        return "_1"


class _Source:
    """Forward code for a :class:`~dagnet.core.blocks.Plan` (see module docs): ``_prepare(_wx)``
    gathers the block matrices from extended weight vectors (any leading draw axes), and
    ``_forward`` fills preallocated block buffers with the printed block equations of
    :class:`~dagnet.symbolic.matrixform.MatrixForm`."""

    def __init__(self, net: Network):
        form = self.form = MatrixForm(net)
        plan = self.plan = form.plan
        self.n_w = plan.n_weights
        self.width = plan.width
        self.buffers: list[tuple[str, int]] = []  # (var, width) of preallocated block outputs
        self.consts: dict[str, Any] = {}
        self.prep: list[str] = []
        self.body: list[str] = []
        self.mats: list[str] = []
        self.n_blocks = 0
        self.macs = 0  # multiply-adds per row of the largest block product
        self.printer = _Printer({"X": "X"}, self.body)
        *eqs, out = form.equations
        for block, eq in zip(plan.blocks, eqs):
            if isinstance(block, SumBlock):
                self._block(block, eq)
            else:
                self._activation(eq)
        self.out_expr = self.printer.doprint(out.rhs)

    def _block(self, block: SumBlock, eq: sp.Eq) -> None:
        self.n_blocks += 1
        var = self.printer.names[eq.lhs.name] = eq.lhs.name
        terms = eq.rhs.args if isinstance(eq.rhs, sp.MatAdd) else (eq.rhs,)
        bias = [t.args[1] for t in terms if isinstance(t.args[0], sp.OneMatrix)]
        prod = [t.args for t in terms if not isinstance(t.args[0], sp.OneMatrix)]
        if prod:
            src, w = prod[0]
            d, m = map(int, w.shape)  # plain ints: sympy Integers would slow every call
            self.macs = max(self.macs, d * m)
            self._matrix(w.name, f"_I{w.name[1:]}", block.index, block.dups)
        plus = ""
        if bias:
            b = bias[0].name
            self._matrix(b, f"_J{b[1:]}", block.bias, block.bias_dups)
            self.prep.append(f"{b} = {b}[..., None, :]")
            plus = f" + {b}" if prod else ""
        if not prod:
            self.body += [f"# {var} = {b}", f"{var}[...] = {b}"]
        else:
            s = self.printer.doprint(src)
            if d == 1:  # fan-in 1: a broadcast product beats a matrix product with inner size 1
                self.body += [f"# {var} = {s} * {w.name}{plus}",
                              f"np.multiply({s}, {w.name}, out={var})"]
            else:
                self.body += [f"# {var} = {s} @ {w.name}{plus}",
                              f"np.matmul({s}, {w.name}, out={var})"]
            if bias:
                self.body.append(f"{var} += {b}")
        self.buffers.append((var, int(eq.lhs.shape[1])))

    def _matrix(self, name: str, index: str, idx: np.ndarray, dups: tuple | None) -> None:
        self.prep += matrix(name, index, idx, dups, self.consts, "..., ")
        self.mats.append(name)

    def _activation(self, eq: sp.Eq) -> None:
        name = self.form.functions[eq.rhs.function]
        fn = f"_f_{name}"
        numpy = self.consts[fn] = get_activation(name).numpy
        lhs, src = eq.lhs.name, eq.rhs.expr
        names = self.printer.names
        if lhs in self.form.overwrites:  # in place: Y1 = f.(V1) written into V1's buffer
            var = names[lhs] = names[self.form.overwrites[lhs]]
            self.body.append(f"{fn}({var}, out={var})" if isinstance(numpy, np.ufunc)
                             else f"{var} = {fn}({var})")
            return
        self.n_blocks += 1
        names[lhs] = lhs
        self.body.append(f"{lhs} = {fn}({self.printer.doprint(src)})")

    def source(self) -> str:
        mats = ", ".join(self.mats)
        lines = ["def _prepare(_wx):"]
        lines += [f"    {ln}" for ln in self.prep] or ["    pass"]
        lines.append(f"    return ({mats}{',' if len(self.mats) == 1 else ''})")
        lines.append("")
        lines.append(f"def _forward(X, OUT, _V{', ' if mats else ''}{mats}):")
        if self.buffers:
            names = ", ".join(v for v, _ in self.buffers)
            lines.append(f"    {names}{',' if len(self.buffers) == 1 else ''} = _V")
        lines += [f"    {ln}" for ln in self.body]
        lines.append(f"    OUT[...] = {self.out_expr}")
        return "\n".join(lines) + "\n"


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
        widest block (or row of X) within :data:`CACHE_ELEMENTS`, between
        :data:`MIN_ROWS` and :data:`MAX_ROWS`.
    threads : int, optional
        Threads that share the units of a large call (default: the usable CPUs);
        BLAS is held to one thread while they run (and for any product BLAS would
        thread). ``threads=1``: the caller only.
    """

    def __init__(self, net: Network, chunk_rows: int | None = None, threads: int | None = None):
        plan = _Source(net)
        self.net = net
        self.source: str = plan.source()
        self.n_inputs = plan.width[X]
        self.n_outputs = len(net.outputs)
        self.n_weights = plan.n_w
        self.n_blocks = plan.n_blocks
        self.chunk_rows = None if chunk_rows is None else max(1, int(chunk_rows))
        self.threads = _cpus() if threads is None else max(1, int(threads))
        self._key = net.structure_key
        self._names: tuple[str, ...] | None = None
        self._attrs = [net.graph._node[n] for n in net.weight_nodes]  # values read per call
        self._kernel = _Kernel(self.source, plan.consts, [w for _, w in plan.buffers],
                               self.n_outputs, f"<dagnet compiled {net!r}>",
                               plan.macs)
        # per source of weights: (their values or bytes, the weights, the block matrices)
        self._last: dict[str, tuple] = dict.fromkeys(("graph", "given"), (None, None, None))

    @property
    def weight_names(self) -> tuple[str, ...]:
        """The order of a weight vector (``net.weight_names`` at compile time)."""
        if self._names is None:
            self._names = self.net.weight_names
        return self._names

    def __repr__(self) -> str:
        return (f"CompiledNetwork(inputs={self.n_inputs}, outputs={self.n_outputs}, "
                f"weights={self.n_weights}, blocks={self.n_blocks})")

    def _weights(self, weights: Any) -> np.ndarray:
        if weights is None:
            return self._prepared(None)[0]
        try:
            w = np.asarray(weights, dtype=float)
        except (TypeError, ValueError) as exc:
            raise WeightError(f"weights must be a float array, got {type(weights).__name__}") \
                from exc
        if w.ndim not in (1, 2) or w.shape[-1] != self.n_weights:
            raise ShapeError(f"weights must have shape ({self.n_weights},) or "
                             f"(K, {self.n_weights}) in net.weight_names order, got {w.shape}")
        return w

    def _prepared(self, weights: Any) -> tuple[np.ndarray, tuple]:
        """The weights as an array and their block matrices, reused while the values repeat.

        One cache entry for the graph's weights and one for weights passed in, each keyed
        by the values themselves (not by identity: arrays and graphs change in place).
        """
        if weights is None:
            if self.net.structure_key != self._key:
                raise StaleCompileError("the network's nodes or edges changed after compile(); "
                                        "call net.compile() again")
            key: Any = list(map(dict.get, self._attrs, repeat("value")))
            last = self._last["graph"]
            if key == last[0]:
                return last[1], last[2]
            try:
                w = np.array(key, dtype=float)
                ok = bool(np.isfinite(w).all())
            except (TypeError, ValueError):
                ok = False
            if not ok:  # unset or bad values: net.weights raises the error that names them
                w = self.net.weights
            slot = "graph"
        else:
            w = self._weights(weights)
            last = self._last["given"]
            if w.size > 4096:  # compared in place: no 1 MB copy per call of a wide network
                key = w.shape
                if key == last[0] and np.array_equal(w, last[1]):
                    return last[1], last[2]
            else:
                key = (w.shape, w.tobytes())
                if key == last[0]:
                    return last[1], last[2]
            if not np.isfinite(w).all():
                raise WeightError("weights contain NaN or inf; weights must be finite")
            w, slot = w.copy(), "given"
        self._last[slot] = (key, w, self._kernel.mats(w))
        return w, self._last[slot][2]

    def prepare(self, weights: Any = None) -> tuple:
        """The per-block weight matrices for ``weights`` (what every chunk reuses)."""
        return self._prepared(weights)[1]

    def __call__(self, X: Any, weights: Any = None) -> Any:
        if (type(X) is not np.ndarray and _is_lazy(X)) or (
                weights is not None and type(weights) is not np.ndarray and _is_lazy(weights)):
            return self._lazy(X, weights)
        X = self._inputs(X)
        w, mats = self._prepared(weights)
        k = len(w) if w.ndim == 2 else None
        return self._kernel.evaluate(X, mats, k, self.chunk_rows, self.threads)

    def _inputs(self, X: Any) -> np.ndarray:
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ShapeError(f"X must be a float array of shape (n_points, {self.n_inputs}), "
                             f"got {type(X).__name__}") from exc
        self._check_shape(X.shape)
        return X

    def _check_shape(self, shape: tuple) -> None:
        if len(shape) != 2 or shape[1] != self.n_inputs:
            hint = " (for 1-D x use x[:, None])" if len(shape) == 1 else ""
            raise ShapeError(f"X must have shape (n_points, {self.n_inputs}), one column per "
                             f"input, got {tuple(shape)}{hint}")

    def _lazy(self, X: Any, weights: Any) -> Any:
        """Evaluate block by block under dask: rows of X, and draws of a weight stack."""
        import dask.array as da

        if _is_lazy(X):
            self._check_shape(X.shape)
        else:
            X = self._inputs(X)
            X = da.from_array(X, chunks=(max(1, (1 << 22) // max(1, self.n_inputs)), -1))
        X = X.astype(float).rechunk({1: -1})
        if _is_lazy(weights):
            if weights.ndim != 2 or weights.shape[1] != self.n_weights:
                raise ShapeError(f"a lazy weight stack must have shape (K, {self.n_weights}), "
                                 f"got {weights.shape}")
            W = weights.astype(float).rechunk({1: -1})
        else:
            w, mats = self._prepared(weights)
            if w.ndim == 1:
                return X.map_blocks(_Blocks(self._kernel, mats), dtype=float,
                                    chunks=(X.chunks[0], (self.n_outputs,)))
            per = max(1, (1 << 22) // max(1, max(X.chunks[0], default=1) * self.n_outputs))
            W = da.from_array(w, chunks=(per, -1))
        return da.blockwise(_Blocks(self._kernel), "kno", W, "kw", X, "ni", dtype=float,
                            new_axes={"o": self.n_outputs}, concatenate=True)


def compile_network(net: Network, chunk_rows: int | None = None,
                    threads: int | None = None) -> CompiledNetwork:
    """Compile ``net`` once; evaluate it on any inputs and any number of weight draws."""
    return CompiledNetwork(net, chunk_rows=chunk_rows, threads=threads)
