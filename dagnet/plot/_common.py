"""Shared helpers of the plot modules: weights, value ranges, decisions.

Only reads the network (its structure, weights and activation rows).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core.activations import get_activation
from ..core.arrays import as_real_array
from ..core.graph import Network
from ..errors import PlotError

#: The article's input window for every plot.
XLIM = (-6.0, 6.0)
#: Letters naming the categories of a classifier (A for output 0 or "above the threshold").
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def require_inputs(net: Network, n: int, what: str) -> None:
    """Raise :class:`PlotError` unless ``net`` has ``n`` inputs."""
    if not isinstance(net, Network):
        raise PlotError(f"{what} needs a dagnet.Network, got {type(net).__name__}")
    if net.n_inputs != n:
        other = {1: "family()/regions() for 1 input", 2: "surface()/regions() for 2 inputs"}
        hint = other.get(net.n_inputs, "a network with 1 or 2 inputs")
        raise PlotError(f"{what} shows networks with {n} input{'s' * (n > 1)}, this one has "
                        f"{net.n_inputs}; use {hint}")


def check_lim(lim: Any, what: str = "xlim") -> tuple[float, float]:
    """Validate a (low, high) window."""
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError) as exc:
        raise PlotError(f"{what} must be two numbers (low, high) such as (-6, 6), "
                        f"got {lim!r}") from exc
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise PlotError(f"{what} must be finite with low < high, such as (-6, 6); got {lim!r}")
    return lo, hi


def check_count(n: Any, what: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise PlotError(f"{what} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def weight_stack(net: Network, n: int | None, rng: Any, weights: Any) -> np.ndarray:
    """(K, n_weights) draws: ``weights`` as given, else ``n`` uniform draws on [-1, 1)."""
    if weights is None:
        return net.sample_weights(check_count(n, "n"), rng=rng)
    w = as_real_array(weights, "weights must be a float array", PlotError)
    if w.ndim == 1:
        w = w[None, :]
    if w.ndim != 2 or w.shape[1] != net.n_weights:
        raise PlotError(f"weights must have shape ({net.n_weights},) or (K, {net.n_weights}) "
                        f"in net.weight_names order, got {w.shape}")
    return w


def one_weights(net: Network, weights: Any) -> np.ndarray:
    """One weight vector: ``weights`` as given, else the network's own values."""
    if weights is None:
        return net.weights  # MissingWeightError says how to set them
    w = as_real_array(weights, "weights must be a float array", PlotError)
    if w.ndim == 2 and w.shape[0] == 1:
        w = w[0]
    if w.shape != (net.n_weights,):
        raise PlotError(f"weights must have shape ({net.n_weights},) (one draw, in "
                        f"net.weight_names order), got {w.shape}; for several draws use "
                        "family() or animate()")
    return w


def output_activation(net: Network, k: int):
    """The :class:`~dagnet.Activation` producing output ``k`` (identity for a bare sum)."""
    G = net.graph
    node = net.outputs[k]
    while G.nodes[node]["kind"] in ("output", "input"):
        node = next(iter(G.predecessors(node)))
    if G.nodes[node]["kind"] == "activation":
        return get_activation(G.nodes[node]["activation"])
    return get_activation("identity")


def decision_threshold(net: Network, threshold: float | None = None) -> float:
    """The level a single-output classifier splits at (its activation's, or ``threshold``).

    >>> import dagnet
    >>> decision_threshold(dagnet.logistic(1)), decision_threshold(dagnet.mlp([1, 2, 1]))
    (0.5, 0.0)
    """
    if threshold is not None:
        t = float(threshold)
        if not math.isfinite(t):
            raise PlotError(f"threshold must be a finite number, got {threshold!r}")
        return t
    act = output_activation(net, 0)
    if act.threshold is None:
        raise PlotError(f"activation {act.name!r} has no default classifier threshold; "
                        "pass threshold=... (e.g. threshold=0.5)")
    return float(act.threshold)


