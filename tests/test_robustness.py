"""Numerical robustness: extreme inputs, NaN/inf propagation, non-finite weights refused."""

from __future__ import annotations

import json
import warnings

import mpmath
import netgen
import numpy as np
import pytest
from netgen import BUILTIN, random_dag, reference_forward

import dagnet
from dagnet import io

EXTREMES = np.array([-np.inf, -1.7e308, -1e300, -1e6, -1e3, -745.5, -40.0, -1.0, -1e-300, -0.0,
                     0.0, 5e-324, 1.0, 40.0, 745.5, 1e3, 1e6, 1e300, 1.7e308, np.inf])


@pytest.fixture
def strict():
    """Any numpy overflow, invalid operation or division by zero, and any warning, fails."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


def _logistic_exact(v: float) -> float:
    with mpmath.workdps(60):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(v))))


def test_logistic_has_no_overflow_and_full_precision_up_to_1e6(strict):
    v = np.concatenate([-np.logspace(6, -3, 4000), [0.0], np.logspace(-3, 6, 4000)])
    got = dagnet.get_activation("logistic").numpy(v)
    expected = np.array([_logistic_exact(x) for x in v])
    np.testing.assert_allclose(got, expected, rtol=4e-16, atol=1e-320)
    assert np.all(np.diff(got) >= 0) and got[0] == 0.0 and got[-1] == 1.0
    # symmetric: f(v) + f(-v) = 1
    np.testing.assert_allclose(got + got[::-1], 1.0, rtol=0, atol=8e-16)


@pytest.mark.parametrize("name", BUILTIN)
def test_every_builtin_activation_at_extreme_inputs(name, strict):
    f = dagnet.get_activation(name).numpy
    out = f(EXTREMES.copy())
    with np.errstate(all="ignore"):
        expected = {
            "identity": EXTREMES,
            "relu": np.where(EXTREMES > 0, EXTREMES, 0.0),
            "tanh": np.tanh(EXTREMES),
            "logistic": np.array([_logistic_exact(x) if np.isfinite(x) else float(x > 0)
                                  for x in EXTREMES]),
        }[name]
    np.testing.assert_allclose(out, expected, rtol=4e-16, atol=0)
    lo, hi = dagnet.get_activation(name).range
    assert np.all((out >= lo) & (out <= hi))
    if name == "tanh":
        assert out[0] == -1.0 and out[-1] == 1.0 and out[2] == -1.0 and out[-3] == 1.0


@pytest.mark.parametrize("name", BUILTIN)
def test_compiled_network_at_extreme_inputs_warns_about_nothing(name, strict):
    net = dagnet.mlp([1, 1], name)
    net.set_weights([0.0, 1.0])  # v = x exactly, so the activation sees the extremes
    X = EXTREMES[np.isfinite(EXTREMES)][:, None]
    got = net.compile()(X)[:, 0]
    # the fused kernels' tanh (numba) is within 1e-14 of numpy's, not bit for bit
    np.testing.assert_allclose(got, dagnet.get_activation(name).numpy(X[:, 0].copy()),
                               rtol=1e-14, atol=0)
    W = np.array([[0.0, 1.0], [0.5, 1e-300], [-1.0, 1e-6]])
    stack = net.compile()(X, weights=W)
    assert stack.shape == (3, len(X), 1) and np.isfinite(stack).all()


def test_a_deep_logistic_network_on_huge_inputs(strict):
    net = dagnet.mlp([2, 16, 16, 1], "logistic", rng=0)
    X = np.array([[1e6, -1e6], [-1e6, 1e6], [1e5, 1e5], [0.0, 0.0]])
    got = net.compile()(X)
    assert np.isfinite(got).all() and np.all((got >= 0) & (got <= 1))
    np.testing.assert_allclose(got, reference_forward(net, X), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("seed", range(12))
def test_nan_and_inf_inputs_propagate_as_numpy_does(seed, monkeypatch):
    # The reference's relu, where(v > 0, v, 0), turns NaN into 0; numpy's maximum (dagnet's
    # relu) propagates NaN, as every other activation does. Compare against that.
    monkeypatch.setitem(netgen.REFERENCE_ACTIVATIONS, "relu",
                        lambda v: np.where(np.isnan(v), v, np.where(v > 0, v, 0.0)))
    net = random_dag(seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, size=(40, net.n_inputs))
    mask = rng.random(X.shape) < 0.15
    X[mask] = rng.choice([np.nan, np.inf, -np.inf], size=int(mask.sum()))
    with np.errstate(all="ignore"):
        got = net.compile()(X)
        ref = reference_forward(net, X)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(ref))
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(ref))
    finite = np.isfinite(ref)
    np.testing.assert_allclose(got[finite], ref[finite], rtol=1e-12, atol=1e-12)
    # A non-finite input never leaks into other rows.
    clean = np.isfinite(X).all(axis=1)
    if clean.any():
        np.testing.assert_allclose(got[clean], net.compile()(X[clean]), rtol=1e-12, atol=0)
        assert np.isfinite(got[clean]).all()


def test_inf_times_a_zero_weight_is_nan_as_in_numpy():
    net = dagnet.mlp([3, 2], "tanh")
    net.set_weights([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0])  # x_1 has weight 0 into v_1
    X = np.array([[np.inf, 1.0, 2.0], [1.0, 2.0, 3.0]])
    W = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])  # rows: x_0 .. x_3
    with np.errstate(all="ignore"):
        got = net.compile()(X)
        by_hand = np.tanh(X @ W[1:] + W[0])
    np.testing.assert_allclose(got, by_hand, rtol=1e-14, atol=0)  # NaN where NaN
    assert np.isnan(got[0, 1]) and got[0, 0] == 1.0


BAD = [np.nan, np.inf, -np.inf]


@pytest.mark.parametrize("bad", BAD)
def test_non_finite_weights_are_refused_wherever_they_are_set(bad, tmp_path):
    net = dagnet.mlp([1, 2, 1], rng=0)
    before = net.weights.copy()
    node = net.weight_nodes[3]
    with pytest.raises(dagnet.WeightError, match="finite"):
        net.set_weights(np.where(np.arange(net.n_weights) == 3, bad, before))
    with pytest.raises(dagnet.WeightError, match="finite"):
        net.set_weights({net.weight_names[0]: 0.5, net.weight_names[3]: bad})
    assert np.array_equal(net.weights, before)  # all or nothing
    fresh = dagnet.Network()
    x, v = fresh.add_input(1), fresh.add_sum(0)
    with pytest.raises(dagnet.WeightError, match="finite"):
        fresh.add_weight(x, v, value=bad)
    assert sorted(fresh.graph) == ["L1.v0", "L1.x1"]  # nothing half-added
    f = net.compile()
    with pytest.raises(dagnet.WeightError, match="finite"):
        f(np.zeros((2, 1)), weights=np.full((2, net.n_weights), bad))
    # Set behind dagnet's back, on the graph itself: caught when the weights are read.
    net.graph.nodes[node]["value"] = bad
    with pytest.raises(dagnet.WeightError, match=repr(node)):
        _ = net.weights
    with pytest.raises(dagnet.WeightError, match=repr(node)):
        f(np.zeros((2, 1)))
    with pytest.raises(dagnet.WeightError, match=repr(node)):
        io.save(net, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()
    # And in files: a non-finite value is refused before any network is built.
    doc = io.to_document(dagnet.mlp([1, 2, 1], rng=0))
    doc["nodes"][2]["value"] = bad
    with pytest.raises(dagnet.NetworkFileError, match="finite|out of range"):
        io.from_json(json.dumps(doc, allow_nan=True))


def test_weights_that_are_not_numbers_are_refused():
    net = dagnet.linear(1, rng=0)
    with pytest.raises(dagnet.WeightError, match="real numbers"):
        net.set_weights(["a", 1.0])
    with pytest.raises(dagnet.WeightError, match="real number"):
        net.set_weights({"w_00": "0.5"})
    net.graph.nodes["L1.w00"]["value"] = "0.5"
    with pytest.raises(dagnet.WeightError, match="'L1.w00' must be a real number"):
        _ = net.weights
