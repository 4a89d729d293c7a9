"""Losses as data: one row per loss, with its value, its gradient and its sympy form.

A loss compares the network's outputs ``Y`` (n_points, n_outputs) with targets and
returns one number, the mean over points of a per-point loss. Each row gives the
value and the gradient with respect to ``Y`` together (fitting needs both), the
per-point loss as a sympy expression (shown by :func:`dagnet.backward_equations`),
and the conversion of user targets to the array the loss reads.
``tests/core/test_losses.py`` checks every row against finite differences and against
its own sympy form.

=================  ===========================================================
name               meaning
=================  ===========================================================
``mse``            mean squared error over all points and outputs:
                   ``mean((y - t)**2)``; targets ``(n,)`` or ``(n, n_outputs)``.
``cross_entropy``  one output: binary cross-entropy. The output is read as the
                   probability of class 1 (end the network with a ``logistic``
                   activation), clipped to ``[1e-12, 1 - 1e-12]``; targets are
                   0/1 (or probabilities in [0, 1]) of shape ``(n,)``:
                   ``-mean(t log p + (1 - t) log(1 - p))``. Where the clip is
                   active the gradient is 0, exactly the derivative of the clipped
                   loss. Several outputs: softmax cross-entropy on the raw
                   outputs (logits); targets are integer classes ``0..K-1`` of
                   shape ``(n,)``, or probability rows ``(n, K)``:
                   ``mean(logsumexp(y) - sum_k t_k y_k)``.
=================  ===========================================================

Examples
--------
>>> import numpy as np
>>> mse = get_loss("mse")
>>> value, grad = mse(np.array([[1.0], [3.0]]), np.array([0.0, 1.0]))
>>> value, grad.ravel().tolist()
(2.5, [1.0, 2.0])
>>> ce = get_loss("cross_entropy")
>>> value, grad = ce(np.zeros((2, 3)), np.array([0, 2]))
>>> round(value, 6) == round(float(np.log(3)), 6)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..errors import FitError, ShapeError
from .arrays import as_real_array

__all__ = ["Loss", "get_loss", "loss_names", "PROBABILITY_CLIP"]

#: Binary cross-entropy reads the output as a probability clipped to [eps, 1 - eps].
PROBABILITY_CLIP = 1e-12


@dataclass(frozen=True, repr=False)
class Loss:
    """One loss function, as data.

    Parameters
    ----------
    name : str
        Registry key (``loss=`` in :func:`dagnet.fit`).
    value_and_gradient : callable
        ``(Y, T) -> (float, dL/dY)``: the mean loss and its gradient, same shape as ``Y``.
    targets : callable
        ``(y, n_points, n_outputs) -> T``: check and convert user targets.
    sympy : callable
        ``(outputs, targets) -> Expr``: the per-point loss of lists of symbols.
    output_range : (float, float) or None
        Bounds the output of a one-output network must lie within for this loss
        (None: any); :func:`dagnet.fit` checks it against the last activation.
    summary : str
        One line saying what the loss means.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> mse = dagnet.core.get_loss("mse")
    >>> value, dY = mse(np.array([[1.0], [3.0]]), np.array([[1.0], [1.0]]))
    >>> value, dY.ravel()          # mean of (y - t)^2 over the points, and dL/dy
    (2.0, array([0., 2.]))
    """

    name: str
    value_and_gradient: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]
    targets: Callable[[Any, int, int], np.ndarray]
    sympy: Callable[[Sequence[sp.Symbol], Sequence[sp.Symbol]], sp.Expr]
    output_range: tuple[float, float] | None = None
    summary: str = ""

    def __call__(self, Y: np.ndarray, T: Any) -> tuple[float, np.ndarray]:
        """Loss value and gradient for outputs ``Y`` and (unconverted) targets ``T``."""
        Y = np.asarray(Y, dtype=float)
        return self.value_and_gradient(Y, self.targets(T, Y.shape[0], Y.shape[1]))

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


def _as_float(y: Any, what: str) -> np.ndarray:
    arr = as_real_array(y, f"{what} must be numbers", FitError)
    if not np.isfinite(arr).all():
        raise FitError(f"{what} contain NaN or inf; remove or fill those rows")
    return arr


def _column_targets(y: Any, n: int, k: int) -> np.ndarray:
    """Targets of shape (n,) (one output) or (n, k), returned as (n, k)."""
    T = _as_float(y, "targets")
    if T.ndim == 1 and k == 1:
        T = T[:, None]
    if T.shape != (n, k):
        raise ShapeError(f"targets must have shape ({n}, {k}) (or ({n},) for one output), "
                         f"one row per point and one column per output, got {T.shape}")
    return T


# -- mse -----------------------------------------------------------------------------------
def _mse(Y: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray]:
    diff = Y - T
    value = float(np.vdot(diff, diff)) / diff.size
    diff *= 2.0 / diff.size
    return value, diff


def _mse_sympy(o: Sequence[sp.Symbol], t: Sequence[sp.Symbol]) -> sp.Expr:
    return sp.Add(*((a - b) ** 2 for a, b in zip(o, t))) / len(o)


# -- cross-entropy -------------------------------------------------------------------------
def _ce_targets(y: Any, n: int, k: int) -> np.ndarray:
    T = _as_float(y, "targets")
    if k == 1:
        T = _column_targets(T, n, 1)
        if ((T < 0) | (T > 1)).any():
            raise FitError("cross_entropy with one output needs targets 0 or 1 (or "
                           "probabilities in [0, 1]); for class labels 0..K-1 give the "
                           "network K outputs")
        return T
    if T.ndim == 2 and T.shape == (n, 1):
        T = T[:, 0]
    if T.ndim == 1:
        if T.shape != (n,):
            raise ShapeError(f"class targets must have shape ({n},), got {T.shape}")
        labels = T.astype(np.intp)
        if (labels != T).any() or (labels < 0).any() or (labels >= k).any():
            raise FitError(f"cross_entropy with {k} outputs needs integer class targets "
                           f"0..{k - 1} (or probability rows of shape ({n}, {k}))")
        onehot = np.zeros((n, k))
        onehot[np.arange(n), labels] = 1.0
        return onehot
    if T.shape != (n, k):
        raise ShapeError(f"targets must be class labels of shape ({n},) or probability rows "
                         f"of shape ({n}, {k}), got {T.shape}")
    if (T < 0).any() or not np.allclose(T.sum(axis=1), 1.0):
        raise FitError("probability-row targets must be non-negative and sum to 1 per row")
    return T


def _cross_entropy(Y: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray]:
    n, k = Y.shape
    if k == 1:
        eps = PROBABILITY_CLIP
        p = np.clip(Y, eps, 1.0 - eps)
        value = -float(np.sum(T * np.log(p) + (1.0 - T) * np.log1p(-p))) / n
        grad = (p - T) / (p * (1.0 - p) * n)
        grad[(Y < eps) | (Y > 1.0 - eps)] = 0.0
        return value, grad
    shift = Y - Y.max(axis=1, keepdims=True)
    expo = np.exp(shift)
    total = expo.sum(axis=1, keepdims=True)
    value = float(np.sum(np.log(total[:, 0])) - np.vdot(T, shift)) / n
    expo /= total
    expo -= T
    expo /= n
    return value, expo


def _ce_sympy(o: Sequence[sp.Symbol], t: Sequence[sp.Symbol]) -> sp.Expr:
    if len(o) == 1:
        return -(t[0] * sp.log(o[0]) + (1 - t[0]) * sp.log(1 - o[0]))
    return sp.log(sp.Add(*(sp.exp(a) for a in o))) - sp.Add(*(b * a for a, b in zip(o, t)))


_LOSSES: dict[str, Loss] = {row.name: row for row in (
    Loss("mse", _mse, _column_targets, _mse_sympy, None,
         "mean squared error over all points and outputs"),
    Loss("cross_entropy", _cross_entropy, _ce_targets, _ce_sympy, (0.0, 1.0),
         "binary cross-entropy of a probability output (one output); softmax "
         "cross-entropy of the raw outputs with class targets (several outputs)"),
)}


def loss_names() -> tuple[str, ...]:
    """Names of the losses, sorted.

    Returns
    -------
    tuple of str
        What ``loss=`` accepts in :func:`dagnet.fit` and :func:`dagnet.gradient`.

    Examples
    --------
    >>> loss_names()
    ('cross_entropy', 'mse')
    """
    return tuple(sorted(_LOSSES))


def get_loss(loss: str | Loss) -> Loss:
    """Look up a loss by name (a :class:`Loss` passes through).

    Parameters
    ----------
    loss : str or Loss
        A name from :func:`loss_names`, or a row, returned as is.

    Returns
    -------
    Loss

    Raises
    ------
    FitError
        If the name is unknown; the message lists the known ones.

    Examples
    --------
    >>> get_loss("cross_entropy").output_range
    (0.0, 1.0)
    >>> get_loss("hinge")
    Traceback (most recent call last):
    ...
    dagnet.errors.FitError: unknown loss 'hinge'; choose one of cross_entropy, mse, ...
    """
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss in _LOSSES:
        return _LOSSES[loss]
    raise FitError(f"unknown loss {loss!r}; choose one of {', '.join(loss_names())}, or pass a "
                   "dagnet.core.losses.Loss row")
