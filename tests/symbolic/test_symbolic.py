"""Equations, expressions, LaTeX and symbolic facts, in the article's notation."""

import math

import networkx as nx
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from netgen import networks, random_dag, reference_forward

import dagnet
from dagnet.symbolic.notation import layer_table

S = sp.Symbol


def test_linear_reads_as_the_articles_renamed_line():
    eqs = dagnet.linear(1).equations()
    assert [e.lhs for e in eqs] == [S("u_00"), S("u_10"), S("v_0")]
    assert eqs[0].rhs.args == (S("x_0"), S("w_00"))  # x_i w_ij, in that order
    assert eqs[1].rhs.args == (S("x_1"), S("w_10"))
    assert eqs[2].rhs.args == (S("u_00"), S("u_10"))
    assert dagnet.linear(1).expression().doit() == S("w_00") + S("x_1") * S("w_10")


def test_equations_one_per_computing_node_in_topological_order():
    net = dagnet.mlp([1, 2, 1], "tanh")
    eqs = net.equations()
    computing = [n for n in net.graph if net.graph.in_degree(n) > 0]
    assert len(eqs) == len(computing) == 4 + 2 + 2 + 2 + 3 + 1 + 1
    defined = {S(net.symbol_name(n)) for n in net.graph if net.graph.in_degree(n) == 0}
    for e in eqs:
        assert e.rhs.free_symbols <= defined | {S(n) for n in net.weight_names}
        defined.add(e.lhs)
    by_lhs = {str(e.lhs): e.rhs for e in eqs}
    assert by_lhs["x_1^II"] == S("y_0^I")  # y of layer I is x of layer II
    assert by_lhs["y_1^I"] == sp.tanh(S("v_1^I"))
    assert by_lhs["v_0^II"].args == (S("u_00^II"), S("u_10^II"), S("u_20^II"))
    assert by_lhs["u_20^II"].args == (S("x_2^II"), S("w_20^II"))


def test_numeric_equations_carry_the_weights():
    net = dagnet.linear(1)
    net.set_weights([0.5, 2.0])
    eqs = net.equations(weights="numeric")
    assert eqs[1].rhs.args == (S("x_1"), sp.Float(2.0))
    assert net.expression(weights="numeric").xreplace({S("x_1"): 3}).evalf() == 6.5


def test_expression_depth_inlines_step_by_step():
    net = dagnet.mlp([1, 1, 1], "tanh")
    assert net.expression(depth=0) == S("y_0^II")
    assert net.expression(depth=1) == sp.tanh(S("v_0^II"))
    full = net.expression()
    assert full.free_symbols == {S("x_1^I"), *map(S, net.weight_names)}
    with pytest.raises(dagnet.NetworkError, match="depth must be None or an int >= 0"):
        net.expression(depth=-1)
    with pytest.raises(dagnet.NetworkError, match=r"output must be an int in \[0, 1\)"):
        net.expression(output=1)
    with pytest.raises(dagnet.NetworkError, match="weights must be 'symbolic' or 'numeric'"):
        net.expression(weights="float")


def test_expression_of_a_deep_tanh_net_is_built_unevaluated():
    net = dagnet.mlp([2, 16, 16, 16, 1], "tanh", rng=0)
    expr = net.expression(weights="numeric")  # automatic evaluation would take a minute
    x = {S("x_1^I"): 0.3, S("x_2^I"): -0.7}
    got = float(expr.xreplace(x).evalf(30))
    ref = reference_forward(net, np.array([[0.3, -0.7]]))[0, 0]
    assert abs(got - ref) < 1e-12


def test_indexed_form_per_layer():
    net = dagnet.mlp([2, 3, 1], ["tanh", "logistic"])
    eqs = net.equations(form="indexed")
    # layer I: x_0 = 1, u, v, y; layer II: x_0 = 1, x_{j+1} = y_j, u, v, y
    assert len(eqs) == 4 + 5
    i, j = sp.symbols("i j", integer=True, nonnegative=True)
    v1, u1 = sp.IndexedBase("v^I"), sp.IndexedBase("u^I")
    assert eqs[2].lhs == v1[j]
    assert eqs[2].rhs.subs(j, 0).doit() == u1[0, 0] + u1[1, 0] + u1[2, 0]
    assert eqs[6].rhs.args == (sp.IndexedBase("x^II")[i], sp.IndexedBase("w^II")[i, j])
    assert eqs[5].lhs == sp.IndexedBase("x^II")[j + 1]
    assert eqs[5].rhs == sp.IndexedBase("y^I")[j]
    assert "sum_{i=0}^{2}" in net.latex(form="indexed")
    assert layer_table(net)[1] == {"layer": 2, "n_in": 4, "n_out": 1, "bias": True,
                                   "activation": "logistic"}


def test_indexed_form_needs_dense_layers():
    net = dagnet.mlp([1, 2, 1], "tanh")
    net.graph.remove_node("L2.w10")
    net._touch()
    with pytest.raises(dagnet.NotLayeredError, match="fully connected layers: use form='nodes'"):
        net.equations(form="indexed")
    with pytest.raises(dagnet.NetworkError, match="form must be 'nodes', 'indexed' or 'matrix'"):
        net.equations(form="compact")


def test_latex_is_exact_text():
    assert dagnet.linear(1).latex() == (
        "\\begin{align}\nx_{0} &= 1 \\\\\nu_{00} &= x_{0} w_{00} \\\\\n"
        "u_{10} &= x_{1} w_{10} \\\\\nv_{0} &= u_{00} + u_{10}\n\\end{align}")
    net = dagnet.linear(1)
    net.set_weights([0.5, -2.0])
    assert "u_{10} &= x_{1} \\left(-2.0\\right)" in net.latex(weights="numeric")
    assert net.latex(expression=True).endswith("v_{0} &= w_{00} + x_{1} w_{10}\n\\end{align}")


