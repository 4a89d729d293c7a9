"""Diagrams: DOT structure of both styles, the tables, and real renders with Graphviz's dot."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import graphviz
import networkx as nx
import pytest
from netgen import random_dag

import dagnet
from dagnet.core import palette
from dagnet.draw.dot import document, resolve
from dagnet.draw.layout import explicit_plan, plan_diagram, simplified_plan
from dagnet.draw.options import DiagramOptions
from dagnet.draw.render import (
    MISSING_DOT_HINT,
    NODE_STYLES,
    THEMES,
    _pipe,
    diagram,
    has_dot,
    render_diagram,
    repr_mimebundle,
    to_dot,
)

ROOT = Path(__file__).resolve().parents[2]


# -- a small DOT reader for the statements dagnet writes ---------------------------------------
def _attrs(text: str) -> dict[str, str]:
    """Parse ``a="1" b=<html>`` (quoted strings with escapes, balanced HTML brackets)."""
    out, i = {}, 0
    while i < len(text):
        j = text.index("=", i)
        key, i = text[i:j].strip(), j + 1
        if text[i] == '"':
            j, buf = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":
                    j += 1
                buf.append(text[j])
                j += 1
            out[key], i = "".join(buf), j + 1
        else:
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            out[key], i = text[i + 1:j - 1], j
        while i < len(text) and text[i] == " ":
            i += 1
    return out


class Dot:
    """Nodes, edges, clusters and rank groups of a DOT text written by dagnet."""

    def __init__(self, text: str):
        self.text = text
        self.nodes: dict[str, dict[str, str]] = {}
        self.edges: dict[tuple[str, str], dict[str, str]] = {}
        self.cluster_of: dict[str, str] = {}
        self.cluster_attrs: dict[str, dict[str, str]] = {}
        self.ranks: list[list[str]] = []
        cluster = None
        for line in text.splitlines():
            s = line.strip()
            if m := re.match(r'subgraph "(cluster[^"]*)" \{$', s):
                cluster = m.group(1)
            elif s == "}":
                cluster = None
            elif m := re.match(r"graph \[(.*)\]$", s):
                if cluster:
                    self.cluster_attrs[cluster] = _attrs(m.group(1))
            elif s.startswith("{rank=same;"):
                self.ranks.append(re.findall(r'"([^"]+)"', s))
            elif m := re.match(r'"([^"]+)" -> "([^"]+)"(?: \[(.*)\])?$', s):
                attrs = _attrs(m.group(3) or "")
                if attrs.get("style") != "invis":
                    self.edges[(m.group(1), m.group(2))] = attrs
            elif m := re.match(r'"([^"]+)" \[(.*)\]$', s):
                self.nodes[m.group(1)] = _attrs(m.group(2))
                if cluster:
                    self.cluster_of[m.group(1)] = cluster

    def rank_of(self, node: str) -> list[str]:
        return next(r for r in self.ranks if node in r)

    def shown(self, net: dagnet.Network) -> list[str]:
        """Drawn nodes that are nodes of the network."""
        return [n for n in self.nodes if n in net.graph]


def _skip_net() -> dagnet.Network:
    """1-1-1 tanh network plus a skip weight from the input straight into layer II's sum."""
    net = dagnet.Network()
    x0, x1 = net.add_bias(1), net.add_input(1)
    v = net.add_sum(0)
    net.add_weight(x0, v, 0.1), net.add_weight(x1, v, 0.2)
    y = net.add_activation(v, "tanh")
    b2, h = net.add_bias(2), net.add_input(1, 2, source=y)
    v2 = net.add_sum(0, 2)
    net.add_weight(b2, v2, 0.3), net.add_weight(h, v2, 0.4)
    net.add_weight(x1, v2, -0.5, i=2)  # the skip connection, w_20 of layer II
    return net


