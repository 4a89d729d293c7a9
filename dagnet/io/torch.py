"""PyTorch models in: :func:`from_torch` for ``nn.Sequential`` of ``nn.Linear`` and activations.

``nn.Linear(n_in, n_out)`` computes ``h @ weight.T + bias``: its ``weight.T`` is a layer's
``W`` and a Linear without bias gets bias weights 0. ``nn.Tanh``, ``nn.Sigmoid`` and
``nn.ReLU`` after a Linear become its activation nodes; ``nn.Identity`` is skipped; nested
``nn.Sequential`` are read in order. Anything else (convolutions, recurrent modules, dropout,
two activations in a row) is refused naming the module. Only parameters are read; the module
is never called.

Examples
--------
>>> import numpy as np, torch, dagnet
>>> _ = torch.manual_seed(0)
>>> model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
>>> net = dagnet.from_torch(model)
>>> net
Network(inputs=2, outputs=1, layers=2, weights=13)
>>> X = np.random.default_rng(0).normal(size=(5, 2))
>>> expected = model.double()(torch.from_numpy(X)).detach().numpy()
>>> bool(np.allclose(net.compile()(X), expected, rtol=0, atol=1e-12))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.extras import needs
from ..errors import ModelImportError
from .dense import Dense, dense_network, float_array

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["from_torch"]

#: torch.nn activation classes (by name) -> dagnet's registry names.
_ACTIVATIONS = {"Tanh": "tanh", "Sigmoid": "logistic", "ReLU": "relu"}


def _modules(module: Any, nn: Any, where: str) -> list[tuple[str, Any]]:
    """The leaf modules of (nested) Sequentials in order, with their paths."""
    out: list[tuple[str, Any]] = []
    for name, child in module.named_children():
        path = f"{where}.{name}" if where else name
        if isinstance(child, nn.Sequential):
            out += _modules(child, nn, path)
        else:
            out.append((path, child))
    return out


def _tensor(t: Any, torch: Any, what: str) -> np.ndarray:
    if not t.dtype.is_floating_point or t.dtype not in (torch.float32, torch.float64):
        raise ModelImportError(f"{what} has dtype {t.dtype}; dagnet imports float32 or float64 "
                               "weights only: call model.float() or model.double() first")
    return float_array(t.detach().cpu().numpy(), what)


def from_torch(module: Any) -> Network:
    """A ``torch.nn.Sequential`` of ``Linear`` layers and activations as an explicit network.

    Parameters
    ----------
    module : torch.nn.Sequential
        ``Linear`` layers, each optionally followed by ``Tanh``, ``Sigmoid`` or ``ReLU``;
        ``Identity`` anywhere (see the module docs).

    Returns
    -------
    Network
        One layer per ``Linear``; its outputs equal ``module.double()(X)``.

    Raises
    ------
    MissingExtraError
        PyTorch is not installed.
    ModelImportError
        Not a Sequential, an unsupported or misplaced module (named by its path, e.g.
        ``'2'``), shapes that do not chain, or a non-float dtype.

    Examples
    --------
    >>> import torch, dagnet
    >>> dagnet.from_torch(torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Sigmoid()))
    Network(inputs=1, outputs=1, layers=1, weights=2)
    >>> dagnet.from_torch(torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.GRU(1, 1)))
    Traceback (most recent call last):
    ...
    dagnet.errors.ModelImportError: module '1' is a GRU; from_torch reads nn.Linear...
    """
    with needs("torch", "dagnet.from_torch"):
        import torch
    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise ModelImportError(f"from_torch takes a torch.nn.Sequential, got "
                               f"{type(module).__name__}; wrap the layers in nn.Sequential(...)")
    layers: list[Dense] = []
    open_layer = False  # the last Linear has no activation yet
    for path, child in _modules(module, nn, ""):
        kind = type(child).__name__
        if isinstance(child, nn.Identity):
            continue
        if isinstance(child, nn.Linear):
            W = _tensor(child.weight, torch, f"module {path!r} (Linear) weight").T
            b = (np.zeros(W.shape[1]) if child.bias is None
                 else _tensor(child.bias, torch, f"module {path!r} (Linear) bias"))
            layers.append(Dense(W, b, None))
            open_layer = True
        elif kind in _ACTIVATIONS and type(child) is getattr(nn, kind):
            if not open_layer:
                raise ModelImportError(
                    f"module {path!r} ({kind}) does not follow a Linear layer; a network "
                    "applies one activation to each Linear's output: remove it"
                )
            layers[-1].activation = _ACTIVATIONS[kind]
            open_layer = False
        else:
            raise ModelImportError(
                f"module {path!r} is a {kind}; from_torch reads nn.Linear, nn.Tanh, "
                "nn.Sigmoid, nn.ReLU and nn.Identity only (no recurrent, convolutional or "
                "other layers)"
            )
    if not layers:
        raise ModelImportError("the Sequential has no nn.Linear layer; nothing to import")
    return dense_network(layers)
