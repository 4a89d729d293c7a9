"""One test checks every row of the activation registry (the table is data)."""

import math

import numpy as np
import pytest
import sympy as sp

import dagnet
from dagnet.core.activations import V


@pytest.mark.parametrize("name", dagnet.activation_names())
def test_every_row_sympy_form_equals_numpy_form(name):
    act = dagnet.get_activation(name)
    assert act.name == name
    v = np.linspace(-30, 30, 2001)
    expected = sp.lambdify(V, act.sympy(V), "mpmath")
    ref = np.array([float(expected(float(x))) for x in v])
    got = np.asarray(act.numpy(v.copy()), dtype=float)
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=0)
    lo, hi = act.range
    assert lo < hi
    assert np.all(got >= lo - 1e-12) and np.all(got <= hi + 1e-12)
    if act.threshold is not None:
        assert lo <= act.threshold <= hi
    assert act.glyph and act.latex
    # linear rows are affine, the others are not
    second = sp.diff(act.sympy(V), V, 2)
    assert act.linear == (sp.simplify(second) == 0)


def test_builtin_rows_are_the_articles_functions():
    assert dagnet.get_activation("logistic").range == (0.0, 1.0)
    assert dagnet.get_activation("tanh").range == (-1.0, 1.0)
    assert dagnet.get_activation("logistic").threshold == 0.5
    assert dagnet.get_activation("tanh").threshold == 0.0
    assert dagnet.get_activation("relu").range == (0.0, math.inf)


def test_unknown_activation_lists_known_names():
    with pytest.raises(dagnet.UnknownActivationError, match="known activations are identity"):
        dagnet.get_activation("swish")
    with pytest.raises(dagnet.UnknownActivationError, match="unknown activation"):
        dagnet.mlp([1, 1], "__import__('os')")


def test_register_custom_activation_and_use_it():
    act = dagnet.register_activation(
        "cube", sympy=lambda v: v**3, numpy=lambda v: v**3, overwrite=True)
    assert "cube" in dagnet.activation_names() and act.glyph == "cube"
    net = dagnet.mlp([1, 1], "cube", rng=0)
    x = np.linspace(-1, 1, 5)[:, None]
    w = net.weights
    np.testing.assert_allclose(net.compile()(x)[:, 0], (w[0] + w[1] * x[:, 0]) ** 3, rtol=1e-14)
    assert not net.is_linear()
    dagnet.unregister_activation("cube")
    assert "cube" not in dagnet.activation_names()
    with pytest.raises(dagnet.UnknownActivationError, match="built-in"):
        dagnet.unregister_activation("tanh")


def test_register_rejects_bad_rows():
    with pytest.raises(dagnet.UnknownActivationError, match="already registered"):
        dagnet.register_activation("tanh", sympy=sp.tanh, numpy=np.tanh)
    with pytest.raises(dagnet.UnknownActivationError, match="identifier"):
        dagnet.register_activation("not a name", sympy=sp.tanh, numpy=np.tanh)
    with pytest.raises(dagnet.UnknownActivationError, match="callables"):
        dagnet.register_activation("bad", sympy="tanh", numpy=np.tanh)


def test_logistic_is_stable_at_extremes():
    v = np.array([-1e6, -800.0, 0.0, 800.0, 1e6])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = dagnet.get_activation("logistic").numpy(v)
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.5, 1.0, 1.0])
