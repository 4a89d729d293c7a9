"""The block planner both compiled passes share (dagnet.core.blocks), on the graphs that stress it.

Every slot of a block's weight matrix is one (source, sum) pair; a planner bug there would
hit the forward pass and the gradient alike, so both are checked here on networks with
many values that reach one sum twice: two weights from one source, a weight and a direct
edge, a value and a hidden pass-through of it, a bias twice, a value and its identity
activation, two activation nodes of one function (or of two) on one sum.
"""

import networkx as nx
import numpy as np
import pytest
from netgen import (
    BUILTIN,
    finite_differences,
    pick_loss,
    random_dag,
    reference_forward,
    relative_error,
    relu_margin,
)

import dagnet
from dagnet.core.blocks import EXTENSION, ActGroup, Plan, SumBlock, extend_weights, runs


def tangle(seed: int) -> dagnet.Network:
    """``random_dag(seed)`` plus second paths from a sum's sources into the same sum."""
    rng = np.random.default_rng(seed)
    net = random_dag(seed, max_width=3)
    G = net.graph
    extra = 500
    for v in sorted(n for n in G if G.nodes[n]["kind"] == "sum"):
        layer = G.nodes[v]["layer"]
        weighted = sorted(next(iter(G.pred[p])) for p in G.pred[v]
                          if G.nodes[p]["kind"] == "weight")
        for _ in range(int(rng.integers(0, 3))):
            if not weighted:
                break
            src = weighted[int(rng.integers(len(weighted)))]
            kind = G.nodes[src]["kind"]
            how = str(rng.choice(["twice", "direct", "alias", "same", "other", "identity"]))
            extra += 1
            value = float(rng.uniform(-1.5, 1.5))
            if how == "direct" and kind != "bias" and not G.has_edge(src, v):
                net.connect(src, v)  # a weight and a direct edge: coefficient w + 1
            elif how == "alias" and G.nodes[src]["layer"] < layer:
                net.add_weight(net.add_input(extra, layer, source=src), v, value, i=extra)
            elif how == "same" and kind == "activation":  # f(s) again, as its own node
                s = next(iter(G.pred[src]))
                again = net.add_activation(s, G.nodes[src]["activation"], index=extra)
                net.add_weight(again, v, value, i=extra)
            elif how == "other" and kind == "activation":  # another function of s
                s = next(iter(G.pred[src]))
                name = str(rng.choice([a for a in BUILTIN if a != G.nodes[src]["activation"]]))
                net.add_weight(net.add_activation(s, name, index=extra), v, value, i=extra)
            elif how == "identity" and kind != "bias":
                net.add_weight(net.add_activation(src, "identity", index=extra), v, value, i=extra)
            else:  # a second weight from the same source into the same sum
                net.add_weight(src, v, value, i=extra)
    net.validate()
    return net


TANGLES = [tangle(seed) for seed in range(40)]


def test_the_tangles_reach_sums_twice():
    """The generator does what it claims: shared slots in most networks."""
    shared = sum("np.add.at" in net.compile().source for net in TANGLES)
    assert shared >= 25


