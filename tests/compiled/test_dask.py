"""Compiled networks on chunked dask arrays: lazy, block by block, equal to the numpy path."""

import pickle
import subprocess
import sys

import dask  # a dev dependency: without it these tests fail, they do not skip
import dask.array as da
import numpy as np
import pytest
from netgen import random_dag, reference_forward

import dagnet


@pytest.fixture(params=["synchronous", "threads"])
def scheduler(request):
    with dask.config.set(scheduler=request.param):
        yield request.param


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_a_chunked_grid_is_lazy_and_equals_the_reference(seed, scheduler):
    net = random_dag(seed)
    X = np.random.default_rng(seed).uniform(-3, 3, size=(1000, net.n_inputs))
    Xd = da.from_array(X, chunks=(170, net.n_inputs))
    lazy = net.compile()(Xd)
    assert isinstance(lazy, da.Array) and lazy.shape == (1000, net.n_outputs)
    assert lazy.chunks[0] == Xd.chunks[0]  # one task per block of rows
    np.testing.assert_allclose(lazy.compute(), reference_forward(net, X), rtol=1e-12, atol=1e-12)


def test_columns_split_into_chunks_are_joined():
    net = dagnet.mlp([3, 4, 2], rng=1)
    X = np.random.default_rng(1).normal(size=(50, 3))
    got = net.compile()(da.from_array(X, chunks=(20, 1))).compute(scheduler="synchronous")
    np.testing.assert_allclose(got, reference_forward(net, X), rtol=1e-12, atol=1e-12)


def test_weight_stacks_lazy_or_not_are_evaluated_per_block_of_draws(scheduler):
    net = dagnet.mlp([1, 5, 1], rng=0)
    f = net.compile()
    X = np.linspace(-6, 6, 40)[:, None]
    W = net.sample_weights(9, rng=2)
    want = np.stack([reference_forward(net, X, w) for w in W])
    lazy_w = f(X, weights=da.from_array(W, chunks=(4, net.n_weights)))
    assert lazy_w.shape == (9, 40, 1) and lazy_w.chunks[0] == (4, 4, 1)
    np.testing.assert_allclose(lazy_w.compute(), want, rtol=1e-12, atol=1e-12)
    both = f(da.from_array(X, chunks=(15, 1)), weights=da.from_array(W, chunks=(5, -1)))
    assert both.numblocks == (2, 3, 1)
    np.testing.assert_allclose(both.compute(), want, rtol=1e-12, atol=1e-12)
    lazy_x = f(da.from_array(X, chunks=(15, 1)), weights=W)
    np.testing.assert_allclose(lazy_x.compute(), want, rtol=1e-12, atol=1e-12)
    one = f(da.from_array(X, chunks=(15, 1)), weights=W[4])
    np.testing.assert_allclose(one.compute(), want[4], rtol=1e-12, atol=1e-12)


def test_a_huge_grid_only_builds_a_graph():
    f = dagnet.mlp([2, 16, 16, 3], rng=0).compile()
    lazy = f(da.zeros((10**8, 2), chunks=(10**6, 2)))  # 1.6 GB of inputs, never materialised
    assert lazy.shape == (10**8, 3) and lazy.numblocks == (100, 1)
    first = lazy.blocks[0].compute(scheduler="synchronous")  # only the first block runs
    np.testing.assert_allclose(first, np.broadcast_to(f(np.zeros((1, 2))), (10**6, 3)),
                               rtol=1e-12, atol=1e-12)


def test_worker_processes_run_the_blocks():
    """The processes scheduler pickles every task into other processes, as a cluster does."""
    net = random_dag(5)
    X = np.random.default_rng(5).uniform(-2, 2, size=(400, net.n_inputs))
    W = net.sample_weights(6, rng=5)
    f = net.compile()
    got = f(da.from_array(X, chunks=(100, -1)), weights=da.from_array(W, chunks=(2, -1)))
    want = np.stack([reference_forward(net, X, w) for w in W])
    np.testing.assert_allclose(got.compute(scheduler="processes", num_workers=2), want,
                               rtol=1e-12, atol=1e-12)


def test_the_lazy_result_pickles_for_a_cluster():
    net = dagnet.mlp([2, 3, 1], rng=4)
    X = np.random.default_rng(4).uniform(size=(30, 2))
    lazy = pickle.loads(pickle.dumps(net.compile()(da.from_array(X, chunks=(7, 2)))))
    np.testing.assert_allclose(lazy.compute(scheduler="synchronous"), reference_forward(net, X),
                               rtol=1e-12, atol=1e-12)


def test_errors_are_raised_early_or_when_the_block_runs():
    f = dagnet.linear(2, rng=0).compile()
    with pytest.raises(dagnet.ShapeError, match=r"X must have shape \(n_points, 2\)"):
        f(da.zeros((5, 3), chunks=2))
    with pytest.raises(dagnet.ShapeError, match=r"lazy weight stack must have shape \(K, 3\)"):
        f(np.zeros((2, 2)), weights=da.zeros((4, 2), chunks=2))
    bad = da.from_array(np.array([[0.0, np.nan, 1.0]]), chunks=(1, 3))
    lazy = f(np.zeros((2, 2)), weights=bad)
    with pytest.raises(dagnet.WeightError, match="NaN or inf"):
        lazy.compute(scheduler="synchronous")


def test_dask_is_not_imported_unless_given():
    code = ("import sys, numpy, dagnet; f = dagnet.mlp([1, 2, 1], rng=0).compile(); "
            "f(numpy.zeros((3, 1))); f(numpy.zeros((3, 1)), weights=numpy.zeros((2, 7))); "
            "print('dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
