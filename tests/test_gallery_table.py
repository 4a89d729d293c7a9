"""The article's sequence as data: one check of every row of dagnet.article.ARTICLE."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from dagnet.article import ARTICLE, PURPOSES, select, step
from dagnet.errors import SpecError
from dagnet.gallery import step_equations, step_files

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
EXPLICIT_ROWS = set(range(1, 11))
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
    # Equations: the article's notation grows from y = m x + b to the indexed form.
    assert row.equations == ("affine" if row.number == 1 else
                             "nodes" if net.n_weights <= 3 else "indexed")
    block = step_equations(row)
    assert block.startswith("\\begin{align}") and block.endswith("\\end{align}")
    # Captions: one line, the article's point.
    assert row.caption.endswith(".") and "\n" not in row.caption and len(row.caption) <= 100
    assert row.title and row.spec == str(row.spec)
    assert step(row.number) is row and step(row.slug) is row and step(row.stem) is row


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


def test_most_regions_counts_category_changes():
    """Checked against a hand-written forward pass: sign changes of the tanh network."""
    import numpy as np

    from dagnet.gallery import REGION_DRAWS, most_regions

    row = step(11)
    net = row.network()  # 1-11-9-1 tanh, split at 0
    W = net.sample_weights(REGION_DRAWS, rng=row.rng(0, "regions"))  # what the gallery draws
    x = np.linspace(-6, 6, 64)
    changes = []
    for w in W:
        h = x[:, None]
        k = 0
        for n_in, n_out in zip((1, 11, 9), (11, 9, 1)):
            # weight order: layer, then j, then i (i = 0 is the bias)
            M = w[k:k + (n_in + 1) * n_out].reshape(n_out, n_in + 1)
            k += (n_in + 1) * n_out
            h = np.tanh(M[:, 0] + h @ M[:, 1:].T)
        cls = (h[:, 0] < 0).astype(int)
        changes.append(int(np.count_nonzero(np.diff(cls))))
    assert most_regions(net, W) == int(np.argmax(changes))
    assert max(changes) >= 2  # the gallery's picked draw really interleaves A and B