@pytest.mark.parametrize("seed", range(40))
def test_forward_on_tangles_agrees_with_the_node_by_node_reference(seed):
    net = TANGLES[seed]
    gen = np.random.default_rng(seed)
    X = gen.uniform(-3, 3, size=(17, net.n_inputs))
    for chunk in (None, 4):
        f = net.compile(chunk_rows=chunk)
        np.testing.assert_allclose(f(X), reference_forward(net, X), rtol=1e-12, atol=1e-12)
        W = net.sample_weights(3, rng=gen, low=-2, high=2)
        got = f(X, weights=W)
        for k in range(3):
            np.testing.assert_allclose(got[k], reference_forward(net, X, W[k]),
                                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_gradient_on_tangles_matches_finite_differences(seed):
    net = TANGLES[seed]
    gen = np.random.default_rng(seed)
    X = gen.normal(size=(5, net.n_inputs))
    w = net.weights
    if relu_margin(net, X, w) < 2e-2:
        w = net.sample_weights(rng=seed + 1, low=-1.5, high=1.5)
        if relu_margin(net, X, w) < 2e-2:
            return
    loss, y = pick_loss(net, gen, len(X))
    result = dagnet.gradient(net, X, y, loss=loss, weights=w)
    assert result.loss == pytest.approx(
        dagnet.core.losses.get_loss(loss)(reference_forward(net, X, w), y)[0], rel=1e-12, abs=1e-14)
    assert relative_error(result.gradient, finite_differences(net, X, y, loss, w)) < 1e-6


def test_two_weights_from_one_source_into_one_sum_by_hand():
    """y = tanh((a + b) x + c + d): both passes against the formula and its derivative."""
    net = dagnet.Network()
    b1, x1 = net.add_bias(), net.add_input(1)
    v = net.add_sum(0)
    net.add_weight(b1, v, 0.5)
    net.add_weight(b1, v, -0.2, i=2)
    net.add_weight(x1, v, 0.75)
    net.add_weight(x1, v, 0.25, i=3)
    net.add_activation(v, "tanh")
    assert net.weight_names == ("w_00", "w_10", "w_20", "w_30")  # c, a, d, b
    c, a, d, b = net.weights
    X = np.array([[-1.0], [0.5], [2.0]])
    y = np.tanh((a + b) * X[:, 0] + c + d)
    np.testing.assert_allclose(net.compile()(X)[:, 0], y, rtol=1e-14)
    T = np.array([0.1, -0.3, 0.2])
    result = dagnet.gradient(net, X, T, loss="mse")
    dv = 2 * (y - T) * (1 - y**2) / len(X)  # dL/dv per point
    dw = [dv.sum(), dv @ X[:, 0], dv.sum(), dv @ X[:, 0]]
    np.testing.assert_allclose(result.gradient, dw, rtol=1e-12)
    assert result.loss == pytest.approx(np.mean((y - T) ** 2), rel=1e-14)


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_every_weight_has_exactly_one_slot(seed):
    net = TANGLES[seed]
    plan = Plan(net)
    n = plan.n_weights
    used = []
    for block in plan.blocks:
        if isinstance(block, SumBlock):
            for arr in (block.index, block.bias):
                if arr is not None:
                    used += arr.ravel().tolist()
            for dups in (block.dups, block.bias_dups):
                if dups is not None:
                    used += dups[-1].tolist()
        else:
            assert isinstance(block, ActGroup) and block.name != "identity"
            cols = [c for _, c in block.srcs]
            assert len({v for v, _ in block.srcs}) == 1 and cols == sorted(set(cols))
    assert sorted(k for k in used if k < n) == list(range(n))
    assert all(k <= n + 1 for k in used)
    assert [b.var for b in plan.blocks] == list(range(2, 2 + len(plan.blocks)))


@pytest.mark.parametrize("seed", range(0, 40, 5))
def test_equal_graphs_built_in_another_order_compile_to_the_same_code(seed):
    net = TANGLES[seed]
    G = nx.DiGraph()
    G.add_nodes_from(reversed(list(net.graph.nodes(data=True))))
    G.add_edges_from(reversed(list(net.graph.edges)))
    other = dagnet.Network.from_graph(G)
    assert other.compile().source == net.compile().source
    assert dagnet.compile_gradient(other).source == dagnet.compile_gradient(net).source


def test_extend_weights_appends_zero_and_one_on_the_last_axis():
    w = np.array([0.5, -2.0])
    wx = extend_weights(w)
    assert wx.tolist() == [0.5, -2.0, 0.0, 1.0] and wx.dtype == float
    wx[0] = 9.0
    assert w[0] == 0.5  # a new array, never a view of the weights
    stack = extend_weights(np.arange(6).reshape(3, 2))  # draws: each row extended
    assert stack.tolist() == [[0, 1, 0, 1], [2, 3, 0, 1], [4, 5, 0, 1]]
    assert extend_weights(np.zeros((2, 3, 1))).shape == (2, 3, 3)
    assert extend_weights([]).tolist() == list(EXTENSION) == [0.0, 1.0]  # no weights


@pytest.mark.parametrize("w, error, match", [
    (1.5, dagnet.ShapeError, r"weights must have shape \(n_weights,\) or \(K, n_weights\), "
                             r"got a scalar"),
    ("abc", dagnet.WeightError, "weights must be an array of real numbers, got str"),
    ({"w_00": 1.0}, dagnet.WeightError, "weights must be an array of real numbers, got dict"),
    ([[1.0], [1.0, 2.0]], dagnet.WeightError, "got list"),
])
def test_extend_weights_errors(w, error, match):
    with pytest.raises(error, match=match):
        extend_weights(w)


def test_the_planner_indexes_the_extension_for_empty_slots_and_direct_edges():
    """Index n_weights reads 0 (no weight on that slot), n_weights + 1 reads 1 (a value fed
    into a sum without a weight): the block matrices gathered from extend_weights."""
    net = dagnet.Network()
    b, x1, x2 = net.add_bias(), net.add_input(1), net.add_input(2)
    v0, v1 = net.add_sum(0), net.add_sum(1)
    net.add_weight(b, v0, 0.25)
    net.add_weight(x1, v0, 3.0)
    net.connect(x2, v0)  # direct: coefficient 1
    net.add_weight(x1, v1, 4.0)
    net.add_weight(x2, v1, 5.0)  # no bias into v1: an empty slot of B
    plan = Plan(net)
    n = plan.n_weights
    (block,) = plan.blocks
    assert n == 4 and block.bias.tolist() == [0, n]
    assert block.index.tolist() == [[1, 2], [n + 1, 3]]
    wx = extend_weights(net.weights)
    assert wx[block.index].tolist() == [[3.0, 4.0], [1.0, 5.0]]
    assert wx[block.bias].tolist() == [0.25, 0.0]
    X = np.array([[1.0, 10.0]])
    np.testing.assert_array_equal(net.compile()(X), [[13.25, 54.0]])


def test_runs_split_locations_into_column_runs():
    assert runs([]) == []
    assert runs([(0, 0), (0, 1), (0, 2)]) == [(0, 0, 3)]
    assert runs([(0, 1), (0, 0)]) == [(0, 1, 2), (0, 0, 1)]  # order kept, never sorted
    assert runs([(2, 0), (3, 1), (3, 2), (2, 1)]) == [(2, 0, 1), (3, 1, 3), (2, 1, 2)]
