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

import os
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from itertools import repeat
from typing import Any

import numpy as np

from .activations import get_activation
from .errors import ShapeError, StaleCompileError, WeightError
from .graph import Network

__all__ = ["CompiledNetwork", "compile_network", "CACHE_ELEMENTS"]

#: Elements (float64) of the widest block (or row of X) in one unit of work: 1 MiB, half an
#: L2 cache here (``python benchmarks/run.py --sweep`` measures the choice).
CACHE_ELEMENTS = 1 << 17
#: Rows per unit of work are kept within these bounds (narrow networks gain nothing from
#: longer chunks, wide ones lose to per-chunk overhead on shorter ones).
MIN_ROWS, MAX_ROWS = 256, 8192
#: Below this many buffer elements per call, threads cost more than they save.
PARALLEL_ELEMENTS = 1 << 17
#: A network whose products do this many multiply-adds per elementwise operation (per row)
#: is "heavy": up to HEAVY_ROWS rows (times draws) it runs on BLAS's threads, not dagnet's.
HEAVY_MACS, HEAVY_ROWS = 32, 4096
#: Multiply-adds from which OpenBLAS runs one product on several threads (65536 x 4);
#: those threads then spin for ~0.1 s, stealing a core, so dagnet holds BLAS to one thread.
BLAS_THREADED = 1 << 18

_BIAS = object()  # root of every value that is the constant 1


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate along the last axis, broadcasting the leading (draw) axes."""
    lead = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return np.concatenate([np.broadcast_to(p, lead + p.shape[-1:]) for p in parts], axis=-1)


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
        self.macs = self.macs_total = 0  # multiply-adds per row: largest block product, all
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
        self.macs_total += d * m
        if d:
            self._matrix(f"W{b}", (d, m), np.array(flat, np.intp), np.array(ks, np.intp))
        has_bias = bool(bks)
        if has_bias or not d:
            self._matrix(f"B{b}", (m,), np.array(bcols, np.intp), np.array(bks, np.intp))
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

    def _matrix(self, name: str, shape: tuple, flat: np.ndarray, ks: np.ndarray) -> None:
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
        self.consts[f"_I{name}"] = idx.reshape(shape)
        self.prep.append(f"{name} = _wx[..., _I{name}]")
        if repeats:
            dup = np.setdiff1d(np.arange(len(flat)), first)
            at = np.unravel_index(flat[dup], shape)
            for axis, a in enumerate(at):
                self.consts[f"_D{name}_{axis}"] = a
            self.consts[f"_D{name}_k"] = ks[dup]
            index = ", ".join(f"_D{name}_{axis}" for axis in range(len(at)))
            self.prep.append(f"np.add.at({name}, (Ellipsis, {index}), _wx[..., _D{name}_k])")
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


# -- running the generated code -----------------------------------------------------------
def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_LOCK = threading.Lock()
_BLAS: dict[str, Any] = {"libs": None, "depth": 0, "saved": []}
_POOLS: dict[int, ThreadPoolExecutor] = {}


def _after_fork_in_child() -> None:
    """A forked child has none of the parent's threads: forget the pools (and the lock,
    which a parent thread may have held), or the first threaded call would wait forever."""
    global _LOCK
    _LOCK = threading.Lock()
    _POOLS.clear()
    _BLAS.update(depth=0, saved=[])


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _blas_libs() -> list:
    """threadpoolctl's controllers of the loaded BLAS libraries (found once: ~ms)."""
    if _BLAS["libs"] is None:
        from threadpoolctl import ThreadpoolController
        _BLAS["libs"] = ThreadpoolController().select(user_api="blas").lib_controllers
    return _BLAS["libs"]


def _blas_threads() -> int:
    """The threads BLAS would use now (1 while dagnet holds it, or when the user limited it)."""
    return min((lib.get_num_threads() for lib in _blas_libs()), default=1)


