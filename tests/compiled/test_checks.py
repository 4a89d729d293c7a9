"""The one X-shape check of the compiled functions, and the public hooks the compiled and
symbolic stages use instead of private attributes (Network.cached, CompiledNetwork.kernel,
CompiledGradient.run, kernel.HELPERS)."""

import re

import numpy as np
import pytest

import dagnet
from dagnet.compiled.kernel import HELPERS, check_input_shape, check_inputs
from dagnet.core.losses import get_loss

BAD_X = [
    # (X, the whole message for a network with 2 inputs)
    (np.zeros(5), "X must have shape (n_points, 2), one column per input, got (5,) "
                  "(for 1-D x use x[:, None])"),
    (np.zeros((5, 3)), "X must have shape (n_points, 2), one column per input, got (5, 3)"),
    (np.zeros((2, 5, 2)), "X must have shape (n_points, 2), one column per input, "
                          "got (2, 5, 2)"),
    (np.float64(1.0), "X must have shape (n_points, 2), one column per input, got ()"),
    ([["a", "b"]], "X must be a float array of shape (n_points, 2), got list (text); pass real "
                   "numbers (convert on purpose, e.g. np.real(z) or np.asarray(s, dtype=float), "
                   "if that is what you mean)"),
    ({"a": 1}, "X must be a float array of shape (n_points, 2), got dict"),
]


@pytest.mark.parametrize("X, message", BAD_X)
def test_check_inputs_names_each_problem(X, message):
    with pytest.raises(dagnet.ShapeError, match=f"^{re.escape(message)}$"):
        check_inputs(X, 2)


@pytest.mark.parametrize("X, message", BAD_X)
def test_compile_and_the_gradient_say_the_same_about_a_bad_X(X, message):
    net = dagnet.mlp([2, 3, 1], rng=0)
    f, g = net.compile(), dagnet.compile_gradient(net)
    with pytest.raises(dagnet.ShapeError, match=f"^{re.escape(message)}$"):
        f(X)
    with pytest.raises(dagnet.ShapeError, match=f"^{re.escape(message)}$"):
        g(X, np.zeros(5))
    with pytest.raises(dagnet.ShapeError, match=f"^{re.escape(message)}$"):
        g.inputs(X)


def test_check_input_shape_reads_only_the_shape():
    check_input_shape((0, 3), 3)  # no points is a valid input
    with pytest.raises(dagnet.ShapeError, match=r"got \(4,\) \(for 1-D x use x\[:, None\]\)$"):
        check_input_shape((4,), 3)
    with pytest.raises(dagnet.ShapeError, match=r"one column per input, got \(4, 2\)$"):
        check_input_shape((4, 2), 3)


def test_a_lazy_X_is_checked_by_the_same_words():
    da = pytest.importorskip("dask.array")
    f = dagnet.mlp([2, 3, 1], rng=0).compile()
    with pytest.raises(dagnet.ShapeError, match=re.escape(BAD_X[1][1])):
        f(da.zeros((5, 3), chunks=2))


def test_check_inputs_converts_and_does_not_copy_a_float_array():
    X = np.arange(6.0).reshape(3, 2)
    assert check_inputs(X, 2) is X
    got = check_inputs([[1, 2], [3, 4]], 2)
    assert got.dtype == float and got.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_network_cached_builds_once_per_structure():
    net = dagnet.mlp([1, 2, 1], rng=0)
    calls = []

    def build():
        calls.append(1)
        return object()

    first = net.cached("thing", build)
    assert net.cached("thing", build) is first and len(calls) == 1
    net.set_weights(np.zeros(net.n_weights))  # values only: still cached
    assert net.cached("thing", build) is first and len(calls) == 1
    assert net.cached("other", build) is not first and len(calls) == 2  # one entry per key
    net.graph.add_edge("L1.x1", "L1.v0")  # a change made on the graph itself is seen too
    assert net.cached("thing", build) is not first and len(calls) == 3


def test_network_cached_keeps_nothing_when_the_build_fails_or_the_net_is_invalid():
    net = dagnet.mlp([1, 2, 1], rng=0)

    def fail():
        raise dagnet.NetworkError("no")

    with pytest.raises(dagnet.NetworkError, match="no"):
        net.cached("thing", fail)
    assert net.cached("thing", lambda: 7) == 7
    net.add_sum(9, 5)  # a sum with no input: the network is invalid now
    built = []
    with pytest.raises(dagnet.WiringError, match="has no input"):
        net.cached("thing", lambda: built.append(1))
    assert built == []  # validated before building


def test_the_symbols_and_the_gradient_live_in_the_network_cache():
    net = dagnet.mlp([1, 2, 1], rng=0)
    assert dagnet.symbolic.symbols(net) is dagnet.symbolic.symbols(net)
    g = dagnet.compile_gradient(net)
    assert net.cached("gradient", lambda: None) is g


def test_the_public_hooks_replace_the_private_ones():
    net = dagnet.mlp([1, 2, 1], rng=0)
    f, g = net.compile(), dagnet.compile_gradient(net)
    assert not hasattr(f, "_kernel") and not hasattr(g, "_run")
    X = np.array([[0.5], [-1.0]])
    np.testing.assert_allclose(f.kernel.evaluate(X, f.kernel.mats(net.weights), None, None, 1),
                               f(X), rtol=1e-15)
    mse = get_loss("mse").value_and_gradient
    loss, grad = g.run(X, np.zeros((2, 1)), g.extend(), mse)
    expected = g(X, np.zeros(2))
    assert loss == expected.loss and grad[:net.n_weights].tolist() == expected.gradient.tolist()
    assert grad.shape == (net.n_weights + 2,)


def test_the_export_writes_each_helper_the_code_calls_from_its_source():
    import inspect

    from dagnet.compiled.export import module_source

    assert set(HELPERS) == {"_cat"}
    cat = inspect.getsource(HELPERS["_cat"])
    assert cat.startswith("def _cat(")
    net = dagnet.Network()  # a gathered source: the code calls _cat
    x1, x2 = net.add_input(1), net.add_input(2)
    y = net.add_activation(x1, "tanh")
    v = net.add_sum(0, 2)
    net.add_weight(net.add_input(1, 2, source=y), v, 1.0)
    net.add_weight(net.add_input(2, 2, source=x2), v, 1.0)
    assert "_cat(" in net.compile().source and cat in module_source(net)
    plain = dagnet.mlp([1, 2, 1], rng=0)
    assert "_cat(" not in plain.compile().source and cat not in module_source(plain)
