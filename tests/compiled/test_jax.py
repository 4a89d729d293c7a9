"""compile(backend="jax"): the same matrix equations as jit-compiled jax.numpy, checked
against the independent node-by-node interpreter as the numpy backend is."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netgen import mlps, random_dag, reference_forward, skip_net

import dagnet
from dagnet.compiled.jaxcode import JaxCode, JaxCompiledNetwork
from dagnet.compiled.printer import BlockCode, GradientCode
from dagnet.symbolic.matrixform import MatrixForm


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_random_dags_agree_with_the_node_by_node_reference(seed):
    net = random_dag(seed, max_layers=5, max_width=5)
    gen = np.random.default_rng(seed)
    X = gen.normal(size=(11, net.n_inputs)) * 2
    W = net.sample_weights(3, rng=seed, low=-1.5, high=1.5)
    f = net.compile(backend="jax")
    got = f(X, weights=W)
    assert got.shape == (3, 11, net.n_outputs) and got.dtype == np.float64
    for k in range(3):
        close(got[k], reference_forward(net, X, W[k]))
        close(f(X, weights=W[k]), reference_forward(net, X, W[k]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mlps())
def test_mlps_agree_with_the_numpy_backend(net):
    X = np.random.default_rng(0).uniform(-3, 3, size=(50, net.n_inputs))
    close(net.compile(backend="jax")(X), net.compile()(X))


def test_every_kind_of_block_shared_slots_bias_only_sums_and_several_outputs():
    net = skip_net()
    X = np.random.default_rng(1).normal(size=(9, net.n_inputs))
    f = net.compile(backend="jax")
    assert ".at[" in f.source  # two weights on one slot are added, as np.add.at does
    close(f(X), reference_forward(net, X))


def test_a_registered_activation_runs_through_its_sympy_form():
    dagnet.register_activation("softsign", sympy=lambda v: v / (1 + sp.Abs(v)),
                               numpy=lambda v: v / (1 + np.abs(v)), range=(-1, 1))
    try:
        net = dagnet.mlp([2, 4, 1], "softsign", rng=2)
        X = np.random.default_rng(2).normal(size=(20, 2))
        close(net.compile(backend="jax")(X), reference_forward(net, X))
    finally:
        dagnet.unregister_activation("softsign")


def test_float64_even_where_jax_defaults_to_float32():
    net = dagnet.mlp([1, 8, 1], "tanh", rng=0)
    X = np.array([[1e-9], [0.5], [3.0]])
    got = net.compile(backend="jax")(X)
    assert got.dtype == np.float64
    close(got, net.compile()(X))  # float32 would miss by ~1e-8


def test_the_code_is_printed_by_the_shared_walk():
    form = MatrixForm(dagnet.mlp([2, 3, 2], "tanh"))
    jax_code, grad = JaxCode(form), GradientCode(form)
    assert isinstance(jax_code, BlockCode) and isinstance(jax_code, GradientCode)
    assert jax_code.n_blocks == grad.n_blocks and jax_code.inputs == grad.inputs
    assert set(jax_code.consts) >= {k for k in grad.consts if k.startswith(("_I", "_J"))}
    for k in grad.consts:
        if k.startswith(("_I", "_J")):
            assert np.array_equal(jax_code.consts[k], grad.consts[k])


def test_errors_name_the_problem():
    net = dagnet.mlp([2, 3, 1], rng=0)
    f = net.compile(backend="jax")
    assert repr(f) == "JaxCompiledNetwork(inputs=2, outputs=1, weights=13)"
    assert isinstance(f, JaxCompiledNetwork)
    with pytest.raises(dagnet.ShapeError, match=r"shape \(n_points, 2\)"):
        f(np.zeros((3, 3)))
    with pytest.raises(dagnet.ShapeError, match=r"\(13,\) or \(K, 13\)"):
        f(np.zeros((2, 2)), weights=np.zeros(12))
    with pytest.raises(dagnet.WeightError, match="complex"):  # the numpy backend's check
        f(np.zeros((2, 2)), weights=np.zeros(13, complex))
    with pytest.raises(dagnet.WeightError, match="finite"):
        f(np.zeros((2, 2)), weights=np.full(13, np.nan))
    with pytest.raises(dagnet.DagnetError, match="backend must be 'numpy' or 'jax'"):
        net.compile(backend="torch")
