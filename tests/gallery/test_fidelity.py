"""Issue 13: every gallery figure shows what its caption claims, checked on data (not pixels).

One test (or a few) per item of the issue; each would fail on the gallery as it was before.
"""

from __future__ import annotations

import re

import numpy as np
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


# -- item 6: one colour per category, far apart ---------------------------------------------
def _lab(hexc):
    """sRGB (D65) -> CIE L*a*b*."""
    r, g, b = (int(hexc[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
         for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def ciede2000(lab1, lab2):
    """The CIEDE2000 colour difference (Sharma, Wu, Dalal 2005), written out here."""
    import math

    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    cb = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    G = 0.5 * (1 - math.sqrt(cb ** 7 / (cb ** 7 + 25 ** 7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dh = h2p - h1p
    dh = 0.0 if c1p * c2p == 0 else dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dL, dC = L2 - L1, c2p - c1p
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    Lb, Cb = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hb = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hb = (h1p + h2p) / 2
    else:
        hb = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    T = (1 - 0.17 * math.cos(math.radians(hb - 30)) + 0.24 * math.cos(math.radians(2 * hb))
         + 0.32 * math.cos(math.radians(3 * hb + 6)) - 0.20 * math.cos(math.radians(4 * hb - 63)))
    dtheta = 30 * math.exp(-(((hb - 275) / 25) ** 2))
    RC = 2 * math.sqrt(Cb ** 7 / (Cb ** 7 + 25 ** 7))
    SL = 1 + 0.015 * (Lb - 50) ** 2 / math.sqrt(20 + (Lb - 50) ** 2)
    SC, SH = 1 + 0.045 * Cb, 1 + 0.015 * Cb * T
    RT = -math.sin(math.radians(2 * dtheta)) * RC
    return math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2
                     + RT * (dC / SC) * (dH / SH))


def test_ciede2000_matches_sharmas_published_pairs():
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
             ((50, -1.3802, -84.2814), (50, 0, -82.7485), 1.0000),
             ((50, 2.5, 0), (73, 25, -18), 27.1492),
             ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
             ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373)]
    for lab1, lab2, want in pairs:
        assert ciede2000(lab1, lab2) == pytest.approx(want, abs=1e-4)


def _blend(c, bg, alpha):
    x = [int(c[i:i + 2], 16) for i in (1, 3, 5)]
    y = [int(bg[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(alpha * p + (1 - alpha) * q):02x}" for p, q in zip(x, y))


@pytest.mark.parametrize("theme", ["article", "plain"])
def test_category_colours_are_distinct_and_the_same_everywhere(theme):
    from itertools import combinations

    from dagnet import plot
    from dagnet.core.palette import THEMES
    from dagnet.plot.classifiers import class_colors

    row, s = THEMES[theme], plot.STYLES[theme]
    cats = row["categories"]
    assert len(cats) >= 3
    # one colour per category: single-output A/B, argmax classes and output curves agree
    assert tuple(row["classes"]) == cats[:2] and tuple(row["series"][:3]) == cats[:3]
    assert class_colors(s, 1, 2) == list(cats[:2])
    assert class_colors(s, 3, 3) == list(cats[:3])
    pair = min(ciede2000(_lab(a), _lab(b)) for a, b in combinations(cats, 2))
    back = min(ciede2000(_lab(c), _lab(row["background"])) for c in cats)
    bands = [_blend(c, row["background"], s.band_alpha) for c in cats]
    band = min(ciede2000(_lab(a), _lab(b)) for a, b in combinations(bands, 2))
    assert pair >= 35 and back >= 35, (pair, back)
    assert band >= 20, band  # the tinted regions (was 3.0: #2d455c vs #1f435b)


# -- item 1: the plane reads as a plane ------------------------------------------------------
def _screen_area(ax, xs, ys, zs):
    from mpl_toolkits.mplot3d import proj3d

    ax.figure.canvas.draw()
    pts = np.array([ax.transData.transform(proj3d.proj_transform(x, y, z, ax.get_proj())[:2])
                    for x, y, z in zip(xs, ys, zs)])
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def test_the_plane_is_seen_as_a_sheet_not_edge_on():
    import matplotlib.pyplot as plt

    from dagnet.gallery.build import draw_plot

    fig, res = draw_plot(step(3), "surface")
    try:
        z = np.clip(res.z[0], *res.zlim)
        c = [(0, 0), (0, -1), (-1, -1), (-1, 0)]
        xs, ys = [res.x[j] for _, j in c], [res.y[i] for i, _ in c]
        plane = _screen_area(res.ax, xs, ys, [z[i, j] for i, j in c])
        floor = _screen_area(res.ax, xs, ys, [res.zlim[0]] * 4)
        assert plane / floor >= 0.3, plane / floor  # was 0.012: a thin line
        assert float(z.max() - z.min()) > 5  # and still visibly tilted
    finally:
        plt.close(fig)


# -- item 2: ReLU is sharper, and its colours mean the same in every frame ----------------------
def test_the_relu_still_is_alive_with_several_creases():
    import matplotlib.pyplot as plt

    from dagnet.gallery.build import draw_plot, linear_pieces

    fig, res = draw_plot(step(17), "surface")
    plt.close(fig)
    z = res.z[0]
    live = np.mean((np.abs(np.diff(z, axis=1)[:-1]) + np.abs(np.diff(z, axis=0)[:, :-1])) > 1e-12)
    assert live >= 0.5, live  # was 0.07: 93 % exactly zero
    assert linear_pieces(z) >= 4  # facets, so at least 3 creases


def test_linear_pieces_counts_facets_of_known_surfaces():
    from dagnet.gallery.build import linear_pieces

    g = np.linspace(-6, 6, 100)
    X, Y = np.meshgrid(g, g)
    assert linear_pieces(0 * X) == 1 and linear_pieces(X + 2 * Y) == 1
    assert linear_pieces(np.abs(X - 0.3 * Y)) == 2  # one oblique crease
    assert linear_pieces(np.maximum(0, X) + np.maximum(0, Y - 1) + np.maximum(0, -X - Y)) >= 5


def test_every_animation_frame_shares_one_colour_scale(tmp_path, monkeypatch):
    from dagnet.plot import animation

    seen = []
    real = animation.surface

    def record(*args, **kwargs):
        res = real(*args, **kwargs)
        seen.append((res.surfaces[0].norm.vmin, res.surfaces[0].norm.vmax, res.zlim,
                     float(np.ptp(res.z))))
        return res

    monkeypatch.setattr(animation, "surface", record)
    row = step(17)
    net = row.network()
    W = net.sample_weights(4, rng=row.rng(0, "animation"))
    W[0] = 0.0  # a dead, constant net (as the gallery's first frame was)
    animation.animate(net, tmp_path / "r.gif", weights=W, n_grid=20, facets=10)
    assert len(seen) == 4 and seen[0][3] == 0.0
    assert len({(lo, hi) for lo, hi, _, _ in seen}) == 1  # 0 is one colour in every frame
    assert len({zl for _, _, zl, _ in seen}) == 1


# -- item 3: the classifier still shows regions a reader can see -------------------------------
@pytest.mark.parametrize("number", [6, 11, 12, 13, 15, 16])
def test_the_selected_classifier_draw_has_only_clear_regions(number):
    import matplotlib.pyplot as plt

    from dagnet.gallery.build import MIN_LEAD, REGION_DRAWS, _categories, most_regions, region_leads

    row = step(number)
    net, f = row.network(), row.network().compile()
    W = net.sample_weights(REGION_DRAWS, rng=row.rng(0, "regions"))
    k = most_regions(net, W, f=f)
    cls, lead = next(_categories(net, W[k:k + 1], f, 64))
    peaks = region_leads(cls, lead)
    assert min(peaks) >= MIN_LEAD, peaks  # no ripple grazing the threshold
    if number in (11, 12, 13):
        assert len(peaks) >= 3  # interleaved, not two halves
    plt.close("all")


def test_region_leads_and_most_regions_ignore_grazing_ripples():
    from dagnet.gallery.build import most_regions

    net = dagnet.mlp([1, 1], "tanh")
    # draw 0 crosses 0 once, clearly; draw 1 has a tiny slope: its crossing barely leaves 0
    assert most_regions(net, np.array([[0.0, 1.0], [0.0, 0.004]])) == 0


def test_step_11_has_the_articles_full_explicit_diagram():
    from dagnet.gallery.build import step_files

    row = step(11)
    assert "explicit.svg" in step_files(row)
    drawn = row.drawn("explicit")
    assert len(drawn.layers) == 3 and drawn.n_inputs == 1


# -- item 7: several outputs in small multiples, not an overlay of 40 curves -------------------
@pytest.mark.parametrize("number", [12, 13])
def test_several_output_families_are_small_multiples(number):
    import matplotlib.pyplot as plt

    from dagnet.gallery.build import PANELS, draw_plot

    fig, results = draw_plot(step(number), "family")
    try:
        assert len(results) == PANELS >= 4 and len(fig.axes) == PANELS
        n_out = step(number).sizes[-1]
        for res in results:  # one draw per panel, each output once
            assert res.y.shape[0] == 1 and len(res.lines) == 1 and len(res.lines[0]) == n_out
        colors = {tuple(line.get_color() for line in res.lines[0]) for res in results}
        assert len(colors) == 1  # output k has one colour in every panel
    finally:
        plt.close(fig)


# -- item 8: the comparison's numbers are stable ---------------------------------------------
def test_the_comparison_numbers_do_not_depend_on_the_seed():
    from dagnet.gallery.comparison import measure

    for sizes in ((1, 100, 1), (1, 11, 9, 1)):
        a, b = measure(sizes, seed=0), measure(sizes, seed=1)
        assert a.draws >= 2000 and abs(a.turns - b.turns) < 0.1, (a, b)  # 20 draws: +-0.3
    wide, deep = measure((1, 100, 1)), measure((1, 11, 9, 1))
    assert wide.saturated > 0.5 > deep.saturated  # the wide net's curves are mostly steps
    assert 0.6 < wide.turns < 0.8 and 1.4 < deep.turns < 1.7  # the 0.70 vs 1.55


# -- item 9: no raw notation, internal ids or code in the page's prose and figures --------------
def test_the_prose_has_no_raw_latex_or_internal_ids():
    for row in ARTICLE:
        for text in (row.explanation, row.caption):
            assert not re.search(r"\^[IV{]|_\{|\\|Σ_|node id|L\d\.", text), (row.number, text)


def test_learned_figures_label_axes_and_legends_in_words(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    from dagnet.gallery import demos

    labels = []
    real = demos.plot_losses

    def record(histories, **kwargs):
        labels.extend(histories)
        return real(histories, **kwargs)

    monkeypatch.setattr(demos, "plot_losses", record)
    X = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
    ax = demos.plot_classes(dagnet.mlp([2, 3], "tanh", rng=0), X, np.array([0, 1, 2]))
    assert "_" not in ax.get_xlabel() + ax.get_ylabel()
    plt.close(ax.figure)
    demos.learn_normalize(tmp_path / "n.png", steps=3)
    plt.close("all")
    assert len(labels) == 2 and all("=" not in t for t in labels), labels
    assert labels[0].startswith("raw inputs") and labels[1].startswith("normalized inputs")


def test_the_deep_vs_wide_caption_says_which_error_is_lower(tmp_path):
    import matplotlib.pyplot as plt

    from dagnet.gallery import demos

    r = demos.learn_capacity(tmp_path / "c.png", steps=20, seeds=(0,))
    plt.close("all")
    w, d = r["1-100-1"]["median_final_mse"], r["1-11-9-1"]["median_final_mse"]
    lower = "deep" if d <= w else "wide"
    assert f"the {lower} net's error is {max(w, d) / min(w, d):.1f}x lower" in r["caption"]
    takeaway = next(x for x in demos.DEMOS if x.slug == "deep-vs-wide").takeaway
    assert "learns with 20 hidden nodes what" not in takeaway  # it did not learn the same


# -- item 10: every deviation from the article is listed, last, with numbers from the code -----
def test_the_pages_last_section_lists_the_deviations_from_the_code():
    from html import escape

    from dagnet.gallery import page
    from dagnet.gallery.build import fixed_window
    from dagnet.plot.surfaces import floor_limits

    rows = page.deviations()
    text = " ".join(" ".join(r) for r in rows)
    # the numbers stated are the ones the code uses
    assert floor_limits((0.0, 1.0)) == (-0.5, 1.0) and "z in [−0.5, 1]" in text
    assert f"z in [−{fixed_window(step(3).network())['zlim'][1]:g}," in text
    for what in ("1-input axes", "Logistic surfaces", "The plane", "ReLU", "Category colours",
                 "Animations", "Hidden sizes", "Layer marks"):
        assert any(r[0].startswith(what) for r in rows), what
    html = page.html(ARTICLE[:1], {1: step_equations(ARTICLE[0])})
    sections = re.findall(r'<section id="([^"]+)"', html)
    assert sections[-1] == "deviations"
    last = html[html.index('<section id="deviations">'):]
    assert all(escape(r[2]) in last for r in rows)
    md = page.markdown(ARTICLE[:1], {1: step_equations(ARTICLE[0])})
    assert md.rstrip().splitlines()[-1].startswith(f"| {rows[-1][0]} |")
