"""from_graph's inference (dagnet.core.infer) and as_network: a plain DiGraph is a network."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import numpy as np
import pytest
from netgen import random_dag, skip_net

import dagnet
from dagnet import plot as P
from dagnet.core.graph import as_network
from dagnet.symbolic import backward, matrixform

STRUCTURAL = ("layer", "index", "i", "j", "name")


def bare(G: nx.DiGraph) -> nx.DiGraph:
    """``G`` with only what the structure cannot tell: kind, activation and value."""
    H = G.copy()
    for _, attrs in H.nodes(data=True):
        for key in STRUCTURAL:
            attrs.pop(key, None)
    return H


@pytest.mark.parametrize("sizes, activation", [
    ([1, 1], None), ([2, 3, 1], "tanh"), ([3, 4, 4, 2], ["relu", None, "logistic"]),
    ([1, 11, 9, 1], "tanh"), ([2, 12, 3], "relu"), ([4, 2], "identity"),
])
def test_inference_rebuilds_the_builders_attributes(sizes, activation):
    net = dagnet.mlp(sizes, activation=activation, rng=0)
    G = bare(net.graph)
    back = dagnet.Network.from_graph(G)
    assert dict(back.graph.nodes(data=True)) == dict(net.graph.nodes(data=True))
    assert back.weight_names == net.weight_names
    assert all(set(G.nodes[n]) <= {"kind", "activation", "value"} for n in G)  # G unchanged


def test_inference_on_random_dags_computes_the_same_function():
    """Stripped of layers and indices, a random DAG either comes back computing exactly the
    same outputs (the values stay on their nodes) or is refused naming a node."""
    X = np.random.default_rng(1).normal(size=(16, 3))
    rebuilt = refused = 0
    for seed in range(60):
        net = random_dag(seed)
        try:
            back = dagnet.Network.from_graph(bare(net.graph))
        except dagnet.NetworkError as exc:
            assert "node '" in str(exc) or "nodes '" in str(exc), exc
            refused += 1
            continue
        rebuilt += 1
        Xn = X[:, :net.n_inputs]
        # the same input order: network inputs are numbered in node order, as built
        assert back.inputs == net.inputs
        assert [back.graph.nodes[n]["index"] for n in back.inputs] == \
            list(range(1, net.n_inputs + 1))
        assert sorted(back.outputs) == sorted(net.outputs)  # perhaps in another order
        cols = [back.outputs.index(o) for o in net.outputs]
        np.testing.assert_allclose(back.compile()(Xn)[:, cols], net.compile()(Xn),
                                   rtol=1e-13, atol=1e-13)
    assert rebuilt >= 10 and refused >= 10, (rebuilt, refused)  # 13 and 47 at writing


def test_present_attributes_are_kept_and_checked():
    G = nx.DiGraph([("x", "w"), ("w", "v"), ("v", "y")])
    nx.set_node_attributes(G, {"x": "input", "w": "weight", "v": "sum", "y": "activation"},
                           "kind")
    G.nodes["y"]["activation"] = "relu"
    G.nodes["x"]["index"] = 7
    G.nodes["v"]["layer"] = 3
    net = dagnet.Network.from_graph(G)
    nodes = net.graph.nodes
    assert nodes["x"]["index"] == 7 and nodes["w"]["i"] == 7 and nodes["w"]["j"] == 0
    assert nodes["v"]["layer"] == 3 and nodes["w"]["layer"] == 3 and nodes["y"]["layer"] == 3
    assert nodes["x"]["layer"] == 1
    assert net.weight_names == ("w_70^III",)


def test_hidden_pass_through_and_sum_rules():
    G = nx.DiGraph([("a", "wa"), ("b", "wb"), ("wa", "s"), ("wb", "s"), ("s", "y"),
                    ("y", "h"), ("h", "wh"), ("c", "wc"), ("wh", "t"), ("wc", "t"),
                    ("t", "o")])
    nx.set_node_attributes(G, {"a": "input", "b": "bias", "s": "sum", "y": "activation",
                               "h": "input", "c": "bias", "t": "sum", "o": "output"}, "kind")
    for w in ("wa", "wb", "wh", "wc"):
        G.nodes[w]["kind"] = "weight"
    G.nodes["y"]["activation"] = "tanh"
    nodes = dagnet.Network.from_graph(G).graph.nodes
    assert [(nodes[n]["layer"], nodes[n]["index"]) for n in "absyhcto"] == [
        (1, 1), (1, 0), (1, 0), (1, 0), (2, 1), (2, 0), (2, 0), (2, 0)]
    assert (nodes["wh"]["i"], nodes["wh"]["j"], nodes["wh"]["layer"]) == (1, 0, 2)
    assert nodes["h"]["name"] == "x_1" and nodes["o"]["name"] == "o_0"


def test_a_bias_feeding_two_layers_is_a_conflict_named():
    net = skip_net()  # its layer-1 bias also feeds a layer-2 sum
    G = bare(net.graph)
    with pytest.raises(dagnet.NetworkError, match=r"bias node 'L1.x0' has no 'layer' and feeds "
                                                  r"sums of layers \[1, 2\]"):
        dagnet.Network.from_graph(G)
    G.nodes["L1.x0"]["layer"] = 1  # said explicitly, it is fine
    for n in net.weight_nodes:  # two weights share (x_1, v_1): their i must be given
        G.nodes[n]["i"] = net.graph.nodes[n]["i"]
    back = dagnet.Network.from_graph(G)
    X = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_allclose(back.compile()(X), net.compile()(X), rtol=1e-13, atol=1e-13)


def test_an_inferred_index_that_repeats_a_symbol_is_refused_naming_the_node():
    G = nx.DiGraph([("a", "wa"), ("wa", "s"), ("s", "h"), ("h", "wh"), ("z", "wz"),
                    ("wh", "t"), ("wz", "t")])
    nx.set_node_attributes(G, {"a": "input", "s": "sum", "h": "input", "z": "input",
                               "t": "sum", "wa": "weight", "wh": "weight", "wz": "weight"},
                           "kind")
    G.nodes["z"].update(layer=2, index=1)  # a second network input, given x_1 of layer 2
    with pytest.raises(dagnet.DuplicateNodeError, match=r"node 'h' \(input\) has no 'index'; "
                                                        r"its structure implies x_1 of layer 2"):
        dagnet.Network.from_graph(G)


def test_malformed_graphs_are_left_to_validate():
    G = nx.DiGraph([("a", "b"), ("b", "a")])
    nx.set_node_attributes(G, "sum", "kind")
    nx.set_node_attributes(G, 0, "index")
    with pytest.raises(dagnet.CycleError):
        dagnet.Network.from_graph(G)
    G = nx.DiGraph([("x", "v")])
    G.nodes["x"].update(kind="input", index=1)
    with pytest.raises(dagnet.NodeKindError, match="node 'v' has kind None"):
        dagnet.Network.from_graph(G)


# -- as_network: every public function takes a DiGraph ------------------------------------
def test_as_network_refuses_other_types_with_a_dagnet_error():
    net = dagnet.linear(1)
    assert as_network(net) is net
    for obj, words in [([1, 2], "got list; build one with dagnet.mlp"),
                       (nx.Graph(), "got Graph; a network is directed"),
                       (nx.MultiDiGraph(), "got MultiDiGraph; collapse parallel edges"),
                       (None, "got NoneType")]:
        with pytest.raises(dagnet.NetworkError, match=words):
            as_network(obj)
        with pytest.raises(dagnet.NetworkError, match=words):
            dagnet.to_dot(obj)  # not an AttributeError


def _calls(tmp_path):
    """(name, function of a network or graph) for the public API that reads a network."""
    X = np.random.default_rng(0).normal(size=(7, 2))
    y = np.random.default_rng(1).normal(size=(7, 1))
    return [
        ("to_dot", lambda n: dagnet.to_dot(n, "explicit")),
        ("to_dot simplified", lambda n: dagnet.to_dot(n, "simplified")),
        ("equations", lambda n: dagnet.symbolic.equations(n)),
        ("latex", lambda n: dagnet.symbolic.latex(n, weights="numeric")),
        ("expression", lambda n: dagnet.symbolic.expression(n, weights="numeric")),
        ("matrix", lambda n: matrixform.matrix_equations(n)),
        ("backward", lambda n: dagnet.backward_equations(n)),
        ("backward_latex", lambda n: dagnet.backward_latex(n)),
        ("indexed backward", lambda n: backward.indexed_backward_equations(n)),
        ("is_linear", lambda n: dagnet.symbolic.is_linear(n)),
        ("output_range", lambda n: dagnet.symbolic.output_range(n)),
        ("compile", lambda n: dagnet.compiled.compile_network(n)(X).tolist()),
        ("gradient", lambda n: dagnet.gradient(n, X, y).gradient.tolist()),
        ("compile_gradient", lambda n: dagnet.compile_gradient(n)(X, y).loss),
        ("to_json", lambda n: dagnet.io.to_json(n)),
        ("save", lambda n: open(dagnet.save(n, tmp_path / "n.json")).read()),
        ("export tex", lambda n: open(dagnet.export(n, tmp_path / "n.tex")).read()),
        ("export py", lambda n: open(dagnet.export(n, tmp_path / "n.py")).read()),
        ("classify", lambda n: P.classify(n, X).tolist()),
        ("spec_of", lambda n: dagnet.core.spec.spec_of(n)),
    ]


def test_every_public_function_takes_a_digraph(tmp_path):
    net = dagnet.mlp([2, 3, 1], activation=["tanh", "logistic"], rng=0)
    G = net.graph.copy()
    for name, call in _calls(tmp_path):
        assert call(G) == call(net), name
    assert nx.utils.graphs_equal(G, net.graph)  # the graph was not changed


def test_plots_and_diagram_files_take_a_digraph(tmp_path):
    import matplotlib.pyplot as plt

    net = dagnet.mlp([2, 3, 1], rng=0)
    G = bare(net.graph)  # kinds, activations and values only
    drawn = P.regions(G, view="2d", n_grid=20)
    assert np.array_equal(drawn.classes, P.regions(net, view="2d", n_grid=20).classes)
    P.surface(G)
    one = dagnet.mlp([1, 4, 1], rng=0)
    assert np.array_equal(P.family(bare(one.graph), n=3, rng=0).y,
                          P.family(one, n=3, rng=0).y)
    plt.close("all")
    path = dagnet.render_diagram(G, tmp_path / "g.dot")
    assert open(path).read().rstrip() == dagnet.to_dot(net).rstrip()


def test_fit_writes_the_fitted_weights_into_the_digraph(tmp_path):
    net = dagnet.mlp([1, 3, 1], rng=0)
    G = net.graph.copy()
    X = np.linspace(-1, 1, 20)[:, None]
    y = np.sin(2 * X)
    h1 = dagnet.fit(net, X, y, steps=30, rng=0, progress=False)
    h2 = dagnet.fit(G, X, y, steps=30, rng=0, progress=False)
    assert h1.final_loss == h2.final_loss
    assert [G.nodes[n]["value"] for n in net.weight_nodes] == net.weights.tolist()
    assert G.nodes["L1.x1"]["input_scale"] == net.graph.nodes["L1.x1"]["input_scale"]
    csv = tmp_path / "sin.csv"
    csv.write_text("".join(f"{a},{b}\n" for a, b in zip(X[:, 0], y[:, 0])))
    G2 = dagnet.mlp([1, 3, 1], rng=0).graph.copy()
    fitted, _ = dagnet.fit_csv(G2, csv, steps=5, progress=False)
    assert [G2.nodes[n]["value"] for n in fitted.weight_nodes] == fitted.weights.tolist()
