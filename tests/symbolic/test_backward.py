"""The indexed backward equations, evaluated with numbers, against the compiled gradient."""

import os
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from netgen import node_values, random_dag

import dagnet
from dagnet.core.losses import Loss, get_loss
from dagnet.core.structure import roman
from dagnet.symbolic.notation import layer_table

IDX_I, IDX_J = sp.symbols("i j", integer=True, nonnegative=True)
LETTER = {"input": "x", "bias": "x", "sum": "v", "activation": "y", "weight": "w"}

CASES = [  # (sizes, activations, loss)
    ([1, 1], "tanh", "mse"),
    ([1, 1], None, "mse"),
    ([1, 1], "logistic", "cross_entropy"),
    ([1, 3, 1], "tanh", "mse"),
    ([1, 3, 1], ["relu", "logistic"], "cross_entropy"),
    ([2, 3, 2], ["logistic", "identity"], "mse"),
    ([2, 3, 2], ["tanh", None], "cross_entropy"),  # softmax: a Sum over the outputs
    ([2, 4, 3, 1], ["tanh", "relu", "identity"], "mse"),
    ([2, 4, 3, 1], ["logistic", None, "tanh"], "mse"),
    ([2, 4, 3, 3], ["relu", "tanh", "logistic"], "mse"),
    ([3, 2, 4], ["identity", "relu"], "cross_entropy"),
]


def forward_values(net, x):
    """The value of every indexed symbol (x^L[i], w^L[i, j], v^L[j], y^L[j]) at one point,
    from a plain node-by-node walk and the nodes' own attributes."""
    multi = len(net.validate().layers) > 1
    val = node_values(net, x[None, :], net.weights)
    wv = dict(zip(net.weight_nodes, net.weights))
    env = {}
    for n, a in net.graph.nodes(data=True):
        if a["kind"] not in LETTER:
            continue
        base = sp.IndexedBase(LETTER[a["kind"]] + (f"^{roman(a['layer'])}" if multi else ""))
        if a["kind"] == "weight":
            env[base[a["i"], a["j"]]] = sp.Float(wv[n])
        else:
            env[base[a["index"]]] = sp.Float(float(val[n][0]))
    return env


def index_ranges(net):
    """Which (i, j) each left-hand side's letter runs over, per superscript."""
    rows = layer_table(net)
    out = {}
    for r in rows:
        sup = f"^{roman(r['layer'])}" if len(rows) > 1 else ""
        lo = 0 if r["bias"] else 1
        js = [{IDX_J: q} for q in range(r["n_out"])]
        out["v" + sup] = out["y" + sup] = js
        out["w" + sup] = [{IDX_I: p, IDX_J: q} for p in range(lo, lo + r["n_in"])
                          for q in range(r["n_out"])]
        out["x" + sup] = [{IDX_I: p} for p in range(1, lo + r["n_in"])]  # x_0 = 1 has no gradient
    return out


def evaluate(net, eqs, x, t):
    """Every dL/d... of the equations at one point: each right-hand side with its Sums expanded
    for the actual widths and the numbers substituted, in the order given."""
    env = forward_values(net, x)
    env.update({sp.IndexedBase("t")[k]: sp.Float(v) for k, v in enumerate(t)})
    ranges = index_ranges(net)
    grads = {}
    for eq in eqs:
        letter = str(eq.lhs.base.label)[4:]
        for sub in ranges[letter] if eq.lhs.free_symbols else [{}]:
            lhs = eq.lhs.xreplace(sub)
            value = eq.rhs.xreplace(sub).doit().xreplace(env)
            env[lhs] = grads[lhs] = sp.Float(float(value))  # float() fails on a symbol left
    return grads


def weight_gradient(net, grads):
    multi = len(net.validate().layers) > 1
    G = net.graph
    return np.array([float(grads[sp.IndexedBase(
        "dL/dw" + (f"^{roman(G.nodes[n]['layer'])}" if multi else ""))[
            G.nodes[n]["i"], G.nodes[n]["j"]]]) for n in net.weight_nodes])


