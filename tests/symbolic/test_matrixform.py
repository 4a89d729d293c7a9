"""The matrix form (dagnet.symbolic.matrixform) and the forward code printed from it.

The block equations are evaluated by sympy itself (matrices substituted, ``doit``) and
checked against the compiled output and the node-by-node reference; the compiled code
is checked to follow the equations (change an equation, the code changes with it).
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from netgen import random_dag, reference_forward
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

import dagnet
import dagnet.compiled.forward
from dagnet.symbolic.matrixform import MatrixForm, N


def edge_networks() -> list[dagnet.Network]:
    """Blocks the random DAGs rarely make: a bias-only sum, an activation of an
    activation (in place twice), a bias read as a value, an input that is an output."""
    a = dagnet.Network()
    b, x = a.add_bias(), a.add_input(1)
    v0, v1 = a.add_sum(0), a.add_sum(1)
    a.add_weight(b, v0)
    a.add_weight(x, v1)
    a.add_output(v0)
    a.add_output(a.add_activation(a.add_activation(v1, "tanh"), "relu", index=5))
    c = dagnet.Network()
    b, x = c.add_bias(), c.add_input(1)
    c.add_output(c.add_activation(b, "logistic", index=3))
    c.add_output(x)
    c.add_output(b)
    for net in (a, c):
        net.randomize(rng=0)
    return [a, c]


NETS = ([random_dag(seed) for seed in range(20)] + edge_networks()
        + [dagnet.mlp(s, act, rng=1) for s, act in
           (([1, 3, 1], "tanh"), ([2, 3, 2, 1], "logistic"), ([3, 2], None), ([2, 4, 2], "relu"))])


def evaluate(form: MatrixForm, X: np.ndarray, mats: dict) -> np.ndarray:
    """The equations evaluated by sympy, block by block: every matrix symbol replaced by
    its explicit value, ``n`` by the number of points, then ``doit``."""
    known = {sp.MatrixSymbol(k, *v.shape): sp.ImmutableMatrix(v) for k, v in mats.items()}
    rows = len(X)
    known[sp.MatrixSymbol("X", N, X.shape[1])] = sp.ImmutableMatrix(X)
    for eq in form.equations:
        rhs = eq.rhs.xreplace(known).subs(N, rows).doit()
        value = sp.ImmutableMatrix(rhs.as_explicit()).evalf()
        assert value.shape == (rows, eq.lhs.shape[1])
        known[eq.lhs] = value
    return np.array(value.tolist(), dtype=float)


def block_matrices(f: dagnet.CompiledNetwork, w: np.ndarray) -> dict:
    """The compiled per-block W and B, by name (the order of ``_forward``'s arguments; a
    fused chain's packed weights ``C<c>`` left out)."""
    head = f.source[f.source.index("def _forward("):].split(")")[0]
    names = [a.strip() for a in head.split("(")[1].split(",")][3:]
    return {k: v for k, v in zip(names, f.prepare(w)) if k[0] in "WB"}


@pytest.mark.parametrize("k", range(len(NETS)))
def test_the_equations_evaluate_to_the_compiled_and_the_reference_output(k):
    net = NETS[k]
    rng = np.random.default_rng(k)
    X = rng.normal(size=(3, len(net.inputs)))
    w = net.weights
    f = net.compile()
    got = evaluate(MatrixForm(net), X, block_matrices(f, w))
    np.testing.assert_allclose(got, f(X), rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, reference_forward(net, X, w), rtol=0, atol=1e-12)


def test_one_equation_per_block_then_the_outputs():
    net = dagnet.mlp([2, 3, 1], "tanh")
    form = MatrixForm(net)
    assert len(form.equations) == len(form.plan.blocks) + 1
    v1, y1 = form.equations[:2]
    assert v1.lhs.shape == (N, 3) and isinstance(v1.rhs, sp.MatAdd)
    assert {str(t) for t in v1.rhs.args} == {"X*W1", "1*B1"}
    assert isinstance(y1.rhs, ElementwiseApplyFunction) and y1.rhs.function(0.5) == sp.tanh(0.5)
    assert str(form.equations[-1]) == "Eq(OUT, Y2)"
    no_bias = dagnet.mlp([2, 1], None, bias=False).equations(form="matrix")
    assert [str(e) for e in no_bias] == ["Eq(V1, X*W1)", "Eq(OUT, V1)"]


def test_a_bias_only_sum_and_gathered_sources():
    eqs = [str(e) for e in edge_networks()[0].equations(form="matrix")]
    assert eqs == ["Eq(V1, 1*B1)", "Eq(V2, X*W2)", "Eq(Y2, Lambda(v, tanh(v)).(V2))",
                   "Eq(Y2', Lambda(v, Max(0, v)).(Y2))", "Eq(OUT, Matrix([[V1, Y2']]))"]


def test_the_latex_form():
    text = dagnet.mlp([1, 2, 1], "tanh").latex(form="matrix")
    lines = text.splitlines()
    assert lines[1] == r"V_{1} &= X W_{1} + \mathbf{1}_{n} B_{1} \\"
    assert r"\tanh{\left(v \right)}" in lines[2] and r"_{\circ}\left({V_{1}}\right)" in lines[2]
    assert len(lines) == 2 + 5


def test_unknown_form_is_named():
    with pytest.raises(dagnet.NetworkError, match="'nodes', 'indexed' or 'matrix', got 'mat'"):
        dagnet.mlp([1, 1]).latex(form="mat")


_TEXT = ("import sys; sys.path.insert(0, {tests!r}); import dagnet, netgen; "
         "nets = [netgen.random_dag(s) for s in range(8)] + [dagnet.mlp([2, 5, 3, 1])]; "
         "print([[str(e) for e in n.equations(form='matrix')] for n in nets])")


def test_the_text_is_the_same_on_two_runs():
    code = _TEXT.format(tests=os.path.dirname(os.path.dirname(__file__)))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0].count("Eq(") > 30