# -- tables ------------------------------------------------------------------------------------
def test_every_style_row_resolves_to_palette_colours():
    """Each colour attribute of each element resolves, in each theme, to a colour of that
    theme's palette row (the rows themselves are checked in tests/core/test_palette.py)."""
    assert THEMES is palette.THEMES and dagnet.THEMES is palette.THEMES
    assert set(dagnet.KINDS) <= set(NODE_STYLES["explicit"])
    assert {"input", "bias", "sum", "ellipsis", "size"} <= set(NODE_STYLES["simplified"])
    for style, table in NODE_STYLES.items():
        for element, attrs in table.items():
            for theme in (*THEMES, *palette.THEME_ALIASES):
                resolved = resolve(attrs, theme)
                assert all("{" not in str(v) for v in resolved.values()), (style, element)
                for key in ("color", "fillcolor", "fontcolor", "bgcolor"):
                    if key in resolved:
                        assert re.fullmatch(r"#[0-9a-f]{6}", resolved[key]), (element, key)
                        assert resolved[key] in palette.theme(theme).values(), (element, key)


# -- explicit style ----------------------------------------------------------------------------
def test_explicit_single_layer_glyphs_ranks_and_labels():
    d = Dot(to_dot(dagnet.linear(1)))
    shapes = {n: a.get("shape") for n, a in d.nodes.items()}
    assert shapes == {"L1.x0": "circle", "L1.x1": "circle", "L1.w00": "box", "L1.w10": "box",
                      "L1.v0": "square", "L1.v0.out": "point"}
    assert d.nodes["L1.x1"]["label"] == "<I>x</I><SUB>1</SUB>"
    assert d.nodes["L1.w10"]["label"] == "<I>w</I><SUB>10</SUB>"
    assert d.nodes["L1.v0"]["label"] == "&#931;"  # capital sigma
    assert d.edges[("L1.w10", "L1.v0")]["label"] == "<I>u</I><SUB>10</SUB>"
    assert d.edges[("L1.v0", "L1.v0.out")]["label"] == "<I>v</I><SUB>0</SUB>"
    assert d.ranks == [["L1.x1", "L1.x0"], ["L1.w10", "L1.w00"]]  # one-node columns need none
    assert d.nodes["L1.x0"]["fillcolor"] != d.nodes["L1.x1"]["fillcolor"]  # bias stands out
    assert "label" not in d.cluster_attrs["cluster_L1"]  # one layer: no layer label
    assert "rankdir=\"LR\"" in d.text


def test_explicit_mlp_counts_clusters_ranks_and_bias_at_bottom():
    net = dagnet.mlp([2, 3, 1], activation="tanh")
    d = Dot(to_dot(net))
    kinds = Counter(net.graph.nodes[n]["kind"] for n in d.shown(net))
    assert kinds == Counter(nx.get_node_attributes(net.graph, "kind").values())
    assert kinds == {"bias": 2, "input": 5, "weight": 13, "sum": 4, "activation": 4}
    assert [d.cluster_attrs[c]["label"] for c in ("cluster_L1", "cluster_L2")] == \
        ["Layer I", "Layer II"]
    for n in d.shown(net):
        assert d.cluster_of[n] == f"cluster_L{net.graph.nodes[n]['layer']}"
    assert d.rank_of("L1.x0") == ["L1.x1", "L1.x2", "L1.x0"]
    assert d.rank_of("L2.x0") == ["L2.x1", "L2.x2", "L2.x3", "L2.x0"]
    assert d.rank_of("L1.v0") == ["L1.v0", "L1.v1", "L1.v2"]
    assert d.rank_of("L1.y1") == ["L1.y0", "L1.y1", "L1.y2"]
    assert d.rank_of("L2.w00") == ["L2.w10", "L2.w20", "L2.w30", "L2.w00"]
    assert d.nodes["L1.y0"]["label"] == '<I>f</I><BR/><FONT POINT-SIZE="10">tanh</FONT>'
    assert d.edges[("L1.y2", "L2.x3")]["label"] == "<I>y</I><SUB>2</SUB>"
    assert d.edges[("L1.x2", "L1.w21")] == {}


