"""The fast paths give what the plain ones give: threads, units, caches, in-place, orders."""

import pickle

import networkx as nx
import numpy as np
import pytest
from netgen import random_dag, reference_forward
from threadpoolctl import threadpool_info

import dagnet
from dagnet.core.structure import _topological_order
from dagnet.symbolic.notation import layer_table

pytestmark = pytest.mark.slow  # the fast paths on many random DAGs and thread counts


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_the_topological_order_is_networkx_order(seed):
    G = random_dag(seed).graph
    assert _topological_order(G) == tuple(nx.topological_sort(G))


def test_the_topological_order_detects_cycles():
    G = nx.DiGraph([(1, 2), (2, 3), (3, 1), (0, 1)])
    with pytest.raises(nx.NetworkXUnfeasible):
        _topological_order(G)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("chunk_rows", [None, 7, 300])
def test_threads_and_units_agree_with_the_reference(threads, chunk_rows):
    for seed in (1, 5, 9):
        net = random_dag(seed, max_width=6)
        X = np.random.default_rng(seed).uniform(-3, 3, size=(3000, net.n_inputs))
        f = net.compile(threads=threads, chunk_rows=chunk_rows)
        close(f(X), reference_forward(net, X))
        W = net.sample_weights(5, rng=seed)
        got = f(X[:700], weights=W)
        for k in range(5):
            close(got[k], reference_forward(net, X[:700], W[k]))


def test_wide_layers_and_many_draws_split_into_units():
    net = dagnet.mlp([3, 300, 2], rng=0)
    X = np.random.default_rng(0).uniform(-2, 2, size=(5000, 3))
    want = reference_forward(net, X)
    for threads in (1, 2):
        close(net.compile(threads=threads)(X), want)
    small = dagnet.mlp([1, 40, 1], rng=0)
    W = small.sample_weights(3000, rng=1)  # draws x points x width >> one unit: split draws
    x = np.linspace(-6, 6, 50)[:, None]
    got = small.compile(threads=2)(x, weights=W)
    for k in (0, 1234, 2999):
        close(got[k], reference_forward(small, x, W[k]))


def test_blas_threads_are_restored_after_a_call():
    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    net = dagnet.mlp([2, 64, 64, 1], rng=0)
    net.compile(threads=2)(np.zeros((20000, 2)))
    after = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert after == before


def test_a_sum_read_twice_is_not_overwritten_by_its_activation():
    net = dagnet.Network()
    x0, x1 = net.add_bias(), net.add_input(1)
    v0, v1 = net.add_sum(0), net.add_sum(1)
    for v in (v0, v1):
        net.add_weight(x0, v, value=0.3)
        net.add_weight(x1, v, value=-1.2)
    y0 = net.add_activation(v0, "tanh")
    y1 = net.add_activation(v1, "tanh")
    h = net.add_input(1, 2, source=v0)  # v0 is also read as it is, before its tanh
    v = net.add_sum(0, 2)
    for i, (src, value) in enumerate(((h, 2.0), (y0, 0.5), (y1, -0.7)), start=1):
        net.add_weight(src, v, value=value, i=i)
    X = np.linspace(-3, 3, 11)[:, None]
    close(net.compile()(X), reference_forward(net, X))


def test_two_weights_into_one_slot_are_added():
    net = dagnet.Network()
    x1 = net.add_input(1)
    alias = net.add_input(1, 2, source=x1)  # the same value under another node
    v = net.add_sum(0, 2)
    net.add_weight(x1, v, value=1.5, i=1)
    net.add_weight(alias, v, value=-0.25, i=2)
    f = net.compile()
    assert "np.add.at" in f.source
    X = np.array([[2.0], [-1.0]])
    close(f(X), X * 1.25)
    close(f(X, weights=np.array([[1.0, 1.0], [0.5, 0.0]])), [2 * X, 0.5 * X])


def test_weights_are_read_again_when_they_change():
    net = dagnet.mlp([1, 3, 1], rng=0)
    f = net.compile()
    X = np.linspace(-1, 1, 5)[:, None]
    w = net.weights
    first = f(X, weights=w)
    w[-1] += 1.0  # the same array, changed in place
    close(f(X, weights=w), reference_forward(net, X, w))
    assert not np.allclose(f(X, weights=w), first)
    net.graph.nodes[net.weight_nodes[0]]["value"] = 0.75  # behind dagnet's back
    close(f(X), reference_forward(net, X))
    net.set_weights(w)
    close(f(X), reference_forward(net, X, w))
    wide = dagnet.mlp([1, 80, 80, 1], rng=0)  # over 4096 weights: compared in place
    g, v = wide.compile(), wide.weights
    before = g(X, weights=v)
    v[100] += 0.5
    close(g(X, weights=v), reference_forward(wide, X, v))
    assert not np.allclose(g(X, weights=v), before)


def test_the_kernel_pickles():
    net = dagnet.mlp([2, 4, 2], "relu", rng=3)
    f = net.compile()
    kernel = pickle.loads(pickle.dumps(f.kernel))
    X = np.random.default_rng(3).normal(size=(9, 2))
    close(kernel.evaluate(X, kernel.mats(net.weights), None, None, 1), reference_forward(net, X))


def test_layer_table_rejects_a_direct_input_and_reads_attributes_afresh():
    net = dagnet.mlp([1, 2, 1], rng=0)
    assert layer_table(net)[1]["activation"] == "tanh"
    net.graph.nodes["L2.y0"]["activation"] = "relu"  # an attribute, not the structure
    assert layer_table(net)[1]["activation"] == "relu"
    net.connect("L1.x1", "L1.v0")  # x_1 also feeds v_0 without a weight
    with pytest.raises(dagnet.NotLayeredError, match="'L1.v0' is not fed by a weight"):
        layer_table(net)


def test_validation_fast_paths_keep_numpy_scalars_and_errors():
    net = dagnet.mlp([1, 2, 1], rng=0)
    G = net.graph
    G.nodes["L1.v0"]["index"] = np.int64(0)
    G.nodes["L1.w10"]["value"] = np.float64(0.5)
    dagnet.validate(G)
    G.nodes["L1.w10"]["value"] = float("nan")
    with pytest.raises(dagnet.WeightError, match="finite"):
        dagnet.validate(G)
    G.nodes["L1.w10"]["value"] = 0.5
    G.nodes["L1.w10"]["i"] = True
    with pytest.raises(dagnet.NetworkError, match="integer 'i'"):
        dagnet.validate(G)


def test_threaded_calls_work_in_a_forked_child():
    """Fork after the thread pools exist (as the gallery's process pool does): no deadlock."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        return
    net = dagnet.mlp([2, 64, 64, 1], rng=0)
    X = np.random.default_rng(0).normal(size=(200_000, 2))
    expected = net.compile(threads=2)(X)  # starts dagnet's thread pool in this process
    with mp.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(_evaluate_in_child, (net, X)).get(timeout=120)
    np.testing.assert_array_equal(got, expected)


def _evaluate_in_child(net, X):
    return net.compile(threads=2)(X)
