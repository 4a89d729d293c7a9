"""Fused kernels for thin blocks: ``V = f.(S @ W + B)`` in one call per unit of rows (numba).

The numpy code makes three passes over a unit's buffer per block: the product, the bias
add, the activation (numpy's ``tanh`` at ~1.7 ns/element here). :func:`fused` computes a
block of fan-in <= :data:`FUSE_FAN_IN` in one call: the product and the bias row by row,
then the activation over the unit (in cache) as one flat vectorized loop; a wider block
keeps BLAS's product and :func:`bias_act` adds the bias and applies the activation.
Measured per unit of rows (one thread, same run): 1.4-1.6x faster than the numpy code on
1-100-1 and 1-11-9-1, 1.3x on 2-16-16-3, 1.1x on 2-256-256-256-1 relu, ~1.0x where a wide
product dominates.

A run of consecutive thin blocks (each no wider than :data:`CHAIN_WIDTH`, its product no
larger than :data:`CHAIN_MACS`) that feed only each other is one call of :func:`chain`:
every layer on a chunk of :data:`CHAIN_ROWS` rows while its hidden values stay in cache,
feature-major so that every loop runs over rows and vectorizes (a product, the bias and
the activation per output, no BLAS call, no pass over a unit's buffer per block). Against
the per-block calls, per row on one thread: 1.29x on 1-11-9-1, 1.38x on 2-16-16-3, 1.1x
on 1-100-1, 1.04x on 1-64-64-1 (the table at :data:`CHAIN_WIDTH`); 1-11-9-1 at 1e5 rows,
two threads: 1.8-2.0 ms, JAX's ``jit`` 2.3-3.2 ms in the same runs.

``compile()`` prints the calls (:class:`~dagnet.compiled.printer.ForwardCode` with
``fused=True``) whenever numba is installed (``pip install 'dagnet[fast]'``); units still
run on dagnet's threads (the kernels release the GIL) rather than numba's own.

The kernels are compiled by numba once per array layout and cached on disk
(``cache=True``): per dtype and layout, never per network or shape, so compiling a
network stays a matter of printing code; a process's first call pays numba's import
(the first call on a machine also compiles the kernels it uses: ~1-2 s each). They are
compiled with FMA contraction (``fastmath={"contract"}``, nothing else of fast-math):
``a * b + c`` rounds once where the CPU has FMA, which makes ``tanh`` 1.2x faster and
keeps its worst relative error at 4e-16.

The activation is evaluated in the kernel for the rows of :data:`FAST` (``tanh``,
``relu``); every other activation keeps the numpy path. ``tanh`` is computed with
arithmetic LLVM vectorizes (numba's ``math.tanh`` calls libm one element at a time, 6x
slower than numpy's SIMD ``tanh``): a rational function for ``|v| < 0.625`` and
``(e - 1) / (e + 1)`` with ``e = exp(2|v|)`` from Cody-Waite range reduction and a Padé
form (Cephes' coefficients) otherwise, one division in all; NaN passes through, +-inf give
+-1, ``tanh(v) = v`` below 1e-9 (where it rounds to ``v``: -0.0 stays -0.0).
``tests/compiled/test_fused.py`` checks every row of :data:`FAST` against the registry's
numpy form over the whole float64 range to a relative 1e-14.

Whether numba is there is asked once (:func:`available`); without it (or with
``net.compile(fused=False)``) the printed code is the plain numpy code.

Examples
--------
>>> import numpy as np
>>> S, W, B = np.ones((4, 2)), np.full((2, 3), 0.5), np.zeros((1, 3))
>>> V = np.empty((4, 3))
>>> if available():
...     fused(S, W, B, V, FAST["tanh"])
... else:
...     V[...] = np.tanh(S @ W + B)
>>> bool(np.allclose(V, np.tanh(1.0), rtol=1e-15))
True
"""

from __future__ import annotations

import importlib.util
import math
from typing import Any

import numpy as np

from ..core.extras import needs

__all__ = ["FAST", "FUSE_FAN_IN", "CHAIN_WIDTH", "CHAIN_MACS", "CHAIN_ROWS", "available",
           "fused", "bias_act", "chain", "fast_activation"]

