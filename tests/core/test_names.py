"""Issue 18, items 3 and 15: hostile node names are refused by validation, and hostile
node ids are escaped by every text writer (LaTeX, DOT, SVG/HTML, exported .py, JSON)."""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

import dagnet
from dagnet.compiled.export import module_source
from dagnet.draw.render import to_dot

HOSTILE_NAMES = [
    r"x_1}\input{/etc/passwd}", r"x\write18", "x_1$", "x_1\n\\end{align}", "x_{1}", "x_1^2",
    '"; rankdir=TB; "', "<b>x</b>", "x_1 # comment", "ｘ_1", "x_1\ud800", "", "x" * 50,
    5, 1.5, ["x_1"], None, b"x_1",
]
# A sum named like another kind's symbol: the equations would read u_00 = u_00 + u_10.
COLLIDING = [("sum", "u_00"), ("sum", "x_1"), ("sum", "w_10"), ("weight", "v_0"),
             ("activation", "o_0"), ("input", "y_1"), ("bias", "u_0")]


def _graph(name=None, ids=("x", "w", "v"), name_on=0):
    G = nx.DiGraph()
    kinds = [dict(kind="input", index=1, layer=1),
             dict(kind="weight", i=1, j=0, value=3.0, layer=1), dict(kind="sum", index=0, layer=1)]
    for k, (n, attrs) in enumerate(zip(ids, kinds)):
        G.add_node(n, **attrs, **({"name": name} if k == name_on and name != "absent" else {}))
    G.add_edges_from([(ids[0], ids[1]), (ids[1], ids[2])])
    return G


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=repr)
def test_hostile_names_are_refused_by_validation(name):
    G = _graph(name)
    if name is None:  # None is "no name": the symbol is made from the indices
        assert dagnet.Network.from_graph(G).latex()
        return
    with pytest.raises(dagnet.NetworkError, match="has the name"):
        dagnet.Network.from_graph(G)
    net = dagnet.Network(G)  # as is: every later stage validates first
    for stage in (net.latex, net.compile, lambda: to_dot(net), net.equations):
        with pytest.raises(dagnet.NetworkError, match="has the name"):
            stage()


@pytest.mark.parametrize("kind, name", COLLIDING)
def test_names_may_not_read_as_another_kinds_symbol(kind, name):
    position = {"input": 0, "weight": 1, "sum": 2}.get(kind)
    if position is None:
        net = dagnet.mlp([1, 1], activation="tanh", rng=0)
        node = next(n for n, a in net.graph.nodes(data=True) if a["kind"] == kind) \
            if kind != "output" else None
        if kind == "bias":
            node = "L1.x0"
        net.graph.nodes[node]["name"] = name
        with pytest.raises(dagnet.NetworkError, match="another kind's symbol"):
            net.validate()
        return
    with pytest.raises(dagnet.NetworkError, match="another kind's symbol"):
        dagnet.Network.from_graph(_graph(name, name_on=position))


def test_safe_names_of_every_kind_are_accepted():
    G = _graph("a_1", name_on=0)
    G.nodes["v"]["name"] = "v_7"
    G.nodes["w"]["name"] = "w_12,3"
    net = dagnet.Network.from_graph(G)
    assert net.weight_names == ("w_12,3",)
    assert "a_{1}" in net.latex() and "v_{7}" in net.latex()


def test_hostile_names_in_files_are_refused(tmp_path):
    good = tmp_path / "good.json"
    dagnet.save(dagnet.Network.from_graph(_graph()), good)
    doc = json.loads(good.read_text())
    doc["nodes"][0]["name"] = r"x_1}\input{/etc/passwd}"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(dagnet.DagnetError, match="has the name|name"):
        dagnet.load(bad)


# -- node ids: any hashable in networkx; every writer escapes them ------------------------
HOSTILE_IDS = ['a"; X [label=<b>x</b>]; "', "<script>alert(1)</script>", "line\nbreak",
               "back\\slash\\", r"}\input{/etc/passwd}", "<<b>html</b>>", "&amp;", "é☃"]


def _hostile_id_net():
    ids = HOSTILE_IDS
    G = nx.DiGraph()
    G.add_node(ids[4], kind="sum", index=0)
    for k, (x, w) in enumerate([(ids[0], ids[1]), (ids[2], ids[3]), (ids[5], ids[7])]):
        G.add_node(x, kind="input", index=k + 1)
        G.add_node(w, kind="weight", i=k + 1, j=0, value=float(k + 1))
        G.add_edges_from([(x, w), (w, ids[4])])
    G.add_node(ids[6], kind="activation", index=0, activation="tanh")
    G.add_node("out\\", kind="output", index=0)
    G.add_edges_from([(ids[4], ids[6]), (ids[6], "out\\")])
    return dagnet.Network.from_graph(G)


def test_hostile_ids_do_not_reach_latex_or_python():
    net = _hostile_id_net()
    text = net.latex()
    assert "\\input" not in text and "script" not in text
    source = module_source(net)
    compile(source, "<export>", "exec")  # the .py is valid Python ...
    namespace = {}
    exec(source, namespace)  # ... (our own output, built from a test network)
    X = np.array([[0.1, 0.2, 0.3]])
    np.testing.assert_allclose(namespace["forward"](X, net.weights), net.compile()(X),
                               rtol=1e-12)
    for i in HOSTILE_IDS:
        assert i not in source


def test_hostile_ids_round_trip_through_json_exactly(tmp_path):
    net = _hostile_id_net()
    with pytest.raises(dagnet.NetworkFileError, match="line.nbreak"):  # a control character
        dagnet.save(net, tmp_path / "ids.json")
    nx.relabel_nodes(net.graph, {"line\nbreak": "line break"}, copy=False)
    back = dagnet.load(dagnet.save(net, tmp_path / "ids.json"))
    assert set(back.graph) == set(net.graph)
    assert set(back.graph.edges) == set(net.graph.edges)


@pytest.mark.parametrize("style", ["explicit", "simplified"])
def test_hostile_ids_are_quoted_in_dot_and_escaped_in_svg(style):
    net = _hostile_id_net()
    text = to_dot(net, style)
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    parsed = json.loads(subprocess.run(["dot", "-Tjson"], input=text, capture_output=True,
                                       text=True, check=True).stdout)
    nodes = [o for o in parsed["objects"] if "nodes" not in o]
    if style == "explicit":
        assert len(nodes) >= len(net.graph)  # no node merged: one box per id
    ids = [str(n).replace("\\", "\\\\") for n in net.graph]
    for o in nodes:  # none injected: each parsed node is one of the ids (or a helper of one)
        assert any(o["name"].startswith(i) for i in ids) or o["name"].startswith("C"), o["name"]
    assert not any(o.get("label") == "<b>x</b>" for o in nodes)
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(svg)  # well-formed XML
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "b" not in tags


def test_lone_surrogate_ids_are_refused_on_save_and_load(tmp_path):
    G = _graph(ids=("a\ud800", "w", "v"))
    with pytest.raises(dagnet.NetworkError, match="lone surrogate"):
        dagnet.Network.from_graph(G)
    path = tmp_path / "s.json"
    dagnet.save(dagnet.Network.from_graph(_graph()), path)
    path.write_text(path.read_text().replace('"x"', '"a\\ud800"'))
    with pytest.raises(dagnet.NetworkFileError, match="lone surrogate"):
        dagnet.load(path)
