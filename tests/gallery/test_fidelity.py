"""Issue 13: every gallery figure shows what its caption claims, checked on data (not pixels).

One test (or a few) per item of the issue; each would fail on the gallery as it was before.
"""

from __future__ import annotations

import re

import pytest

import dagnet
import dagnet.draw.render
from dagnet.gallery.build import step_equations
from dagnet.gallery.steps import ARTICLE, step


# -- item 5: the article's notation, one convention everywhere ----------------------------
def test_equations_of_11_12_13_differ_and_state_the_outputs():
    blocks = [step_equations(step(k)) for k in (11, 12, 13)]
    assert len(set(blocks)) == 3
    assert r"y_{0,\mathrm{III}}" in blocks[0]  # one output: the article's j = 0
    assert r"j = 0, 1 \\" in blocks[1] and r"j = 0, 1, 2 \\" in blocks[2]


def test_one_convention_in_every_step():
    """The layer is a subscript at the end, never a superscript; the input comes first in
    every product (u_ij = x_i w_ij, as the article writes it); indices are written ij."""
    for row in ARTICLE:
        block = step_equations(row)
        assert "^{I" not in block and "^I" not in block, row.number
        assert "_{i,j" not in block, row.number
        for m in re.finditer(r"^u_\{(\w+)(,[^}]*)?\} &= (\S+) (\S+)", block, re.M):
            assert m.group(3).startswith("x_") and m.group(4).startswith("w_"), (row.number, m[0])
        if row.number > 1:
            assert re.search(r"^x_\{0[,}].* &= 1", block, re.M), row.number  # bias x_0 = 1


def test_bias_shorthand_and_layer_forms_arrive_where_the_article_introduces_them():
    assert "x_{0} &= 1" in step_equations(step(2))
    plane = step_equations(step(3))
    assert r"u_{i0} &= x_{i} w_{i0}" in plane and r"v_{0} &= \sum_{i=0}^{2} u_{i0}" in plane
    generic = step_equations(step(4))
    assert r"u_{ij,L} &= x_{i,L} w_{ij,L}" in generic and r"x_{j+1,L+1} &= v_{j,L}" in generic
    assert r"j = 0, \ldots, 99" in generic  # the 100 hidden nodes


def test_latex_cli_and_display_use_the_subscript_layer():
    net = dagnet.mlp([1, 2, 1], "tanh")
    assert r"w_{10,\mathrm{II}}" in net.latex()
    assert r"w_{ij,\mathrm{I}}" in net.latex(form="indexed")
    assert r"w_{10,\mathrm{II}}" in net.latex(expression=True).splitlines()[-2]
    assert "^{II}" not in dagnet.backward_latex(net, form="indexed")


# -- item 11: diagrams that explain themselves ---------------------------------------------
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _node_tips(path):
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    tips = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            titles = [a.get(f"{XLINK}title") for a in g.iter(f"{SVG}a")]
            tips[g.get("id")] = [t for t in titles if t]
    scripts = [s.text or "" for s in root.iter(f"{SVG}script")]
    return tips, scripts


@pytest.mark.skipif(not dagnet.draw.render.has_dot(), reason="needs Graphviz dot")
@pytest.mark.parametrize("style", ["explicit", "simplified"])
def test_every_node_of_an_svg_carries_its_equation_and_a_hover(tmp_path, style):
    net = dagnet.linear(1)
    net.set_weights([0.25, 0.37])
    path = dagnet.render_diagram(net, tmp_path / "d.svg", style, show_bias=True)
    tips, scripts = _node_tips(path)
    drawn = {n for n in net.graph if style == "explicit" or net.graph.nodes[n]["kind"] != "weight"}
    assert drawn <= set(tips)  # the SVG id of each node is the node id
    assert all(tips[n] for n in drawn)
    if style == "explicit":
        assert tips["L1.w10"] == ["u_10 = x_1 w_10; w_10 = 0.37"]
        assert tips["L1.v0"] == ["v_0 = u_00 + u_10"] and tips["L1.x0"] == ["x_0 = 1: bias"]
    assert len(scripts) == 1 and "mouseenter" in scripts[0] and "g.edge" in scripts[0]
    assert "http" not in "".join(scripts)  # offline: nothing fetched


@pytest.mark.skipif(not dagnet.draw.render.has_dot(), reason="needs Graphviz dot")
def test_layered_tooltips_name_the_layer_and_sum_and_activation(tmp_path):
    net = dagnet.mlp([1, 2, 1], "tanh", rng=0)
    tips, _ = _node_tips(dagnet.render_diagram(net, tmp_path / "m.svg", "simplified"))
    assert tips["L2.v0"] == ["v_0 = u_00 + u_10 + u_20; y_0 = tanh(v_0) (layer II)"]
    tips, _ = _node_tips(dagnet.render_diagram(net, tmp_path / "e.svg", "explicit"))
    assert tips["L1.y1"] == ["y_1 = tanh(v_1) (layer I)"]
    w = net.weights[net.weight_names.index("w_20^II")]
    assert tips["L2.w20"] == [f"u_20 = x_2 w_20; w_20 = {w:.4g} (layer II)"]


# -- item 4: open and closed ends come from the activation ---------------------------------
def test_facts_state_each_activations_interval():
    from dagnet.gallery.page import facts

    expected = {1: "(−∞, ∞)", 5: "(0, 1)", 6: "(0, 1)", 7: "(0, 1)", 8: "(−1, 1)",
                14: "(−1, 1)", 17: "[0, ∞)"}
    for number, text in expected.items():
        assert facts(step(number)).endswith(f"output in {text}"), number
