"""Issue 14: validation, the topological order, the block planner and the builder work in
bulk (numpy and C-speed passes); each must give exactly what the per-node way gives."""

import random

import networkx as nx
import numpy as np
import pytest
from netgen import random_dag

import dagnet
from dagnet.core import structure as S
from dagnet.core.graph import tracked_graph
from dagnet.errors import DagnetError


def per_node_validate(G):
    """validate() as it was before the bulk passes: every check node by node."""
    node, pred, succ = S.adjacency(G)
    if G.number_of_nodes() == 0:
        raise dagnet.DanglingNodeError("the network is empty")
    for n, attrs in node.items():
        S._check_attributes(n, attrs)
    try:
        order = tuple(nx.topological_sort(G))
    except nx.NetworkXUnfeasible:
        order = S._acyclic_order(G)  # raises the CycleError
    for n, attrs in node.items():
        if not S._well_wired_weight(node, pred[n], succ[n], attrs):
            S._check_wiring(G, n, attrs["kind"])
    s = S.Structure(G, order)
    if not s.inputs:
        raise dagnet.DanglingNodeError("no input")
    S._check_reaches_an_output(G, s)
    S._check_unique_symbols(G, s)
    return s


ODD = [True, -1, 0, 1.5, np.int64(2), "x", "", None, float("nan"), [1], "w_1", "v_0", "y_3",
       "x_1\nv_0", "relu", "nope", 10**12, "sum", "weight", "output", "u_00", "ab_1"]
KEYS = ["kind", "layer", "index", "i", "j", "value", "name", "activation"]


def corrupt(G, gen):
    """One random change, most of them breaking the network."""
    nodes = list(G)
    n = nodes[gen.randrange(len(nodes))]
    what = gen.randrange(5)
    if what <= 1:
        G.nodes[n][gen.choice(KEYS)] = gen.choice(ODD)
    elif what == 2:
        G.add_edge(n, nodes[gen.randrange(len(nodes))])
    elif what == 3 and G.number_of_edges():
        G.remove_edge(*list(G.edges)[gen.randrange(G.number_of_edges())])
    else:
        G.add_node(f"stray{gen.randrange(3)}", kind=gen.choice(S.KINDS), layer=1, index=7)


def outcome(fn, G):
    try:
        s = fn(G)
    except DagnetError as exc:
        return type(exc).__name__, str(exc)
    return s.order, s.inputs, s.outputs, s.weights, s.layers


@pytest.mark.parametrize("seed", range(40))
def test_bulk_validation_says_what_the_per_node_checks_say(seed):
    gen = random.Random(seed)
    for k in range(6):
        G = nx.DiGraph(random_dag(seed * 10 + k).graph)
        for _ in range(gen.randrange(3)):
            corrupt(G, gen)
        assert outcome(S.validate, G) == outcome(per_node_validate, G)


def test_bulk_validation_on_a_wide_network_and_its_errors():
    G = nx.DiGraph(dagnet.mlp([30, 20, 3], rng=0).graph)
    assert outcome(S.validate, G) == outcome(per_node_validate, G)
    for n, key, value in [("L1.w37", "value", float("inf")), ("L2.y1", "activation", "nope"),
                          ("L1.v4", "name", "w_4"), ("L2.w12_2", "i", -3),
                          ("L1.x5", "name", "x_6")]:
        H = G.copy()
        H.nodes[n][key] = value
        got = outcome(S.validate, H)
        assert got[0] in ("WeightError", "UnknownActivationError", "NetworkError",
                          "DuplicateNodeError"), got
        assert got == outcome(per_node_validate, H)


@pytest.mark.parametrize("small", [-1, 64, 10**9])  # always numpy, mixed, always Python
def test_the_topological_order_by_generations_is_networkx_order(small, monkeypatch):
    monkeypatch.setattr(S, "_SMALL_GENERATION", small)
    graphs = [random_dag(seed).graph for seed in range(15)]
    graphs += [dagnet.mlp([5, 9, 4, 2], rng=0).graph, dagnet.mlp([1] * 30).graph]
    for seed in range(5):  # random DAGs in scrambled node order
        D = nx.gnp_random_graph(300, 0.02, seed=seed, directed=True)
        order = np.random.default_rng(seed).permutation(300).tolist()
        G = nx.DiGraph()
        G.add_nodes_from(order)
        G.add_edges_from((u, v) for u, v in D.edges if u < v)
        graphs.append(G)
    for G in graphs:
        assert S._topological_order(G) == tuple(nx.topological_sort(G))
    with pytest.raises(nx.NetworkXUnfeasible):
        S._topological_order(nx.DiGraph([(1, 2), (2, 3), (3, 1), (0, 1)] + [(9, k) for k in
                                                                          range(100)]))


