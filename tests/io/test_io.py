"""Network files: JSON and GraphML round trips, the schema, exports, atomic writes, errors."""

from __future__ import annotations

import inspect
import json
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

import jsonschema
import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netgen import networks, random_dag, reference_forward, sympy_forward

import dagnet
from dagnet import errors, io


def skip_net() -> dagnet.Network:
    """Two layers plus a skip connection from x_1 into layer II, mixed activations."""
    net = dagnet.Network()
    b1, x1, x2 = net.add_bias(1), net.add_input(1), net.add_input(2)
    v0, v1 = net.add_sum(0, 1), net.add_sum(1, 1)
    for s in (b1, x1, x2):
        net.add_weight(s, v0)
        net.add_weight(s, v1)
    y0, y1 = net.add_activation(v0, "tanh"), net.add_activation(v1, "relu")
    b2 = net.add_bias(2)
    h1, h2 = net.add_input(1, 2, source=y0), net.add_input(2, 2, source=y1)
    out = net.add_sum(0, 2)
    for s in (b2, h1, h2):
        net.add_weight(s, out)
    net.add_weight(x1, out, i=3)  # the skip connection
    net.add_output(net.add_activation(out, "logistic"))
    net.randomize(rng=3)
    return net


NETS = {
    "line": lambda: dagnet.linear(1, rng=0),
    "plane-unset": lambda: dagnet.linear(2),
    "logistic": lambda: dagnet.logistic(2, rng=1),
    "tanh-1-11-9-3": lambda: dagnet.mlp([1, 11, 9, 3], rng=2),
    "relu-2-3-3-1": lambda: dagnet.mlp([2, 3, 3, 1], activation="relu", rng=4),
    "mixed": lambda: dagnet.mlp([2, 4, 2], activation=["tanh", "identity"], rng=5),
    "skip": skip_net,
    "random-dag": lambda: random_dag(7),
}


def assert_same_network(a: dagnet.Network, b: dagnet.Network) -> None:
    """Same graph, attributes, weights (bit for bit) and outputs (bit for bit)."""
    Ga, Gb = a.graph, b.graph
    assert dict(Ga.nodes(data=True)) == dict(Gb.nodes(data=True))
    assert {e: Ga.edges[e] for e in Ga.edges} == {e: Gb.edges[e] for e in Gb.edges}
    assert Ga.graph == Gb.graph
    assert a.weight_names == b.weight_names
    assert a.inputs == b.inputs and a.outputs == b.outputs
    values_a = [Ga.nodes[n].get("value") for n in a.weight_nodes]
    values_b = [Gb.nodes[n].get("value") for n in b.weight_nodes]
    assert values_a == values_b
    X = np.random.default_rng(0).uniform(-6, 6, size=(257, a.n_inputs))
    W = a.sample_weights(3, rng=1)
    fa, fb = a.compile(), b.compile()
    assert np.array_equal(fa(X, weights=W), fb(X, weights=W))
    if None not in values_a:
        assert np.array_equal(a.weights, b.weights)
        assert np.array_equal(fa(X), fb(X))


# -- JSON ---------------------------------------------------------------------------------
def test_top_level_names():
    assert (dagnet.save, dagnet.load, dagnet.export) == (io.save, io.load, io.export)


@pytest.mark.parametrize("name", sorted(NETS))
def test_json_round_trip_keeps_graph_weights_and_outputs(name, tmp_path):
    net = NETS[name]()
    path = io.save(net, tmp_path / "net.json")
    back = io.load(path)
    assert_same_network(net, back)
    assert io.to_json(back) == Path(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(NETS))
def test_graphml_round_trip_keeps_graph_weights_and_outputs(name, tmp_path):
    net = NETS[name]()
    back = io.from_graphml(io.to_graphml(net, tmp_path / "net.graphml"))
    assert_same_network(net, back)
    assert io.load(tmp_path / "net.graphml").weight_names == net.weight_names