#: Activation name -> its code in the kernel (the activations computed inside it; code 0,
#: no activation, is the kernel's plain ``S @ W + B``).
FAST = {"tanh": 1, "relu": 2}
#: The largest fan-in whose product the kernel computes itself (:func:`fused`); beyond it
#: BLAS's product is faster, and only the bias add and the activation are fused
#: (:func:`bias_act`). Measured on 8192-row units: fan-in 1-2 fused 1.1-1.5x faster than
#: numpy's three passes, fan-in 9-32 0.2-0.6x; after BLAS, ``bias_act`` 1.2-1.4x.
FUSE_FAN_IN = 2
#: The widest layer (inputs included) :func:`chain` takes, with :data:`CHAIN_MACS`: a run
#: of such blocks is one call, its hidden values kept in cache. Measured per row (one
#: thread, 50,000 rows, same run; the per-block kernel calls / the chain): 1-11-9-1 tanh
#: 1.29x, 2-16-16-3 tanh 1.38x, 1-32-32-1 relu 1.21x, 1-100-1 tanh 1.11x, 1-64-64-1 tanh
#: 1.04x, 1-128-128-1 tanh 0.87x (there BLAS's product wins).
CHAIN_WIDTH = 128
#: The largest product (fan-in x width) of a block :func:`chain` takes (see :data:`CHAIN_WIDTH`).
CHAIN_MACS = 4096
#: Rows per chunk in :func:`chain`: a chunk's hidden values (width x rows, feature-major)
#: stay in the L1/L2 cache between the layers. 128-512 measured within 5% of each other.
CHAIN_ROWS = 256

_STATE: dict[str, Any] = {"kernel": None, "apply": None, "bias_act": None, "chain": None,
                          "found": None}


def available() -> bool:
    """Whether the fused kernels can run: numba is installed (found once per process,
    without importing it; the first kernel call imports it).

    Returns
    -------
    bool

    Examples
    --------
    >>> available() in (True, False)
    True
    """
    if _STATE["found"] is None:
        try:
            _STATE["found"] = importlib.util.find_spec("numba") is not None
        except (ImportError, ValueError):
            _STATE["found"] = False
    return _STATE["found"]


def _kernel(name: str) -> Any:
    """The compiled kernel ``name`` ("kernel", "apply", "bias_act", "chain"), built on first
    use."""
    if _STATE[name] is None:
        with needs("fast", "dagnet's fused kernels"):
            _build()
    return _STATE[name]


# Cephes' tanh (|v| < 0.625: v + v z P(z) / Q(z), z = v^2) and exp (Pade form on
# |r| <= ln(2) / 2) coefficients.
_TP = (-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3)
_TQ = (1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3)
_EP = (1.26177193074810590878e-4, 3.02994407707441961300e-2, 9.99999999999999999910e-1)
_EQ = (3.00198505138664455042e-6, 2.52448340349684104192e-3, 2.27265548208155028766e-1,
       2.00000000000000000009e0)


def _tanh_py(x: float) -> float:
    """The kernel's tanh (compiled by numba; runs as plain Python too)."""
    a = abs(x)
    z = x * x
    p = ((_TP[0] * z + _TP[1]) * z + _TP[2]) * z * x
    q = ((z + _TQ[0]) * z + _TQ[1]) * z + _TQ[2]
    t = 2.0 * a if 2.0 * a < 40.0 else 40.0  # tanh(20) is 1 in float64; NaN -> 40
    n = math.floor(t * 1.4426950408889634 + 0.5)
    r = t - n * 6.93145751953125e-1 - n * 1.42860682030941723212e-6
    rr = r * r
    pr = r * ((_EP[0] * rr + _EP[1]) * rr + _EP[2])
    qr = ((_EQ[0] * rr + _EQ[1]) * rr + _EQ[2]) * rr + _EQ[3]
    s = float(1 << int(n))  # 2^n, n <= 58
    e_num, e_den = s * (qr + pr), qr - pr  # e = exp(t) = e_num / e_den
    small = a < 0.625
    num = x * q + p if small else math.copysign(e_num - e_den, x)
    den = q if small else e_num + e_den
    return num / den if (a >= 1e-9 and x == x) else x  # tanh(v) rounds to v below 2^-27


def _kernel_py(S, W, B, V, act):  # pragma: no cover - compiled by numba
    """V[k] = act(S[k or 0] @ W[k] + B[k, 0]) (S, W, B, V 3-D, V C-contiguous): the
    product and bias row by row, then the activation over the unit in cache."""
    K, n, m = V.shape
    d = W.shape[1]
    one = S.shape[0] == 1
    for k in range(K):
        s = S[0] if one else S[k]
        w, b, v = W[k], B[k, 0], V[k]
        for i in range(n):
            row = v[i]
            for j in range(m):
                row[j] = b[j]
            for c in range(d):
                x = s[i, c]
                for j in range(m):
                    row[j] += x * w[c, j]
        _APPLY(v.reshape(n * m), act)  # flat: narrow rows vectorize badly


def _bias_act_py(B, V, act):  # pragma: no cover - compiled by numba
    """V[k] = act(V[k] + B[k, 0]) (B, V 3-D, V C-contiguous): after a BLAS product.

    The bias row by row, then the activation over V as one flat array: a long loop LLVM
    vectorizes however narrow the rows are (fusing both per element did not vectorize)."""
    K, n, m = V.shape
    for k in range(K):
        b, v = B[k, 0], V[k]
        for i in range(n):
            row = v[i]
            for j in range(m):
                row[j] += b[j]
        _APPLY(v.reshape(n * m), act)


