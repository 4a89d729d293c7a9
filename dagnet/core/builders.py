"""Builders for every network in the article, node by node.

Each builder returns a :class:`~dagnet.Network` whose nodes follow the
article's explicit diagrams: per layer ``L`` a bias ``x_0 = 1``, pass-through
nodes ``x_i``, weights ``w_ij``, sums ``v_j`` and (unless ``activation`` is
None) activations ``y_j``; the ``y_j`` of layer L feed the ``x_{j+1}`` of L+1.

Examples
--------
>>> import dagnet
>>> dagnet.mlp([1, 11, 9, 1])
Network(inputs=1, outputs=1, layers=3, weights=140)
>>> dagnet.linear(1).weight_names
('w_00', 'w_10')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import NetworkError
from .activations import get_activation
from .arrays import check_size
from .graph import Network, built_network, tracked_graph
from .structure import index_pair, paused_gc

__all__ = ["linear", "logistic", "mlp"]


def _layer_activations(activation: Any, n_layers: int) -> list[str | None]:
    if activation is None or isinstance(activation, str):
        acts = [activation] * n_layers
    else:
        acts = list(activation)
        if len(acts) != n_layers:
            raise NetworkError(
                f"got {len(acts)} activations for {n_layers} layers; give one name, or one "
                f"per layer such as {['tanh'] * (n_layers - 1) + ['identity']}"
            )
    for a in acts:
        if a is not None:
            get_activation(a)
    return acts


def _layer(L: int, n_in: int, n_out: int, act: str | None, bias: bool, prev: list[str],
           nodes: list[tuple[str, dict]], edges: list[tuple[str, str]]) -> list[str]:
    """Append layer ``L``'s nodes and edges (in the order of the node API) to ``nodes`` and
    ``edges``; return the ids of its values (``y_j``, or ``v_j`` without activation).

    Each node's attributes are in the order :func:`~dagnet.core.structure.node_name` and
    the node API give them (``kind``, ``layer``, indices, ``activation``, ``name``).
    """
    first = 0 if bias else 1
    xs = [f"L{L}.x{i}" for i in range(first, n_in + 1)]
    nodes += [(x, {"kind": "bias" if i == 0 else "input", "layer": L, "index": i,
                   "name": f"x_{i}"}) for i, x in enumerate(xs, first)]
    if L > 1:
        edges += zip(prev, xs[1 - first:])
    outs = []
    for j in range(n_out):
        v = f"L{L}.v{j}"
        pairs = [index_pair(i, j) for i in range(first, n_in + 1)]
        ws = [f"L{L}.w{p.replace(',', '_')}" for p in pairs]
        nodes.append((v, {"kind": "sum", "layer": L, "index": j, "name": f"v_{j}"}))
        nodes += [(w, {"kind": "weight", "layer": L, "i": i, "j": j, "name": f"w_{p}"})
                  for i, w, p in zip(range(first, n_in + 1), ws, pairs)]
        edges += [e for x, w in zip(xs, ws) for e in ((x, w), (w, v))]
        if act is not None:
            y = f"L{L}.y{j}"
            nodes.append((y, {"kind": "activation", "layer": L, "index": j, "activation": act,
                              "name": f"y_{j}"}))
            edges.append((v, y))
            v = y
        outs.append(v)
    return outs


#: The most nodes :func:`mlp` builds unless told otherwise (about 1 kB of memory each).
MAX_NODES = 5_000_000


def mlp(sizes: Sequence[int], activation: str | None | Sequence[str | None] = "tanh", *,
        bias: bool = True, rng: Any = None, max_nodes: int = MAX_NODES) -> Network:
    """A fully connected network with layer sizes ``sizes`` (inputs first, outputs last).

    Parameters
    ----------
    sizes : sequence of int
        ``[n_inputs, hidden..., n_outputs]``, e.g. ``[1, 11, 9, 1]``.
    activation : str, None or sequence
        One activation name for every layer (the article's families), one per layer, or
        None for a layer without activation nodes (the article's linear layers).
    bias : bool
        Give every layer its bias node ``x_0 = 1`` (the article always does).
    rng : seed or numpy Generator, optional
        If given, draw the weights uniform on [-1, 1); otherwise weights are unset.
    max_nodes : int
        Refuse (before building) a network of more nodes than this; each takes about 1 kB
        (default :data:`MAX_NODES`, about 5 GB).

    Returns
    -------
    Network
        Layer ``L`` has the bias ``x_0``, pass-through nodes ``x_1 .. x_n``, weights
        ``w_ij`` into every sum ``v_j``, and activations ``y_j`` (none for a None layer);
        the ``y_j`` of layer ``L`` is the ``x_{j+1}`` of layer ``L + 1``.

    Raises
    ------
    NetworkError
        For sizes that are not at least two positive integers.
    SizeLimitError
        For a network of more than ``max_nodes`` nodes.

    Examples
    --------
    >>> net = mlp([2, 3, 1], activation=["tanh", "identity"], rng=0)
    >>> net.n_inputs, net.n_outputs, net.n_weights
    (2, 1, 13)
    >>> [n for n in net.graph if n.startswith("L2.x")]
    ['L2.x0', 'L2.x1', 'L2.x2', 'L2.x3']
    """
    sizes = list(sizes)
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1
                             for s in sizes):
        raise NetworkError(f"sizes must be at least two positive integers such as [1, 11, 9, 1], "
                           f"got {sizes!r}")
    acts = _layer_activations(activation, len(sizes) - 1)
    nodes_needed = sum((a + bias) * (1 + b) + b * (1 + (act is not None))
                       for a, b, act in zip(sizes[:-1], sizes[1:], acts))
    if nodes_needed > max_nodes:
        check_size(nodes_needed * 1000, f"mlp({sizes!r}) with {nodes_needed:,} nodes",
                   max_nodes * 1000, "max_nodes=...")
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str]] = []
    prev: list[str] = []
    with paused_gc():  # ~3 containers per node, none of them garbage
        for L, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            prev = _layer(L, n_in, n_out, acts[L - 1], bias, prev, nodes, edges)
    # Bulk insertion: the same nodes, attributes and edges, in the same order, as the
    # explicit node API, assembled in one pass.
    net = built_network(tracked_graph(nodes, ((u, v, {}) for u, v in edges)))
    if rng is not None:
        net.randomize(rng)
    return net


def linear(n_inputs: int, n_outputs: int = 1, *, rng: Any = None) -> Network:
    """The article's linear model: ``v_j = sum_i x_i w_ij`` with bias ``x_0 = 1``, no activation.

    ``y = m x + b`` renamed: the slope is ``w_10``, the intercept ``w_00``.

    Parameters
    ----------
    n_inputs : int
        The number of inputs ``x_1 .. x_n``.
    n_outputs : int, default 1
        The number of sums ``v_j``.
    rng : int or numpy.random.Generator, optional
        Draw the weights uniform on [-1, 1); otherwise they are unset.

    Returns
    -------
    Network

    Raises
    ------
    NetworkError
        A size that is not a positive integer.

    Examples
    --------
    >>> net = linear(2, rng=0)
    >>> net.is_linear(), net.weight_names
    (True, ('w_00', 'w_10', 'w_20'))
    """
    return mlp([n_inputs, n_outputs], activation=None, rng=rng)


def logistic(n_inputs: int, n_outputs: int = 1, *, rng: Any = None) -> Network:
    """Logistic regression: one layer whose output is ``y_0 = 1 / (1 + exp(-v_0))``.

    Parameters
    ----------
    n_inputs : int
        The number of inputs ``x_1 .. x_n``.
    n_outputs : int, default 1
        The number of outputs ``y_j``, each its own logistic regression.
    rng : int or numpy.random.Generator, optional
        Draw the weights uniform on [-1, 1); otherwise they are unset.

    Returns
    -------
    Network

    Raises
    ------
    NetworkError
        A size that is not a positive integer.

    Examples
    --------
    >>> logistic(1).output_range()
    (0.0, 1.0)
    """
    return mlp([n_inputs, n_outputs], activation="logistic", rng=rng)