def test_unset_weights_stay_unset_in_both_formats(tmp_path):
    net = dagnet.mlp([2, 3, 1])
    text = io.to_json(net)
    assert '"value"' not in text
    graphml = Path(io.to_graphml(net, tmp_path / "n.graphml")).read_text()
    assert 'attr.name="value"' not in graphml
    for back in (io.from_json(text), io.from_graphml(tmp_path / "n.graphml")):
        assert all("value" not in back.graph.nodes[n] for n in back.weight_nodes)
        with pytest.raises(dagnet.MissingWeightError):
            _ = back.weights
    # Half set: the set ones keep their value, the others stay unset.
    net.set_weights({"w_00^I": 0.25})
    for back in (io.from_json(io.to_json(net)),
                 io.from_graphml(io.to_graphml(net, tmp_path / "h.graphml"))):
        assert back.graph.nodes["L1.w00"]["value"] == 0.25
        assert "value" not in back.graph.nodes["L1.w10"]
    # An explicit null in a file means unset as well.
    doc = io.to_document(dagnet.linear(1))
    doc["nodes"][1]["value"] = None
    assert "value" not in io.from_json(json.dumps(doc)).graph.nodes["L1.w00"]


def test_text_is_deterministic_and_independent_of_insertion_order():
    net = dagnet.mlp([2, 11, 3], rng=0)
    G = net.graph
    rng = np.random.default_rng(1)
    nodes = list(G.nodes(data=True))
    edges = list(G.edges)
    H = nx.DiGraph()
    for k in rng.permutation(len(nodes)):
        H.add_node(nodes[k][0], **nodes[k][1])
    H.add_edges_from(edges[k] for k in rng.permutation(len(edges)))
    shuffled = dagnet.Network.from_graph(H)
    text = io.to_json(net)
    assert text == io.to_json(dagnet.mlp([2, 11, 3], rng=0)) == io.to_json(shuffled)
    # Natural order: x_2 before x_10, edges sorted by (source, target).
    ids = [n["id"] for n in json.loads(text)["nodes"]]
    assert ids.index("L2.x2") < ids.index("L2.x10")
    # Same compiled code and bit-identical outputs whatever the insertion order.
    X = np.random.default_rng(2).uniform(-6, 6, (100, 2))
    assert np.array_equal(net.compile()(X), shuffled.compile()(X))


def test_file_is_networkx_node_link_data():
    net = skip_net()
    doc = json.loads(io.to_json(net))
    assert doc["dagnet"] == {"format": "network", "version": 1}
    params = inspect.signature(nx.node_link_graph).parameters
    kw = {"edges": "edges"} if "edges" in params else {"link": "edges"}
    G = nx.node_link_graph(doc, **kw)
    assert dict(G.nodes(data=True)) == dict(net.graph.nodes(data=True))
    assert set(G.edges) == set(net.graph.edges)


def test_schema_is_published_valid_and_matches_what_save_writes():
    published = json.loads(resources.files("dagnet.io").joinpath("network-v1.schema.json")
                           .read_text(encoding="utf-8"))
    assert published == io.schema()
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(published)
    for make in NETS.values():
        validator.validate(json.loads(io.to_json(make())))
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert "*.schema.json" in pyproject  # the schema ships with the package
    runtime = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "jsonschema" not in runtime  # one validator: dagnet's own pass (a test tool in [dev])


