"""The fused kernels (dagnet.compiled.fused, numba): every activation's fast path against
the registry's numpy form over the whole float64 range, compiled networks with the kernels
against the node-by-node interpreter, and the numpy fallback when numba is absent."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netgen import random_dag, reference_forward, skip_net

import dagnet
from dagnet.compiled import fused as kernels
from dagnet.core.activations import activation_names, get_activation


def whole_range() -> np.ndarray:
    """float64 values of every magnitude and sign: random, log-spaced from subnormals to
    the largest float, the kernel's branch points and their neighbours, zeros, inf, NaN."""
    rng = np.random.default_rng(0)
    mags = np.logspace(-323, 308, 40_000)
    edges = np.array([1e-9, 0.625, 19.06, 20.0, 40.0, 1.0, 0.5, 710.0, 1e300])
    near = np.concatenate([np.nextafter(edges, 0), edges, np.nextafter(edges, np.inf)])
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324,
               np.finfo(float).max, -np.finfo(float).max, np.finfo(float).tiny]
    x = np.concatenate([rng.uniform(-30, 30, 200_000), rng.normal(0, 1, 50_000), mags, -mags,
                        near, -near, special])
    return x


def test_the_test_range_holds_every_kind_of_value():
    x = whole_range()
    assert np.isnan(x).any() and np.isposinf(x).any() and np.isneginf(x).any()
    assert (x == 0).sum() >= 2 and np.signbit(x[x == 0]).any()
    assert np.abs(x[np.isfinite(x)]).max() == np.finfo(float).max
    assert (np.abs(x[x != 0]) < np.finfo(float).tiny).any()  # subnormals


@pytest.mark.parametrize("name", activation_names())
def test_every_activations_fast_path_equals_numpys_over_the_whole_range(name):
    """One row per registered activation. A row of kernels.FAST is computed inside the
    kernel: it must equal the registry's numpy form to a relative 1e-14 (exactly where
    numpy gives 0, +-inf or +-1), with NaN where numpy has NaN and the same sign. Any other
    row has no fast path: compiled code calls its numpy form, never a kernel."""
    x = whole_range()
    want = get_activation(name).numpy(x.copy())
    if name not in kernels.FAST:
        net = dagnet.mlp([2, 3, 1], name, rng=0)
        code = net.compile(fused=True).source
        assert "_fused(" not in code and "_bias_act(" not in code
        assert code == net.compile(fused=False).source  # the numpy code, unchanged
        return
    got = kernels.fast_activation(name, x)
    assert got.shape == x.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    g, w = got[ok], want[ok]
    np.testing.assert_array_equal(np.signbit(g), np.signbit(w))
    exact = (w == 0) | np.isinf(w)
    np.testing.assert_array_equal(g[exact], w[exact])
    rel = np.abs(g[~exact] - w[~exact]) / np.abs(w[~exact])
    assert rel.max() <= 1e-14, (name, x[ok][~exact][rel.argmax()], rel.max())


def test_the_fast_tanh_is_the_kernels_own_not_numpys():
    """The check above compares two computations: the kernel's tanh differs from numpy's in
    the last bits somewhere (if it were numpy's, the table test would prove nothing)."""
    x = np.random.default_rng(1).uniform(-5, 5, 100_000)
    got = kernels.fast_activation("tanh", x)
    assert not np.array_equal(got, np.tanh(x))
    assert np.max(np.abs(got - np.tanh(x))) < 1e-15


def test_thin_blocks_print_as_kernel_calls():
    f = dagnet.mlp([1, 200, 9, 1], "tanh", rng=0).compile()  # too wide for a chain
    assert "_fused(X, W1, B1, V1, _A_tanh)" in f.source  # fan-in 1: product in the kernel
    assert "np.matmul(V1, W2, out=V2)" in f.source  # fan-in 200: BLAS, then the kernel
    assert "_bias_act(B2, V2, _A_tanh)" in f.source
    assert "_f_tanh" not in f.source.split("def _forward")[1]
    plain = dagnet.mlp([1, 200, 9, 1], "tanh", rng=0).compile(fused=False)
    assert "_fused" not in plain.source and "_bias_act" not in plain.source