def test_explicit_two_digit_indices_get_comma_subscripts():
    d = Dot(to_dot(dagnet.mlp([12, 1], activation=None), max_width=12))
    assert d.nodes["L1.w12_0"]["label"] == "<I>w</I><SUB>12,0</SUB>"
    assert d.nodes["L1.x12"]["label"] == "<I>x</I><SUB>12</SUB>"
    assert d.edges[("L1.w12_0", "L1.v0")]["label"] == "<I>u</I><SUB>12,0</SUB>"


def test_explicit_wide_layers_are_elided_with_counts():
    net = dagnet.mlp([1, 100, 1], activation=None)
    d = Dot(to_dot(net))
    counts = {n: re.search(r"\+(\d+)<", a["label"]).group(1)
              for n, a in d.nodes.items() if n.endswith(".more")}
    assert counts == {"L1.w.more": "188", "L1.v.more": "94", "L2.x.more": "94",
                      "L2.w.more": "94"}
    assert d.rank_of("L1.v0") == ["L1.v0", "L1.v1", "L1.v2", "L1.v.more",
                                  "L1.v97", "L1.v98", "L1.v99"]
    assert len(d.nodes) < 60
    assert d.edges[("L1.w.more", "L1.v.more")]["style"] == "dashed"
    assert ("L1.x1", "L1.w.more") in d.edges  # the whole input column feeds the hidden weights
    assert ("L1.v.more", "L2.x.more") in d.edges
    assert ("L2.w.more", "L2.v0") in d.edges


def test_explicit_refuses_huge_drawings_with_advice():
    with pytest.raises(dagnet.DiagramError, match="max_width.*simplified"):
        to_dot(dagnet.mlp([1, 40, 1]), max_width=100, max_nodes=50)


def test_labels_and_out_labels_draw_y_equals_mx_plus_b():
    d = Dot(to_dot(dagnet.linear(1), labels={"L1.x0": "1", "L1.x1": "x", "L1.w10": "m"},
                   out_labels={"L1.w10": "mx", "L1.w00": "", "L1.v0": "y"}))
    assert d.nodes["L1.x0"]["label"] == "1" and d.nodes["L1.w10"]["label"] == "<I>m</I>"
    assert d.edges[("L1.w10", "L1.v0")]["label"] == "<I>mx</I>"
    assert "label" not in d.edges[("L1.w00", "L1.v0")]
    assert d.edges[("L1.v0", "L1.v0.out")]["label"] == "<I>y</I>"


def test_show_values_writes_weights():
    net = dagnet.linear(1)
    net.set_weights([0.5, -2.0])
    d = Dot(to_dot(net, show_values=True))
    assert d.nodes["L1.w00"]["label"].endswith('<FONT POINT-SIZE="9">0.50</FONT>')
    assert d.nodes["L1.w10"]["label"].endswith('<FONT POINT-SIZE="9">-2.00</FONT>')
    assert "FONT" not in Dot(to_dot(dagnet.linear(1), show_values=True)).nodes["L1.w00"]["label"]


# -- simplified style --------------------------------------------------------------------------
def test_simplified_circles_lines_sizes_and_no_bias():
    net = dagnet.mlp([2, 3, 3, 3])
    d = Dot(to_dot(net, "simplified"))
    circles = [n for n, a in d.nodes.items() if a.get("shape") == "circle"]
    assert len(circles) == 11 and not any(net.graph.nodes[n]["kind"] == "bias" for n in circles)
    assert len(d.edges) == 2 * 3 + 3 * 3 + 3 * 3
    assert all(a == {} for a in d.edges.values())
    sizes = [a["label"] for n, a in d.nodes.items() if n.endswith(".size")]
    assert sizes == ["2<BR/>inputs", "3<BR/>hidden", "3<BR/>hidden", "3<BR/>outputs"]
    assert d.rank_of("L1.v1")[:3] == ["L1.v0", "L1.v1", "L1.v2"]  # index order, top down
    assert d.rank_of("L1.v1")[-1] == "C1.size"  # size label under the column


