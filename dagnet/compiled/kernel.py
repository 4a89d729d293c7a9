"""Running compiled networks: units of rows (and weight draws) on threads.

:mod:`dagnet.compiled.forward` lowers a network to two generated functions, ``_prepare`` (weight
vectors to block matrices) and ``_forward`` (one unit of rows into preallocated buffers).
This module runs them: it cuts a call into cache-sized units, shares the units of a large
call among threads while holding BLAS to one thread (OpenBLAS's own threads are slow on
thin products and spin ~0.1 s after each one), and wraps one block of a dask array as a
task. The tuning constants are measured on a 2-core machine
(``python benchmarks/run.py --sweep``).

Public here, for the other compiled modules: :class:`Kernel` (the generated pair, run in
units), :class:`BlockTask` (one dask block), :data:`HELPERS` (the functions generated code
calls), :func:`check_inputs` and :func:`check_input_shape` (the one check of an input
array ``X``), :func:`is_lazy` and :func:`usable_cpus`.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from typing import Any

import numpy as np

from ..core.arrays import as_real_array
from ..core.blocks import extend_weights
from ..errors import ShapeError, WeightError

__all__ = ["Kernel", "BlockTask", "HELPERS", "check_inputs", "check_input_shape", "check_weights",
           "WeightCache", "is_lazy",
           "usable_cpus", "CACHE_ELEMENTS", "MIN_ROWS", "MAX_ROWS", "PARALLEL_ELEMENTS",
           "BLAS_THREADED"]

#: Elements (float64) of the widest block buffer in one unit of work: 1 MiB, half an L2 cache
#: here (``python benchmarks/run.py --sweep`` measures the choice). The rows of X are not
#: counted: only matrix products read them, and BLAS blocks its operands itself; counting a
#: wide X (784 columns) cut 784-128-10 into 256-row units, 2x slower than 1024-row ones.
CACHE_ELEMENTS = 1 << 17
#: Rows per unit of work are kept within these bounds (narrow networks gain nothing from
#: longer chunks, wide ones lose to per-chunk overhead on shorter ones).
MIN_ROWS, MAX_ROWS = 256, 8192
#: Below this many buffer elements per call, threads cost more than they save.
PARALLEL_ELEMENTS = 1 << 17
#: Multiply-adds from which OpenBLAS runs one product on several threads (65536 x 4);
#: those threads then spin for ~0.1 s, stealing a core, so dagnet holds BLAS to one thread.
BLAS_THREADED = 1 << 18


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    """Concatenate along the last axis, broadcasting the leading (draw) axes."""
    lead = np.broadcast_shapes(*(p.shape[:-1] for p in parts))
    return np.concatenate([np.broadcast_to(p, lead + p.shape[-1:]) for p in parts], axis=-1)


#: The functions generated forward code calls besides numpy and its constants, by the name
#: it calls them (``_cat([A, B[..., 0:2]])``: columns side by side); the ``.py`` export
#: writes the source of those its code calls.
HELPERS = {"_cat": _cat}


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity; else the machine's count).

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> usable_cpus() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_input_shape(shape: tuple, n_inputs: int) -> None:
    """Check that an input array of ``shape`` has one row per point and one column per input.

    Parameters
    ----------
    shape : tuple of int
        The shape of ``X`` (of a numpy or a lazy array).
    n_inputs : int
        The network's inputs.

    Raises
    ------
    ShapeError
        If ``shape`` is not ``(n_points, n_inputs)``; for a 1-D ``X`` the message says
        ``x[:, None]``.

    Examples
    --------
    >>> check_input_shape((5, 2), 2)
    >>> check_input_shape((5,), 1)
    Traceback (most recent call last):
    ...
    dagnet.errors.ShapeError: X must have shape (n_points, 1), ... (for 1-D x use x[:, None])
    """
    if len(shape) != 2 or shape[1] != n_inputs:
        hint = " (for 1-D x use x[:, None])" if len(shape) == 1 else ""
        raise ShapeError(f"X must have shape (n_points, {n_inputs}), one column per "
                         f"input, got {tuple(shape)}{hint}")


def check_inputs(X: Any, n_inputs: int) -> np.ndarray:
    """``X`` as a float array of shape (n_points, n_inputs), or the error that says why not.

    Parameters
    ----------
    X : array_like
        Inputs, one row per point and one column per network input.
    n_inputs : int
        The network's inputs.

    Returns
    -------
    ndarray
        ``X`` as floats (not copied when it already is a float array).

    Raises
    ------
    ShapeError
        If ``X`` is not an array of real numbers, or its shape is not
        ``(n_points, n_inputs)`` (see :func:`check_input_shape`).

    Examples
    --------
    >>> check_inputs([[1, 2]], 2)
    array([[1., 2.]])
    >>> check_inputs([["a"]], 1)
    Traceback (most recent call last):
    ...
    dagnet.errors.ShapeError: X must be a float array of shape (n_points, 1), got list (text); ...
    """
    X = as_real_array(X, f"X must be a float array of shape (n_points, {n_inputs})")
    check_input_shape(X.shape, n_inputs)
    return X


def check_weights(weights: Any, n_weights: int) -> np.ndarray:
    """``weights`` as a float array (n_weights,) or (K, n_weights), or the error that says why.

    Parameters
    ----------
    weights : array_like
        One weight vector or a stack of K, in ``net.weight_names`` order.
    n_weights : int
        The network's weights.

    Returns
    -------
    ndarray
        The weights as float64 (finiteness is checked where they are used).

    Raises
    ------
    WeightError
        If ``weights`` are not real numbers (the message names what they hold).
    ShapeError
        If their shape is not (n_weights,) or (K, n_weights).

    Examples
    --------
    >>> check_weights([1, 2], 2)
    array([1., 2.])
    >>> check_weights([[1, 2, 3]], 2)
    Traceback (most recent call last):
    ...
    dagnet.errors.ShapeError: weights must have shape (2,) or (K, 2) in ...
    """
    w = as_real_array(weights, "weights must be a float array", WeightError)
    if w.ndim not in (1, 2) or w.shape[-1] != n_weights:
        raise ShapeError(f"weights must have shape ({n_weights},) or "
                         f"(K, {n_weights}) in net.weight_names order, got {w.shape}")
    return w


class WeightCache:
    """The block matrices of the last weights passed in, reused while their values repeat.

    Keyed by the values themselves, not by identity (arrays change in place): a small
    array by its bytes, a large one (> 4096 values) compared in place, with no copy of its
    bytes per call. Shared by the numpy and the JAX backends.

    Parameters
    ----------
    make : callable
        ``make(w)``: the block matrices of the checked, finite weights ``w`` (a copy).

    Examples
    --------
    >>> import numpy as np
    >>> calls = []
    >>> cache = WeightCache(lambda w: calls.append(1) or (2 * w,))
    >>> w = np.ones(3)
    >>> _ = cache.get(w); _ = cache.get(w); len(calls)
    1
    >>> w[0] = 5.0  # changed in place: made again
    >>> cache.get(w)[1][0].tolist(), len(calls)
    ([10.0, 2.0, 2.0], 2)
    """

    def __init__(self, make: Any):
        self.make = make
        self.last: tuple = (None, None, None)  # (key, weights, block matrices)
        self.counted: tuple | None = None  # net.weights_key when own was read
        self.own: tuple = (None, None)  # (weights, block matrices) of the network's weights

    def get(self, w: np.ndarray) -> tuple[np.ndarray, Any]:
        """``(weights, block matrices)`` for the weight array ``w``.

        Raises
        ------
        WeightError
            ``w`` holds NaN or inf.
        """
        key, last, mats = self.last
        if w.size > 4096:  # compared in place: no 1 MB copy per call of a wide network
            if w.shape == key and np.array_equal(w, last):
                return last, mats
            key = w.shape
        else:
            if (w.shape, w.tobytes()) == key:
                return last, mats
            key = (w.shape, w.tobytes())
        if not np.isfinite(w).all():
            raise WeightError("weights contain NaN or inf; weights must be finite")
        w = w.copy()
        self.last = (key, w, self.make(w))
        return w, self.last[2]

    def network(self, net: Any) -> tuple[np.ndarray, Any]:
        """``(weights, block matrices)`` of the network's own weights (``net.weights``), read
        again only after a value was set (:attr:`~dagnet.Network.weights_key`; at every call
        for a plain DiGraph, whose changes are not counted).

        Raises
        ------
        MissingWeightError, WeightError
            As ``net.weights``: a weight is unset or not a finite number.
        """
        key = net.weights_key
        if key is None or key != self.counted:
            self.own = self.get(net.weights)
            self.counted = key
        return self.own


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


class Kernel:
    """The generated ``_prepare``/``_forward`` pair and its constants; evaluates units of work.

    Picklable (rebuilt from its source), so that dask workers can run it.

    Parameters
    ----------
    source : str
        The generated code (:meth:`dagnet.compiled.printer.ForwardCode.source`).
    consts : dict
        The names it reads besides numpy and :data:`HELPERS` (index arrays, activations).
    widths : tuple of int
        Columns of each block buffer ``_forward`` fills, in its order.
    n_out : int
        Columns of the result.
    name : str
        The file name the code is compiled under (shown in tracebacks).
    macs : int
        Multiply-adds per row of the largest block product.
    """

    def __init__(self, source: str, consts: dict, widths: tuple, n_out: int, name: str,
                 macs: int):
        self.source, self.consts, self.widths, self.n_out, self.name = (
            source, consts, tuple(widths), n_out, name)
        self.macs = macs  # multiply-adds per row of the largest block product
        self.widest = max(self.widths, default=max(1, n_out))  # of the block buffers
        self.elements = max(1, sum(self.widths))  # elementwise work per row
        namespace: dict[str, Any] = {"np": np, **HELPERS, **consts}
        exec(compile(source, name, "exec"), namespace)
        self.prepare = namespace["_prepare"]
        self.forward = namespace["_forward"]

    def __reduce__(self):
        return (Kernel, (self.source, self.consts, self.widths, self.n_out, self.name,
                          self.macs))

    def mats(self, w: np.ndarray) -> tuple:
        """The per-block weight matrices (lead axes of ``w`` kept) for weight vectors ``w``."""
        return self.prepare(extend_weights(w))

    def evaluate(self, X: np.ndarray, mats: tuple, k: int | None, chunk_rows: int | None,
                 threads: int) -> np.ndarray:
        """Run the forward code on X for one weight vector (k None) or a stack of k."""
        n = X.shape[0]
        lead = () if k is None else (k,)
        K = k or 1
        out = np.empty(lead + (n, self.n_out))
        width = self.widest  # X is read by products only (see CACHE_ELEMENTS)
        if chunk_rows:
            rows, kc = _split(n, K, width, width * chunk_rows, chunk_rows, chunk_rows)
        else:
            rows, kc = _split(n, K, width, CACHE_ELEMENTS, MIN_ROWS, MAX_ROWS)
        # Threads share the units of a large call, with BLAS held to one thread: OpenBLAS's
        # own threads are slow on thin products, and spin ~0.1 s after every product.
        if not (threads > 1 and K * n * self.elements >= PARALLEL_ELEMENTS):
            hold = min(rows, n) * self.macs >= BLAS_THREADED  # else BLAS runs one thread
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


class BlockTask:
    """``kernel`` on one block of rows (and optionally of weight draws): a dask task.

    Parameters
    ----------
    kernel : Kernel
        The code to run.
    mats : tuple, optional
        The block matrices of one weight vector; without them the task is called with a
        block of weight draws and a block of rows.
    """

    def __init__(self, kernel: Kernel, mats: tuple | None = None):
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


def is_lazy(a: Any) -> bool:
    """Whether ``a`` is a chunked lazy array (a ``dask.array``), recognised without importing dask.

    Parameters
    ----------
    a : object
        Anything.

    Returns
    -------
    bool
        True when ``a`` has ``map_blocks`` and ``chunks``.

    Examples
    --------
    >>> import numpy as np
    >>> is_lazy(np.zeros(3))
    False
    """
    return callable(getattr(a, "map_blocks", None)) and hasattr(a, "chunks")