def test_fuzzed_names_bulk_check_agrees_with_check_name():
    gen = random.Random(0)
    pieces = ["x", "w", "v", "y", "o", "u", "a", "_", "1", "0", ",", "Z", "é", "\n", " ", "b_"]
    for _ in range(5000):
        kind = gen.choice(S.KINDS)
        name = "".join(gen.choice(pieces) for _ in range(gen.randrange(6)))
        S._GOOD_NAMES.clear()
        try:
            S.check_name("n", kind, name)
            single = True
        except DagnetError:
            single = False
        assert S._names_ok([kind], [{"name": name}]) == single, (kind, name)


def test_the_builder_makes_the_graph_the_node_api_makes():
    """mlp assembles its graph in bulk: the same nodes, attributes (in key order), edges,
    and successor and predecessor order as adding them one by one through networkx."""
    net = dagnet.mlp([3, 12, 2], ["tanh", "identity"])
    G = nx.DiGraph()
    G.add_nodes_from(net.graph.nodes(data=True))
    G.add_edges_from(net.graph.edges)
    B = net.graph
    assert list(B.nodes(data=True)) == list(G.nodes(data=True))
    assert [list(a) for a in B._node.values()] == [list(a) for a in G._node.values()]
    assert list(B.edges) == list(G.edges)
    assert [list(p) for p in B._pred.values()] == [list(p) for p in G._pred.values()]
    H = tracked_graph(G.nodes(data=True), ((u, v, {}) for u, v in G.edges))
    assert list(H.pred["L2.v1"]) == list(G.pred["L2.v1"])
    assert H.succ["L1.x1"]["L1.w1_11"] is H.pred["L1.w1_11"]["L1.x1"]  # one edge dict


def test_assembled_graphs_track_every_change():
    net = dagnet.mlp([2, 3, 1], rng=0)
    for change in (lambda G: G.nodes["L1.v0"].update(index=5),
                   lambda G: G.add_edge("L1.x1", "L2.v0"),
                   lambda G: G.remove_edge("L1.x1", "L1.w10"),
                   lambda G: G.add_node("z", kind="sum"),
                   lambda G: G.succ["L1.x1"]._atlas.pop("L1.w10")):
        copy = net.copy()
        key = copy.structure_key
        change(copy.graph)
        assert copy.structure_key != key
    copy = net.copy()
    key = copy.structure_key
    copy.set_weights(np.zeros(copy.n_weights))  # a value is not structure
    copy.graph.nodes["L1.w00"]["value"] = 2.0
    assert copy.structure_key == key
    assert copy.weights[0] == 2.0 and not copy.weights[1:].any()


# -- builders hand over their structure -------------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_a_built_network_carries_the_structure_validate_would_find(seed, monkeypatch):
    """mlp caches validate_built's Structure at once: it equals validate's, field by field."""
    import dagnet.core.graph as graph_module

    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 6, size=rng.integers(2, 5))]
    acts = [rng.choice(["tanh", "relu", "logistic", None]) for _ in sizes[1:]]
    net = dagnet.mlp(sizes, [None if a is None else str(a) for a in acts],
                     bias=bool(seed % 3))
    fresh = dagnet.validate(net.graph)
    with monkeypatch.context() as m:  # the network validates nothing more when asked
        m.setattr(graph_module, "validate", lambda G: pytest.fail("validated again"))
        cached = net.validate()
    assert cached is not fresh
    for field in ("inputs", "outputs", "weights", "layers", "order", "layered_names"):
        assert getattr(cached, field) == getattr(fresh, field), field
    assert np.array_equal(cached.columns.order, fresh.columns.order)


def test_a_built_network_changed_afterwards_is_validated_again():
    net = dagnet.mlp([2, 3, 1])
    net.graph.nodes["L1.w11"]["kind"] = "bogus"
    with pytest.raises(dagnet.NodeKindError, match="bogus"):
        net.validate()


# -- output numbers -----------------------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda net, k: net.output_range(k),
    lambda net, k: dagnet.symbolic.is_linear(net, k),
    lambda net, k: net.expression(output=k),
    lambda net, k: net.latex(expression=True, output=k),
])
@pytest.mark.parametrize("bad", [2, -1, 1.0, True, "0"])
def test_an_output_number_out_of_range_is_a_network_error(call, bad):
    """Every API taking an output number names the range (was a bare IndexError)."""
    net = dagnet.mlp([1, 2], rng=0)
    with pytest.raises(dagnet.NetworkError, match=r"output must be an int in \[0, 2\)"):
        call(net, bad)


def test_numpy_integers_are_output_numbers():
    net = dagnet.mlp([1, 2], "tanh", rng=0)
    assert net.output_range(np.int64(1)) == net.output_range(1) == (-1.0, 1.0)
