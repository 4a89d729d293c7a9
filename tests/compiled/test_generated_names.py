"""Issue 18, item 2: names in generated code come from indices, never from user text
(Python folds identifiers to NFKC, so "ﬁ" and "fi" would be one name)."""

import numpy as np
import pytest
from netgen import reference_forward

import dagnet


@pytest.fixture
def twins():
    for name, k in (("ﬁ", 2.0), ("fi", 3.0)):
        dagnet.register_activation(
            name, sympy=lambda v, k=k: k * v,
            numpy=lambda v, out=None, k=k: np.multiply(v, k, out=out), overwrite=True)
    yield
    for name in ("ﬁ", "fi"):
        dagnet.unregister_activation(name)


def test_nfkc_equal_activation_names_stay_two_functions(twins):
    net = dagnet.mlp([1, 2, 1], activation=["ﬁ", "fi"], rng=0)
    X = np.array([[0.5], [-1.0]])
    want = reference_forward(net, X)
    f = net.compile()
    np.testing.assert_allclose(f(X), want, rtol=1e-12)
    assert "ﬁ" not in f.source and "_f_fi" not in f.source
    assert f.functions == {"ﬁ": "u0", "fi": "u1"}
    # the gradient's derivatives too: against finite differences of the true network
    y = np.zeros((2, 1))
    g = net.gradient(X, y)
    w, h = net.weights, 1e-6
    for k in range(len(w)):
        up, down = w.copy(), w.copy()
        up[k] += h
        down[k] -= h
        fd = (np.mean((f(X, up) - y) ** 2) - np.mean((f(X, down) - y) ** 2)) / (2 * h)
        assert abs(g.gradient[k] - fd) < 1e-5 * max(1.0, abs(fd))


def test_the_export_of_user_activations_uses_the_indexed_names(twins):
    net = dagnet.mlp([1, 2, 1], activation=["ﬁ", "tanh"], rng=0)
    text = dagnet.export_source(net) if hasattr(dagnet, "export_source") else None
    if text is None:
        from dagnet.compiled.export import module_source
        text = module_source(net)
    assert "def _f_u0(v, out=None):" in text and "_f_tanh = np.tanh" in text
    assert "_f_ﬁ" not in text and "_f_fi" not in text
    compile(text, "<export>", "exec")
