"""The graph schema: explicit node API, builders, weights, and every validation error."""

import math

import networkx as nx
import numpy as np
import pytest

import dagnet


def line(m=2.0, b=0.5):
    net = dagnet.Network()
    x0, x1 = net.add_bias(), net.add_input(1)
    v0 = net.add_sum(0)
    net.add_weight(x0, v0, value=b)
    net.add_weight(x1, v0, value=m)
    return net


def test_explicit_api_builds_the_articles_line():
    net = line()
    G = net.graph
    assert isinstance(G, nx.DiGraph)
    assert sorted(G) == ["L1.v0", "L1.w00", "L1.w10", "L1.x0", "L1.x1"]
    assert G.nodes["L1.x0"] == {"kind": "bias", "layer": 1, "index": 0, "name": "x_0"}
    assert G.nodes["L1.w10"] == {"kind": "weight", "layer": 1, "i": 1, "j": 0, "value": 2.0,
                                 "name": "w_10"}
    assert set(G.edges) == {("L1.x0", "L1.w00"), ("L1.w00", "L1.v0"),
                            ("L1.x1", "L1.w10"), ("L1.w10", "L1.v0")}
    assert net.inputs == ("L1.x1",) and net.outputs == ("L1.v0",)
    x = np.array([[-1.0], [0.0], [3.0]])
    np.testing.assert_allclose(net.compile()(x)[:, 0], 2.0 * x[:, 0] + 0.5)


def test_builders_match_the_article():
    net = dagnet.mlp([1, 11, 9, 1])
    kinds = nx.get_node_attributes(net.graph, "kind")
    count = {k: list(kinds.values()).count(k) for k in dagnet.KINDS}
    assert count == {"input": 1 + 11 + 9, "bias": 3, "weight": 140, "sum": 21,
                     "activation": 21, "output": 0}
    # every layer has its bias x_0 = 1, and y_j of layer L is x_{j+1} of layer L+1
    assert [net.graph.nodes[f"L{L}.x0"]["kind"] for L in (1, 2, 3)] == ["bias"] * 3
    assert list(net.graph.predecessors("L2.x1")) == ["L1.y0"]
    assert list(net.graph.predecessors("L3.x9")) == ["L2.y8"]
    assert {a for a in nx.get_node_attributes(net.graph, "activation").values()} == {"tanh"}
    assert net.layers == (1, 2, 3)
    lin = dagnet.mlp([1, 100, 1], activation=None)
    assert not any(d["kind"] == "activation" for _, d in lin.graph.nodes(data=True))
    per_layer = dagnet.mlp([2, 3, 1], ["tanh", "identity"])
    assert per_layer.graph.nodes["L2.y0"]["activation"] == "identity"
    assert dagnet.logistic(2).graph.nodes["L1.y0"]["activation"] == "logistic"
    assert dagnet.linear(3, 2).n_outputs == 2
    nobias = dagnet.mlp([2, 2], bias=False)
    assert not any(d["kind"] == "bias" for _, d in nobias.graph.nodes(data=True))


def test_builder_errors():
    with pytest.raises(dagnet.NetworkError, match="sizes must be at least two positive"):
        dagnet.mlp([3])
    with pytest.raises(dagnet.NetworkError, match="sizes must be"):
        dagnet.mlp([1, 0, 1])
    with pytest.raises(dagnet.NetworkError, match="got 1 activations for 2 layers"):
        dagnet.mlp([1, 2, 1], ["tanh"])


def test_weight_order_names_and_ids_are_stable():
    net = dagnet.mlp([2, 2, 1], "tanh")
    assert net.weight_names == (
        "w_00^I", "w_10^I", "w_20^I", "w_01^I", "w_11^I", "w_21^I",
        "w_00^II", "w_10^II", "w_20^II")
    assert net.weight_nodes[:2] == ("L1.w00", "L1.w10")
    wide = dagnet.mlp([12, 1], None)
    assert "L1.w11_0" in wide.graph and wide.graph.nodes["L1.w11_0"]["name"] == "w_11,0"
    assert dagnet.mlp([2, 2, 1]).weight_names == net.weight_names  # same on every build


def test_set_weights_randomize_and_sample():
    net = dagnet.mlp([1, 2, 1])
    with pytest.raises(dagnet.MissingWeightError, match="call net.randomize"):
        _ = net.weights
    w = net.randomize(rng=3)
    assert w.shape == (7,) and np.all((w >= -1) & (w < 1))
    np.testing.assert_array_equal(net.weights, w)
    np.testing.assert_array_equal(w, dagnet.mlp([1, 2, 1], rng=3).weights)
    net.set_weights({"w_00^I": 0.25, "L2.w10": -2})
    assert net.graph.nodes["L1.w00"]["value"] == 0.25
    assert net.graph.nodes["L2.w10"]["value"] == -2.0
    net.set_weights(np.arange(7.0))
    np.testing.assert_array_equal(net.weights, np.arange(7.0))
    W = net.sample_weights(1000, rng=0, low=-2, high=2)
    assert W.shape == (1000, 7) and W.min() >= -2 and W.max() < 2
    np.testing.assert_array_equal(net.weights, np.arange(7.0))  # sampling left the net alone


