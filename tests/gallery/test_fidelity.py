"""Issue 13: every gallery figure shows what its caption claims, checked on data (not pixels).

One test (or a few) per item of the issue; each would fail on the gallery as it was before.
"""

from __future__ import annotations

import re

import dagnet
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