def _apply_py(row, act):  # pragma: no cover - compiled by numba
    """The activation of code ``act`` on a 1-D array, in place."""
    if act == 1:
        for j in range(row.size):
            row[j] = _TANH(row[j])
    elif act == 2:
        for j in range(row.size):
            y = row[j]
            row[j] = y if (y > 0.0 or y != y) else 0.0  # np.maximum(v, 0.0): NaN kept


def _layer_py(x, p, off, d, m, r, y, act):  # pragma: no cover - compiled by numba
    """One dense layer of :func:`chain` on a chunk of ``r`` rows, feature-major: ``y[j]`` (the
    ``r`` values of output ``j``, at ``y[j r:(j + 1) r]``) = act(sum_c x[c] w[c, j] + b[j]),
    with ``w`` (d, m) at ``p[off:]`` and ``b`` after it. Two outputs and four inputs per pass
    over the rows (fewer loads and stores per multiply-add); every loop runs over rows,
    on slices (computed indices would be wrapped if negative, which stops LLVM vectorizing)."""
    bo = off + d * m
    j = 0
    while j < m:
        two = j + 1 < m
        y0 = y[j * r:j * r + r]
        y1 = y[j * r + r:j * r + 2 * r] if two else y0
        b0 = p[bo + j]
        for i in range(r):
            y0[i] = b0
        if two:
            b1 = p[bo + j + 1]
            for i in range(r):
                y1[i] = b1
        c = 0
        while c < d:
            w = off + c * m + j
            x0 = x[c * r:c * r + r]
            a0 = p[w]
            if c + 4 <= d:
                x1 = x[c * r + r:c * r + 2 * r]
                x2 = x[c * r + 2 * r:c * r + 3 * r]
                x3 = x[c * r + 3 * r:c * r + 4 * r]
                a1, a2, a3 = p[w + m], p[w + 2 * m], p[w + 3 * m]
                if two:
                    e0, e1, e2, e3 = p[w + 1], p[w + m + 1], p[w + 2 * m + 1], p[w + 3 * m + 1]
                    for i in range(r):
                        u0, u1, u2, u3 = x0[i], x1[i], x2[i], x3[i]
                        y0[i] += u0 * a0 + u1 * a1 + u2 * a2 + u3 * a3
                        y1[i] += u0 * e0 + u1 * e1 + u2 * e2 + u3 * e3
                else:
                    for i in range(r):
                        y0[i] += x0[i] * a0 + x1[i] * a1 + x2[i] * a2 + x3[i] * a3
                c += 4
            else:
                if two:
                    e0 = p[w + 1]
                    for i in range(r):
                        u0 = x0[i]
                        y0[i] += u0 * a0
                        y1[i] += u0 * e0
                else:
                    for i in range(r):
                        y0[i] += x0[i] * a0
                c += 1
        _APPLY(y[j * r:j * r + (2 * r if two else r)], act)
        j += 2 if two else 1


def _chain_py(S, P, dims, acts, V):  # pragma: no cover - compiled by numba
    """V[k] = the dense layers ``dims``/``acts`` on S[k or 0], weights P[k or 0] (S, P, V
    with a draw axis, V C-contiguous): chunk by chunk of :data:`CHAIN_ROWS` rows, the
    chunk transposed into a feature-major buffer and carried through every layer between
    two such buffers (in cache), then written into V."""
    K, n, _ = V.shape
    L = acts.size
    wide = max(1, dims.max())
    h0 = np.empty(wide * CHAIN_ROWS)
    h1 = np.empty(wide * CHAIN_ROWS)
    for k in range(K):
        s = S[0] if S.shape[0] == 1 else S[k]
        p = P[0] if P.shape[0] == 1 else P[k]
        v = V[k]
        for a in range(0, n, CHAIN_ROWS):
            r = min(CHAIN_ROWS, n - a)
            d = dims[0]
            for c in range(d):
                col, h = s[a:a + r, c], h0[c * r:c * r + r]
                for i in range(r):
                    h[i] = col[i]
            off = 0
            src, dst = h0, h1
            for t in range(L):  # layer t reads one buffer and writes the other
                m = dims[t + 1]
                _LAYER(src, p, off, d, m, r, dst, acts[t])
                off += d * m + m
                d = m
                src, dst = dst, src
            for j in range(d):
                col, h = v[a:a + r, j], src[j * r:j * r + r]
                for i in range(r):
                    col[i] = h[i]