@pytest.mark.parametrize("seed", range(12))
def test_fast_latex_equals_sympys_latex_of_each_equation(seed):
    net = random_dag(seed)
    from dagnet.symbolic.notation import expr_latex

    lines = net.latex().split("\n")[1:-1]
    eqs = net.equations()
    # one "x_0 = 1" line per bias node that feeds a weight, just before its first weight
    used = {p for n in net.weight_nodes for p in net.graph.predecessors(n)
            if net.graph.nodes[p]["kind"] == "bias"}
    ones = [line for line in lines if line.rstrip(" \\").endswith(" &= 1")]
    assert len(ones) == len(used)
    lines = [line for line in lines if line not in ones]
    assert len(lines) == len(eqs)
    for line, eq in zip(lines, eqs):
        lhs, rhs = line.rstrip(" \\").split(" &= ")
        assert lhs == expr_latex(eq.lhs)
        assert rhs == expr_latex(eq.rhs)


def test_latex_is_deterministic():
    a = dagnet.mlp([2, 3, 3, 1], "tanh", rng=1).latex(weights="numeric")
    b = dagnet.mlp([2, 3, 3, 1], "tanh", rng=1).latex(weights="numeric")
    # every equation, and one x_0 = 1 per layer
    assert a == b and a.count("&=") == len(dagnet.mlp([2, 3, 3, 1]).equations()) + 3


def test_linear_networks_collapse_to_slope_and_intercept():
    net = dagnet.mlp([1, 100, 1], activation="identity", rng=7)
    assert net.is_linear()
    form = net.linear_coefficients(weights="numeric")
    m, b = float(form.slopes[0]), float(form.intercept)
    x = np.linspace(-6, 6, 13)[:, None]
    np.testing.assert_allclose(net.compile()(x)[:, 0], m * x[:, 0] + b, rtol=1e-12, atol=1e-12)
    sym = dagnet.mlp([1, 2, 1], None).linear_coefficients()
    W = {S(n): v for n, v in zip(net.weight_names, range(1, 10))}
    assert sym.intercept.free_symbols <= set(map(S, dagnet.mlp([1, 2, 1]).weight_names))
    assert sym.as_expr().xreplace(W) is not None
    plane = dagnet.linear(2, rng=0)
    f = plane.linear_coefficients(weights="numeric")
    assert [float(s) for s in f.slopes] == list(plane.weights[1:])
    assert float(f.intercept) == plane.weights[0]


def test_nonlinear_networks():
    assert not dagnet.mlp([1, 1], "tanh").is_linear()
    assert not dagnet.mlp([2, 4, 1], ["relu", "identity"]).is_linear()
    assert dagnet.mlp([2, 4, 1], ["identity", "identity"]).is_linear()
    with pytest.raises(dagnet.NotLinearError, match="not linear in the inputs"):
        dagnet.mlp([1, 1], "tanh").linear_coefficients()
    # a nonlinear function of the bias alone keeps the output affine in x
    net = dagnet.linear(1, rng=0)
    y = net.add_activation("L1.x0", "tanh", index=5)
    net.add_weight(y, "L1.v0", value=0.25, i=5)
    assert net.is_linear()
    form = net.linear_coefficients(weights="numeric")
    x = np.array([[1.0], [2.0]])
    np.testing.assert_allclose(net.compile()(x)[:, 0],
                               float(form.slopes[0]) * x[:, 0] + float(form.intercept))


@settings(max_examples=40, deadline=None)
@given(networks())
def test_is_linear_matches_the_outputs(net):
    """A network called linear has a zero second difference along every input line."""
    if not net.is_linear():
        return
    f = net.compile()
    rng = np.random.default_rng(0)
    a, d = rng.normal(size=net.n_inputs), rng.normal(size=net.n_inputs)
    X = np.array([a - d, a, a + d])
    y = f(X)
    np.testing.assert_allclose(y[0] + y[2], 2 * y[1], atol=1e-9)


def test_output_range():
    assert dagnet.mlp([2, 3, 1], "tanh").output_range() == (-1.0, 1.0)
    assert dagnet.logistic(2).output_range() == (0.0, 1.0)
    assert dagnet.mlp([1, 1], "relu").output_range() == (0.0, math.inf)
    assert dagnet.linear(1).output_range() == (-math.inf, math.inf)
    net = dagnet.mlp([1, 1], "tanh")
    net.add_output("L1.y0")
    assert net.output_range() == (-1.0, 1.0)
    assert nx.is_directed_acyclic_graph(net.graph)


def test_fast_symbols_behave_as_sympy_symbols():
    """Equations use dagnet's quick symbol constructor: indistinguishable from sp.Symbol."""
    from dagnet.symbolic.notation import _symbol

    a, b = _symbol("w_10^II"), sp.Symbol("w_10^II")
    assert a == b and hash(a) == hash(b) and sp.srepr(a) == sp.srepr(b)
    assert a.is_commutative and a.is_real is None and a.is_positive is None
    assert sp.Symbol("z", positive=True).is_positive  # shared assumptions stay plain
    assert _symbol("q").is_positive is None
    net = dagnet.mlp([1, 2, 1], "tanh", rng=0)
    eqs = net.equations()
    w = dict(zip(net.weight_names, net.weights))
    weight_eq = next(e for e in eqs if e.lhs.name.startswith("u_10"))
    value = weight_eq.rhs.subs({sp.Symbol(n): v for n, v in w.items()})
    assert value.free_symbols == {sp.Symbol("x_1^I")}  # subs by a sympy-made symbol works
    assert sp.diff(weight_eq.rhs, sp.Symbol("x_1^I")) == sp.Symbol("w_10^I")
