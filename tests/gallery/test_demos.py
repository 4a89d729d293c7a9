"""dagnet.gallery.demos: the data makers; every "What it learned" example reaches its quality."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dagnet.gallery import demos
from dagnet.gallery.demos import (
    DEMOS,
    JUMPS,
    badly_scaled,
    jagged,
    line_sample,
    rise_width,
    smooth,
    spirals,
    two_moons,
    wiggly,
)

pytestmark = pytest.mark.slow  # five fits to data


@pytest.mark.parametrize("make", [two_moons, spirals, badly_scaled,
                                  lambda seed: (line_sample(seed=seed), None)])
def test_makers_are_seeded(make):
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[0], c[0])
    if a[1] is not None:
        assert np.array_equal(a[1], b[1])


def test_two_moons():
    X, label = two_moons(n=301, noise=0.0, seed=0)
    assert X.shape == (301, 2) and label.tolist() == [i % 2 for i in range(301)]
    A, B = X[label == 0], X[label == 1]
    # noise-free: A on the unit upper half circle, B on the lower one centred at (1, 0.5)
    assert np.allclose(np.hypot(A[:, 0], A[:, 1]), 1.0) and (A[:, 1] >= 0).all()
    assert np.allclose(np.hypot(B[:, 0] - 1.0, B[:, 1] - 0.5), 1.0) and (B[:, 1] <= 0.5).all()


def test_spirals():
    X, label = spirals(n_per_class=50, noise=0.0, seed=0)
    assert X.shape == (150, 2) and np.bincount(label).tolist() == [50, 50, 50]
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[:50], np.linspace(0.2, 2.5, 50))
    # arm k is arm 0 turned by k * 120 degrees
    turn = 2 * np.pi / 3
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    assert np.allclose(X[:50] @ rot.T, X[50:100]) and np.allclose(X[50:100] @ rot.T, X[100:])


def test_one_input_targets():
    x = line_sample(500, seed=0)[:, 0]
    assert x.min() >= -6 and x.max() <= 6 and (np.diff(x) >= 0).all()
    for f in (smooth, jagged, wiggly):
        assert np.abs(f(x)).max() < 1  # inside tanh's output range
    # the square wave flips exactly at the jumps and nowhere else
    g = np.linspace(-6, 6, 12001)
    flips = g[1:][np.diff(jagged(g)) != 0]
    assert np.allclose(flips, JUMPS, atol=2e-3)
    assert set(np.unique(jagged(g)).tolist()) == {-0.7, 0.7}


def test_badly_scaled():
    X, y = badly_scaled(n=1000, seed=0)
    assert X.shape == (1000, 2) and y.shape == (1000,)
    assert abs(X[:, 0].mean() - 1000) < 1 and X[:, 1].std() < 0.01
    assert np.abs(y).max() <= 0.6


def test_rise_width_of_a_ramp():
    x = np.linspace(-1, 1, 2001)
    # a ramp from -1 to 1 over [-0.5, 0.5]: 10 % to 90 % is 0.8 of its width, rising or falling
    assert rise_width(x, np.clip(2 * x, -1, 1), 0.0, -1.0, 1.0) == pytest.approx(0.8, abs=2e-3)
    assert rise_width(x, -np.clip(2 * x, -1, 1), 0.0, -1.0, 1.0) == pytest.approx(0.8, abs=2e-3)


def test_table():
    assert [d.run for d in DEMOS] == [demos.learn_regression, demos.learn_two_moons,
                                      demos.learn_three_class, demos.learn_capacity,
                                      demos.learn_normalize]
    for d in DEMOS:
        assert d.takeaway.endswith(".") and len(d.takeaway) <= 100 and d.steps > 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every example as the gallery runs it (its steps, seed 0)."""
    out = tmp_path_factory.mktemp("demos")
    return {d.slug: d(out / f"{d.slug}.png", seed=0) for d in DEMOS}


def test_each_example_reaches_its_quality(runs):
    r = runs["smooth-regression"]
    assert r["smooth"]["final_loss"] < r["smooth"]["first_loss"] / 100
    assert r["jagged"]["final_loss"] > 5 * r["smooth"]["final_loss"]
    assert r["jagged"]["share_of_error_near_jumps"] > 0.8  # the misfit sits at the jumps
    assert 0 < r["jagged"]["mean_rise_width"] < 1
    for slug, bound in (("smooth-boundaries", 0.98), ("argmax", 0.95)):
        r = runs[slug]
        assert r["final_loss"] < r["first_loss"] / 20 and r["accuracy"] >= bound, slug
    r = runs["deep-vs-wide"]
    wide, deep = r["1-100-1"], r["1-11-9-1"]
    assert (wide["hidden_nodes"], deep["hidden_nodes"]) == (100, 20)
    assert deep["median_final_mse"] < wide["median_final_mse"]  # fewer nodes, not worse
    assert deep["median_final_mse"] < deep["median_first_mse"] / 20
    r = runs["normalized-inputs"]
    assert r["normalized"]["final_loss"] < r["raw"]["final_loss"] / 20


def test_captions_state_the_measured_numbers(runs):
    r = runs["smooth-boundaries"]
    assert f"{r['accuracy']:.1%}" in r["caption"] and f"{r['final_loss']:.2g}" in r["caption"]
    r = runs["normalized-inputs"]
    assert f"{r['normalized']['final_loss']:.1e}" in r["caption"]
    r = runs["deep-vs-wide"]
    assert f"{r['1-11-9-1']['median_final_mse']:.1e}" in r["caption"]
    for d in DEMOS:
        r = runs[d.slug]
        assert f"{d.steps} steps" in r["caption"] or f"{d.steps} Adam steps" in r["caption"]
        with Image.open(r["figure"]) as im:
            assert im.format == "PNG" and im.size == (1200, 675)


def test_plots_take_ax_none_and_return_what_they_drew():
    import matplotlib.pyplot as plt

    import dagnet

    x = np.linspace(-6, 6, 50)
    ax = demos.plot_curves(x, smooth(x), {"fit": smooth(x) + 0.1})
    assert len(ax.lines) == 4  # target, fit, the two axis lines
    net = dagnet.mlp([2, 3, 3], ["tanh", "identity"], rng=0)
    X, label = spirals(10, seed=0)
    ax2 = demos.plot_classes(net, X, label, n_grid=20)
    assert len(ax2.collections) >= 3  # shaded regions and one scatter per class
    plt.close("all")