_TANH: Any = _tanh_py
_APPLY: Any = _apply_py
_LAYER: Any = _layer_py


def _build() -> None:
    """Compile (or load from numba's disk cache) the kernel and its tanh."""
    global _TANH, _APPLY, _LAYER
    import numba

    options = {"nogil": True, "cache": True, "error_model": "numpy",  # numpy: no div check
               "fastmath": {"contract"}}
    _TANH = numba.njit(inline="always", **options)(_tanh_py)
    _APPLY = numba.njit(inline="always", **options)(_apply_py)
    _STATE["apply"] = numba.njit(**options)(_apply_py)
    _STATE["kernel"] = numba.njit(**options)(_kernel_py)
    _STATE["bias_act"] = numba.njit(**options)(_bias_act_py)
    _LAYER = numba.njit(inline="always", **options)(_layer_py)
    _STATE["chain"] = numba.njit(**options)(_chain_py)


def fast_activation(name: str, v: np.ndarray) -> np.ndarray:
    """The kernel's activation ``name`` (a row of :data:`FAST`) on ``v``, elementwise.

    What the fused kernel computes after the bias add, for testing it against the
    registry's numpy form.

    Parameters
    ----------
    name : str
        ``"tanh"`` or ``"relu"``.
    v : ndarray
        Any float64 values.

    Returns
    -------
    ndarray
        A new array of ``v``'s shape.

    Examples
    --------
    >>> fast_activation("relu", np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    out = np.array(v, dtype=float).ravel()
    _kernel("apply")(out, FAST[name])
    return out.reshape(np.shape(v))


def fused(S: np.ndarray, W: np.ndarray, B: np.ndarray, V: np.ndarray, act: int) -> None:
    """``V = f.(S @ W + B)`` in one pass (``f`` the activation of code ``act`` in :data:`FAST`).

    Parameters
    ----------
    S : ndarray
        The block's input: (n, d), or (K, n, d) for K weight draws.
    W : ndarray
        (d, m) or (K, d, m).
    B : ndarray
        The bias row: (1, m) or (K, 1, m).
    V : ndarray
        The output, written: (n, m) or (K, n, m).
    act : int
        A value of :data:`FAST`.
    """
    if V.ndim == 2:
        V, W, B = V[None], W[None], B[None]
    if S.ndim == 2:
        S = S[None]
    _kernel("kernel")(S, W, B, V, act)


def bias_act(B: np.ndarray, V: np.ndarray, act: int) -> None:
    """``V = f.(V + B)`` in one pass, after the product ``V = S @ W`` (see :func:`fused`).

    Parameters
    ----------
    B : ndarray
        The bias row: (1, m) or (K, 1, m).
    V : ndarray
        The product, overwritten: (n, m) or (K, n, m).
    act : int
        A value of :data:`FAST`.
    """
    if V.ndim == 2:
        V, B = V[None], B[None]
    _kernel("bias_act")(B, V, act)


def chain(S: np.ndarray, P: np.ndarray, dims: np.ndarray, acts: np.ndarray,
          V: np.ndarray) -> None:
    """A run of dense layers ``h = f_l.(h @ W_l + B_l)`` in one call, ``V`` the last ``h``.

    The rows go through every layer in chunks of :data:`CHAIN_ROWS`, the hidden values of
    a chunk kept in cache in a feature-major buffer (the loops run over rows and
    vectorize); the activations are computed as in :func:`fused`.

    Parameters
    ----------
    S : ndarray
        The first layer's input: (n, d0), or (K, n, d0) for K weight draws.
    P : ndarray
        The layers' weights, each layer's ``W_l`` (d, m, row-major) then its ``B_l`` (m):
        (total,) or (K, total).
    dims : ndarray of int64
        ``d0, m1, ..., mL``: the widths, inputs first.
    acts : ndarray of int64
        Per layer, a value of :data:`FAST` or 0 (no activation).
    V : ndarray
        The output, written: (n, mL) or (K, n, mL), C-contiguous.

    Examples
    --------
    >>> S, V = np.ones((3, 1)), np.empty((3, 1))
    >>> P = np.array([2.0, 0.5, 1.0, -1.0, 3.0, 0.0])  # W1 = [[2, .5]], B1 = [1, -1]; W2, B2
    >>> if available():
    ...     chain(S, P, np.array([1, 2, 1]), np.array([0, 0]), V)
    ... else:
    ...     V[...] = (S @ [[2.0, 0.5]] + [1.0, -1.0]) @ [[3.0], [0.0]]
    >>> V.ravel().tolist()
    [9.0, 9.0, 9.0]
    """
    if V.ndim == 2:
        V = V[None]
    if P.ndim == 1:
        P = P[None]
    if S.ndim == 2:
        S = S[None]
    _kernel("chain")(S, P, dims, acts, V)
