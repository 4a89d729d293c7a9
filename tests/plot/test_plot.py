"""Tests of dagnet.plot: the data drawn, checked against independent computations.

Nothing here compares pixels. Curves and surfaces are checked against a hand-written
numpy forward pass; dividers against a dense evaluation and analytic crossings;
region fills by asking the drawn paths which category contains a point.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math  # noqa: E402

import matplotlib.animation  # noqa: E402
import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import dagnet  # noqa: E402
from dagnet import plot  # noqa: E402
from dagnet.errors import DagnetError, PlotError  # noqa: E402
from dagnet.plot.classifiers import class_colors  # noqa: E402

ACTS = {
    None: lambda v: v,
    "identity": lambda v: v,
    "tanh": np.tanh,
    "logistic": lambda v: 1.0 / (1.0 + np.exp(-v)),
    "relu": lambda v: np.maximum(v, 0.0),
}


def forward(sizes, activation, w, X):
    """Hand-written forward pass of dagnet.mlp(sizes, activation) (weights: layer, j, i)."""
    w = np.asarray(w, dtype=float)
    h = np.asarray(X, dtype=float)
    k = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        Wl = w[k:k + n_out * (n_in + 1)].reshape(n_out, n_in + 1)
        k += n_out * (n_in + 1)
        h = ACTS[activation](Wl[:, 0] + h @ Wl[:, 1:].T)
    assert k == w.size
    return h


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


class CountingCompiled:
    """Wraps a CompiledNetwork and counts its calls."""

    def __init__(self, f):
        self.f, self.calls = f, 0

    def __call__(self, X, weights=None):
        self.calls += 1
        return self.f(X, weights=weights)


# -- styles -------------------------------------------------------------------------------
def test_every_style_row_is_valid():
    for name, s in plot.STYLES.items():
        assert s.name == name
        for c in (s.background, s.foreground, s.light, s.accent, *s.colors, *s.class_colors):
            assert mcolors.is_color_like(c), (name, c)
        assert len(s.colors) >= 3 and len(s.class_colors) == 2
        assert s.cmap in matplotlib.colormaps and s.boundary_cmap in matplotlib.colormaps
        assert s.figsize == (8.0, 4.5) and s.dpi > 0 and s.gif_dpi > 0
        assert 0 < s.band_alpha < 1 and s.linewidth > s.family_linewidth > 0
        assert s.color(len(s.colors)) == s.colors[0]
    art = plot.STYLES["article"]
    assert (art.background, art.foreground, art.light, art.accent) == (
        "#04253a", "#d4d2b7", "#e1ddbf", "#4c837a")
    # Retro Rocks colours, ordered as categories A, B, C (issue 13: the article's lavender
    # and blue were hard to tell apart as categories A and C; green, salmon, blue are not)
    assert art.colors[:3] == ("#b3de69", "#fa8174", "#81b1d2") == art.class_colors + (
        "#81b1d2",)
    assert (art.figsize[0] * art.dpi, art.figsize[1] * art.dpi) == (1200, 675)
    assert art.figsize[0] * art.gif_dpi == 640
    assert plot.get_style("retro") == art  # the palette's alias of "article"


def test_style_colours_are_the_palettes():
    from dagnet.core.palette import THEMES

    for name, s in plot.STYLES.items():
        row = THEMES[name]
        assert (s.background, s.foreground, s.light, s.accent, s.colors, s.class_colors,
                s.cmap, s.boundary_cmap) == (
            row["background"], row["plot_text"], row["plot_light"], row["accent"],
            row["series"], row["classes"], row["cmap"], row["boundary_cmap"])


def test_new_figure_and_style_none_keeps_given_axes():
    fig, ax = plot.new_figure("article")
    assert mcolors.to_hex(fig.get_facecolor()) == "#04253a"
    assert mcolors.to_hex(ax.get_facecolor()) == "#04253a"
    fig2, ax2 = plt.subplots()
    before = ax2.get_facecolor()
    net = dagnet.linear(1)
    plot.family(net, n=2, rng=0, ax=ax2, style=None)
    assert ax2.get_facecolor() == before
    with pytest.raises(PlotError, match="unknown plot style"):
        plot.family(net, n=2, rng=0, style="neon")


def test_save_figure_atomic_keeps_figure_open(tmp_path):
    fig, _ = plot.new_figure("plain")
    p = plot.save_figure(fig, tmp_path / "sub" / "a.png")
    assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(p).size == (800, 450)
    svg = plot.save_figure(fig, tmp_path / "a.svg")
    assert b"<svg" in svg.read_bytes()[:500]
    assert plt.fignum_exists(fig.number)
    with pytest.raises(PlotError, match="must end in one of"):
        plot.save_figure(fig, tmp_path / "a.nope")
    assert sorted(q.name for q in tmp_path.iterdir()) == ["a.svg", "sub"]


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_saved_files_are_reproducible(tmp_path, suffix):
    blobs = []
    for run in range(2):
        res = plot.regions(dagnet.mlp([1, 4, 2], rng=3))
        blobs.append(plot.save_figure(res.figure, tmp_path / f"{run}.{suffix}").read_bytes())
    assert blobs[0] == blobs[1]
    gifs = [plot.animate(dagnet.mlp([1, 2, 1]), tmp_path / f"{run}.gif", n_frames=2,
                         rng=5).read_bytes() for run in range(2)]
    assert gifs[0] == gifs[1]


# -- family -------------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, act", [([1, 1], None), ([1, 100, 1], None),
                                        ([1, 11, 9, 1], "tanh"), ([1, 11, 9, 3], "tanh"),
                                        ([1, 1], "logistic"), ([1, 4, 2], "relu")])
def test_family_curves_equal_the_network(sizes, act):
    net = dagnet.mlp(sizes, activation=act)
    f = CountingCompiled(net.compile())
    res = plot.family(net, n=7, rng=3, f=f)
    assert f.calls == 1  # all draws in one compiled call
    W = net.sample_weights(7, rng=3)
    np.testing.assert_array_equal(res.weights, W)
    assert res.x[0] == -6 and res.x[-1] == 6 and res.x.size == 100
    for k in range(7):
        expect = forward(sizes, act, W[k], res.x[:, None])
        for j in range(sizes[-1]):
            line = res.lines[k][j]
            np.testing.assert_array_equal(line.get_xdata(), res.x)
            np.testing.assert_allclose(line.get_ydata(), expect[:, j], rtol=0, atol=1e-12)
    assert res.ax.get_xlabel() == "x (input)" and res.ax.get_ylabel() == "y (output)"
    lo, hi = res.ax.get_ylim()
    assert lo <= res.y.min() and hi >= res.y.max()


def test_family_axes_follow_the_activation_range():
    tanh = plot.family(dagnet.mlp([1, 11, 9, 1]), n=5, rng=0)
    assert tanh.ax.get_ylim() == pytest.approx((-1.2, 1.2))
    assert tanh.ax.get_xlim() == (-6.0, 6.0)
    logi = plot.family(dagnet.logistic(1), n=5, rng=0)
    assert logi.ax.get_ylim() == pytest.approx((-0.1, 1.1))
    relu = plot.family(dagnet.mlp([1, 3, 1], "relu"), n=5, rng=0)
    lo, hi = relu.ax.get_ylim()
    span = relu.y.max()
    assert lo == pytest.approx(-0.1 * span) and hi == pytest.approx(1.1 * span)
    # axis lines at x = 0 and y = 0
    lines = [ln for ln in tanh.ax.lines if ln not in sum(map(list, tanh.lines), [])]
    data = sorted((tuple(ln.get_xdata()), tuple(ln.get_ydata())) for ln in lines)
    assert data == [((0, 0), (0, 1)), ((0, 1), (0, 0))]


def test_family_colours_per_output_and_explicit_weights():
    net = dagnet.mlp([1, 5, 3])
    W = net.sample_weights(4, rng=1)
    res = plot.family(net, weights=W)
    s = plot.STYLES["article"]
    for k in range(4):
        assert [mcolors.to_hex(res.lines[k][j].get_color()) for j in range(3)] == \
            list(s.colors[:3])
    one = plot.family(net, weights=W[2])
    np.testing.assert_allclose(one.y[0], res.y[2], atol=1e-15)


def test_family_errors_name_the_fix():
    with pytest.raises(PlotError, match="1 input.*has 2.*surface"):
        plot.family(dagnet.mlp([2, 3, 1]), n=2)
    with pytest.raises(PlotError, match=r"shape \(4,\) or \(K, 4\)"):
        plot.family(dagnet.mlp([1, 1, 1]), weights=np.zeros((2, 5)))
    with pytest.raises(PlotError, match="xlim"):
        plot.family(dagnet.linear(1), n=2, xlim=(3, -3))
    assert issubclass(PlotError, DagnetError)


# -- surfaces -----------------------------------------------------------------------------
def test_surface_values_camera_and_floor():
    net = dagnet.mlp([2, 4, 3, 1], rng=5)
    res = plot.surface(net, n_grid=21)
    g = np.linspace(-6, 6, 21)
    G1, G2 = np.meshgrid(g, g)
    expect = forward([2, 4, 3, 1], "tanh", net.weights,
                     np.column_stack([G1.ravel(), G2.ravel()]))[:, 0].reshape(21, 21)
    np.testing.assert_allclose(res.z[0], expect, atol=1e-12)
    assert res.z[0][3, 7] == pytest.approx(forward([2, 4, 3, 1], "tanh", net.weights,
                                                   [[g[7], g[3]]])[0, 0])
    assert res.zlim == (-2.0, 1.0) and res.ax.get_zlim() == pytest.approx((-2.0, 1.0))
    assert (res.ax.elev, res.ax.azim) == (20.0, -55.0)
    assert 0.0 in res.levels and list(res.floor[0].levels) == list(res.levels)
    logi = plot.surface(dagnet.logistic(2, rng=1), n_grid=11)
    assert 0.5 in logi.levels and logi.zlim == (-0.5, 1.0)


def test_surface_needs_two_inputs_and_3d_axes():
    with pytest.raises(PlotError, match="2 inputs.*has 1"):
        plot.surface(dagnet.linear(1, rng=0))
    _, ax = plt.subplots()
    with pytest.raises(PlotError, match="projection='3d'"):
        plot.surface(dagnet.linear(2, rng=0), ax=ax)
    with pytest.raises(dagnet.MissingWeightError):
        plot.surface(dagnet.linear(2))


def test_surface_facets_draw_a_coarser_grid():
    net = dagnet.mlp([2, 3, 1], rng=2)
    res = plot.surface(net, n_grid=40, facets=10)
    full = plot.surface(net, n_grid=12)
    for r in (res, full):
        r.figure.canvas.draw()  # 3-D collections hold their projected paths after a draw
    assert res.z.shape == (1, 40, 40)
    assert len(res.surfaces[0].get_paths()) == 9 * 9  # a 10 x 10 grid of facet corners
    assert len(full.surfaces[0].get_paths()) == 11 * 11


# -- crossings ----------------------------------------------------------------------------
def test_crossings_match_the_analytic_logistic_divider():
    net = dagnet.logistic(1)
    for w0, w1 in [(0.3, 0.7), (-0.9, 0.2), (0.05, -0.45)]:
        net.set_weights([w0, w1])
        xc = plot.crossings(net)
        assert xc.shape == (1,)
        assert abs(xc[0] - (-w0 / w1)) <= 1e-9


def test_crossings_lie_within_tolerance_of_a_category_change():
    for seed in range(4):
        for sizes in ([1, 11, 9, 1], [1, 11, 9, 2], [1, 11, 9, 3]):
            net = dagnet.mlp(sizes, rng=seed)
            w = net.weights
            xc = plot.crossings(net)

            def cat(x, sizes=sizes, w=w):
                y = forward(sizes, "tanh", w, np.asarray(x, dtype=float)[:, None])
                return np.where(y[:, 0] > 0, 0, 1) if sizes[-1] == 1 else y.argmax(axis=1)

            # dense independent evaluation: every change seen there is found, and vice versa
            x = np.linspace(-6, 6, 240_001)  # 20x denser than the scan
            c = cat(x)
            k = np.flatnonzero(c[1:] != c[:-1])
            assert len(k) == len(xc), (sizes, seed)
            assert np.all((x[k] <= xc + 1e-9) & (xc <= x[k + 1] + 1e-9))
            # the category differs on either side within the tolerance
            assert np.all(cat(xc - 1e-9) != cat(xc + 1e-9))


def test_crossings_find_every_change_inside_one_scan_bracket():
    # y0 = -x, y1 = 1, y2 = x: A for x < -1, B on (-1, 1), C for x > 1
    net = dagnet.linear(1, 3)
    net.set_weights({"w_00": 0, "w_10": -1, "w_01": 1, "w_11": 0, "w_02": 0, "w_12": 1})
    for n_scan in (2, 3, 4097):
        xc = plot.crossings(net, n_scan=n_scan)
        np.testing.assert_allclose(xc, [-1.0, 1.0], atol=1e-9)
    assert plot.classify(net, [-2.0, 0.0, 2.0]).tolist() == [0, 1, 2]


def test_crossings_threshold_rules():
    relu = dagnet.mlp([1, 1], "relu")
    relu.set_weights([-1.0, 0.5])  # y = relu(0.5 x - 1) > 0.25 where x > 2.5
    with pytest.raises(PlotError, match="threshold="):
        plot.crossings(relu)
    np.testing.assert_allclose(plot.crossings(relu, threshold=0.25), [2.5], atol=1e-9)
    with pytest.raises(PlotError, match="argmax"):
        plot.crossings(dagnet.mlp([1, 2, 2], rng=0), threshold=0.1)
    with pytest.raises(PlotError, match="tol"):
        plot.crossings(dagnet.logistic(1, rng=0), tol=0)


# -- regions ------------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, act", [([1, 11, 9, 1], "tanh"), ([1, 11, 9, 2], "tanh"),
                                        ([1, 11, 9, 3], "tanh"), ([1, 1], "logistic")])
def test_regions_1d_bands_and_labels_match_the_outputs(sizes, act):
    for seed in range(3):
        net = dagnet.mlp(sizes, act, rng=seed)
        res = plot.regions(net)
        assert res.threshold == (None if sizes[-1] > 1 else (0.5 if act == "logistic" else 0.0))
        np.testing.assert_array_equal(res.crossings, plot.crossings(net))
        # dividers drawn at the crossings
        xs = sorted(ln.get_xdata()[0] for ln in res.artists["dividers"])
        np.testing.assert_array_equal(xs, res.crossings)
        # bands cover the window in order, and their categories are the outputs' decision
        edges = [a for a, _, _ in res.intervals] + [res.intervals[-1][1]]
        assert edges[0] == -6 and edges[-1] == 6 and np.all(np.diff(edges) > 0)
        rng = np.random.default_rng(seed)
        x = rng.uniform(-6, 6, 2000)
        if res.crossings.size:
            x = x[np.min(np.abs(x[:, None] - res.crossings[None]), axis=1) > 1e-6]
        y = forward(sizes, act, net.weights, x[:, None])
        truth = np.where(y[:, 0] > res.threshold, 0, 1) if sizes[-1] == 1 else y.argmax(1)
        np.testing.assert_array_equal(res.category_at(x), truth)
        # each band's patch spans its interval; its label names its category
        colors = class_colors(plot.STYLES["article"], sizes[-1],
                                                           len(res.labels))
        assert len(res.artists["bands"]) == len(res.intervals)
        for patch, (a, b, c) in zip(res.artists["bands"], res.intervals):
            assert patch.get_x() == pytest.approx(a)
            assert patch.get_x() + patch.get_width() == pytest.approx(b)
            assert mcolors.to_hex(patch.get_facecolor()) == mcolors.to_hex(colors[c])
        names = {t.get_text() for t in res.artists["texts"]}
        assert names <= {res.labels[c] for *_, c in res.intervals} | {
            res.labels[c].split()[-1] for *_, c in res.intervals}
        assert res.labels[:2] == ["Category A", "Category B"]


def test_regions_2d_fills_contain_their_category():
    for sizes, seed in (([2, 11, 9, 3], 0), ([2, 11, 9, 1], 1), ([2, 5, 2], 4)):
        net = dagnet.mlp(sizes, rng=seed)
        n = 41
        res = plot.regions(net, n_grid=n, view="2d")
        g = np.linspace(-6, 6, n)
        G1, G2 = np.meshgrid(g, g)
        Y = forward(sizes, "tanh", net.weights, np.column_stack([G1.ravel(), G2.ravel()]))
        truth = (np.where(Y[:, 0] > 0, 0, 1) if sizes[-1] == 1 else Y.argmax(1)).reshape(n, n)
        np.testing.assert_array_equal(res.classes, truth)
        # cell centres whose corners and centre agree: the drawn fill of that category holds them
        cc = 0.5 * (g[:-1] + g[1:])
        C1, C2 = np.meshgrid(cc, cc)
        Yc = forward(sizes, "tanh", net.weights, np.column_stack([C1.ravel(), C2.ravel()]))
        centre = (np.where(Yc[:, 0] > 0, 0, 1) if sizes[-1] == 1 else Yc.argmax(1))
        corners = np.stack([truth[:-1, :-1], truth[1:, :-1], truth[:-1, 1:], truth[1:, 1:]])
        agree = np.all(corners == centre.reshape(n - 1, n - 1), axis=0).ravel()
        pts = np.column_stack([C1.ravel(), C2.ravel()])[agree]
        cats = centre[agree]
        assert len(np.unique(cats)) >= 2, "pick a seed with a boundary in view"
        for k, fill in enumerate(res.artists["fills"]):
            if fill is None:
                assert not np.any(cats == k)
                continue
            inside = np.zeros(len(pts), dtype=bool)
            for path in fill.get_paths():
                inside |= path.contains_points(pts)
            np.testing.assert_array_equal(inside, cats == k)


def test_regions_2d_boundary_is_drawn_at_the_decision_level():
    net = dagnet.mlp([2, 11, 9, 1], rng=1)
    res = plot.regions(net, n_grid=101, view="2d")
    verts = np.concatenate([ln.get_xydata() for ln in res.artists["boundary"]])
    assert len(verts) > 10
    y = forward([2, 11, 9, 1], "tanh", net.weights, verts)[:, 0]
    assert np.max(np.abs(y)) < 1e-8  # vertices bisected onto y = 0 (|dy/dx| is O(1))
    logi = dagnet.logistic(2)
    logi.set_weights([0.2, 0.5, -0.3])
    r2 = plot.regions(logi, n_grid=31, view="2d")
    v = np.concatenate([ln.get_xydata() for ln in r2.artists["boundary"]])
    np.testing.assert_allclose(0.2 + 0.5 * v[:, 0] - 0.3 * v[:, 1], 0.0, atol=1e-9)
    # several outputs: on every boundary vertex the two leading outputs tie
    net3 = dagnet.mlp([2, 11, 9, 3], rng=0)
    r3 = plot.regions(net3, n_grid=41)
    v3 = np.concatenate([ln.get_data_3d()[0:2] for ln in r3.artists["boundary"]], axis=1).T
    top2 = np.sort(forward([2, 11, 9, 3], "tanh", net3.weights, v3), axis=1)[:, -2:]
    assert np.max(top2[:, 1] - top2[:, 0]) < 1e-8


def test_regions_3d_floor_and_surfaces():
    net = dagnet.mlp([2, 11, 9, 3], rng=2)
    res = plot.regions(net, n_grid=25)
    assert res.ax.name == "3d" and res.ax.get_zlim() == pytest.approx((-2.0, 1.0))
    (coll,) = res.artists["surfaces"]  # the three outputs' facets in one collection
    res.figure.canvas.draw()
    assert len(coll.get_paths()) == 3 * 24 * 24  # the 25 x 25 grid's facets, per output
    assert [t.get_text() for t in res.artists["legend"][0].get_texts()] == \
        ["Category A", "Category B", "Category C"]
    with pytest.raises(PlotError, match="argmax"):
        plot.regions(net, threshold=0.0)
    with pytest.raises(PlotError, match="view"):
        plot.regions(net, view="4d")


def test_classify_stacks_of_weights():
    net = dagnet.mlp([1, 3, 2])
    W = net.sample_weights(5, rng=0)
    x = np.linspace(-3, 3, 7)
    got = plot.classify(net, x, W)
    assert got.shape == (5, 7)
    for k in range(5):
        np.testing.assert_array_equal(got[k], forward([1, 3, 2], "tanh", W[k],
                                                      x[:, None]).argmax(1))


# -- animation ----------------------------------------------------------------------------
@pytest.mark.parametrize("sizes, kind", [([1, 3, 1], "family"), ([1, 3, 2], "regions"),
                                         ([2, 3, 1], "surface"), ([2, 3, 3], "regions")])
def test_animate_writes_requested_frames(tmp_path, sizes, kind):
    net = dagnet.mlp(sizes)
    p = plot.animate(net, tmp_path / "a.gif", kind=kind, n_frames=3, rng=0, n_grid=12,
                     facets=6)
    im = Image.open(p)
    assert (im.n_frames, im.size, im.info["duration"]) == (3, (640, 360), 1000)
    frames = []
    for i in range(3):
        im.seek(i)
        frames.append(np.asarray(im.convert("RGB")))
    assert not np.array_equal(frames[0], frames[1])  # each frame is another draw
    assert sorted(q.name for q in tmp_path.iterdir()) == ["a.gif"]


def test_animate_family_frames_show_each_draw(tmp_path):
    net = dagnet.mlp([1, 2, 1])
    W = net.sample_weights(2, rng=4)
    p = plot.animate(net, tmp_path / "b.gif", weights=W, fps=2, style="plain", dpi=50)
    im = Image.open(p)
    assert (im.n_frames, im.size, im.info["duration"]) == (2, (400, 225), 500)


def test_animate_errors(tmp_path, monkeypatch):
    net = dagnet.mlp([1, 2, 1])
    with pytest.raises(PlotError, match=r"\.gif"):
        plot.animate(net, tmp_path / "a.mp4", n_frames=2)
    with pytest.raises(PlotError, match="kind='surface' needs"):
        plot.animate(net, tmp_path / "a.gif", kind="surface", n_frames=2)
    with pytest.raises(PlotError, match="fps"):
        plot.animate(net, tmp_path / "a.gif", fps=0)
    from matplotlib import animation
    monkeypatch.setattr(animation.writers, "is_available", lambda name: False)
    with pytest.raises(PlotError, match="ffmpeg"):
        plot.animate(net, tmp_path / "a.gif", n_frames=2, mp4=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not matplotlib.animation.writers.is_available("ffmpeg"),
                    reason="optional MP4 output needs the ffmpeg program")
def test_animate_mp4_beside_the_gif(tmp_path):
    import subprocess

    p = plot.animate(dagnet.mlp([1, 2, 1]), tmp_path / "m.gif", n_frames=3, rng=0, mp4=True)
    mp4 = p.with_suffix(".mp4")
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=width,height,nb_read_frames", "-of", "csv=p=0", str(mp4)],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "640,360,3"
    assert sorted(q.name for q in tmp_path.iterdir()) == ["m.gif", "m.mp4"]


# -- atlas --------------------------------------------------------------------------------
def test_quantile_bands_equal_quantiles_of_the_draws():
    net = dagnet.mlp([1, 5, 2])
    res = plot.quantile_bands(net, k=300, rng=7, n_points=40)
    W = net.sample_weights(300, rng=7)
    Y = np.stack([forward([1, 5, 2], "tanh", w, res.x[:, None]) for w in W])
    np.testing.assert_allclose(res.values, np.quantile(Y, res.quantiles, axis=0), atol=1e-12)
    np.testing.assert_allclose(res.quantiles, [0.05, 0.25, 0.5, 0.75, 0.95])
    np.testing.assert_allclose(res.medians[1].get_ydata(), np.median(Y[:, :, 1], axis=0),
                               atol=1e-12)
    # the widest band of output 0 spans the 5 % and 95 % quantiles
    ys = res.fills[0].get_paths()[0].vertices[:, 1]
    assert ys.max() == pytest.approx(res.values[4, :, 0].max())
    assert ys.min() == pytest.approx(res.values[0, :, 0].min())
    with pytest.raises(PlotError, match="bands"):
        plot.quantile_bands(net, k=3, bands=(1.5,))


def test_class_frequency_counts_categories():
    net = dagnet.mlp([2, 3, 1])
    res = plot.class_frequency(net, k=50, rng=1, n_grid=9, batch=7)
    g = np.linspace(-6, 6, 9)
    G1, G2 = np.meshgrid(g, g)
    X = np.column_stack([G1.ravel(), G2.ravel()])
    W = net.sample_weights(50, rng=1)
    A = np.mean([forward([2, 3, 1], "tanh", w, X)[:, 0] > 0 for w in W], axis=0)
    np.testing.assert_allclose(res.freq, A.reshape(9, 9), atol=1e-15)
    np.testing.assert_allclose(res.artist.get_array(), res.freq)
    multi = dagnet.mlp([1, 3, 3])
    r1 = plot.class_frequency(multi, k=40, rng=2, category=2, n_points=11)
    W = multi.sample_weights(40, rng=2)
    C = np.mean([forward([1, 3, 3], "tanh", w, r1.x[:, None]).argmax(1) == 2 for w in W], 0)
    np.testing.assert_allclose(r1.freq, C)
    with pytest.raises(PlotError, match="category"):
        plot.class_frequency(multi, k=2, category=3)


def test_boundary_frequency_marks_category_changes():
    net = dagnet.mlp([1, 1], "tanh")
    W = np.array([[0.5, 1.0], [-0.5, 1.0]])  # boundaries at x = -0.5 and x = 0.5
    res = plot.class_frequency(net, weights=W, what="boundary", n_points=13)  # x = -6..6
    expect = np.zeros(13)
    expect[[5, 6]] += 0.5  # -1 | 0 for the first draw
    expect[[6, 7]] += 0.5  # 0 | 1 for the second
    np.testing.assert_allclose(res.freq, expect)


def test_sweep_grid_of_architectures():
    res = plot.sweep(depths=(0, 1, 2), widths=(3, 5), activations=("tanh", "relu"), k=20,
                     rng=0, n_points=20)
    assert res.axes.shape == (2, 5)
    sizes = [c[0] for c in res.cells[0]]
    assert sizes == [(1, 1), (1, 3, 1), (1, 5, 1), (1, 3, 3, 1), (1, 5, 5, 1)]
    assert res.cells[1][2][1] == "relu"
    assert res.axes[1, 2].get_title() == "1-5-1 relu"
    cell = res.cells[0][1][2]
    assert cell.values.shape == (5, 20, 1)
    two = plot.sweep(depths=(1,), widths=(3,), n_inputs=2, k=10, rng=0, n_grid=8)
    assert two.axes.shape == (3, 1) and two.cells[2][0][2].freq.shape == (8, 8)
    with pytest.raises(PlotError, match="n_inputs=1"):
        plot.sweep(n_inputs=2, kind="bands")


# -- the contract -------------------------------------------------------------------------
def test_plot_functions_never_show_and_draw_on_given_axes(monkeypatch, tmp_path):
    def boom(*a, **k):
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", boom)
    one, two = dagnet.mlp([1, 3, 1], rng=0), dagnet.mlp([2, 3, 1], rng=0)
    fig = plt.figure()
    ax2d = fig.add_subplot(1, 3, 1)
    ax3d = fig.add_subplot(1, 3, 2, projection="3d")
    ax2b = fig.add_subplot(1, 3, 3)
    assert plot.family(one, n=2, rng=0, ax=ax2d).ax is ax2d
    assert plot.surface(two, n_grid=5, ax=ax3d).ax is ax3d
    assert plot.regions(two, n_grid=5, ax=ax2b).ax is ax2b
    assert plot.regions(one, ax=ax2d).ax is ax2d
    assert plot.quantile_bands(one, k=5, rng=0, ax=ax2d).ax is ax2d
    assert plot.class_frequency(two, k=3, rng=0, n_grid=5, ax=ax2b).ax is ax2b
    for res in (plot.family(one, n=2, rng=0), plot.surface(two, n_grid=5),
                plot.regions(one), plot.regions(two, n_grid=5)):
        assert res.figure is res.ax.figure and res.figure is not fig
    assert math.isclose(plot.STYLES["plain"].figsize[0], 8.0)


def test_result_reprs_are_short():
    import dagnet.plot as P
    r = P.family(dagnet.mlp([1, 3, 1], rng=0), n=4, rng=0)
    assert repr(r).startswith("FamilyPlot(ax=<Axes>, x=array(100,), y=array(4, 100, 1)")
    assert len(repr(r)) < 200
    plt.close("all")


def test_crossing_surfaces_are_depth_sorted_together():
    """Two crossing planes in one collection: painted back to front across both surfaces."""
    from dagnet.plot.surfaces import stacked_surfaces

    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    X, Y = np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-1, 1, 9))
    coll = stacked_surfaces(ax, X, Y, [X, -X], ["red", "blue"], alpha=1.0)
    fig.canvas.draw()  # 3-D collections hold their projected facets after a draw
    assert len(coll.get_paths()) == 2 * 8 * 8
    owner = np.argmax(coll.get_facecolor()[:, :3], axis=1)  # 0 red, 2 blue (shading scales)
    assert set(owner) == {0, 2}
    switches = int(np.count_nonzero(np.diff(owner)))
    assert switches > 1  # separate collections would paint one plane, then the other
    plt.close(fig)


# -- axes the caller made keep their own look (issue 16) -----------------------------------
import dagnet.plot as P  # noqa: E402


@pytest.mark.parametrize("draw", [
    lambda net, ax: P.family(net, n=3, rng=0, ax=ax),
    lambda net, ax: P.regions(net, weights=net.sample_weights(rng=1), ax=ax),
    lambda net, ax: P.quantile_bands(net, k=20, rng=0, ax=ax),
])
def test_a_given_axes_keeps_the_figures_own_look(draw):
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    net = dagnet.mlp([1, 4, 1], "tanh", rng=0)
    fig, axs = plt.subplots(2, 2)
    try:
        before = to_hex(axs[0, 0].get_facecolor()), to_hex(fig.get_facecolor())
        draw(net, axs[0, 0])
        assert (to_hex(axs[0, 0].get_facecolor()), to_hex(fig.get_facecolor())) == before
        assert to_hex(axs[0, 0].xaxis.label.get_color()) == to_hex(plt.rcParams["axes.labelcolor"])
    finally:
        plt.close(fig)


def test_a_style_asked_for_restyles_a_given_axes_and_new_figures_keep_the_article_look():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    net = dagnet.mlp([1, 4, 1], "tanh", rng=0)
    fig, ax = plt.subplots()
    try:
        P.family(net, n=2, rng=0, ax=ax, style="article")
        assert to_hex(ax.get_facecolor()) == P.STYLES["article"].background
    finally:
        plt.close(fig)
    res = P.family(net, n=2, rng=0)
    assert to_hex(res.figure.get_facecolor()) == P.STYLES["article"].background
    plt.close(res.figure)


def test_dark_axes_get_light_lines_and_text():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    with plt.style.context("dark_background"):
        fig, ax = plt.subplots()
        s = P.axes_style(ax)
        res = P.family(dagnet.mlp([1, 3, 1], rng=0), n=1, rng=0, ax=ax)
    try:
        assert (s.background, s.foreground) == (to_hex("black"), to_hex("white"))
        assert to_hex(res.lines[0][0].get_color()) in s.colors
    finally:
        plt.close(fig)