@pytest.mark.parametrize("sizes, act", [
    ([1, 100, 1], "tanh"), ([1, 11, 9, 1], "tanh"), ([2, 16, 16, 3], "tanh"),
    ([3, 40, 40, 2], "relu"), ([2, 5, 3], ["relu", "identity"]), ([4, 6, 2], "logistic"),
])
@pytest.mark.parametrize("chunk", [None, 1, 7])
def test_fused_networks_equal_the_interpreter(sizes, act, chunk):
    net = dagnet.mlp(sizes, act, rng=3)
    f = net.compile(chunk_rows=chunk, fused=True)
    X = np.random.default_rng(4).uniform(-6, 6, size=(300, sizes[0]))
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12, atol=1e-12)
    W = net.sample_weights(5, rng=5, low=-2, high=2)
    got = f(X[:60], weights=W)
    for k in range(5):
        np.testing.assert_allclose(got[k], reference_forward(net, X[:60], W[k]),
                                   rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.sampled_from([None, 3]))
def test_random_dags_with_the_kernels_equal_the_interpreter(seed, chunk):
    net = random_dag(seed, max_layers=5, max_width=5)
    X = np.random.default_rng(seed).normal(size=(23, net.n_inputs)) * 3
    f = net.compile(fused=True, chunk_rows=chunk)
    np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12, atol=1e-12)
    W = net.sample_weights(3, rng=seed, low=-1.5, high=1.5)
    got = f(X, weights=W)
    for k in range(3):
        np.testing.assert_allclose(got[k], reference_forward(net, X, W[k]),
                                   rtol=1e-12, atol=1e-12)


def test_non_finite_inputs_give_what_the_numpy_code_gives():
    for act in ("tanh", "relu"):
        net = dagnet.mlp([2, 4, 3], act, rng=1)
        X = np.array([[np.inf, 0.0], [-np.inf, 1.0], [np.nan, 0.0], [1e308, -1e308],
                      [0.0, -0.0], [5e-324, 2.0]])
        with np.errstate(invalid="ignore"):
            got, want = net.compile(fused=True)(X), net.compile(fused=False)(X)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        assert np.isnan(got[2]).all()  # the NaN row
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)  # NaN where NaN


def test_without_numba_the_numpy_code_runs(monkeypatch):
    """The availability hook says no: compile() prints the numpy code, which still equals
    the interpreter; asking for the kernels names the extra to install."""
    net = skip_net()
    mlp = dagnet.mlp([1, 11, 9, 1], "tanh", rng=0)
    with_kernels = mlp.compile().source
    monkeypatch.setattr(kernels, "available", lambda: False)
    f = mlp.compile()
    assert "_chain(" in with_kernels and "_chain" not in f.source and "_fused" not in f.source
    assert f.source == mlp.compile(fused=False).source
    X = np.random.default_rng(0).uniform(-6, 6, size=(50, 1))
    np.testing.assert_allclose(f(X), reference_forward(mlp, X), rtol=1e-12, atol=1e-12)
    Xs = np.random.default_rng(1).normal(size=(9, net.n_inputs))
    np.testing.assert_allclose(net.compile()(Xs), reference_forward(net, Xs),
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(dagnet.MissingExtraError, match=r"dagnet\[fast\]"):
        mlp.compile(fused=True)


def test_the_standalone_export_never_calls_the_kernels():
    from dagnet.compiled.export import module_source

    text = module_source(dagnet.mlp([1, 11, 9, 1], "tanh", rng=0), fused=True)
    assert "_fused" not in text and "_bias_act" not in text and "numba" not in text
    assert "_chain" not in text
