"""Every loss row: gradient = finite differences of its value; value = its sympy form."""

import numpy as np
import pytest
import sympy as sp

import dagnet
from dagnet.core.losses import PROBABILITY_CLIP, get_loss, loss_names

CASES = [("mse", 1), ("mse", 3), ("cross_entropy", 1), ("cross_entropy", 2),
         ("cross_entropy", 4)]


def _data(name, k, n=7, seed=0):
    gen = np.random.default_rng(seed)
    if name == "cross_entropy" and k == 1:
        return gen.uniform(0.05, 0.95, size=(n, 1)), gen.integers(0, 2, n).astype(float)
    if name == "cross_entropy":
        return gen.normal(size=(n, k)) * 3, gen.integers(0, k, n)
    return gen.normal(size=(n, k)), gen.normal(size=(n, k))


def test_table_is_complete():
    assert loss_names() == ("cross_entropy", "mse")
    assert {name for name, _ in CASES} == set(loss_names())


@pytest.mark.parametrize("name,k", CASES)
def test_gradient_is_the_derivative_of_the_value(name, k):
    row = get_loss(name)
    Y, y = _data(name, k)
    T = row.targets(y, *Y.shape)
    value, grad = row.value_and_gradient(Y.copy(), T)
    assert grad.shape == Y.shape
    h = 1e-6
    fd = np.zeros_like(Y)
    for idx in np.ndindex(*Y.shape):
        up, down = Y.copy(), Y.copy()
        up[idx] += h
        down[idx] -= h
        fd[idx] = (row.value_and_gradient(up, T)[0] - row.value_and_gradient(down, T)[0]) / (2 * h)
    err = np.abs(grad - fd).max() / np.abs(fd).max()
    assert err < 1e-7, (name, k, err)


@pytest.mark.parametrize("name,k", CASES)
def test_value_is_the_mean_of_the_sympy_per_point_loss(name, k):
    row = get_loss(name)
    Y, y = _data(name, k)
    T = row.targets(y, *Y.shape)
    o = sp.symbols(f"o_0:{k}")
    t = sp.symbols(f"t_0:{T.shape[1]}")
    per_point = sp.lambdify([o, t], row.sympy(list(o), list(t)), "mpmath")
    expected = np.mean([float(per_point(list(map(float, a)), list(map(float, b))))
                        for a, b in zip(Y, T)])
    assert row(Y, y)[0] == pytest.approx(expected, rel=1e-12)


def test_mse_by_hand():
    value, grad = get_loss("mse")(np.array([[1.0, 0.0], [3.0, 1.0]]), np.zeros((2, 2)))
    assert value == pytest.approx((1 + 9 + 1) / 4)
    np.testing.assert_allclose(grad, 2 * np.array([[1.0, 0.0], [3.0, 1.0]]) / 4)


def test_binary_cross_entropy_clips_and_its_gradient_is_zero_beyond_the_clip():
    row = get_loss("cross_entropy")
    value, grad = row(np.array([[0.0], [1.0], [0.5]]), np.array([1.0, 0.0, 1.0]))
    eps = PROBABILITY_CLIP
    expected = (-np.log(eps) - np.log(1 - (1 - eps)) + np.log(2)) / 3
    assert value == pytest.approx(expected, rel=1e-9)
    assert grad[0, 0] == 0.0 and grad[1, 0] == 0.0
    assert grad[2, 0] == pytest.approx((0.5 - 1) / (0.25 * 3))


def test_softmax_cross_entropy_is_stable_and_accepts_probability_rows():
    row = get_loss("cross_entropy")
    Y = np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]])
    value, grad = row(Y, np.array([0, 2]))
    assert np.isfinite(value) and np.isfinite(grad).all()
    assert value == pytest.approx(np.log(3) / 2)
    onehot = np.array([[1.0, 0, 0], [0, 0, 1.0]])
    assert row(Y, onehot)[0] == value
    np.testing.assert_allclose(row(Y, onehot)[1], grad)


@pytest.mark.parametrize("name,Y,y,match", [
    ("mse", np.zeros((3, 2)), np.zeros(3), "shape"),
    ("mse", np.zeros((3, 1)), [1.0, np.nan, 2.0], "NaN"),
    ("cross_entropy", np.zeros((3, 1)), [0, 2, 1], "targets 0 or 1"),
    ("cross_entropy", np.zeros((3, 3)), [0, 3, 1], "integer class targets 0..2"),
    ("cross_entropy", np.zeros((3, 3)), [0, 0.5, 1], "integer class targets"),
    ("cross_entropy", np.zeros((2, 3)), np.ones((2, 3)), "sum to 1"),
])
def test_bad_targets_name_the_problem(name, Y, y, match):
    with pytest.raises(dagnet.DagnetError, match=match):
        get_loss(name)(Y, y)


def test_unknown_loss():
    with pytest.raises(dagnet.FitError, match="choose one of cross_entropy, mse"):
        get_loss("hinge")
