"""The shared ground of the model importers: dense layers to a network, and optional imports.

Every importer (:mod:`.sklearn`, :mod:`.torch`, :mod:`.onnx`) reads its model into a list of
:class:`Dense` layers, ``h = f(h @ W + b)``, and :func:`dense_network` builds the article's
explicit network from them with :func:`dagnet.mlp` (a bias node in every layer; a layer
without a bias gets bias weights 0). Identity activations become layers without activation
nodes, as the article draws linear layers.

Examples
--------
>>> import numpy as np
>>> net = dense_network([Dense(np.array([[2.0], [3.0]]), np.array([0.5]), "tanh")])
>>> net.weight_names, net.weights.tolist()
(('w_00', 'w_10', 'w_20'), [0.5, 2.0, 3.0])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.builders import mlp
from ..errors import ModelImportError

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["Dense", "dense_network", "float_array"]


@dataclass
class Dense:
    """One dense layer ``h = f(h @ W + b)``: ``W`` (n_in, n_out), ``b`` (n_out,), ``f`` a
    registry name or None (identity)."""

    W: np.ndarray
    b: np.ndarray
    activation: str | None


def float_array(value: Any, what: str) -> np.ndarray:
    """``value`` as float64 (float32 widened exactly); any other dtype is refused."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged or odd objects
        raise ModelImportError(f"{what} is not an array of numbers ({exc})") from None
    if arr.dtype not in (np.float32, np.float64):
        raise ModelImportError(f"{what} has dtype {arr.dtype}; dagnet imports float32 or float64 "
                               "weights only: convert the model to floating point first")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ModelImportError(f"{what} holds NaN or inf; a network's weights must be finite")
    return arr


def dense_network(layers: list[Dense]) -> Network:
    """The explicit network of dense layers, with their weights set.

    Parameters
    ----------
    layers : list of Dense
        From the input on; each ``W`` has as many rows as the previous layer's columns.

    Returns
    -------
    Network
        ``dagnet.mlp`` of the layer sizes and activations, weights in its order.

    Raises
    ------
    ModelImportError
        No layers, or shapes that do not chain.
    """
    if not layers:
        raise ModelImportError("the model has no dense layer; nothing to import")
    sizes = [layers[0].W.shape[0]]
    for k, layer in enumerate(layers, start=1):
        W, b = layer.W, layer.b
        if W.ndim != 2 or W.shape[0] != sizes[-1] or b.shape != (W.shape[1],) or 0 in W.shape:
            raise ModelImportError(
                f"layer {k} has weights of shape {W.shape} and bias of shape {b.shape} after a "
                f"layer of {sizes[-1]} values; they must be ({sizes[-1]}, n) and (n,)"
            )
        sizes.append(W.shape[1])
    net = mlp(sizes, activation=[layer.activation for layer in layers])
    # mlp's weight order: layer, then j, then i (i = 0 the bias): per layer [b; W] by column.
    net.set_weights(np.concatenate([np.vstack([layer.b, layer.W]).T.ravel()
                                    for layer in layers]))
    return net
