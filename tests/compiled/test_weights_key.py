"""A compiled network reads the graph's weight values only when one may have changed.

``net.weights_key`` counts value changes (``set_weights``, ``G.nodes[w]["value"] = ...``);
while it holds, ``f(X)`` reuses its block matrices instead of reading every value.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

import dagnet


def _forward(net: dagnet.Network, X: np.ndarray) -> np.ndarray:
    """A hand-written forward pass of a tanh MLP from the graph's weight values."""
    W = dict(zip(net.validate().weights, net.weights))
    h = X
    for L in net.layers:
        n_in, n_out = h.shape[1], len([n for n in net.graph if n.startswith(f"L{L}.v")])
        A = np.array([[W[f"L{L}.w{i}_{j}" if max(n_in, n_out) > 9 else f"L{L}.w{i}{j}"]
                       for j in range(n_out)] for i in range(n_in + 1)])
        h = np.tanh(np.hstack([np.ones((len(h), 1)), h]) @ A)
    return h


def test_values_set_through_the_graph_or_set_weights_are_used():
    net = dagnet.mlp([2, 3, 1], rng=0)
    f = net.compile()
    X = np.random.default_rng(1).normal(size=(50, 2))
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)
    net.graph.nodes["L1.w11"]["value"] = 3.0
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)
    net.set_weights(np.linspace(-1, 1, len(net.weights)))
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)


def test_unchanged_values_are_not_read_again():
    net = dagnet.mlp([2, 3, 1], rng=0)
    f = net.compile()
    X = np.ones((4, 2))
    before = f(X)
    key = net.weights_key
    dict.__setitem__(net.graph.nodes["L1.w11"], "value", 9.0)  # around the counter
    assert net.weights_key == key
    np.testing.assert_array_equal(f(X), before)  # the matrices of the last read
    net.graph.nodes["L1.w11"]["value"] = 9.0  # counted: read again
    assert net.weights_key != key
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)
    assert not np.allclose(f(X), before)


def test_copies_and_plain_graphs():
    net = dagnet.mlp([2, 3, 1], rng=0)
    twin = net.copy()
    f, g = net.compile(), twin.compile()
    X = np.ones((3, 2))
    f(X), g(X)
    twin.graph.nodes["L2.w10"]["value"] = 5.0  # its own counter
    np.testing.assert_allclose(g(X), _forward(twin, X), rtol=1e-12)
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)
    plain = dagnet.Network(nx.DiGraph(net.graph))
    assert plain.weights_key is None
    h = plain.compile()
    h(X)
    plain.graph.nodes["L2.w10"]["value"] = 5.0  # not counted: read at every call
    np.testing.assert_allclose(h(X), g(X), rtol=1e-12)


def test_the_jax_backend_reads_values_only_after_one_was_set():
    net = dagnet.mlp([2, 3, 1], rng=0)
    f = net.compile(backend="jax")
    X = np.ones((4, 2))
    before = f(X)
    np.testing.assert_allclose(before, _forward(net, X), rtol=1e-12)
    dict.__setitem__(net.graph.nodes["L1.w11"], "value", 9.0)  # around the counter
    np.testing.assert_array_equal(f(X), before)
    net.graph.nodes["L1.w11"]["value"] = 9.0
    np.testing.assert_allclose(f(X), _forward(net, X), rtol=1e-12)
    assert not np.allclose(f(X), before)
