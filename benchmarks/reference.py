"""Hand-written numpy forward passes that dagnet's compiled networks are timed against.

Written from the layer sizes alone (no dagnet code): per layer ``h = f(h @ W + b)``.

- :func:`plain`: the textbook version, one big product per layer.
- :func:`best`: the fastest version written by hand for this machine: rows in
  cache-sized chunks into preallocated buffers, bias and activation in place,
  a broadcast product where a layer has one input, and (``threads > 1``) the
  chunks shared by Python threads while BLAS is held to one thread.
- :func:`einsum_ensemble`: K weight draws at once with batched ``einsum``.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import ThreadpoolController

_BLAS = ThreadpoolController().select(user_api="blas").lib_controllers
_POOL = ThreadPoolExecutor(8)


def layers(sizes: list[int], w: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer from a weight vector in dagnet's order: layer, then j, then i (i=0 bias).

    With a stack of draws ``w`` (K, n_weights): W (K, n_in, n_out) and b (K, n_out).
    """
    out, k = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        block = w[..., k:k + (n_in + 1) * n_out].reshape(w.shape[:-1] + (n_out, n_in + 1))
        block = np.swapaxes(block, -1, -2)
        W, b = block[..., 1:, :], block[..., 0, :]
        out.append((np.ascontiguousarray(W), np.ascontiguousarray(b)))
        k += (n_in + 1) * n_out
    return out


def plain(X: np.ndarray, net: list, act=np.tanh) -> np.ndarray:
    """One product per layer on all rows at once."""
    h = X
    for W, b in net:
        h = act(h @ W + b)
    return h


def default_rows(net: list) -> int:
    """Rows per chunk: the widest layer (or row of X) near 1 MiB, from 256 to 8192 rows.

    Swept on this machine (``python benchmarks/run.py --sweep``): within a few percent of
    the best chunk for every benchmarked network.
    """
    widest = max(max(W.shape) for W, _ in net)
    return max(256, min(8192, (1 << 17) // widest))


def _chunks(X, net, out, todo, rows, lock):
    bufs = [np.empty((rows, W.shape[1])) for W, _ in net]
    while True:
        with lock:
            a = next(todo, None)
        if a is None:
            return
        h = X[a:a + rows]
        m = h.shape[0]
        for (W, b), buf in zip(net, bufs):
            v = buf[:m]
            if W.shape[0] == 1:
                np.multiply(h, W, out=v)
            else:
                np.matmul(h, W, out=v)
            v += b
            np.tanh(v, out=v)
            h = v
        out[a:a + m] = h


def best(X: np.ndarray, net: list, rows: int | None = None, threads: int = 1) -> np.ndarray:
    """Chunked, in place, preallocated; tanh on every layer. ``threads`` share the chunks."""
    n = X.shape[0]
    rows = rows or default_rows(net)
    out = np.empty((n, net[-1][0].shape[1]))
    todo, lock = iter(range(0, n, rows)), threading.Lock()
    if threads == 1 or n <= rows:
        _chunks(X, net, out, todo, rows, lock)
        return out
    saved = [(lib, lib.get_num_threads()) for lib in _BLAS]
    for lib, _ in saved:
        lib.set_num_threads(1)
    try:
        jobs = [_POOL.submit(_chunks, X, net, out, todo, rows, lock) for _ in range(threads - 1)]
        _chunks(X, net, out, todo, rows, lock)
        for job in jobs:
            job.result()
    finally:
        for lib, k in saved:
            lib.set_num_threads(k)
    return out


def einsum_ensemble(X: np.ndarray, net: list, act=np.tanh) -> np.ndarray:
    """K draws at once: ``net`` from :func:`layers` of a (K, n_weights) stack -> (K, n, n_out)."""
    W, b = net[0]
    h = act(np.einsum("ni,kij->knj", X, W) + b[:, None, :])
    for W, b in net[1:]:
        h = act(np.einsum("kni,kij->knj", h, W) + b[:, None, :])
    return h