@pytest.mark.parametrize("bad, match", [
    (np.ones(6), r"expected 7 weights \(shape \(7,\)\), got shape \(6,\)"),
    (np.r_[np.ones(6), np.nan], "'L2.w20' is nan; weights must be finite"),
    ({"w_99": 1.0}, "no weight named 'w_99'"),
    ({"w_00^I": math.inf}, "weight 'w_00\\^I' is inf"),
    ({"w_00^I": "1"}, "must be a real number"),
])
def test_set_weights_errors(bad, match):
    with pytest.raises(dagnet.WeightError, match=match):
        dagnet.mlp([1, 2, 1]).set_weights(bad)


def graph(*edges, **kinds):
    G = nx.DiGraph()
    for n, kind in kinds.items():
        attrs = {"kind": kind, "layer": 1}
        if kind == "weight":
            attrs.update(i=len(G), j=0)
        elif kind == "activation":
            attrs.update(index=len(G), activation="tanh")
        else:
            attrs.setdefault("index", len(G))
        G.add_node(n, **attrs)
    G.add_edges_from(edges)
    return G


def test_from_graph_accepts_schema_graphs_and_copies():
    G = graph(("x", "w"), ("w", "v"), x="input", w="weight", v="sum")
    G.nodes["w"]["value"] = 3.0
    net = dagnet.Network.from_graph(G)
    assert net.graph is not G and net.graph.nodes["x"]["name"] == "x_0"
    np.testing.assert_allclose(net.compile()(np.array([[2.0]])), [[6.0]])


@pytest.mark.parametrize("G, error, match", [
    (graph(("a", "b"), ("b", "a"), a="sum", b="sum"), dagnet.CycleError,
     "cycle .* -> .*; a network must be a DAG"),
    (graph(x="input", v="neuron"), dagnet.NodeKindError,
     "node 'v' has kind 'neuron'; every node needs a 'kind' among input, bias"),
    (graph(("x", "v"), x="input", v="sum", w="weight"), dagnet.WiringError,
     "weight node 'w' has 0 inputs; it needs exactly one"),
    (graph(("x", "w"), ("w", "v"), ("w", "v2"), x="input", w="weight", v="sum", v2="sum"),
     dagnet.WiringError, "weight node 'w' feeds .*; a weight feeds exactly one sum"),
    (graph(("x", "y"), ("x2", "y"), x="input", x2="input", y="activation"), dagnet.WiringError,
     "activation node 'y' has 2 inputs; it needs exactly one"),
    (graph(("x", "o"), x="input", v="sum", o="output"), dagnet.WiringError,
     "sum node 'v' has no input"),
    (graph(("x", "b"), ("b", "v"), x="input", b="bias", v="sum"), dagnet.WiringError,
     "bias node 'b' has an input; a bias is always 1"),
    (graph(("x", "v"), ("x", "w"), x="input", v="sum", w="weight"), dagnet.WiringError,
     "weight node 'w' feeds"),
    (graph(("x", "v"), ("v", "o"), ("x", "z"), x="input", v="sum", o="output", z="sum"),
     dagnet.DanglingNodeError, "node 'z' \\(sum\\) does not lead to any output"),
    (graph(("b", "v"), b="bias", v="sum"), dagnet.DanglingNodeError,
     "the network has no input node"),
    (graph(("x", "v"), ("x2", "v"), x="input", x2="input", v="sum"), None, None),
])
def test_every_validation_error(G, error, match):
    if error is None:
        dagnet.Network.from_graph(G)  # the control: a valid graph passes
        return
    with pytest.raises(error, match=match):
        dagnet.Network.from_graph(G)


