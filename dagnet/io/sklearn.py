"""scikit-learn models in: :func:`from_sklearn` for ``MLPRegressor`` and ``MLPClassifier``.

The network computes what the model computes before its last step: ``predict`` of a regressor
exactly; for a classifier with one output (two classes, or logistic multi-label outputs) the
probability ``predict_proba(X)[:, 1]`` (multi-label: ``predict_proba(X)``); for a multi-class
classifier (``out_activation_ == "softmax"``) the logits, one output per class in
``model.classes_`` order: ``softmax`` of the outputs is ``predict_proba`` and their argmax
picks ``predict`` (dagnet's ``cross_entropy`` loss reads several outputs the same way).

Examples
--------
>>> import numpy as np, dagnet
>>> from sklearn.neural_network import MLPRegressor
>>> X = np.linspace(-1, 1, 20)[:, None]
>>> model = MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0).fit(X, X[:, 0])
>>> net = dagnet.from_sklearn(model)
>>> net
Network(inputs=1, outputs=1, layers=2, weights=10)
>>> bool(np.allclose(net.compile()(X)[:, 0], model.predict(X), rtol=0, atol=1e-12))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.extras import needs
from ..errors import ModelImportError
from .dense import Dense, dense_network, float_array

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["from_sklearn"]

#: scikit-learn's activation names -> dagnet's registry names (None: no activation node).
_ACTIVATIONS = {"identity": None, "logistic": "logistic", "tanh": "tanh", "relu": "relu",
                "softmax": None}


def from_sklearn(model: Any) -> Network:
    """A fitted ``MLPRegressor`` or ``MLPClassifier`` as an explicit network.

    Parameters
    ----------
    model : sklearn.neural_network.MLPRegressor or MLPClassifier
        Fitted (``coefs_``, ``intercepts_``, ``activation``, ``out_activation_``).

    Returns
    -------
    Network
        One layer per weight matrix; hidden layers use ``model.activation``, the last one
        ``out_activation_`` (softmax: no activation, see the module docs).

    Raises
    ------
    MissingExtraError
        scikit-learn is not installed.
    ModelImportError
        Not one of the two models, not fitted, or weights of an unsupported dtype or shape.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> from sklearn.neural_network import MLPClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> model = MLPClassifier(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    >>> model = model.fit(X, [0, 1, 1, 0])
    >>> net = dagnet.from_sklearn(model)
    >>> net, net.graph.nodes["L2.y0"]["activation"]
    (Network(inputs=2, outputs=1, layers=2, weights=13), 'logistic')
    >>> p = net.compile()(X)[:, 0]
    >>> bool(np.allclose(p, model.predict_proba(X)[:, 1], rtol=0, atol=1e-12))
    True
    >>> dagnet.from_sklearn("not a model")
    Traceback (most recent call last):
    ...
    dagnet.errors.ModelImportError: from_sklearn takes a fitted MLPRegressor or MLPClassifier, ...
    """
    with needs("sklearn", "dagnet.from_sklearn"):
        import sklearn.neural_network as nn
    if not isinstance(model, (nn.MLPRegressor, nn.MLPClassifier)):
        raise ModelImportError(
            f"from_sklearn takes a fitted MLPRegressor or MLPClassifier, got "
            f"{type(model).__name__}; other estimators are not neural networks of dense layers"
        )
    if not hasattr(model, "coefs_"):
        raise ModelImportError(f"the {type(model).__name__} is not fitted (no coefs_); call "
                               "model.fit(X, y) first")
    hidden, out = model.activation, getattr(model, "out_activation_", None)
    for role, name in (("activation", hidden), ("out_activation_", out)):
        if name not in _ACTIVATIONS:
            raise ModelImportError(f"the model's {role} {name!r} has no dagnet counterpart; "
                                   f"supported: {', '.join(_ACTIVATIONS)}")
    coefs, intercepts = list(model.coefs_), list(model.intercepts_)
    if len(coefs) != len(intercepts):
        raise ModelImportError(f"the model has {len(coefs)} weight matrices but "
                               f"{len(intercepts)} intercept vectors; refit it")
    layers = [Dense(float_array(W, f"coefs_[{k}]"), float_array(b, f"intercepts_[{k}]"),
                    _ACTIVATIONS[hidden] if k < len(coefs) - 1 else _ACTIVATIONS[out])
              for k, (W, b) in enumerate(zip(coefs, intercepts))]
    return dense_network(layers)