def test_extra_scalar_attributes_round_trip_and_others_are_refused(tmp_path):
    net = dagnet.linear(1, rng=0)
    net.graph.graph["title"] = "y = m x + b"
    net.graph.nodes["L1.x1"]["note"] = "the input"
    net.graph.nodes["L1.v0"]["pinned"] = True
    net.graph.edges["L1.x1", "L1.w10"]["width"] = 2
    net.graph.edges["L1.w00", "L1.v0"]["value"] = "thick"  # only a weight node's is a weight
    back = io.from_json(io.to_json(net))
    assert_same_network(net, back)
    assert_same_network(net, io.from_graphml(io.to_graphml(net, tmp_path / "a.graphml")))
    net.graph.graph["dagnet_version"] = 5  # fine in JSON, but GraphML uses that name itself
    assert io.from_json(io.to_json(net)).graph.graph["dagnet_version"] == 5
    with pytest.raises(dagnet.NetworkFileError, match="'dagnet_version' is used by GraphML"):
        io.to_graphml(net, tmp_path / "b.graphml")
    assert not (tmp_path / "b.graphml").exists()
    del net.graph.graph["dagnet_version"]
    net.graph.nodes["L1.x1"]["pos"] = (1, 2)
    with pytest.raises(dagnet.NetworkFileError, match=r"attribute 'pos' of node 'L1.x1'"):
        io.to_json(net)
    del net.graph.nodes["L1.x1"]["pos"]
    net.graph.nodes["L1.x1"]["id"] = "clash"
    with pytest.raises(dagnet.NetworkFileError, match="'id'"):
        io.to_json(net)
    relabeled = dagnet.Network.from_graph(nx.relabel_nodes(dagnet.linear(1).graph,
                                                           {"L1.x1": 7}))
    with pytest.raises(dagnet.NetworkFileError, match="relabel"):
        io.save(relabeled, tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()


def test_save_refuses_invalid_networks_and_values_edited_on_the_graph(tmp_path):
    net = dagnet.linear(1, rng=0)
    net.graph.nodes["L1.w10"]["value"] = float("inf")
    with pytest.raises(dagnet.WeightError, match="L1.w10"):
        io.save(net, tmp_path / "bad.json")
    net = dagnet.linear(1, rng=0)
    net.graph.add_edge("L1.v0", "L1.x1")
    with pytest.raises(dagnet.CycleError):
        io.save(net, tmp_path / "bad.json")
    assert list(tmp_path.iterdir()) == []


# -- loading errors -----------------------------------------------------------------------
def _doc(net=None) -> dict:
    return io.to_document(net or dagnet.mlp([1, 2, 1], rng=0))


def _node(doc, node_id):
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def test_unknown_activation_names_it_and_lists_the_known_ones():
    doc = _doc()
    _node(doc, "L1.y0")["activation"] = "softmax"
    with pytest.raises(dagnet.UnknownActivationError) as info:
        io.from_json(json.dumps(doc), source="net.json")
    msg = str(info.value)
    assert msg.startswith("net.json: ") and "'softmax'" in msg
    for name in dagnet.activation_names():
        assert name in msg


def test_structural_problems_give_the_usual_dagnet_errors():
    cases = []
    doc = _doc()
    doc["edges"].append({"source": "L2.v0", "target": "L1.x1"})
    cases.append((doc, dagnet.CycleError))
    doc = _doc()
    doc["edges"] = [e for e in doc["edges"] if e["target"] != "L1.y1"]
    cases.append((doc, dagnet.WiringError))
    doc = _doc()
    doc["nodes"].append({"id": "lost", "kind": "sum", "index": 7, "layer": 1})
    doc["edges"].append({"source": "L1.x1", "target": "lost"})
    doc["edges"].append({"source": "lost", "target": "L2.w10"})
    cases.append((doc, dagnet.WiringError))
    doc = _doc()
    _node(doc, "L1.v1")["index"] = 0
    _node(doc, "L1.v1")["name"] = "v_0"
    cases.append((doc, dagnet.DuplicateNodeError))
    for doc, error in cases:
        with pytest.raises(error):
            io.from_json(json.dumps(doc))


@pytest.mark.parametrize("text, pattern", [
    ("", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"nodes": []}', "no 'dagnet' header"),
    ('{"dagnet": {"format": "network", "version": 2}}', "version 2 .*upgrade dagnet"),
    ('{"dagnet": {"format": "network", "version": "1"}}', "version '1'"),
    ('{"dagnet": {"version": 1}, "dagnet": {"version": 1}}', "appears twice"),
    ('{"dagnet": {"format": "network", "version": 1}, "x": NaN}', "NaN is not allowed"),
    ('{"dagnet": {"format": "network", "version": 1}, "x": 1e999}', "out of range"),
    ('{"dagnet": {"format": "network", "version": 1}, "x": ' + "9" * 25 + "}", "out of range"),
    ('{"dagnet": {"format": "network", "version": 1}, "x": ' + "9" * 5000 + "}", "range|JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested"),
    ('{"dagnet": {"format": "network", "version": 1}, "g": ' + "[" * 200 + "]" * 200 + "}",
     "nested more than"),
])
def test_malformed_text_is_a_network_file_error(text, pattern):
    with pytest.raises(dagnet.NetworkFileError, match=pattern):
        io.from_json(text)


def test_schema_errors_name_the_place_and_the_node():
    doc = _doc()
    _node(doc, "L1.v1")["kind"] = "neuron"
    with pytest.raises(dagnet.NetworkFileError) as info:
        io.from_json(json.dumps(doc))
    msg = str(info.value)
    assert "nodes[" in msg and "(node 'L1.v1')" in msg and "'neuron'" in msg
    assert "network-v1.schema.json" in msg
    doc = _doc()
    _node(doc, "L1.w10")["value"] = "0.5"
    with pytest.raises(dagnet.NetworkFileError, match=r"\.value.*'0\.5'"):
        io.from_json(json.dumps(doc))


@pytest.mark.parametrize("mutate, pattern", [
    (lambda d: d["nodes"].append(dict(d["nodes"][0])), "appears twice"),
    (lambda d: d["edges"].append(dict(d["edges"][0])), "appears twice"),
    (lambda d: d["edges"].append({"source": "L1.x1", "target": "ghost"}), "unknown node 'ghost'"),
    (lambda d: d.update(multigraph=True), "multigraph"),
    (lambda d: d["nodes"][0].update(layer=10**7), "layer"),
    (lambda d: d["nodes"][0].update(name="x_1}\\input{/etc/passwd"), "name"),
    (lambda d: d["nodes"][0].update(extra=[1, 2]), "extra"),
    (lambda d: d["nodes"][0].update(id="a\nb"), "id"),
])
def test_document_problems_are_network_file_errors(mutate, pattern):
    doc = _doc()
    mutate(doc)
    with pytest.raises(dagnet.NetworkFileError, match=pattern):
        io.from_json(json.dumps(doc))


def test_size_limits_and_unreadable_files(tmp_path):
    text = io.to_json(dagnet.mlp([1, 3, 1], rng=0))
    with pytest.raises(dagnet.NetworkFileError, match="more than the limit"):
        io.from_json(text, max_bytes=100)
    path = tmp_path / "n.json"
    path.write_text(text)
    with pytest.raises(dagnet.NetworkFileError, match="more than the limit of 100"):
        io.load(path, max_bytes=100)
    assert io.load(path).n_weights == 10
    with pytest.raises(dagnet.NetworkFileError, match="cannot read"):
        io.load(tmp_path / "missing.json")
    with pytest.raises(dagnet.NetworkFileError, match="cannot read"):
        io.load(tmp_path)
    path.write_bytes(b'{"dagnet": "\xff\xfe"}')
    with pytest.raises(dagnet.NetworkFileError, match="not UTF-8"):
        io.load(path)


# -- GraphML ------------------------------------------------------------------------------
def _graphml(tmp_path, text: str) -> Path:
    path = tmp_path / "in.graphml"
    path.write_text(text, encoding="utf-8")
    return path


def test_graphml_goes_through_the_same_checks(tmp_path):
    net = dagnet.mlp([1, 2, 1], rng=0)
    good = Path(io.to_graphml(net, tmp_path / "good.graphml")).read_text()
    assert 'attr.name="dagnet_version"' in good
    bad = good.replace(">tanh<", ">__import__('os').getcwd()<", 1)
    with pytest.raises(dagnet.UnknownActivationError, match="known activations"):
        io.from_graphml(_graphml(tmp_path, bad))
    G = net.graph.copy()
    G.add_edge("L2.y0", "L1.x1")
    nx.write_graphml(G, tmp_path / "cycle.graphml")
    with pytest.raises(dagnet.CycleError):
        io.from_graphml(tmp_path / "cycle.graphml")
    G = net.graph.copy()
    G.nodes["L1.w10"]["value"] = float("nan")
    nx.write_graphml(G, tmp_path / "nan.graphml")
    with pytest.raises(dagnet.NetworkFileError, match="nan"):
        io.from_graphml(tmp_path / "nan.graphml")
    G = net.graph.copy()
    nx.set_node_attributes(G, "1", "layer")  # wrong type for the layer
    nx.write_graphml(G, tmp_path / "str.graphml")
    with pytest.raises(dagnet.NetworkFileError, match="layer"):
        io.from_graphml(tmp_path / "str.graphml")
    nx.write_graphml(net.graph.to_undirected(), tmp_path / "und.graphml")
    with pytest.raises(dagnet.NetworkFileError, match="undirected"):
        io.from_graphml(tmp_path / "und.graphml")
    M = nx.MultiDiGraph(net.graph)
    M.add_edge("L1.x1", "L1.w10")
    nx.write_graphml(M, tmp_path / "multi.graphml")
    with pytest.raises(dagnet.NetworkFileError, match="parallel edges"):
        io.from_graphml(tmp_path / "multi.graphml")
    G = net.graph.copy()
    G.graph["dagnet_version"] = 2
    nx.write_graphml(G, tmp_path / "v2.graphml")
    with pytest.raises(dagnet.NetworkFileError, match="version 2"):
        io.from_graphml(tmp_path / "v2.graphml")
    # GraphML written by plain networkx (no dagnet header) is read as version 1.
    nx.write_graphml(net.graph, tmp_path / "plain.graphml")
    assert_same_network(net, io.from_graphml(tmp_path / "plain.graphml"))


def test_graphml_refuses_entities_and_garbage(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
              '<graph edgedefault="directed"><node id="&lol2;"/></graph></graphml>')
    with pytest.raises(dagnet.NetworkFileError, match="DOCTYPE or ENTITY"):
        io.from_graphml(_graphml(tmp_path, laughs))
    for junk in ("", "<graphml", "not xml at all", '{"dagnet": 1}',
                 '<graphml><graph edgedefault="directed"><node id="a"/>'
                 '<edge source="a" target="b"/></graph></graphml>'):
        with pytest.raises(dagnet.DagnetError):
            io.from_graphml(_graphml(tmp_path, junk))


# -- exports ------------------------------------------------------------------------------
def test_export_dispatches_on_the_suffix(tmp_path):
    net = dagnet.mlp([1, 3, 1], rng=0)
    assert_same_network(net, io.load(io.export(net, tmp_path / "a.json")))
    assert_same_network(net, io.load(io.export(net, tmp_path / "a.GraphML")))
    tex = Path(io.export(net, tmp_path / "a.tex")).read_text()
    assert tex == net.latex() + "\n"
    tex = Path(io.export(net, tmp_path / "b.tex", weights="numeric")).read_text()
    assert tex == net.latex(weights="numeric") + "\n"
    src = Path(io.export(net, tmp_path / "a.py")).read_text()
    assert src.startswith("# numpy code generated by dagnet") and src.endswith(
        net.compile(fused=False).source)  # the numpy code
    compile(src, "a.py", "exec")  # valid Python (compiled, not run)
    with pytest.raises(dagnet.NetworkFileError, match="take no options"):
        io.export(net, tmp_path / "c.json", weights="numeric")
    with pytest.raises(dagnet.NetworkFileError, match=r"unknown suffix '\.png'.*\.graphml"):
        io.export(net, tmp_path / "a.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.GraphML", "a.json", "a.py", "a.tex", "b.tex"]


def test_dot_export_is_the_diagram_dot_text(tmp_path):
    net = dagnet.mlp([2, 3, 1], rng=0)
    for style in ("explicit", "simplified"):
        text = Path(io.export(net, tmp_path / f"{style}.dot", style=style)).read_text()
        assert text == dagnet.to_dot(net, style=style).rstrip("\n") + "\n"


def _run_exported(path, monkeypatch) -> dict:
    """Run an exported module with runpy in a fresh namespace, with dagnet unimportable."""
    import ast
    import runpy

    tree = ast.parse(Path(path).read_text())
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for a in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"numpy"}
    for name in [m for m in sys.modules if m == "dagnet" or m.startswith("dagnet.")]:
        monkeypatch.setitem(sys.modules, name, None)  # an import of dagnet would fail
    return runpy.run_path(str(path))