def test_simplified_show_bias_greys_bias_nodes():
    net = dagnet.mlp([2, 3, 1])
    d = Dot(to_dot(net, "simplified", show_bias=True))
    muted = THEMES["plain"]["muted"]
    assert d.nodes["L1.x0"]["color"] == muted and d.nodes["L1.x0"]["label"] == "1"
    assert d.rank_of("L2.x0")[-2:] == ["L2.x0", "C1.size"]  # bottom of the hidden column
    assert d.edges[("L2.x0", "L2.v0")]["color"] == muted
    assert len(d.edges) == 3 * 3 + 4


def test_simplified_wide_network_stays_small():
    d = Dot(to_dot(dagnet.mlp([90, 40, 10]), "simplified"))
    labels = {n: a.get("label", "") for n, a in d.nodes.items()}
    assert [re.search(r"\+\d+", labels[f"C{c}.more"]).group() for c in range(3)] == \
        ["+84", "+34", "+4"]
    assert [labels[f"C{c}.size"] for c in range(3)] == \
        ["90<BR/>inputs", "40<BR/>hidden", "10<BR/>outputs"]
    solid = [e for e, a in d.edges.items() if a.get("style") != "dashed"]
    assert len(solid) == 6 * 6 + 6 * 6
    assert {e for e, a in d.edges.items() if a.get("style") == "dashed"} == \
        {("C0.more", "C1.more"), ("C1.more", "C2.more")}


def test_simplified_show_values_colours_edges_by_sign():
    net = dagnet.linear(2)
    net.set_weights([0.1, 0.9, -0.4])
    d = Dot(to_dot(net, "simplified", show_values=True, theme="retro"))
    assert d.edges[("L1.x1", "L1.v0")] == {"color": "#81b1d2", "penwidth": "2.56"}
    assert d.edges[("L1.x2", "L1.v0")] == {"color": "#fa8174", "penwidth": "1.36"}


# -- arbitrary DAGs, determinism, API ----------------------------------------------------------
def test_skip_connections_jump_columns_in_both_styles():
    net = _skip_net()
    d = Dot(to_dot(net))
    assert ("L1.x1", "L2.w20") in d.edges
    assert d.rank_of("L2.w20") == ["L2.w10", "L2.w20", "L2.w00"]  # just before its sum
    s = Dot(to_dot(net, "simplified"))
    assert ("L1.x1", "L2.v0") in s.edges and ("L1.v0", "L2.v0") in s.edges
    columns = {n: i for i, r in enumerate(s.ranks) for n in r}
    assert columns["L2.v0"] - columns["L1.x1"] == 2
    assert 'splines="true"' in s.text  # curved, so the skip edge goes around the circles
    assert 'splines="line"' in to_dot(dagnet.mlp([1, 2, 1]), "simplified")


def test_dot_is_byte_identical_across_runs_and_insertion_orders():
    net = dagnet.mlp([2, 3, 2], rng=0)
    text = to_dot(net, show_values=True)
    assert text == to_dot(net, show_values=True)
    G = nx.DiGraph()
    G.add_nodes_from(reversed(list(net.graph.nodes(data=True))))
    G.add_edges_from(reversed(list(net.graph.edges)))
    assert to_dot(dagnet.Network.from_graph(G), show_values=True) == text
    code = ("import dagnet; print(dagnet.to_dot(dagnet.mlp([2, 9, 2]), 'explicit'), "
            "dagnet.to_dot(dagnet.mlp([2, 9, 2]), 'simplified'))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed,
                                            "PYTHONPATH": str(ROOT)}).stdout
            for seed in ("1", "2")}
    assert len(outs) == 1


