"""The compiled gradient against finite differences, sympy.diff and the backward equations."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netgen import (
    finite_differences,
    mlps,
    node_values,
    pick_loss,
    random_dag,
    reference_forward,
    relative_error,
    relu_margin,
    skip_net,
)

import dagnet
from dagnet.core.losses import get_loss


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_gradient_matches_finite_differences_on_random_dags(seed):
    net = random_dag(seed)
    gen = np.random.default_rng(seed)
    X = gen.normal(size=(6, net.n_inputs))
    w = net.weights
    if relu_margin(net, X, w) < 2e-2:
        w = net.sample_weights(rng=seed + 1, low=-1.5, high=1.5)  # one redraw, then give up
        if relu_margin(net, X, w) < 2e-2:
            return
    loss, y = pick_loss(net, gen, len(X))
    result = dagnet.gradient(net, X, y, loss=loss, weights=w)
    fd = finite_differences(net, X, y, loss, w)
    assert result.loss == pytest.approx(get_loss(loss)(reference_forward(net, X, w), y)[0],
                                        rel=1e-12, abs=1e-14)
    assert relative_error(result.gradient, fd) < 1e-6


@settings(max_examples=25, deadline=None)
@given(mlps(max_layers=3, max_width=4), st.integers(0, 2**16))
def test_gradient_matches_finite_differences_on_mlps(net, seed):
    gen = np.random.default_rng(seed)
    X = gen.normal(size=(5, net.n_inputs))
    w = net.weights
    if relu_margin(net, X, w) < 2e-2:
        return
    loss, y = pick_loss(net, gen, len(X))
    got = dagnet.gradient(net, X, y, loss=loss).gradient
    assert relative_error(got, finite_differences(net, X, y, loss, w)) < 1e-6


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_gradient_on_a_hand_built_dag(loss):
    net = skip_net()
    gen = np.random.default_rng(0)
    X = gen.normal(size=(9, 2))
    y = gen.normal(size=(9, 3)) if loss == "mse" else gen.integers(0, 3, 9)
    assert relu_margin(net, X, net.weights) > 1e-3
    got = dagnet.gradient(net, X, y, loss=loss).gradient
    assert relative_error(got, finite_differences(net, X, y, loss, net.weights)) < 1e-6
    src = dagnet.compile_gradient(net).source
    assert "np.concatenate" in src and "_gW[" in src  # gathered sources, a doubled weight


SMALL = [dagnet.mlp([1, 2, 1], ["tanh", "identity"], rng=0),
         dagnet.mlp([2, 2, 2], ["logistic", "relu"], rng=1),
         skip_net()] + [random_dag(s, max_layers=2, max_width=2) for s in (1, 2, 5, 8)]


@pytest.mark.parametrize("net", SMALL, ids=lambda n: repr(n))
def test_gradient_matches_sympy_diff_of_the_inlined_expression(net):
    gen = np.random.default_rng(7)
    X = gen.normal(size=(3, net.n_inputs))
    T = gen.normal(size=(3, net.n_outputs))
    wsym = [sp.Symbol(n) for n in net.weight_names]
    xsym = [sp.Symbol(net.symbol_name(n)) for n in net.inputs]
    exprs = [net.expression(output=k) for k in range(net.n_outputs)]
    loss = sp.Add(*(
        (e.xreplace(dict(zip(xsym, map(sp.Float, x)))) - sp.Float(t)) ** 2
        for x, trow in zip(X, T) for e, t in zip(exprs, trow))) / T.size
    at = dict(zip(wsym, map(sp.Float, net.weights)))
    expected = np.array([float(sp.diff(loss, s).xreplace(at).evalf()) for s in wsym])
    got = dagnet.gradient(net, X, T).gradient
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("net", SMALL[:3], ids=lambda n: repr(n))
def test_backward_equations_evaluate_to_the_compiled_gradient(net):
    """Evaluate the symbolic chain equation by equation, per point: it is the gradient."""
    gen = np.random.default_rng(11)
    X = gen.normal(size=(4, net.n_inputs))
    T = gen.normal(size=(4, net.n_outputs))
    sym = dagnet.symbolic.symbols(net)
    env = {sym[n]: v for n, v in node_values(net, X, net.weights).items()}
    env.update({sp.Symbol(n): w for n, w in zip(net.weight_names, net.weights)})
    env.update({sp.Symbol(f"t_{k}"): T[:, k] for k in range(T.shape[1])})
    grads = {}
    for eq in dagnet.backward_equations(net, loss="mse"):
        free = sorted(eq.rhs.free_symbols, key=str)
        fn = sp.lambdify(free, eq.rhs, "numpy")
        env[eq.lhs] = np.broadcast_to(fn(*[env[s] for s in free]), (len(X),))
        grads[eq.lhs.name] = env[eq.lhs]
    per_point = np.array([grads[f"dL/d{n}"] for n in net.weight_names])
    np.testing.assert_allclose(per_point.mean(axis=1), dagnet.gradient(net, X, T).gradient,
                               rtol=1e-12, atol=1e-14)


def test_backward_equations_use_the_article_notation():
    net = dagnet.mlp([1, 2, 1], ["tanh", "identity"])
    eqs = {str(e.lhs): e.rhs for e in dagnet.backward_equations(net)}
    assert str(eqs["dL/dv_0^I"]) == "dL/dy_0^I*(1 - tanh(v_0^I)**2)"
    assert str(eqs["dL/dw_10^I"]) == "dL/du_10^I*x_1^I"
    assert str(eqs["dL/du_10^I"]) == "dL/dv_0^I"
    assert str(eqs["dL/dy_0^I"]) == "dL/dx_1^II"
    assert str(eqs["dL/dy_0^II"]) == "-2*t_0 + 2*y_0^II"  # sympy.diff of (y - t)**2
    assert str(eqs["dL/dv_0^II"]) == "dL/dy_0^II"  # identity: f'(v) = 1
    assert "dL/dx_1^I" not in eqs  # network inputs: nothing to learn upstream
    latex = dagnet.backward_latex(net, loss="cross_entropy")
    assert r"\frac{\partial L}{\partial w_{10,\mathrm{I}}}" in latex
    assert latex.startswith("\\begin{align}") and latex.count("&=") == len(eqs)


def test_softmax_backward_equations_come_from_sympy_diff_of_the_loss():
    net = dagnet.mlp([1, 2], None)  # outputs are the sums v_0, v_1
    eqs = {str(e.lhs): e.rhs for e in dagnet.backward_equations(net, loss="cross_entropy")}
    v0, v1, t0 = sp.symbols("v_0 v_1 t_0")
    expected = sp.exp(v0) / (sp.exp(v0) + sp.exp(v1)) - t0
    assert sp.simplify(eqs["dL/dv_0"] - expected) == 0


def test_compiled_gradient_is_cached_checked_and_stale_safe():
    net = dagnet.mlp([2, 3, 1], rng=0)
    g = dagnet.compile_gradient(net)
    assert dagnet.compile_gradient(net) is g
    assert "def _run(X, T, _wx, _loss):" in g.source and "@ W" in g.source
    with pytest.raises(dagnet.ShapeError, match=r"shape \(n_points, 2\)"):
        g(np.zeros(4), np.zeros(4))
    with pytest.raises(dagnet.ShapeError, match=r"shape \(13,\)"):
        g(np.zeros((4, 2)), np.zeros(4), weights=np.zeros(3))
    with pytest.raises(dagnet.ShapeError, match="targets must have shape"):
        g(np.zeros((4, 2)), np.zeros(5))
    out = net.add_sum(5, 3)
    net.add_weight("L2.y0", out, value=1.0)
    with pytest.raises(dagnet.StaleCompileError, match="compile it again"):
        g(np.zeros((4, 2)), np.zeros(4))
    assert dagnet.compile_gradient(net) is not g


def test_an_output_that_is_an_input_has_no_weights_to_learn():
    net = dagnet.Network()
    x1 = net.add_input(1)
    v = net.add_sum(0)
    net.add_weight(x1, v, value=2.0)
    net.add_output(v, 0)
    net.add_output(x1, 1)
    X = np.array([[1.0], [2.0]])
    result = dagnet.gradient(net, X, np.zeros((2, 2)))
    # L = mean over 4 entries of (2x)^2 and x^2; dL/dw = sum 2 (w x) x / 4 = (2 + 8) / 4 ... * 2
    assert result.gradient.tolist() == [pytest.approx(2 * (2 * 1 + 2 * 4) / 4)]


def test_gradient_with_a_registered_activation_that_has_no_derivative_row():
    """Registered by the user without ``derivative=``: sympy.diff of its form is used."""
    dagnet.register_activation("softsign_t", sympy=lambda v: v / (1 + sp.Abs(v)),
                               numpy=lambda v: v / (1 + np.abs(v)))
    try:
        checked = 0
        for seed in range(12):
            net = random_dag(seed, activations=("softsign_t", "tanh"))
            if not any(net.graph.nodes[n].get("activation") == "softsign_t" for n in net.graph):
                continue
            gen = np.random.default_rng(seed)
            X = gen.normal(size=(5, net.n_inputs))
            y = gen.normal(size=(5, net.n_outputs))
            got = dagnet.gradient(net, X, y).gradient
            fd = finite_differences(net, X, y, "mse", net.weights)
            assert relative_error(got, fd) < 1e-6
            checked += 1
        assert checked >= 5
    finally:
        dagnet.unregister_activation("softsign_t")


def test_network_method_and_function_agree():
    net = dagnet.mlp([2, 3, 2], rng=0)
    X = np.random.default_rng(0).normal(size=(4, 2))
    y = np.array([0, 1, 1, 0])
    a = net.gradient(X, y, loss="cross_entropy")
    b = dagnet.gradient(net, X, y, loss="cross_entropy")
    assert a.loss == b.loss and np.array_equal(a.gradient, b.gradient)
    other = net.sample_weights(rng=1)
    c = net.gradient(X, y, loss="cross_entropy", weights=other)
    assert not np.array_equal(c.gradient, a.gradient)
    before = net.weights.copy()
    net.gradient(X, y, loss="cross_entropy", weights=other)
    np.testing.assert_array_equal(net.weights, before)  # the network is not changed
