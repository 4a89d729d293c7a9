"""The numeric arrow: compile a network to a fast numpy function.

The network's equations ``v_j = sum_i x_i w_ij`` and ``y_j = f(v_j)`` are
lowered *per dense block*, never as one flattened expression: sum nodes of the
same generation that share their sources become one matrix product
``S @ W + b`` (a broadcast product when the block has one source), and the
activations that follow them one elementwise call of the registry's numpy form
(whose agreement with the sympy form is tested row by row), in place when
nothing else reads the sums. The generated Python source is kept at
``f.source``; a comment above each block states its equation.

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

from collections import defaultdict
from itertools import repeat
from typing import Any

import numpy as np

from ._kernel import CACHE_ELEMENTS, MAX_ROWS, MIN_ROWS, _Blocks, _cpus, _is_lazy, _Kernel
from .activations import get_activation
from .errors import ShapeError, StaleCompileError, WeightError
from .graph import Network

__all__ = ["CompiledNetwork", "compile_network", "CACHE_ELEMENTS", "MIN_ROWS", "MAX_ROWS"]

_BIAS = object()  # root of every value that is the constant 1


def _node_key(n: Any, a: dict) -> tuple:
    return (a["layer"], a.get("index", a.get("j")), a.get("i", -1), str(n))


def _runs(locs: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Split (var, col) locations into maximal runs of consecutive columns of one var."""
    runs: list[list] = []
    for var, col in locs:
        if runs and runs[-1][0] == var and runs[-1][2] == col:
            runs[-1][2] = col + 1
        else:
            runs.append([var, col, col + 1])
    return [tuple(r) for r in runs]


