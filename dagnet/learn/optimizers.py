"""Optimizers: how a weight vector moves given its gradient, one step at a time.

An optimizer is a small object with ``step(w, g)``, which updates the float array
``w`` in place from the gradient ``g`` of the loss (same shape), keeping whatever
running state it needs. :func:`make_optimizer` builds one from a name.

=========  ======================================================================
name       update
=========  ======================================================================
``sgd``    ``m = momentum * m + g``; ``w -= lr * m`` (plain gradient descent when
           ``momentum = 0``, the default); default ``lr = 0.1``
``adam``   Adam (Kingma and Ba, 2015): running means of ``g`` and ``g**2`` with
           bias correction; ``w -= lr * m_hat / (sqrt(v_hat) + eps)``;
           default ``lr = 0.01``
=========  ======================================================================

Examples
--------
>>> import numpy as np
>>> w = np.array([1.0, -2.0])
>>> opt = make_optimizer("sgd", lr=0.5)
>>> opt.step(w, np.array([2.0, -2.0]))
>>> w.tolist()
[0.0, -1.0]
>>> opt = make_optimizer("adam", lr=0.1)
>>> opt.step(w, np.array([3.0, -0.001]))  # Adam's first step moves each weight by ~lr
>>> np.round(w, 6).tolist()
[-0.1, -0.9]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import FitError

__all__ = ["SGD", "Adam", "make_optimizer", "optimizer_names"]


class SGD:
    """Stochastic gradient descent with optional momentum."""

    name = "sgd"
    default_lr = 0.1

    def __init__(self, lr: float | None = None, momentum: float = 0.0):
        self.lr = _positive(self.default_lr if lr is None else lr, "lr")
        if not 0.0 <= momentum < 1.0:
            raise FitError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self._m: np.ndarray | None = None

    def step(self, w: np.ndarray, g: np.ndarray) -> None:
        """Move ``w`` (in place) against the gradient ``g``."""
        if self.momentum:
            if self._m is None:
                self._m = np.zeros_like(w)
            self._m *= self.momentum
            self._m += g
            g = self._m
        w -= self.lr * g

    def __repr__(self) -> str:
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam:
    """Adam: per-weight steps scaled by running estimates of the gradient's moments."""

    name = "adam"
    default_lr = 0.01

    def __init__(self, lr: float | None = None, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        self.lr = _positive(self.default_lr if lr is None else lr, "lr")
        for value, what in ((beta1, "beta1"), (beta2, "beta2")):
            if not 0.0 <= value < 1.0:
                raise FitError(f"{what} must be in [0, 1), got {value!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), _positive(eps, "eps")
        self.t = 0
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None

    def step(self, w: np.ndarray, g: np.ndarray) -> None:
        """Move ``w`` (in place) by one Adam step for the gradient ``g``."""
        if self._m is None:
            self._m, self._v = np.zeros_like(w), np.zeros_like(w)
        m, v = self._m, self._v
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * (g * g)
        # lr * m_hat / (sqrt(v_hat) + eps), with the bias corrections folded into scalars.
        c2 = math.sqrt(1.0 - b2 ** self.t)
        step = self.lr * c2 / (1.0 - b1 ** self.t)
        denom = np.sqrt(v)
        denom += self.eps * c2
        w -= step * (m / denom)

    def __repr__(self) -> str:
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


_OPTIMIZERS: dict[str, type] = {"adam": Adam, "sgd": SGD}


def optimizer_names() -> tuple[str, ...]:
    """Names accepted by :func:`make_optimizer`, sorted.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> optimizer_names()
    ('adam', 'sgd')
    """
    return tuple(sorted(_OPTIMIZERS))


def make_optimizer(optimizer: Any = "adam", lr: float | None = None) -> Any:
    """An optimizer from a name (with ``lr``, None = its default) or an optimizer object.

    An object passes through unchanged (it needs a ``step(w, g)`` method); giving
    ``lr`` with an object is an error, since the object already has its own.

    Parameters
    ----------
    optimizer : {"adam", "sgd"} or object, default "adam"
        A name from :func:`optimizer_names`, or an object whose ``step(w, g)`` updates the
        weight vector ``w`` in place from the gradient ``g``.
    lr : float, optional
        The learning rate of a named optimizer (default 0.01 for adam, 0.1 for sgd).

    Returns
    -------
    object
        An optimizer with a ``step(w, g)`` method.

    Raises
    ------
    FitError
        An unknown name, an object without ``step``, ``lr`` given with an object, or an
        ``lr`` that is not a positive number.

    Examples
    --------
    One step of plain gradient descent, ``w <- w - lr g``:

    >>> import numpy as np
    >>> w = np.array([1.0, 2.0])
    >>> make_optimizer("sgd", lr=0.5).step(w, np.array([1.0, -1.0]))
    >>> w
    array([0.5, 2.5])
    """
    if isinstance(optimizer, str):
        if optimizer not in _OPTIMIZERS:
            raise FitError(f"unknown optimizer {optimizer!r}; choose one of "
                           f"{', '.join(optimizer_names())}, or pass an object with step(w, g)")
        return _OPTIMIZERS[optimizer](lr=lr)
    if not callable(getattr(optimizer, "step", None)):
        raise FitError(f"optimizer must be a name ({', '.join(optimizer_names())}) or an object "
                       f"with a step(w, g) method, got {optimizer!r}")
    if lr is not None:
        raise FitError("lr= was given with an optimizer object; set the rate on the object "
                       "instead, e.g. dagnet.learn.optimizers.Adam(lr=0.003)")
    return optimizer


def _positive(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise FitError(f"{what} must be a positive number, got {value!r}") from exc
    if not (math.isfinite(out) and out > 0):
        raise FitError(f"{what} must be a positive finite number, got {value!r}")
    return out