def test_diagram_is_a_digraph_with_the_same_text():
    net = dagnet.logistic(2)
    g = net.diagram("simplified", theme="retro", show_bias=True)
    assert isinstance(g, graphviz.Digraph)
    assert g.source == to_dot(net, "simplified", theme="retro", show_bias=True)
    assert diagram(net).source == to_dot(net)


@pytest.mark.parametrize("call, match", [
    (lambda n: to_dot(n, "fancy"), "unknown diagram style 'fancy'; use one of 'explicit'"),
    (lambda n: to_dot(n, theme="neon"),
     "unknown theme 'neon'; use one of 'article', 'plain' (or 'retro', an alias of 'article')"),
    (lambda n: to_dot(n, k=0), "k must be an integer >= 1"),
    (lambda n: diagram(n, colour="red"), "unknown diagram option"),
    (lambda n: render_diagram(n, "net.jpg"), "cannot tell the format"),
])
def test_bad_options_raise_diagram_errors(call, match):
    with pytest.raises(dagnet.DiagramError, match=re.escape(match)):
        call(dagnet.linear(1))


@pytest.mark.parametrize("style", ["explicit", "simplified"])
def test_article_theme_is_the_retro_theme_byte_for_byte(style):
    net = dagnet.mlp([2, 9, 2], "tanh", rng=3)
    article = to_dot(net, style, theme="article", show_values=True, show_bias=True)
    assert article == to_dot(net, style, theme="retro", show_values=True, show_bias=True)
    assert article != to_dot(net, style, theme="plain", show_values=True, show_bias=True)
    assert f'bgcolor="{palette.THEMES["article"]["background"]}"' in article


def test_diagram_options_hold_the_defaults_and_the_checks():
    o = DiagramOptions()
    assert (o.style, o.theme, o.show_values, o.show_bias, o.k, o.max_width, o.max_nodes) == (
        "explicit", "plain", False, False, 3, None, 2000)
    assert (o.width, DiagramOptions(k=1).width, DiagramOptions(k=1, max_width=5).width) == \
        (7, 3, 5)
    assert DiagramOptions(theme="retro").theme == "article"
    assert repr(DiagramOptions()) == "DiagramOptions(style='explicit')"
    assert repr(DiagramOptions("simplified", "retro", show_bias=True)) == \
        "DiagramOptions(style='simplified', theme='article', show_bias=True)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.k = 4
    for bad in ({"k": True}, {"max_width": 0}, {"max_nodes": 2.5}, {"max_width": "7"}):
        with pytest.raises(dagnet.DiagramError, match="must be an integer >= 1"):
            DiagramOptions(**bad)


def test_planners_and_entry_points_share_one_set_of_defaults():
    """The planners called without options draw what to_dot draws with none, and an unset
    max_width follows k (2 k + 1): a 5-wide layer is whole with k=2, elided with k=1."""
    net = dagnet.mlp([5, 12, 2])
    assert document(explicit_plan(net).lines()) == to_dot(net)
    assert document(simplified_plan(net).lines()) == to_dot(net, "simplified")
    assert document(plan_diagram(net, DiagramOptions("simplified", k=1)).lines()) == \
        to_dot(net, "simplified", k=1)
    whole = Dot(to_dot(net, "simplified", k=2))
    assert "C0.more" not in whole.nodes and "C1.more" in whole.nodes
    elided = Dot(to_dot(net, "simplified", k=1))
    assert re.search(r"\+3", elided.nodes["C0.more"]["label"])
    assert Dot(to_dot(net, "simplified", k=1, max_width=5)).nodes.keys() >= {"L1.x5"}