class _Plan:
    """Lower a validated network to lines of numpy code (see module docs)."""

    def __init__(self, net: Network):
        s = net.validate()
        G = net.graph
        # The raw adjacency and attribute dicts: networkx's views cost ~1 us per lookup, and
        # a 2-256x3-1 network has 266k nodes and 400k edges.
        node, pred = self.node, self.pred = G._node, G._pred
        self.succ = G._succ
        self.n_w = len(s.weights)
        self.ZERO, self.ONE = self.n_w, self.n_w + 1
        widx = dict(zip(s.weights, range(self.n_w)))
        self.loc: dict[Any, tuple[str, int]] = {n: ("X", k) for k, n in enumerate(s.inputs)}
        self.width: dict[str, int] = {"X": len(s.inputs)}
        self.buffers: list[tuple[str, int]] = []  # (var, width) of preallocated block outputs
        self.consts: dict[str, Any] = {}
        self.prep: list[str] = []
        self.body: list[str] = []
        self.mats: list[str] = []
        self.n_blocks = 0
        self.macs = 0  # multiply-adds per row of the largest block product
        root: dict[Any, Any] = {}  # value node each node aliases (itself for inputs/sums/acts)
        level: dict[Any, int] = {}
        self.terms: dict[Any, tuple[list, list, list]] = {}  # sum -> (roots, weights, biases)
        by_level: dict[int, list] = defaultdict(list)
        ONE = self.ONE
        for n in s.order:
            k = node[n]["kind"]
            if k == "weight":
                continue  # read by the sum it feeds
            ps = pred[n]
            if k == "bias":
                root[n], level[n] = _BIAS, 0
            elif not ps:
                root[n], level[n] = n, 0
            elif k == "sum":  # v_j = sum of x_i w_ij (a direct input has coefficient 1)
                srcs = [next(iter(pred[p])) if node[p]["kind"] == "weight" else p for p in ps]
                ks = [widx.get(p, ONE) for p in ps]
                roots = [root[x] for x in srcs]
                bias = [k for r, k in zip(roots, ks) if r is _BIAS]
                if bias:
                    ks = [k for r, k in zip(roots, ks) if r is not _BIAS]
                    roots = [r for r in roots if r is not _BIAS]
                self.terms[n] = (roots, ks, bias)
                root[n], level[n] = n, 1 + max(level[x] for x in srcs)
                by_level[level[n]].append(n)
            elif k == "activation":
                root[n], level[n] = n, 1 + level[next(iter(ps))]
                by_level[level[n]].append(n)
            else:  # pass-through, output: the value (and level) of their input
                p = next(iter(ps))
                root[n], level[n] = root[p], level[p]
        self.root = root
        for lv in sorted(by_level):
            # In an order fixed by the node attributes, not by insertion order, so equal
            # graphs (e.g. a network and its saved-and-loaded copy) compile identically.
            nodes = sorted(by_level[lv], key=lambda n: _node_key(n, node[n]))
            self._sum_blocks([n for n in nodes if node[n]["kind"] == "sum"])
            self._activations([n for n in nodes if node[n]["kind"] == "activation"])
        self.out_expr = self._gather([self._where(root[o]) for o in s.outputs])

    def _where(self, r: Any) -> tuple[str, int]:
        if r is _BIAS:  # a bias read as a value: a column of ones
            if "_1" not in self.width:
                self.width["_1"] = 1
                self.body.append("_1 = np.ones((X.shape[0], 1))")
            return ("_1", 0)
        return self.loc[r]

    def _gather(self, locs: list[tuple[str, int]]) -> str:
        parts = []
        for var, a, b in _runs(locs):
            parts.append(var if (a == 0 and b == self.width[var]) else f"{var}[..., {a}:{b}]")
        return parts[0] if len(parts) == 1 else f"_cat([{', '.join(parts)}])"

    def _sum_blocks(self, sums: list) -> None:
        groups: dict[frozenset, list] = {}
        locs = {}
        loc = self.loc
        for v in sums:
            locs[v] = [loc[r] for r in self.terms[v][0]]
            groups.setdefault(frozenset(locs[v]), []).append(v)
        order = {name: k for k, name in enumerate(self.width)}
        for key, block in groups.items():
            self._block(key, block, locs, order)

    def _block(self, key: frozenset, block: list, locs: dict, order: dict) -> None:
        self.n_blocks += 1
        b = self.n_blocks
        srcs = sorted(key, key=lambda loc: (order[loc[0]], loc[1]))
        row = {loc: r for r, loc in enumerate(srcs)}
        d, m = len(srcs), len(block)
        flat, ks, bcols, bks = [], [], [], []
        for c, v in enumerate(block):
            _, wk, bias = self.terms[v]
            flat += [row[loc] * m + c for loc in locs[v]]
            ks += wk
            bcols += [c] * len(bias)
            bks += bias
        var = f"V{b}"
        self.macs = max(self.macs, d * m)
        if d:
            self._matrix(f"W{b}", f"_I{b}", (d, m), np.array(flat, np.intp),
                         np.array(ks, np.intp))
        has_bias = bool(bks)
        if has_bias or not d:
            self._matrix(f"B{b}", f"_J{b}", (m,), np.array(bcols, np.intp),
                         np.array(bks, np.intp))
            self.prep.append(f"B{b} = B{b}[..., None, :]")
        src = self._gather(srcs) if d else ""
        plus = f" + B{b}" if has_bias else ""
        if d == 0:
            self.body += [f"# {var} = B{b}", f"{var}[...] = B{b}"]
        elif d == 1:  # fan-in 1: a broadcast product beats a matrix product with inner size 1
            self.body += [f"# {var} = {src} * W{b}{plus}", f"np.multiply({src}, W{b}, out={var})"]
        else:
            self.body += [f"# {var} = {src} @ W{b}{plus}", f"np.matmul({src}, W{b}, out={var})"]
        if has_bias and d:
            self.body.append(f"{var} += B{b}")
        self.width[var] = m
        self.buffers.append((var, m))
        for c, v in enumerate(block):
            self.loc[v] = (var, c)

    def _matrix(self, name: str, index: str, shape: tuple, flat: np.ndarray,
                ks: np.ndarray) -> None:
        """Emit ``name = _wx[..., index]`` with repeated entries (two weights, one slot) added."""
        size = int(np.prod(shape))
        idx = np.full(size, self.ZERO, dtype=np.intp)
        repeats = flat.size and np.bincount(flat, minlength=size).max() > 1
        if repeats:  # two weights in one slot: the first in a canonical order, then the rest
            order = np.lexsort((ks, flat))
            flat, ks = flat[order], ks[order]
            _, first = np.unique(flat, return_index=True)
            idx[flat[first]] = ks[first]
        else:
            idx[flat] = ks
        self.consts[index] = idx.reshape(shape)
        self.prep.append(f"{name} = _wx[..., {index}]")
        if repeats:
            dup = np.setdiff1d(np.arange(len(flat)), first)
            at = np.unravel_index(flat[dup], shape)
            for axis, a in enumerate(at):
                self.consts[f"_D{name}_{axis}"] = a
            self.consts[f"_D{name}_k"] = ks[dup]
            where = ", ".join(f"_D{name}_{axis}" for axis in range(len(at)))
            self.prep.append(f"np.add.at({name}, (Ellipsis, {where}), _wx[..., _D{name}_k])")
        self.mats.append(name)

    def _private(self, y: Any) -> bool:
        """True when the sum an activation reads (and every alias in between) feeds only it."""
        n = next(iter(self.pred[y]))
        while len(self.succ[n]) == 1:
            if self.node[n]["kind"] in ("sum", "activation"):
                return True
            n = next(iter(self.pred[n]))  # a pass-through node
        return False

    def _activations(self, acts: list) -> None:
        groups: dict[tuple, list] = defaultdict(list)
        for y in acts:
            src = self._where(self.root[next(iter(self.pred[y]))])
            groups[(self.node[y]["activation"], src[0])].append((src, y))
        for (name, var), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            act = get_activation(name)
            fn = f"_f_{name}"
            self.consts[fn] = act.numpy
            members.sort(key=lambda m: m[0][1])
            locs = [loc for loc, _ in members]
            whole = [c for _, c in locs] == list(range(self.width[var]))
            # In place when the activation consumes its whole block and nothing else reads it.
            if whole and var.startswith("V") and all(self._private(y) for _, y in members):
                if not (act.linear and act.name == "identity"):
                    self.body.append(f"{fn}({var}, out={var})" if isinstance(act.numpy, np.ufunc)
                                     else f"{var} = {fn}({var})")
                for loc, y in members:
                    self.loc[y] = loc
                continue
            self.n_blocks += 1
            out = f"Y{self.n_blocks}"
            self.body.append(f"{out} = {fn}({self._gather(locs)})")
            self.width[out] = len(members)
            for c, (_, y) in enumerate(members):
                self.loc[y] = (out, c)

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
        plan = _Plan(net)
        self.net = net
        self.source: str = plan.source()
        self.n_inputs = plan.width["X"]
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