def classes_of(Y: np.ndarray, threshold: float | None) -> np.ndarray:
    """Category index of outputs ``Y`` (..., n_out): 0 = A, 1 = B, ...

    One output: A where ``y > threshold``, else B. Several: the argmax (first on ties).
    """
    if Y.shape[-1] == 1:
        return np.where(Y[..., 0] > threshold, 0, 1)
    return np.argmax(Y, axis=-1)


def margins(Y: np.ndarray, threshold: float | None) -> np.ndarray:
    """Per category k, how far it leads: (n_classes, ...); category k wins where > 0.

    One output: ``(y - t, t - y)``. Several: ``y_k - max_{j != k} y_j``. Each margin is
    zero exactly on the decision boundary, so contouring it at 0 draws the boundary.
    """
    if Y.shape[-1] == 1:
        d = Y[..., 0] - threshold
        return np.stack([d, -d])
    n = Y.shape[-1]
    out = np.empty((n,) + Y.shape[:-1])
    for k in range(n):
        others = np.delete(Y, k, axis=-1).max(axis=-1)
        out[k] = Y[..., k] - others
    return out


def value_limits(net: Network, data: np.ndarray, pad: float = 0.1,
                 outputs: Any = None) -> tuple[float, float]:
    """Axis limits that fit the outputs' range: bounded ends from the activation, else data.

    tanh gives (-1.2, 1.2) as in the article; a linear network's ends come from ``data``.
    """
    ks = range(net.n_outputs) if outputs is None else outputs
    los, his = zip(*(net.output_range(k) for k in ks))
    lo, hi = min(los), max(his)
    finite = data[np.isfinite(data)]
    if not math.isfinite(lo):
        lo = float(finite.min()) if finite.size else -1.0
    if not math.isfinite(hi):
        hi = float(finite.max()) if finite.size else 1.0
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    return (lo - pad * span, hi + pad * span)


def value_range(net: Network, data: np.ndarray) -> tuple[float, float]:
    """The outputs' range (activation bounds where finite, else the data's extent)."""
    lo, hi = value_limits(net, data, pad=0.0)
    return lo, hi


def class_labels(n: int, labels: Any = None, prefix: str = "Category ") -> list[str]:
    """``["Category A", "Category B", ...]``, or the caller's ``labels``."""
    if labels is None:
        if n > len(LETTERS):
            raise PlotError(f"{n} categories but only {len(LETTERS)} letters; pass labels=[...]")
        return [prefix + LETTERS[k] for k in range(n)]
    labels = [str(v) for v in labels]
    if len(labels) < n:
        raise PlotError(f"labels has {len(labels)} entries for {n} categories; give one each")
    return labels[:n]


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, (int, float, str, bool, type(None))):
        return repr(value)
    if isinstance(value, (tuple, list)):
        atoms = (int, float, str)
        simple = all(isinstance(v, atoms) or (isinstance(v, tuple) and
                                              all(isinstance(a, atoms) for a in v))
                     for v in value)
        return repr(value) if simple and len(value) <= 4 else f"<{len(value)} items>"
    return f"<{type(value).__name__}>"


class ShortRepr:
    """A repr for result objects that names arrays by shape and artists by type."""

    def __repr__(self) -> str:
        import dataclasses
        fields = ", ".join(f"{f.name}={_short(getattr(self, f.name))}"
                           for f in dataclasses.fields(self))
        return f"{type(self).__name__}({fields})"


class AxesResult(ShortRepr):
    """A result drawn on one ``ax``: its ``figure`` is that axes' figure."""

    @property
    def figure(self) -> Any:
        """The figure of :attr:`ax`: save it, or close it when done.

        Examples
        --------
        >>> import matplotlib.pyplot as plt, dagnet, dagnet.plot as P
        >>> fam = P.family(dagnet.mlp([1, 3, 1]), n=2, rng=0)
        >>> fam.figure is fam.ax.figure
        True
        >>> plt.close(fam.figure)
        """
        return self.ax.figure