# -- rendering with Graphviz's dot -------------------------------------------------------------
def _svg_check(path: Path, ids: list[str]) -> None:
    """Every id is a node group of the SVG and every node shape lies inside the canvas."""
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.parse(path).getroot()
    _, _, width, height = map(float, root.get("viewBox").split())
    graph = root.find("s:g", ns)
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)",
                                  graph.get("transform")).groups())
    groups = {g.get("id"): g for g in graph.iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "node"}
    assert set(ids) <= set(groups)
    points = []
    for g in groups.values():
        for el in g:
            tag = el.tag.split("}")[1]
            if tag == "polygon":
                points += [tuple(map(float, p.split(","))) for p in el.get("points").split()]
            elif tag == "ellipse":
                cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
                points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
            elif tag == "text":
                points.append((float(el.get("x")), float(el.get("y"))))
    assert points
    for x, y in points:
        assert 0 <= x + tx <= width and 0 <= y + ty <= height, (x, y, width, height)


@pytest.mark.parametrize("sizes, style, options", [
    ([1, 2, 2, 1], "explicit", {}),
    ([2, 3, 3, 3], "simplified", {"show_bias": True}),
    ([1, 30, 1], "explicit", {"theme": "retro"}),
    ([60, 20, 10], "simplified", {}),
])
def test_rendered_svg_has_every_node_inside_the_canvas(tmp_path, sizes, style, options):
    net = dagnet.mlp(sizes)
    path = render_diagram(net, tmp_path / "net.svg", style, **options)
    d = Dot(to_dot(net, style, **options))
    ids = [a["id"] for a in d.nodes.values() if "id" in a]
    assert set(d.shown(net)) <= set(ids)
    _svg_check(path, ids)
    assert sorted(os.listdir(tmp_path)) == ["net.svg"]  # atomic write left no temp file


def test_columns_render_top_to_bottom_in_planned_order():
    for net, style, options in ((dagnet.mlp([2, 3, 3, 3]), "explicit", {}),
                                (dagnet.mlp([2, 3, 3, 3]), "simplified", {"show_bias": True}),
                                (_skip_net(), "explicit", {}),
                                (dagnet.mlp([1, 20, 9, 1]), "explicit", {})):
        text = to_dot(net, style, **options)
        plain = subprocess.run(["dot", "-Tplain"], input=text, capture_output=True, text=True,
                               check=True).stdout
        y = {p[1].strip('"'): float(p[3]) for p in map(str.split, plain.splitlines())
             if p[0] == "node"}
        for rank in Dot(text).ranks:
            heights = [y[n] for n in rank]
            assert heights == sorted(heights, reverse=True), (style, rank, heights)