def _export_nets() -> list[dagnet.Network]:
    from netgen import skip_net as doubled_net  # two weights on one slot, a bias twice

    nets = [dagnet.mlp([2, 5, 3], ["relu", "logistic"], rng=0), dagnet.mlp([1, 40, 1], rng=1),
            dagnet.mlp([3, 4, 4, 2], [None, "tanh", "identity"], rng=2), skip_net(),
            doubled_net()]
    return nets + [random_dag(seed, max_width=5) for seed in range(12)]


@pytest.mark.parametrize("k", range(17))
def test_exported_py_runs_standalone_and_agrees_with_compile(k, tmp_path, monkeypatch):
    net = _export_nets()[k]
    path = io.export(net, tmp_path / "net.py")
    text = Path(path).read_text()
    assert io.export(net, tmp_path / "again.py") and (tmp_path / "again.py").read_text() == text
    assert io.export(io.from_json(io.to_json(net)), tmp_path / "copy.py")
    assert (tmp_path / "copy.py").read_text() == text  # equal networks, equal text
    gen = np.random.default_rng(k)
    X = gen.uniform(-3, 3, size=(23, net.n_inputs))
    W = net.sample_weights(4, rng=k + 1, low=-2, high=2)
    f = net.compile()
    want, want_stack = f(X), f(X, weights=W)
    module = _run_exported(path, monkeypatch)
    forward = module["forward"]
    assert module["WEIGHT_NAMES"] == net.weight_names
    np.testing.assert_allclose(forward(X, net.weights), want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(forward(X), want, rtol=1e-12, atol=1e-12)  # exported weights
    np.testing.assert_allclose(forward(X, W), want_stack, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(forward(X[:1], W[0]), want_stack[0, :1], rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match=rf"X must have shape \(n, {net.n_inputs}\)"):
        forward(X[:, :0])
    with pytest.raises(ValueError, match="weights must have shape"):
        forward(X, np.zeros(net.n_weights + 1))


def test_exported_py_without_weights_and_with_odd_weight_names(tmp_path, monkeypatch):
    net = dagnet.mlp([2, 3, 1])  # weights unset
    odd = 'w"\n__import__("os").system("exit 3")  # \\'
    net.graph.nodes["L1.w00"]["name"] = odd  # refused: a name is a plain word (issue 18)
    with pytest.raises(dagnet.NetworkError, match="has the name"):
        io.export(net, tmp_path / "bare.py")
    assert not (tmp_path / "bare.py").exists()
    odd = "w_00odd"  # an unusual but valid name is data in the file, never code
    net.graph.nodes["L1.w00"]["name"] = odd
    path = io.export(net, tmp_path / "bare.py")
    X = np.random.default_rng(0).normal(size=(6, 2))
    w = net.sample_weights(rng=1)
    want, names = net.compile()(X, weights=w), net.weight_names
    module = _run_exported(path, monkeypatch)
    assert module["WEIGHTS"] is None and module["WEIGHT_NAMES"] == names
    assert names[0].startswith(odd)
    np.testing.assert_allclose(module["forward"](X, w), want, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="exported without weights"):
        module["forward"](X)


def test_exported_py_stubs_a_user_registered_activation(tmp_path, monkeypatch):
    dagnet.register_activation("softsign_x", sympy=lambda v: v / (1 + abs(v)),
                               numpy=lambda v: v / (1 + np.abs(v)))
    try:
        net = dagnet.mlp([1, 2, 1], ["softsign_x", "tanh"], rng=0)
        path = io.export(net, tmp_path / "user.py")
    finally:
        dagnet.unregister_activation("softsign_x")
    text = Path(path).read_text()
    # named by index, never by the user's text (issue 18, item 2)
    assert "# To fill in: _f_u0 (activations registered by the user" in text
    module = _run_exported(path, monkeypatch)
    with pytest.raises(NotImplementedError, match="'softsign_x' was registered .* _f_u0"):
        module["forward"](np.zeros((3, 1)))


def test_every_written_activation_is_the_registry_one():
    """Each built-in activation as written into the export, against the registry."""
    import inspect

    from dagnet.compiled.export import _activation

    v = np.array([-np.inf, -800.0, -30.0, -1.5, -1e-300, -0.0, 0.0, 1e-300, 0.25, 2.0, 40.0,
                  800.0, np.inf, np.nan])
    for name in dagnet.activation_names():
        text, stub = _activation(name, f"_f_{name}")
        assert stub is None
        ref = dagnet.get_activation(name).numpy
        if not isinstance(ref, np.ufunc):  # dagnet's own function, written out as it is
            assert text.startswith(inspect.getsource(ref))
        namespace = {"np": np}
        exec(text, namespace)  # the row's own text (data in dagnet, not from a network file)
        fn, ref = namespace[f"_f_{name}"], dagnet.get_activation(name).numpy
        assert isinstance(fn, np.ufunc) == isinstance(ref, np.ufunc)
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(fn(v.copy()), ref(v.copy()))


# -- atomic writes ------------------------------------------------------------------------
class _Boom(Exception):
    pass


@pytest.mark.parametrize("suffix", [".json", ".graphml", ".tex", ".py"])
@pytest.mark.parametrize("failure", [OSError, _Boom, KeyboardInterrupt])
def test_a_write_killed_midway_keeps_the_previous_file(tmp_path, monkeypatch, suffix, failure):
    target = tmp_path / f"net{suffix}"
    io.export(dagnet.linear(1, rng=0), target)
    before = target.read_bytes()
    real_open = open

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise failure("disk full")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def killing_open(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        return HalfWriter(fh) if "w" in mode else fh

    import dagnet.core.atomic as atomic

    monkeypatch.setattr(atomic, "open", killing_open, raising=False)
    real_write_graphml = nx.write_graphml

    def half_graphml(G, path, **kw):
        real_write_graphml(G, path, **kw)
        Path(path).write_bytes(Path(path).read_bytes()[:100])
        raise failure("writer died")

    monkeypatch.setattr(nx, "write_graphml", half_graphml)
    expected = dagnet.NetworkFileError if failure is OSError else failure
    with pytest.raises(expected):
        io.export(dagnet.mlp([2, 3, 1], rng=1), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# -- the error catalogue ------------------------------------------------------------------
def test_every_error_class_is_in_the_catalogue():
    doc = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    classes = {name for name, obj in vars(errors).items()
               if inspect.isclass(obj) and issubclass(obj, errors.DagnetError)}
    assert classes == set(errors.__all__)
    headings = set(re.findall(r"^## `(\w+)`", doc, flags=re.MULTILINE))
    assert headings == classes  # every class documented, nothing documented that is gone
    for name in classes:
        section = doc.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        assert "**Cause**" in section and "**Fix**" in section, name
        parent = getattr(errors, name).__mro__[1].__name__
        if name != "DagnetError":
            assert f"`{parent}`" in section, (name, parent)


def test_loaded_network_evaluates_like_the_reference(tmp_path):
    net = random_dag(11)
    back = io.load(io.save(net, tmp_path / "r.json"))
    X = np.random.default_rng(3).uniform(-3, 3, (50, net.n_inputs))
    np.testing.assert_allclose(back.compile()(X), reference_forward(net, X), rtol=0,
                               atol=1e-12)


@pytest.mark.slow
def test_random_dags_agree_three_ways_and_survive_both_round_trips():
    """>= 200 random DAGs: compiled numpy, sympy's evaluation and the node-by-node interpreter
    agree to 1e-12; JSON and GraphML round trips give the same graph and bit-identical outputs."""
    seen = []

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(networks(max_width=3), st.integers(0, 2**31))
    def run(net, seed):
        rng = np.random.default_rng(seed)
        X = rng.uniform(-3, 3, size=(17, net.n_inputs))
        y = net.compile()(X)
        np.testing.assert_allclose(y, reference_forward(net, X), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(y[0], sympy_forward(net, X[0]), rtol=1e-12, atol=1e-12)
        with tempfile.TemporaryDirectory() as folder:
            for back in (io.from_json(io.to_json(net)),
                         io.from_graphml(io.to_graphml(net, Path(folder) / "n.graphml"))):
                assert_same_network(net, back)
                assert np.array_equal(back.compile()(X), y)
        seen.append(net.graph.number_of_nodes())

    run()
    assert len(seen) >= 200 and len(set(seen)) > 20  # many different networks


def test_the_example_in_the_format_doc_is_what_save_writes():
    doc = (Path(__file__).parents[2] / "docs" / "file-format.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", doc, flags=re.DOTALL).group(1)
    net = dagnet.linear(1)
    net.set_weights([0.5, 2.0])
    assert example == io.to_json(net)
    assert np.array_equal(io.from_json(example).compile()(np.array([[3.0]])), [[6.5]])


def test_any_string_attribute_round_trips_exactly_or_is_refused_by_graphml():
    folder = Path(tempfile.mkdtemp())

    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(st.text(max_size=12), st.sampled_from(["node", "edge", "graph"]))
    def run(text, where):
        net = dagnet.linear(1, rng=0)
        attrs = {"node": net.graph.nodes["L1.x1"], "edge": net.graph.edges["L1.x1", "L1.w10"],
                 "graph": net.graph.graph}[where]
        attrs["note"] = text
        assert_same_network(net, io.from_json(io.to_json(net)))
        path = folder / "s.graphml"
        path.unlink(missing_ok=True)
        try:
            io.to_graphml(net, path)
        except dagnet.NetworkFileError as exc:
            assert re.search(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]", text), exc
            assert not path.exists()
        else:
            assert_same_network(net, io.from_graphml(path))

    run()


def test_numpy_scalars_are_saved_as_plain_json_values(tmp_path):
    """Attributes set from numpy arrays (str_, bool_, int64, float64) are written as the
    plain values they hold, and read back as such."""
    net = dagnet.linear(1, rng=0)
    net.graph.nodes["L1.x1"].update(note=np.str_("the input"), flag=np.bool_(True),
                                    count=np.int64(3), scale=np.float64(0.5))
    net.graph.nodes["L1.w10"]["value"] = np.float64(2.0)
    back = io.load(io.save(net, tmp_path / "np.json"))
    attrs = back.graph.nodes["L1.x1"]
    assert (attrs["note"], attrs["flag"], attrs["count"], attrs["scale"]) == \
        ("the input", True, 3, 0.5)
    assert [type(attrs[k]) for k in ("note", "flag", "count", "scale")] == [str, bool, int, float]
    assert back.graph.nodes["L1.w10"]["value"] == 2.0