def targets(loss, k, gen):
    if loss == "mse":
        return gen.normal(size=k)
    if k == 1:
        return np.array([float(gen.integers(0, 2))])
    return np.eye(k)[gen.integers(0, k)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_indexed_equations_give_the_gradient_of_every_weight(case):
    sizes, acts, loss = case
    net = dagnet.mlp(sizes, acts, rng=len(sizes) * 7 + sizes[-1])
    gen = np.random.default_rng(sum(sizes))
    for _ in range(2):
        x, t = gen.normal(size=sizes[0]), targets(loss, sizes[-1], gen)
        eqs = dagnet.backward_equations(net, loss, form="indexed")
        got = weight_gradient(net, evaluate(net, eqs, x, t))
        expected = dagnet.gradient(net, x[None, :], t[None, :], loss=loss).gradient
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_without_bias_and_with_several_layers_per_width():
    net = dagnet.mlp([2, 3, 2, 1], ["tanh", "logistic", None], bias=False, rng=4)
    gen = np.random.default_rng(5)
    x, t = gen.normal(size=2), gen.normal(size=1)
    got = weight_gradient(net, evaluate(net, dagnet.backward_equations(net, form="indexed"),
                                        x, t))
    expected = dagnet.gradient(net, x[None, :], t[None, :]).gradient
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_a_loss_that_differs_per_output_gets_one_equation_per_output():
    scale = np.array([1.0, 3.0])

    def value_and_gradient(Y, T):
        d = Y - T
        return float(np.sum(scale * d * d)) / len(Y), 2 * scale * d / len(Y)

    weighted = Loss("weighted", value_and_gradient, get_loss("mse").targets,
                    lambda o, t: (o[0] - t[0]) ** 2 + 3 * (o[1] - t[1]) ** 2)
    net = dagnet.mlp([1, 2, 2], "tanh", rng=2)
    eqs = dagnet.backward_equations(net, weighted, form="indexed")
    y = sp.IndexedBase("dL/dy^II")
    assert [e.lhs for e in eqs[:2]] == [y[0], y[1]]
    x, t = np.array([0.4]), np.array([0.2, -0.5])
    got = weight_gradient(net, evaluate(net, eqs, x, t))
    expected = dagnet.gradient(net, x[None, :], t[None, :], loss=weighted).gradient
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)


def test_the_article_notation_and_the_latex():
    net = dagnet.mlp([1, 3, 1], "tanh")
    eqs = [str(e) for e in dagnet.backward_equations(net, form="indexed")]
    assert eqs == [
        "Eq(dL/dy^II[j], -2*t[j] + 2*y^II[j])",
        "Eq(dL/dv^II[j], (1 - tanh(v^II[j])**2)*dL/dy^II[j])",
        "Eq(dL/dw^II[i, j], dL/dv^II[j]*x^II[i])",
        "Eq(dL/dx^II[i], Sum(dL/dv^II[j]*w^II[i, j], (j, 0, 0)))",
        "Eq(dL/dy^I[j], dL/dx^II[j + 1])",
        "Eq(dL/dv^I[j], (1 - tanh(v^I[j])**2)*dL/dy^I[j])",
        "Eq(dL/dw^I[i, j], dL/dv^I[j]*x^I[i])",
    ]
    latex = dagnet.backward_latex(net, form="indexed")
    lines = latex.splitlines()
    assert lines[0] == "\\begin{align}" and lines[-1] == "\\end{align}"
    assert len(lines) == len(eqs) + 2 and latex.count("&=") == len(eqs)
    assert lines[4] == (r"\frac{\partial L}{\partial x_{i,\mathrm{II}}} &= \sum_{j=0}^{0} "
                        r"\frac{\partial L}{\partial v_{j,\mathrm{II}}} w_{ij,\mathrm{II}} \\")
    softmax = dagnet.backward_equations(dagnet.mlp([1, 3], None), "cross_entropy", "indexed")
    assert str(softmax[0]) == "Eq(dL/dv[j], exp(v[j])/Sum(exp(v[k]), (k, 0, 2)) - t[j])"


def test_the_text_is_the_same_on_two_runs():
    code = ("import dagnet; net = dagnet.mlp([2, 4, 3, 2], ['relu', 'logistic', None]); "
            "print(dagnet.backward_latex(net, 'cross_entropy', form='indexed')); "
            "print(dagnet.backward_equations(net, 'cross_entropy', form='indexed'))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0].count("&=") == 10


def test_the_size_does_not_depend_on_the_width():
    small = dagnet.backward_equations(dagnet.mlp([2, 3, 3, 3, 1]), form="indexed")
    wide = dagnet.backward_equations(dagnet.mlp([2, 256, 256, 256, 1]), form="indexed")
    assert len(small) == len(wide) == 4 * 4 - 1
    assert [e.lhs for e in small] == [e.lhs for e in wide]
    assert wide[3].rhs.limits == ((IDX_J, 0, 0),) and wide[7].rhs.limits == ((IDX_J, 0, 255),)


def test_non_layered_networks_and_unknown_forms_are_refused():
    refused = 0
    for seed in range(40):
        net = random_dag(seed)
        try:
            net.equations(form="indexed")
        except dagnet.NotLayeredError:
            refused += 1
            for call in (dagnet.backward_equations, dagnet.backward_latex):
                with pytest.raises(dagnet.NotLayeredError, match="use form='nodes'"):
                    call(net, form="indexed")
    assert refused >= 10
    net = dagnet.mlp([1, 2, 1], "tanh")
    net.add_output("L2.y0", index=0)
    net.add_output("L1.y0", index=1)  # a hidden value is an output too
    with pytest.raises(dagnet.NotLayeredError, match="values of the last layer 2.*form='nodes'"):
        dagnet.backward_equations(net, form="indexed")
    for call in (dagnet.backward_equations, dagnet.backward_latex):
        with pytest.raises(dagnet.NetworkError, match="form must be 'nodes' or 'indexed'"):
            call(dagnet.mlp([1, 1]), form="compact")
