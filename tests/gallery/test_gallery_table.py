"""The article's sequence as data: one check of every row of dagnet.gallery.steps.ARTICLE."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from dagnet.errors import SpecError
from dagnet.gallery.build import step_equations, step_files
from dagnet.gallery.steps import ARTICLE, PURPOSES, select, step

# The table of ../shared/docs/article-figures.md, written out independently:
# (inputs, hidden sizes, outputs, activation); rows 14-17 use the "e.g. 11, 9" sizes.
EXPECTED = [
    (1, (), 1, None), (1, (), 1, None), (2, (), 1, None), (1, (100,), 1, None),
    (1, (), 1, "logistic"), (1, (), 1, "logistic"), (2, (), 1, "logistic"), (1, (), 1, "tanh"),
    (1, (100,), 1, "tanh"), (1, (11, 9), 1, "tanh"), (1, (11, 9), 1, "tanh"),
    (1, (11, 9), 2, "tanh"), (1, (11, 9), 3, "tanh"), (2, (11, 9), 1, "tanh"),
    (2, (11, 9), 1, "tanh"), (2, (11, 9), 3, "tanh"), (2, (11, 9), 1, "relu"),
]
# "Explicit diagrams appear for 1-4 and 5-10"; simplified ones for 1-2-2-1, 2-3-3-1, 2-3-3-3.
# And at step 11 the article says "Here is the full network diagram of a multi-layer perceptron."
EXPLICIT_ROWS = set(range(1, 12))
ARTICLE_SIMPLIFIED = {(1, 2, 2, 1), (2, 3, 3, 1), (2, 3, 3, 3)}
CLASSIFIER_ROWS = {6, 11, 12, 13, 15, 16}


def test_order_and_names():
    assert [r.number for r in ARTICLE] == list(range(1, 18))
    slugs = [r.slug for r in ARTICLE]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


@pytest.mark.parametrize("row", ARTICLE, ids=lambda r: r.slug)
def test_every_row(row):
    n_in, hidden, n_out, act = EXPECTED[row.number - 1]
    assert row.sizes == (n_in, *hidden, n_out)
    assert row.activation == act
    net = row.network(rng=0)
    assert (net.n_inputs, net.n_outputs) == (n_in, n_out)
    assert net.is_linear() == (act is None)
    # Diagrams: explicit where the article shows one, and the drawn net is the same family.
    assert (row.explicit is not None) == (row.number in EXPLICIT_ROWS)
    for which in ("explicit", "simplified"):
        sizes = row.explicit if which == "explicit" else row.simplified
        if sizes is None:
            continue
        drawn = row.drawn(which)
        assert (drawn.n_inputs, drawn.n_outputs) == (n_in, n_out)
        assert len(drawn.layers) == len(row.sizes) - 1
        assert all(s <= t for s, t in zip(sizes, row.sizes))
    # Plots fit the inputs: curves for 1 input, surfaces for 2; regions only for classifiers.
    assert row.plots and len(set(row.plots)) == len(row.plots)
    for kind in row.plots:
        assert kind in ("family", "surface", "regions")
        assert kind != "family" or n_in == 1
        assert kind != "surface" or n_in == 2
    assert ("regions" in row.plots) == (row.number in CLASSIFIER_ROWS)
    assert row.animation in row.plots
    # Equations: the article's notation grows from y = m x + b to the indexed form: the
    # shorthand u_i0 = x_i w_i0 arrives with the plane, the layer subscript L with two layers.
    assert row.equations == ("affine" if row.number == 1 else "shorthand" if row.number == 3
                             else "generic" if row.number == 4 else
                             "nodes" if net.n_weights <= 3 else "indexed")
    block = step_equations(row)
    assert block.startswith("\\begin{align}") and block.endswith("\\end{align}")
    # Captions: one line, the article's point.
    assert row.caption.endswith(".") and "\n" not in row.caption and len(row.caption) <= 100
    assert row.title and row.spec == str(row.spec)
    assert step(row.number) is row and step(row.slug) is row and step(row.stem) is row


@pytest.mark.parametrize("row", ARTICLE, ids=lambda r: r.slug)
def test_every_explanation(row):
    """2-4 plain-text sentences, short, safe as they are in Markdown and escaped in HTML."""
    from html import escape

    text = row.explanation
    assert text == text.strip() and "\n" not in text and 150 <= len(text) <= 450, len(text)
    sentences = re.findall(r"[.!?](?:\s|$)", text)
    assert 2 <= len(sentences) <= 4 and text.endswith("."), sentences
    # no markup: nothing HTML or Markdown would read as a tag, entity, emphasis, code or link
    for bad in ("<", "&", "*", "`", "\\", "$", "](", "]["):
        assert bad not in text, bad
    assert not text.startswith((">", "#", "-", "+"))
    # an underscore after a letter or digit never opens emphasis (x_0, w_10, v^I_j)
    assert all(text[k - 1].isalnum() for k, ch in enumerate(text) if ch == "_")
    assert escape(text, quote=False).replace("&gt;", ">") == text  # only ">" needs escaping
    # not the caption again, and the facts it states match what dagnet computes
    assert text != row.caption and row.caption not in text
    net = row.network()
    for number in re.findall(r"(\d+) weights", text):
        assert int(number) in (net.n_weights, step(9).network().n_weights), number
    if "bias node" in text and "L1.x0" in text:
        assert net.graph.nodes["L1.x0"]["kind"] == "bias"
    if "[−1, 1)" in text:
        w = net.sample_weights(2000, rng=0)
        assert w.min() >= -1.0 and w.max() < 1.0 and w.min() < -0.99 and w.max() > 0.99


def test_explanations_state_the_rules_dagnet_uses():
    """The thresholds and collapsed line the text names, checked against dagnet."""
    import numpy as np

    from dagnet.plot import classify

    # step 6: A where the logistic is above 0.5, i.e. on the side x > -w_00 / w_10 when w_10 > 0
    net = step(6).network()
    net.set_weights([0.5, 0.8])
    x = np.array([-0.5 / 0.8 - 1e-6, -0.5 / 0.8 + 1e-6])
    assert classify(net, x).tolist() == [1, 0] and "y_0 > 0.5" in step(6).explanation
    # steps 11-13: A where y > 0; the larger output wins, a tie goes to A
    net = step(12).network(rng=1)
    assert "y > 0" in step(11).explanation and "a tie goes to A" in step(12).explanation
    W = net.sample_weights(5, rng=2)
    Y = net.compile()(np.linspace(-6, 6, 50)[:, None], weights=W)
    assert (classify(net, np.linspace(-6, 6, 50), W) == np.argmax(Y, axis=-1)).all()
    # step 4: the collapsed slope and intercept the text writes out
    net = step(4).network(rng=5)
    w = dict(zip(net.weight_names, net.weights))

    def weight(i, j, layer):
        sep = "," if max(i, j) >= 10 else ""
        return w[f"w_{i}{sep}{j}^{layer}"]

    m = sum(weight(1, j, "I") * weight(j + 1, 0, "II") for j in range(100))
    b = weight(0, 0, "II") + sum(weight(0, j, "I") * weight(j + 1, 0, "II") for j in range(100))
    y = net.compile()(np.array([[0.0], [2.0]]))[:, 0]
    assert y[0] == pytest.approx(b) and (y[1] - y[0]) / 2 == pytest.approx(m)
    # (issue 13: said in words, no raw pseudo-LaTeX in the page's prose)
    assert "each one's slope times the weight layer II gives it" in step(4).explanation
    # step 8: tanh(v) = 2 / (1 + e^(-2v)) - 1
    v = np.linspace(-5, 5, 11)
    assert np.allclose(np.tanh(v), 2 / (1 + np.exp(-2 * v)) - 1)


def test_the_articles_simplified_drawings_appear():
    drawn = {r.simplified for r in ARTICLE if r.simplified != r.sizes}
    assert drawn == ARTICLE_SIMPLIFIED


def test_step_one_is_y_equals_mx_plus_b():
    # The collapsed line of the 1-1 linear network, renamed to the article's first symbols.
    lhs, rhs = step_equations(step(1)).splitlines()[1].split("&=")
    assert lhs.strip() == "y" and rhs.strip() == "m x + b"
    m, x, b = sp.symbols("m x b")
    net = step(1).network(rng=3)
    w00, w10 = net.weights
    value = float(sp.sympify(rhs.replace(" x", "*x")).subs({m: w10, b: w00, x: 0.5}))
    assert value == pytest.approx(net.compile()([[0.5]])[0, 0])


def test_files_per_row():
    for row in ARTICLE:
        files = step_files(row)
        assert all(name.startswith(row.stem) for name in files.values())
        assert ("explicit.svg" in files) == (row.explicit is not None)
        assert {"simplified.svg", "simplified.png", "tex", "equations.svg",
                "animation"} <= set(files)
        assert files["animation"].endswith(".gif")
    names = [n for r in ARTICLE for n in step_files(r).values()]
    assert len(names) == len(set(names))


def test_rng_streams_are_independent_and_reproducible():
    row = step(10)
    a = row.rng(0, "family").uniform(size=3)
    assert (a == row.rng(0, "family").uniform(size=3)).all()
    others = [row.rng(0, p).uniform(size=3) for p in PURPOSES if p != "family"]
    others += [row.rng(1, "family").uniform(size=3), step(9).rng(0, "family").uniform(size=3)]
    assert all((a != o).all() for o in others)


def test_select():
    assert select() == ARTICLE
    assert [r.number for r in select(["tanh-3-layers", 4, "04", "1"])] == [1, 4, 10]
    assert select("relu") == (ARTICLE[16],)
    for bad in ["18", 0, "nope"]:
        with pytest.raises(SpecError, match="no gallery network"):
            select([bad])


def test_most_regions_counts_clear_regions():
    """Checked against a hand-written forward pass: runs of one sign of the tanh network,
    each clear when |y| reaches MIN_LEAD in it; a draw scores clear - 2 x unclear runs."""
    import numpy as np

    from dagnet.gallery.build import MIN_LEAD, REGION_DRAWS, most_regions

    row = step(11)
    net = row.network()  # 1-11-9-1 tanh, split at 0
    W = net.sample_weights(REGION_DRAWS, rng=row.rng(0, "regions"))  # what the gallery draws
    x = np.linspace(-6, 6, 64)
    scores, runs_of = [], []
    for w in W:
        h = x[:, None]
        k = 0
        for n_in, n_out in zip((1, 11, 9), (11, 9, 1)):
            # weight order: layer, then j, then i (i = 0 is the bias)
            M = w[k:k + (n_in + 1) * n_out].reshape(n_out, n_in + 1)
            k += (n_in + 1) * n_out
            h = np.tanh(M[:, 0] + h @ M[:, 1:].T)
        y = h[:, 0]
        cls = (y <= 0).astype(int)
        cuts = np.flatnonzero(np.diff(cls)) + 1
        peaks = [float(np.abs(part).max()) for part in np.split(y, cuts)]
        clear = sum(p >= MIN_LEAD for p in peaks)
        scores.append(clear - 2 * (len(peaks) - clear))
        runs_of.append(len(peaks))
    best = most_regions(net, W)
    assert best == int(np.argmax(scores))
    assert runs_of[best] >= 3  # the gallery's picked draw really interleaves A and B
