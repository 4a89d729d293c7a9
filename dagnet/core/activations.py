"""The activation registry: one row of data per activation function.

Each row ties an activation's *name* (the ``activation`` attribute of an
activation node) to its sympy form (used by the equations), its numpy form
(used by compiled networks), the range of its output, the threshold a
classifier splits at, and the glyph drawn in diagrams. The table is data:
``tests/core/test_activations.py`` checks every row (the sympy form, lambdified,
equals the numpy form).

Examples
--------
>>> import dagnet
>>> act = dagnet.get_activation("tanh")
>>> act
Activation('tanh', range=(-1.0, 1.0), threshold=0.0)
>>> act.sympy(dagnet.core.activations.V)
tanh(v)
>>> float(act.numpy(0.5)) == float(__import__("numpy").tanh(0.5))
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import UnknownActivationError

__all__ = [
    "Activation", "get_activation", "register_activation", "unregister_activation",
    "activation_names", "V", "BUILTIN",
]

#: The symbol used to show an activation's formula, ``f(v)``.
V = sp.Symbol("v")


@dataclass(frozen=True, repr=False)
class Activation:
    """One activation function, as data.

    Parameters
    ----------
    name : str
        Registry key, stored in the ``activation`` attribute of activation nodes.
    sympy : callable
        Maps a sympy expression ``v`` to the expression ``f(v)``.
    numpy : callable
        Maps a float ndarray to ``f`` applied elementwise (same shape, float).
    range : (float, float)
        Open or closed bounds of the output; ``math.inf`` where unbounded.
    threshold : float or None
        Level a single-output classifier splits at (0 for tanh, 0.5 for logistic).
    glyph : str
        Short label drawn in the activation box of a diagram.
    latex : str
        LaTeX for the function's name, as in ``y = \\tanh(v)``.
    linear : bool
        True when ``f`` is affine (identity), so stacking it keeps a network linear.
    derivative : callable or None
        ``derivative(v, y)`` returns ``f'(v)`` elementwise, given ``v`` and ``y = f(v)``
        (either may be used; ``1 - y**2`` for tanh avoids recomputing ``tanh``). Used by
        the compiled gradient (:mod:`dagnet.compiled.backprop`); when None, the derivative is
        ``sympy.diff`` of the sympy form, lambdified once. Every row is checked against
        ``sympy.diff`` by ``tests/compiled/test_activations_derivative.py``.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> tanh = dagnet.get_activation("tanh")
    >>> tanh.range, tanh.threshold
    ((-1.0, 1.0), 0.0)
    >>> tanh.numpy(np.array([0.0, 1.0])).round(4)
    array([0.    , 0.7616])
    """

    name: str
    sympy: Callable[[sp.Expr], sp.Expr]
    numpy: Callable[[np.ndarray], np.ndarray]
    range: tuple[float, float] = (-math.inf, math.inf)
    threshold: float | None = None
    glyph: str = "f"
    latex: str = "f"
    linear: bool = False
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None

    def __repr__(self) -> str:
        return f"Activation({self.name!r}, range={self.range}, threshold={self.threshold})"


def _identity(v: np.ndarray) -> np.ndarray:
    return v


def _logistic(v: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-v)) evaluated as exp(-|v|) ratios: no overflow, full relative precision.
    e = np.exp(-np.abs(v))
    return np.where(np.greater_equal(v, 0), 1.0, e) / (1.0 + e)


def _relu(v: np.ndarray) -> np.ndarray:
    return np.maximum(v, 0.0)


# Derivatives f'(v) given v and y = f(v) (sympy.diff of each sympy form, written stably).
def _d_identity(v: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.ones_like(v)


def _d_logistic(v: np.ndarray, y: np.ndarray) -> np.ndarray:
    return y * (1.0 - y)


def _d_tanh(v: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 1.0 - y * y


def _d_relu(v: np.ndarray, y: np.ndarray) -> np.ndarray:
    # Heaviside(v); at the kink v = 0 this takes 0 (sympy's Heaviside(0) is 1/2).
    return (v > 0.0).astype(float)


#: The built-in rows (identity, logistic, tanh, relu): always registered, never removable.
BUILTIN = (
    Activation("identity", lambda v: v, _identity, (-math.inf, math.inf), 0.0,
               "id", r"\operatorname{id}", True, derivative=_d_identity),
    Activation("logistic", lambda v: 1 / (1 + sp.exp(-v)), _logistic, (0.0, 1.0), 0.5,
               "σ", r"\sigma", derivative=_d_logistic),
    Activation("tanh", sp.tanh, np.tanh, (-1.0, 1.0), 0.0, "tanh", r"\tanh",
               derivative=_d_tanh),
    Activation("relu", lambda v: sp.Max(0, v), _relu, (0.0, math.inf), None,
               "ReLU", r"\operatorname{ReLU}", derivative=_d_relu),
)

_REGISTRY: dict[str, Activation] = {a.name: a for a in BUILTIN}


def activation_names() -> tuple[str, ...]:
    """Names of all registered activations, sorted.

    Returns
    -------
    tuple of str
        The built-in ``identity``, ``logistic``, ``relu``, ``tanh`` and any registered by
        :func:`register_activation`.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.activation_names()[:4]
    ('identity', 'logistic', 'relu', 'tanh')
    """
    return tuple(sorted(_REGISTRY))


def get_activation(name: str | Activation) -> Activation:
    """Look up an activation by name (an :class:`Activation` passes through).

    Parameters
    ----------
    name : str or Activation
        A registered name (:func:`activation_names`), or a row, returned as is.

    Returns
    -------
    Activation
        The registry's row: the function as sympy and numpy, its range, threshold, glyph.

    Raises
    ------
    UnknownActivationError
        If ``name`` is not registered; the message lists the known names.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.get_activation("logistic")
    Activation('logistic', range=(0.0, 1.0), threshold=0.5)
    >>> dagnet.get_activation("sigmoid")
    Traceback (most recent call last):
    ...
    dagnet.errors.UnknownActivationError: unknown activation 'sigmoid'; known activations are ...
    """
    if isinstance(name, Activation):
        return name
    if isinstance(name, str) and name in _REGISTRY:
        return _REGISTRY[name]
    shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:57] + "..."
    raise UnknownActivationError(
        f"unknown activation {shown}; known activations are {', '.join(activation_names())}. "
        "Register a new one with dagnet.register_activation(name, sympy=..., numpy=...)."
    )


def register_activation(
    name: str,
    sympy: Callable[[sp.Expr], sp.Expr],
    numpy: Callable[[np.ndarray], np.ndarray],
    *,
    range: tuple[float, float] = (-math.inf, math.inf),  # noqa: A002 - the documented name
    threshold: float | None = None,
    glyph: str | None = None,
    latex: str | None = None,
    linear: bool = False,
    overwrite: bool = False,
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> Activation:
    """Add an activation to the registry and return its row.

    Every stage reads the row: equations (``sympy``), compiled code (``numpy``), diagrams
    (``glyph``), classifier plots (``threshold``), gradients (``derivative``).

    Parameters
    ----------
    name : str
        A Python identifier, stored in the ``activation`` attribute of activation nodes.
    sympy : callable
        ``sympy(v)`` gives the sympy expression ``f(v)``.
    numpy : callable
        ``numpy(v)`` applies ``f`` elementwise to a float array.
    range : (float, float), default (-inf, inf)
        Bounds of the output (:meth:`Network.output_range`).
    threshold : float, optional
        The level a one-output classifier splits at.
    glyph : str, optional
        The label of the activation box in diagrams; ``name`` by default.
    latex : str, optional
        LaTeX for the function's name; ``\\operatorname{name}`` by default.
    linear : bool, default False
        True when ``f`` is affine, so that networks of it stay linear.
    overwrite : bool, default False
        Replace a registered activation of the same name.
    derivative : callable, optional
        ``derivative(v, y)`` gives ``f'(v)`` from ``v`` and ``y = f(v)``; without it,
        gradients use ``sympy.diff`` of ``sympy``, lambdified once.

    Returns
    -------
    Activation
        The new row.

    Raises
    ------
    UnknownActivationError
        ``name`` is not an identifier, is taken (without ``overwrite=True``), or ``sympy``
        or ``numpy`` is not callable.

    Examples
    --------
    >>> import numpy as np, sympy as sp, dagnet
    >>> act = dagnet.register_activation(
    ...     "softplus", sympy=lambda v: sp.log(1 + sp.exp(v)),
    ...     numpy=lambda v: np.logaddexp(0.0, v), range=(0.0, float("inf")), overwrite=True)
    >>> "softplus" in dagnet.activation_names()
    True
    >>> dagnet.unregister_activation("softplus")
    >>> "softplus" in dagnet.activation_names()
    False
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise UnknownActivationError(
            f"activation name must be a Python identifier such as 'softplus', got {name!r}"
        )
    if name in _REGISTRY and not overwrite:
        raise UnknownActivationError(
            f"activation {name!r} is already registered; pass overwrite=True to replace it"
        )
    if not (callable(sympy) and callable(numpy)):
        raise UnknownActivationError(
            f"activation {name!r} needs callables: sympy=lambda v: <sympy expr>, "
            "numpy=lambda v: <ndarray>"
        )
    row = Activation(name, sympy, numpy, (float(range[0]), float(range[1])), threshold,
                     glyph or name, latex or rf"\operatorname{{{name}}}", bool(linear),
                     derivative)
    _REGISTRY[name] = row
    return row


def unregister_activation(name: str) -> None:
    """Remove a user-registered activation (the built-in rows cannot be removed).

    Parameters
    ----------
    name : str
        The name given to :func:`register_activation`.

    Raises
    ------
    UnknownActivationError
        ``name`` is built in, or not registered.

    Examples
    --------
    >>> import dagnet
    >>> dagnet.unregister_activation("tanh")
    Traceback (most recent call last):
    ...
    dagnet.errors.UnknownActivationError: 'tanh' is a built-in activation and cannot be removed
    """
    if name in {a.name for a in BUILTIN}:
        raise UnknownActivationError(f"{name!r} is a built-in activation and cannot be removed")
    get_activation(name)
    del _REGISTRY[name]
