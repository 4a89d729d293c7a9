"""Input normalization folded into the weights: the exact change of coordinates.

A network trained on normalized inputs ``z_i = (x_i - m_i) / s_i`` computes,
with weights ``wz``, exactly what it computes on the raw inputs ``x`` with the
weights ``to_raw(wz)``: every weight that reads input ``i`` is divided by
``s_i``, and the bias weight of the sum it feeds absorbs ``-m_i w_ij / s_i``.
:func:`dagnet.fit` optimizes in the normalized coordinates and stores the raw
ones, so the network always computes the true function of its raw inputs; it
records what it folded in on the input nodes (``input_mean``, ``input_scale``).

An input is fully normalized when every read of it (directly or through hidden
pass-through nodes) is a weight into a sum that has a bias weight; it is only
rescaled when some such sum has no bias, and left as it is when it is read
without a weight (by an activation, a sum directly, or an output).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.graph import as_network

if TYPE_CHECKING:
    from ..core.graph import Network

__all__ = ["InputScaling", "is_fitted", "INPUT_MEAN", "INPUT_SCALE"]

#: Node attributes a fit leaves on every network input: the normalization folded in.
INPUT_MEAN, INPUT_SCALE = "input_mean", "input_scale"


class InputScaling:
    """Per-input mean and scale, and the exact change of weights that folds them in.

    Training on ``Z = (X - mean) / scale`` with weights ``wz`` computes the same
    function as the raw inputs ``X`` with ``to_raw(wz)``; ``to_z`` is its inverse.

    Parameters
    ----------
    net : Network
        The network whose weights absorb the scaling: an input can be centered only
        where each weight it feeds goes into a sum with a bias, scaled only where it
        feeds weights (not an output directly).
    X : numpy.ndarray
        The raw inputs, ``(n_points, n_inputs)``: their mean and spread per column.

    Examples
    --------
    >>> import numpy as np, dagnet
    >>> net = dagnet.mlp([2, 3, 1], rng=0)
    >>> X = np.random.default_rng(1).normal(5.0, 3.0, size=(50, 2))
    >>> sc = InputScaling(net, X)
    >>> f = net.compile()
    >>> wz = sc.to_z(net.weights)
    >>> bool(np.allclose(f(sc.transform(X), weights=wz), f(X)))
    True
    >>> bool(np.allclose(sc.to_raw(wz), net.weights))
    True
    """

    def __init__(self, net: Network, X: np.ndarray):
        s = net.validate()
        G = net.graph
        widx = {n: k for k, n in enumerate(s.weights)}
        center = np.ones(len(s.inputs), dtype=bool)
        scale = np.ones(len(s.inputs), dtype=bool)
        reads: list[tuple[int, int, int]] = []  # (input column, weight index, bias index or -1)
        outputs = set(s.outputs)
        for col, x in enumerate(s.inputs):
            stack = [x]
            while stack:
                n = stack.pop()
                if n in outputs:  # the input itself is an output: no weight can absorb a scaling
                    center[col] = scale[col] = False
                for t in G.successors(n):
                    kind = G.nodes[t]["kind"]
                    if kind == "input":  # a hidden pass-through of the same value
                        stack.append(t)
                    elif kind == "weight":
                        b = self._bias_weight(G, next(iter(G.successors(t))), widx)
                        reads.append((col, widx[t], b))
                        center[col] &= b >= 0
                    else:  # read without a weight: nothing can absorb a change of units
                        center[col] = scale[col] = False
        std = X.std(axis=0)
        std[~(std > 0)] = 1.0
        self.mean = np.where(center & scale, X.mean(axis=0), 0.0)
        self.scale = np.where(scale, std, 1.0)
        table = np.array(reads, dtype=np.intp).reshape(-1, 3)
        table = table[scale[table[:, 0]]]  # inputs that are not rescaled keep their weights
        self._cols, self._wi, self._bi = table.T

    @staticmethod
    def _bias_weight(G: Any, v: Any, widx: dict) -> int:
        """Index of the first bias weight into sum ``v`` (-1 if it has none)."""
        found = []
        for p in G.predecessors(v):
            if G.nodes[p]["kind"] != "weight":
                continue
            src = next(iter(G.predecessors(p)))
            while G.nodes[src]["kind"] == "input" and G.in_degree(src):
                src = next(iter(G.predecessors(src)))
            if G.nodes[src]["kind"] == "bias":
                found.append(widx[p])
        return min(found) if found else -1

    def transform(self, X: np.ndarray) -> np.ndarray:
        """``(X - mean) / scale``: the inputs the network trains on.

        Parameters
        ----------
        X : numpy.ndarray
            Raw inputs, ``(n_points, n_inputs)``.

        Returns
        -------
        numpy.ndarray
            The normalized inputs, same shape.

        Examples
        --------
        >>> import numpy as np, dagnet
        >>> X = np.array([[1.0], [3.0]])
        >>> InputScaling(dagnet.linear(1), X).transform(X).ravel()
        array([-1.,  1.])
        """
        return (X - self.mean) / self.scale

    def to_z(self, w: np.ndarray) -> np.ndarray:
        """Raw-input weights to normalized-input weights computing the same function.

        Parameters
        ----------
        w : numpy.ndarray
            Weights for the raw inputs, ``(n_weights,)``.

        Returns
        -------
        numpy.ndarray
            Weights for ``transform(X)``, ``(n_weights,)``.

        Examples
        --------
        ``y = w_00 + w_10 x`` with ``x = 2 + z``: ``y = (w_00 + 2 w_10) + w_10 z``.

        >>> import numpy as np, dagnet
        >>> sc = InputScaling(dagnet.linear(1), np.array([[1.0], [3.0]]))  # mean 2, scale 1
        >>> sc.to_z(np.array([0.5, 3.0]))
        array([6.5, 3. ])
        """
        w = np.asarray(w, dtype=float)
        wz = w.copy()
        s, m = self.scale[self._cols], self.mean[self._cols]
        wz[self._wi] = w[self._wi] * s
        has = self._bi >= 0
        np.add.at(wz, self._bi[has], (m * w[self._wi])[has])
        return wz

    def to_raw(self, wz: np.ndarray) -> np.ndarray:
        """Normalized-input weights to raw-input weights computing the same function.

        Parameters
        ----------
        wz : numpy.ndarray
            Weights for ``transform(X)``, ``(n_weights,)``.

        Returns
        -------
        numpy.ndarray
            Weights for the raw inputs, ``(n_weights,)``: the inverse of :meth:`to_z`.

        Examples
        --------
        >>> import numpy as np, dagnet
        >>> sc = InputScaling(dagnet.linear(1), np.array([[1.0], [3.0]]))
        >>> sc.to_raw(np.array([6.5, 3.0]))
        array([0.5, 3. ])
        """
        wz = np.asarray(wz, dtype=float)
        w = wz.copy()
        s, m = self.scale[self._cols], self.mean[self._cols]
        w[self._wi] = wz[self._wi] / s
        has = self._bi >= 0
        np.add.at(w, self._bi[has], -(m * wz[self._wi] / s)[has])
        return w


def is_fitted(net: Network) -> bool:
    """True when every network input carries the ``input_mean`` and ``input_scale`` a fit leaves.

    >>> import numpy as np, dagnet
    >>> net = dagnet.linear(1, rng=0)
    >>> is_fitted(net)
    False
    >>> _ = dagnet.fit(net, np.zeros((2, 1)), np.zeros(2), steps=1, progress=False)
    >>> is_fitted(net), net.graph.nodes["L1.x1"]["input_scale"]
    (True, 1.0)
    """
    net = as_network(net)
    nodes = net.graph.nodes
    return all(INPUT_MEAN in nodes[x] and INPUT_SCALE in nodes[x] for x in net.inputs)
