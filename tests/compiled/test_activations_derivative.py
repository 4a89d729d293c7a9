"""Every activation row's derivative agrees with sympy.diff of its sympy form."""

import numpy as np
import pytest
import sympy as sp

import dagnet
from dagnet.compiled.backprop import activation_derivative
from dagnet.core.activations import V


def _sympy_derivative(act, v):
    d = sp.lambdify(V, sp.diff(act.sympy(V), V), "mpmath")
    return np.array([float(d(float(x))) for x in v])


@pytest.mark.parametrize("name", dagnet.activation_names())
def test_every_row_derivative_equals_sympy_diff(name):
    act = dagnet.get_activation(name)
    v = np.linspace(-30, 30, 2000)  # an even count: the kink of relu at 0 is not a grid point
    y = act.numpy(v.copy())
    got = np.asarray(activation_derivative(name)(v, y), dtype=float)
    # To rounding, absolutely: 1 - y**2 (tanh) and y (1 - y) (logistic) reuse the forward
    # value and lose *relative* precision only where f' is below ~1e-16 of its peak.
    np.testing.assert_allclose(got, _sympy_derivative(act, v), rtol=1e-12, atol=1e-15)
    if act.derivative is not None:  # the row's own function, not only the lambdified fallback
        np.testing.assert_allclose(act.derivative(v, y), got, rtol=0, atol=0)


def test_builtin_rows_have_stable_derivatives():
    v = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    for name in ("identity", "logistic", "tanh", "relu"):
        act = dagnet.get_activation(name)
        assert act.derivative is not None
        d = act.derivative(v, act.numpy(v.copy()))
        assert np.isfinite(d).all() and (d >= 0).all(), name
    # relu's derivative at the kink is taken as 0 (sympy's Heaviside(0) would be 1/2)
    assert dagnet.get_activation("relu").derivative(np.zeros(1), np.zeros(1))[0] == 0.0


def test_registered_activation_without_derivative_uses_sympy_diff():
    dagnet.register_activation("softplus_t", sympy=lambda v: sp.log(1 + sp.exp(v)),
                               numpy=lambda v: np.logaddexp(0.0, v))
    try:
        d = activation_derivative("softplus_t")
        v = np.linspace(-5, 5, 11)
        np.testing.assert_allclose(d(v, None), 1 / (1 + np.exp(-v)), rtol=1e-13)
        assert activation_derivative("softplus_t") is d  # lambdified once, then cached
        # a constant derivative still comes back with the shape of v
        dagnet.register_activation("shift_t", sympy=lambda v: v + 1, numpy=lambda v: v + 1,
                                   linear=True)
        assert activation_derivative("shift_t")(v, None).shape == v.shape
    finally:
        dagnet.unregister_activation("softplus_t")
        if "shift_t" in dagnet.activation_names():
            dagnet.unregister_activation("shift_t")


def test_overwriting_a_row_rederives():
    dagnet.register_activation("sq_t", sympy=lambda v: v**2, numpy=lambda v: v**2)
    try:
        assert activation_derivative("sq_t")(np.array([3.0]), None)[0] == 6.0
        dagnet.register_activation("sq_t", sympy=lambda v: v**3, numpy=lambda v: v**3,
                                   overwrite=True)
        assert activation_derivative("sq_t")(np.array([3.0]), None)[0] == 27.0
    finally:
        dagnet.unregister_activation("sq_t")


def test_a_derivative_without_numpy_form_names_the_fix():
    dagnet.register_activation("odd_t", sympy=lambda v: sp.Function("g")(v),
                               numpy=lambda v: v)
    try:
        with pytest.raises(dagnet.FitError, match="register it with derivative="):
            activation_derivative("odd_t")
    finally:
        dagnet.unregister_activation("odd_t")