def test_png_pdf_and_dot_files(tmp_path):
    net = dagnet.mlp([1, 2, 1])
    assert render_diagram(net, tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert render_diagram(net, tmp_path / "a.pdf", "simplified").read_bytes()[:5] == b"%PDF-"
    assert render_diagram(net, tmp_path / "a.dot").read_text() == to_dot(net)


def test_2_11_9_1_explicit_renders_without_graphviz_warning(tmp_path):
    net = dagnet.mlp([2, 11, 9, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", dagnet.GraphvizWarning)
        render_diagram(net, tmp_path / "a.svg")
        render_diagram(net, tmp_path / "b.svg", max_width=11)
    _svg_check(tmp_path / "b.svg", list(net.graph))
    bad = graphviz.Digraph(body=['\t"a" [shape="nonsense"]\n'])  # the check can fail
    with pytest.warns(dagnet.GraphvizWarning, match="nonsense"):
        _pipe(bad, "svg")


def test_missing_dot_says_how_to_install_and_dot_text_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    net = dagnet.linear(1)
    assert not has_dot()
    with pytest.raises(dagnet.GraphvizMissingError) as info:
        render_diagram(net, tmp_path / "a.svg")
    assert "apt-get install graphviz" in str(info.value) and "to_dot" in str(info.value)
    assert str(info.value) == MISSING_DOT_HINT
    assert render_diagram(net, tmp_path / "a.dot").read_text().startswith("digraph dagnet {")
    assert net._repr_mimebundle_() == {"text/plain": repr(net)}
    assert not (tmp_path / "a.svg").exists()


def test_jupyter_bundle_shows_svg_and_never_raises():
    assert has_dot()
    bundle = dagnet.mlp([1, 2, 1])._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml"}
    assert "<svg" in bundle["image/svg+xml"] and 'id="L1.x0"' in bundle["image/svg+xml"]
    assert set(repr_mimebundle(dagnet.linear(1), include={"text/plain"})) == {"text/plain"}
    assert set(repr_mimebundle(dagnet.linear(1), exclude={"text/plain"})) == {"image/svg+xml"}
    broken = dagnet.Network(nx.DiGraph([("a", "b"), ("b", "a")]))
    assert set(broken._repr_mimebundle_()) == {"text/plain"}


# -- cost: a wide diagram reads the nodes it draws, not every weight ---------------------------
class _CountingDict(dict):
    """A node's attribute dict that counts how often it is read."""

    reads = 0

    def __getitem__(self, key):
        self.reads += 1
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self.reads += 1
        return dict.get(self, key, default)


class _CountingGraph(nx.DiGraph):
    node_attr_dict_factory = _CountingDict


@pytest.mark.parametrize("style", ["simplified", "explicit"])
def test_wide_diagrams_read_few_weight_nodes(style):
    """Issue 14: the elided diagram of a wide network costs a fraction of building it, so it
    reads the attributes of the weights into the sums it draws (their tooltips name them), a
    few times each, not those of all 36,483 (the old planner: six reads each)."""
    built = dagnet.mlp([300, 120, 3], rng=0)
    expected = to_dot(built, style)
    G = _CountingGraph()
    G.add_nodes_from(built.graph.nodes(data=True))
    G.add_edges_from(built.graph.edges)
    weights = [n for n, a in built.graph.nodes(data=True) if a["kind"] == "weight"]
    attrs = [G.nodes[w] for w in weights]  # nx's views read through dict methods not counted
    net = dagnet.Network(G)
    net.validate()  # validation reads every node; drawing afterwards should not
    for a in attrs:
        a.reads = 0
    text = to_dot(net, style)
    reads = sum(a.reads for a in attrs)
    assert text == expected
    assert len(weights) == 301 * 120 + 121 * 3
    into_drawn = 6 * 301 + 3 * 121  # the weights into the 6 + 3 sums drawn (tooltips name them)
    assert reads <= 4 * into_drawn < len(weights) / 4, reads


@pytest.mark.parametrize("seed", range(40))
def test_elided_drawings_account_for_every_node_and_edge(seed):
    """Random DAGs (skip connections, direct inputs, several outputs), elided with k=1:
    every node is drawn or counted by one ellipsis, every edge between drawn nodes is drawn,
    and every other drawn edge is a dashed one touching an ellipsis."""
    net = random_dag(seed, max_inputs=8, max_layers=4, max_width=8)
    G = net.graph
    d = Dot(to_dot(net, "explicit", k=1))
    more = {n: int(re.search(r"\+(\d+)<", a["label"]).group(1))
            for n, a in d.nodes.items() if n.endswith(".more")}
    drawn = [n for n in d.nodes if n in G]
    assert len(drawn) + sum(more.values()) == G.number_of_nodes()
    for u, v in G.edges:
        if u in d.nodes and v in d.nodes:
            assert (u, v) in d.edges and d.edges[(u, v)].get("style") != "dashed"
    for (u, v), a in d.edges.items():
        if a.get("style") == "dashed":
            assert u in more or v in more
        elif a.get("style") != "invis" and u in G and v in G:
            assert G.has_edge(u, v)
    s = Dot(to_dot(net, "simplified", k=1))
    hidden = sum(int(re.search(r"\+(\d+)<", a["label"]).group(1))
                 for n, a in s.nodes.items() if n.endswith(".more"))
    circles = [n for n, a in G.nodes(data=True) if a["kind"] in ("sum", "input")
               and (a["kind"] == "sum" or not G.in_degree(n))]
    assert hidden + sum(1 for n in circles if n in s.nodes) == len(circles)