def test_every_sum_block_line_states_its_equation():
    """Each sum equation's product, bias and name appear in its block's comment and code."""
    checked = 0
    for net in NETS:
        body = net.compile(fused=False).source.split("def _forward")[1].splitlines()
        for eq in MatrixForm(net).equations[:-1]:
            v = eq.lhs.name
            if v[0] != "V":
                continue
            terms = eq.rhs.args if isinstance(eq.rhs, sp.MatAdd) else (eq.rhs,)
            bias = [t.args[1].name for t in terms if isinstance(t.args[0], sp.OneMatrix)]
            prod = [t.args[1] for t in terms if not isinstance(t.args[0], sp.OneMatrix)]
            at = body.index(next(ln for ln in body if ln.startswith(f"    # {v} = ")))
            comment, code = body[at], body[at + 1]
            assert comment.endswith(f" + {bias[0]}" if bias and prod else prod[0].name
                                    if prod else bias[0])
            if prod:
                op = "np.multiply(" if prod[0].shape[0] == 1 else "np.matmul("
                assert code.startswith(f"    {op}")
                assert code.endswith(f", {prod[0].name}, out={v})")
                assert (bool(bias) and body[at + 2] == f"    {v} += {bias[0]}") == bool(bias)
            else:
                assert code == f"    {v}[...] = {bias[0]}"
            checked += 1
    assert checked > 60


def test_the_code_follows_a_changed_equation(monkeypatch):
    """Swap the first activation of 1-3-1 tanh for logistic in the matrix form only: the
    compiled function is then the 1-3-1 network with a logistic hidden layer."""
    logistic = sp.Lambda(dagnet.core.activations.V, 1 / (1 + sp.exp(-dagnet.core.activations.V)))

    class Patched(MatrixForm):
        def __init__(self, net, plan=None):
            super().__init__(net, plan)
            eq = self.equations[1]
            self.equations[1] = sp.Eq(eq.lhs, ElementwiseApplyFunction(logistic, eq.rhs.expr))
            self.functions[logistic] = "logistic"

    net = dagnet.mlp([1, 3, 1], "tanh", rng=2)
    other = dagnet.mlp([1, 3, 1], ["logistic", "tanh"])
    other.set_weights(net.weights)
    monkeypatch.setattr(dagnet.compiled.forward, "MatrixForm", Patched)
    f = net.compile(fused=False)
    assert "_f_logistic" in f.source and f.source.count("_f_tanh") == 1
    X = np.linspace(-2, 2, 7)[:, None]
    np.testing.assert_allclose(f(X), reference_forward(other, X, other.weights), atol=1e-12)
    assert not np.allclose(f(X), reference_forward(net, X, net.weights))


@pytest.mark.parametrize("seed", range(8))
def test_the_runtime_sees_plain_ints_not_sympy_integers(seed):
    """Sizes read off the matrix equations are sympy Integers; the kernel's per-call arithmetic
    on them cost ~10% of a 1,000-point call (caught by the benchmark): they must be ints."""
    for net in (random_dag(seed), dagnet.mlp([1, 11, 9, 1], rng=seed)):
        k = net.compile().kernel
        sizes = [*k.widths, k.macs, k.widest, k.elements, k.n_out]
        assert all(type(v) is int for v in sizes), [type(v) for v in sizes]
