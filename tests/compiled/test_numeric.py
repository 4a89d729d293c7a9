"""Compiled numpy evaluation: differential tests against two independent references."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netgen import mlps, networks, reference_forward, sympy_forward

import dagnet


def hand_mlp(X, w, sizes, act):
    """A hand-written numpy forward pass of dagnet.mlp (weights in (layer, j, i) order)."""
    h, k = X, 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = w[k:k + (n_in + 1) * n_out].reshape(n_out, n_in + 1).T
        k += (n_in + 1) * n_out
        h = act(h @ W[1:] + W[0])
    return h


@settings(max_examples=150, deadline=None)
@given(networks(), st.integers(0, 2**31), st.sampled_from([1, 5, 4096]))
def test_random_dags_agree_with_the_node_by_node_reference(net, seed, chunk):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, size=(int(rng.integers(1, 40)), net.n_inputs))
    f = net.compile(chunk_rows=chunk)
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12, atol=1e-12)
    W = net.sample_weights(3, rng=rng, low=-2, high=2)
    got = f(X, weights=W)
    assert got.shape == (3, len(X), net.n_outputs)
    for k in range(3):
        np.testing.assert_allclose(got[k], reference_forward(net, X, W[k]),
                                   rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(f(X[:1]), reference_forward(net, X[:1]), rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(mlps(), st.integers(0, 2**31))
def test_mlps_agree_with_the_reference(net, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(50, net.n_inputs))
    W = net.sample_weights(4, rng=rng)
    got = net.compile(chunk_rows=16)(X, weights=W)
    for k in range(4):
        np.testing.assert_allclose(got[k], reference_forward(net, X, W[k]),
                                   rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(networks(max_layers=3, max_width=3), st.integers(0, 2**31))
def test_random_dags_agree_with_sympy_evalf(net, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=net.n_inputs)
    np.testing.assert_allclose(net.compile()(x[None])[0], sympy_forward(net, x),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sizes, act, name", [
    ([1, 100, 1], np.tanh, "tanh"), ([1, 11, 9, 1], np.tanh, "tanh"),
    ([2, 16, 16, 3], lambda v: np.maximum(v, 0), "relu"), ([3, 4], lambda v: v, "identity"),
])
def test_mlp_matches_a_hand_written_forward_pass(sizes, act, name):
    net = dagnet.mlp(sizes, name, rng=1)
    X = np.random.default_rng(2).uniform(-6, 6, size=(10_000, sizes[0]))
    f = net.compile()
    np.testing.assert_allclose(f(X), hand_mlp(X, net.weights, sizes, act), rtol=1e-12, atol=1e-12)
    W = net.sample_weights(6, rng=3)
    got = f(X[:500], weights=W)
    for k in range(6):
        np.testing.assert_allclose(got[k], hand_mlp(X[:500], W[k], sizes, act),
                                   rtol=1e-12, atol=1e-12)


def test_source_is_per_block_and_inspectable():
    f = dagnet.mlp([2, 16, 16, 1], rng=0).compile()
    assert f.source.count(" @ W") == 3 and "def _forward(X" in f.source
    assert "tanh" in f.source and f.n_blocks == 3
    wide_fan_in_1 = dagnet.mlp([1, 100, 1], rng=0).compile()
    assert "V1 = X * W1 + B1" in wide_fan_in_1.source  # fan-in 1: broadcasting, no matmul
    assert repr(f) == "CompiledNetwork(inputs=2, outputs=1, weights=337, blocks=3)"
    compile(f.source, "<test>", "exec")


def test_reads_current_weights_and_detects_structure_changes():
    net = dagnet.linear(1, rng=0)
    f = net.compile()
    net.set_weights([1.0, 2.0])
    np.testing.assert_allclose(f(np.array([[3.0]])), [[7.0]])
    net.add_activation("L1.v0", "tanh")
    with pytest.raises(dagnet.StaleCompileError, match=r"call net.compile\(\) again"):
        f(np.array([[3.0]]))
    with pytest.raises(dagnet.MissingWeightError, match="have no value"):
        dagnet.mlp([1, 1]).compile()(np.zeros((1, 1)))


@pytest.mark.parametrize("X, match", [
    (np.zeros(5), r"X must have shape \(n_points, 2\), one column per input, got \(5,\) "
                  r"\(for 1-D x use x\[:, None\]\)"),
    (np.zeros((5, 3)), r"got \(5, 3\)"),
    (np.zeros((2, 5, 2)), r"got \(2, 5, 2\)"),
    ([["a", "b"]], "X must be a float array"),
])
def test_input_shape_errors(X, match):
    with pytest.raises(dagnet.ShapeError, match=match):
        dagnet.linear(2, rng=0).compile()(X)


@pytest.mark.parametrize("W, error, match", [
    (np.zeros(4), dagnet.ShapeError, r"weights must have shape \(3,\) or \(K, 3\)"),
    (np.zeros((2, 2, 3)), dagnet.ShapeError, r"got \(2, 2, 3\)"),
    (np.array([0.0, np.inf, 1.0]), dagnet.WeightError, "NaN or inf"),
    ("abc", dagnet.WeightError, "weights must be a float array"),
])
def test_weight_shape_errors(W, error, match):
    with pytest.raises(error, match=match):
        dagnet.linear(2).compile()(np.zeros((1, 2)), weights=W)


def test_nan_and_inf_inputs_propagate_as_numpy_does():
    net = dagnet.mlp([1, 3, 1], "tanh", rng=0)
    X = np.array([[np.nan], [np.inf], [-np.inf], [1e300]])
    got = net.compile()(X)
    np.testing.assert_array_equal(np.isnan(got[:, 0]), [True, False, False, False])
    np.testing.assert_allclose(got[1:], reference_forward(net, X[1:]), rtol=1e-12)