def test_more_validation_errors():
    G = graph(("x", "y"), x="input", y="activation")
    G.nodes["y"]["activation"] = "swish"
    with pytest.raises(dagnet.UnknownActivationError, match="unknown activation 'swish'"):
        dagnet.Network.from_graph(G)
    del G.nodes["y"]["activation"]
    with pytest.raises(dagnet.NetworkError, match="node 'y' has no 'activation' attribute"):
        dagnet.Network.from_graph(G)
    G = graph(("x", "w"), ("w", "v"), x="input", w="weight", v="sum")
    G.nodes["w"]["value"] = math.nan
    with pytest.raises(dagnet.WeightError, match="weight 'w' is nan; weights must be finite"):
        dagnet.Network.from_graph(G)
    G.nodes["w"]["value"] = 1.0
    G.nodes["v"]["layer"] = 0
    with pytest.raises(dagnet.NetworkError, match="needs an integer 'layer' >= 1, got 0"):
        dagnet.Network.from_graph(G)
    G.nodes["v"]["layer"] = 1
    del G.nodes["v"]["index"]
    with pytest.raises(dagnet.NetworkError, match="needs an integer 'index' >= 0, got None"):
        dagnet.validate(G)  # validate checks the graph as it is ...
    assert dagnet.Network.from_graph(G).graph.nodes["v"]["index"] == 0  # ... from_graph infers
    G.nodes["v"]["index"] = -1  # a present index is checked, never replaced
    with pytest.raises(dagnet.NetworkError, match="needs an integer 'index' >= 0, got -1"):
        dagnet.Network.from_graph(G)
    G = graph(("x", "v"), ("x2", "v"), x="input", x2="input", v="sum")
    G.nodes["x2"]["index"] = 0
    with pytest.raises(dagnet.DuplicateNodeError, match="share the symbol x_0"):
        dagnet.Network.from_graph(G)
    G = graph(("x", "p"), ("x2", "p"), ("p", "v"), x="input", x2="input", p="input", v="sum")
    with pytest.raises(dagnet.WiringError, match="pass-through node 'p' has 2 inputs"):
        dagnet.Network.from_graph(G)
    G = graph(("x", "o"), ("o", "v"), x="input", o="output", v="sum")
    with pytest.raises(dagnet.WiringError, match="output node 'o' has out-edges"):
        dagnet.Network.from_graph(G)
    with pytest.raises(dagnet.DanglingNodeError, match="the network is empty"):
        dagnet.Network().validate()
    with pytest.raises(dagnet.NetworkError, match="needs a networkx.DiGraph, got Graph"):
        dagnet.Network.from_graph(nx.Graph())


def test_explicit_api_errors():
    net = line()
    with pytest.raises(dagnet.DuplicateNodeError, match="node 'L1.x1' already exists"):
        net.add_input(1)
    with pytest.raises(dagnet.WiringError, match="target of the weight 'L1.x1' is a input"):
        net.add_weight("L1.x0", "L1.x1")
    with pytest.raises(dagnet.NetworkError, match="no node 'L9.v0'"):
        net.add_activation("L9.v0")
    with pytest.raises(dagnet.NetworkError, match="no node 'nope' in the network; add it first"):
        net.connect("L1.v0", "nope")
    with pytest.raises(dagnet.UnknownActivationError):
        net.add_activation("L1.v0", "swish")


def test_skip_connections_with_the_node_api():
    net = dagnet.mlp([1, 2, 1], "tanh", rng=1)
    skip = net.add_input(3, 2, source="L1.x1")   # x_3^II = x_1^I
    net.add_weight(skip, "L2.v0", value=0.5)
    f = net.compile()
    x = np.linspace(-2, 2, 9)[:, None]
    base = dagnet.mlp([1, 2, 1], "tanh", rng=1).compile()
    w = net.weights
    # removing the skip weight's contribution by hand: the skip adds 0.5 * x inside the tanh
    v = np.arctanh(base(x)[:, 0]) + 0.5 * x[:, 0]
    np.testing.assert_allclose(f(x)[:, 0], np.tanh(v), rtol=1e-12)
    assert len(w) == 8


def test_repr_and_copy():
    net = dagnet.mlp([2, 3, 1], rng=0)
    assert repr(net) == "Network(inputs=2, outputs=1, layers=2, weights=13)"
    c = net.copy()
    c.set_weights(np.zeros(13))
    assert not np.array_equal(net.weights, c.weights)
    bad = dagnet.Network()
    bad.add_sum(0)
    assert repr(bad) == "Network(unvalidated: 1 nodes, 0 edges)"


def test_bulk_builder_equals_the_explicit_node_api():
    built = dagnet.mlp([2, 3, 2], ["tanh", "logistic"])
    net = dagnet.Network()
    prev = []
    for L, (n_in, n_out, act) in enumerate([(2, 3, "tanh"), (3, 2, "logistic")], start=1):
        xs = [net.add_bias(L)]
        xs += ([net.add_input(i, 1) for i in range(1, n_in + 1)] if L == 1 else
               [net.add_input(i, L, source=p) for i, p in enumerate(prev, start=1)])
        prev = []
        for j in range(n_out):
            v = net.add_sum(j, L)
            for x in xs:
                net.add_weight(x, v)
            prev.append(net.add_activation(v, act))
    assert dict(built.graph.nodes(data=True)) == dict(net.graph.nodes(data=True))
    assert set(built.graph.edges) == set(net.graph.edges)