@contextmanager
def _one_blas_thread():
    """Hold the BLAS libraries to one thread while chunks run on several Python threads."""
    with _LOCK:
        if _BLAS["depth"] == 0:
            _blas_libs()
            _BLAS["saved"] = [(lib, lib.get_num_threads()) for lib in _BLAS["libs"]]
            for lib, n in _BLAS["saved"]:
                if n != 1:
                    lib.set_num_threads(1)
        _BLAS["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _BLAS["depth"] -= 1
            if _BLAS["depth"] == 0:
                for lib, n in _BLAS["saved"]:
                    if n != 1:
                        lib.set_num_threads(n)


def _pool(helpers: int) -> ThreadPoolExecutor:
    with _LOCK:
        if helpers not in _POOLS:
            _POOLS[helpers] = ThreadPoolExecutor(helpers, thread_name_prefix="dagnet")
        return _POOLS[helpers]


def _split(n: int, k: int, width: int, budget: int, min_rows: int,
           max_rows: int) -> tuple[int, int]:
    """(rows, draws) per unit of work, so that draws x rows x width stays within budget."""
    if k * n * width <= budget and n <= max_rows:
        return n, k
    if n * width <= budget and n <= max_rows:
        return n, max(1, budget // (n * width))
    return max(1, min(max_rows, max(min_rows, budget // width))), 1


class _Kernel:
    """The generated ``_prepare``/``_forward`` pair and its constants; evaluates units of work.

    Picklable (rebuilt from its source), so that dask workers can run it.
    """

    def __init__(self, source: str, consts: dict, widths: tuple, n_out: int, name: str,
                 macs: tuple[int, int]):
        self.source, self.consts, self.widths, self.n_out, self.name = (
            source, consts, tuple(widths), n_out, name)
        self.macs, self.macs_total = macs  # multiply-adds per row: largest product, all
        self.widest = max(self.widths, default=max(1, n_out))  # of the block buffers
        self.elements = max(1, sum(self.widths))  # elementwise work per row
        namespace: dict[str, Any] = {"np": np, "_cat": _cat, **consts}
        exec(compile(source, name, "exec"), namespace)
        self.prepare = namespace["_prepare"]
        self.forward = namespace["_forward"]

    def __reduce__(self):
        return (_Kernel, (self.source, self.consts, self.widths, self.n_out, self.name,
                          (self.macs, self.macs_total)))

    def mats(self, w: np.ndarray) -> tuple:
        """The per-block weight matrices (lead axes of ``w`` kept) for weight vectors ``w``."""
        lead = w.shape[:-1]
        return self.prepare(np.concatenate([w, np.zeros(lead + (1,)), np.ones(lead + (1,))],
                                           axis=-1))

    def evaluate(self, X: np.ndarray, mats: tuple, k: int | None, chunk_rows: int | None,
                 threads: int) -> np.ndarray:
        """Run the forward code on X for one weight vector (k None) or a stack of k."""
        n = X.shape[0]
        lead = () if k is None else (k,)
        K = k or 1
        out = np.empty(lead + (n, self.n_out))
        width = max(self.widest, X.shape[1])
        # Threads share the units of a large call, BLAS held to one thread meanwhile; but a
        # few rows through wide products go faster in one piece on BLAS's threads, as numpy.
        heavy = self.macs_total >= HEAVY_MACS * self.elements
        if heavy and not chunk_rows and K * n <= HEAVY_ROWS and _blas_threads() > 1:
            rows, kc, parallel = n, K, False
        else:
            if chunk_rows:
                rows, kc = _split(n, K, width, width * chunk_rows, chunk_rows, chunk_rows)
            else:
                rows, kc = _split(n, K, width, CACHE_ELEMENTS, MIN_ROWS, MAX_ROWS)
            parallel = threads > 1 and K * n * self.elements >= PARALLEL_ELEMENTS
        if not parallel:
            hold = not heavy and min(rows, n) * self.macs >= BLAS_THREADED
            if rows >= n and kc >= K:  # one unit: no chunk bookkeeping
                views = [np.empty(lead + (n, w)) for w in self.widths]
                if hold:
                    with _one_blas_thread():
                        self.forward(X, out, views, *mats)
                else:
                    self.forward(X, out, views, *mats)
                return out
            units = [(k0, min(K, k0 + kc), a, min(n, a + rows))
                     for k0 in range(0, K, kc) for a in range(0, n, rows)]
            with _one_blas_thread() if hold else nullcontext():
                self._work(X, mats, out, lead, iter(units), kc * min(rows, n), None)
            return out
        want = 4 * threads  # more units than threads, as threads share a busy machine unevenly
        if -(-n // rows) * -(-K // kc) < want:  # but no unit under MIN_ROWS rows if avoidable
            if n >= MIN_ROWS * want or K < want:
                rows = max(min(rows, -(-n // want)), min(rows, MIN_ROWS))
            else:
                kc = max(1, min(kc, -(-K // want)))
        units = [(k0, min(K, k0 + kc), a, min(n, a + rows))
                 for k0 in range(0, K, kc) for a in range(0, n, rows)]
        todo, helpers = iter(units), min(threads, len(units)) - 1
        lock = threading.Lock()
        with _one_blas_thread():
            jobs = [_pool(helpers).submit(self._work, X, mats, out, lead, todo,
                                          kc * min(rows, n), lock) for _ in range(helpers)]
            self._work(X, mats, out, lead, todo, kc * min(rows, n), lock)
            for job in jobs:
                job.result()
        return out

    def _work(self, X, mats, out, lead, todo, size, lock) -> None:
        """Evaluate units from ``todo`` into ``out``, in this thread's own buffers."""
        bufs = [(np.empty(size * w), w) for w in self.widths]
        forward, views, shape = self.forward, [], None
        while True:
            if lock is None:
                unit = next(todo, None)
            else:
                with lock:
                    unit = next(todo, None)
            if unit is None:
                return
            k0, k1, a, b = unit
            if (k1 - k0, b - a) != shape:  # views of the buffers, made once per unit shape
                shape = (k1 - k0, b - a)
                kk, m = shape
                views = [buf[:kk * m * w].reshape((kk, m, w) if lead else (m, w))
                         for buf, w in bufs]
            if lead:
                forward(X[a:b], out[k0:k1, a:b], views, *[M[k0:k1] for M in mats])
            else:
                forward(X[a:b], out[a:b], views, *mats)


class _Blocks:
    """``kernel`` on one block of rows (and optionally of weight draws): a dask task."""

    def __init__(self, kernel: _Kernel, mats: tuple | None = None):
        self.kernel, self.mats = kernel, mats

    def __call__(self, *blocks: np.ndarray) -> np.ndarray:
        with _one_blas_thread():
            if self.mats is not None:
                (X,) = blocks
                return self.kernel.evaluate(X, self.mats, None, None, 1)
            w, X = blocks
            if not np.isfinite(w).all():
                raise WeightError("weights contain NaN or inf; weights must be finite")
            return self.kernel.evaluate(X, self.kernel.mats(w), len(w), None, 1)


def _is_lazy(a: Any) -> bool:
    """A chunked lazy array (dask.array), recognised without importing dask."""
    return callable(getattr(a, "map_blocks", None)) and hasattr(a, "chunks")


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
        BLAS is held to one thread while they run. ``threads=1``: the caller only.
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
                               (plan.macs, plan.macs_total))
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
            key = (w.shape, w.tobytes())
            last = self._last["given"]
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
