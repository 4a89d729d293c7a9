"""Arrays from the user: real numbers only, as float64.

Every array entry point (a compiled network's ``X`` and weights, the gradient's targets,
:meth:`~dagnet.Network.set_weights`, ``fit`` and the plots) converts through
:func:`as_real_array`, so a string, bytes, complex, date or object array, or a Python
integer too large for float64, is refused with an error that names it instead of being
parsed, cut to its real part or overflowing. Integers, booleans and float32 are
converted to float64 (dagnet computes in float64 throughout).

Examples
--------
>>> as_real_array([1, 2.5], "x must be numbers").dtype
dtype('float64')
>>> as_real_array(np.array(["1"]), "x must be numbers")
Traceback (most recent call last):
...
dagnet.errors.ShapeError: x must be numbers, got ndarray of dtype <U1 (text); ...
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

from ..errors import DagnetError, ShapeError, SizeLimitError

__all__ = ["as_real_array", "check_size", "MAX_ARRAY_BYTES", "human_bytes"]

#: The default limit of one array dagnet allocates (weight stacks, results): 4 GiB.
MAX_ARRAY_BYTES = 4 * 2**30

_WHAT = {"U": "text", "S": "bytes", "c": "complex numbers", "M": "dates", "m": "durations",
         "V": "raw records", "O": "Python objects", "T": "text"}
_NONE = object()
_FIX = ("; pass real numbers (convert on purpose, e.g. np.real(z) or np.asarray(s, "
        "dtype=float), if that is what you mean)")


def as_real_array(value: Any, what: str, error: type[DagnetError] = ShapeError) -> np.ndarray:
    """``value`` as a float64 array, or ``error`` naming what it holds.

    Parameters
    ----------
    value : array_like
        Real numbers: an ndarray of a float, integer or bool dtype, or (nested) lists of
        Python or numpy reals.
    what : str
        The start of the message, e.g. ``"X must be a float array of shape (n, 2)"``.
    error : type, optional
        The :class:`~dagnet.DagnetError` subclass to raise (default :class:`ShapeError`).

    Returns
    -------
    ndarray
        float64 (not copied when ``value`` already is a float64 array).

    Raises
    ------
    DagnetError
        ``error``, when ``value`` is not all real numbers or holds an integer beyond
        float64's range (about 1.8e308).

    Examples
    --------
    >>> as_real_array(np.float32([0.5]), "x").dtype
    dtype('float64')
    >>> as_real_array([10**400], "x")
    Traceback (most recent call last):
    ...
    dagnet.errors.ShapeError: x, got list holding an integer too large for float64 ...
    """
    if type(value) is np.ndarray and value.dtype.kind in "fiub":
        return value.astype(float, copy=False)
    given = type(value).__name__
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as exc:  # ragged lists and the like
        raise error(f"{what}, got {given} ({exc})") from None
    kind = arr.dtype.kind
    if kind in "fiub":
        return arr.astype(float, copy=False)
    shown = f"{given} of dtype {arr.dtype}" if isinstance(value, np.ndarray) else given
    if kind != "O":
        raise error(f"{what}, got {shown} ({_WHAT.get(kind, kind)}){_FIX}")
    bad = next((v for v in arr.flat if not isinstance(v, Real)), _NONE)
    if bad is not _NONE:
        return _refuse(error, what, shown, bad)
    try:
        return arr.astype(float)
    except OverflowError:
        raise error(f"{what}, got {given} holding an integer too large for float64 "
                    "(beyond about 1.8e308); scale the values down") from None


def _refuse(error: type[DagnetError], what: str, shown: str, bad: Any) -> np.ndarray:
    if isinstance(bad, (list, tuple, dict, set, str, bytes)) or shown in ("dict", "set"):
        raise error(f"{what}, got {shown}")
    raise error(f"{what}, got {shown} holding {type(bad).__name__} {str(bad)[:40]!r}{_FIX}")


def human_bytes(n: float) -> str:
    """``n`` bytes in the largest unit that keeps a number >= 1, e.g. ``'16 GB'``.

    >>> human_bytes(5e9), human_bytes(3 * 2**10), human_bytes(12)
    ('5 GB', '3.1 kB', '12 B')
    """
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.2g} {unit}" if n / size < 10 else f"{n / size:.0f} {unit}"
    return f"{int(n)} B"


def check_size(n_bytes: int, what: str, limit: int, argument: str) -> None:
    """Raise :class:`~dagnet.SizeLimitError` when ``what`` would need more than ``limit``.

    Parameters
    ----------
    n_bytes : int
        The estimated size (an exact Python int: no overflow however large).
    what : str
        What would be made, e.g. ``"a weight stack of shape (10000000, 121)"``.
    limit : int
        The limit in bytes.
    argument : str
        The argument that raises the limit, named in the message.

    Examples
    --------
    >>> check_size(10**12, "the result", 2**30, "max_bytes=...")
    Traceback (most recent call last):
    ...
    dagnet.errors.SizeLimitError: the result would need 1 TB, more than the limit of 1.1 GB; ...
    """
    if n_bytes > limit:
        raise SizeLimitError(f"{what} would need {human_bytes(n_bytes)}, more than the limit of "
                             f"{human_bytes(limit)}; make it smaller, or pass {argument} "
                             "to allow more")
