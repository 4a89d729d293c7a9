"""Step 10's comparison figure: the data it draws, checked against a hand-written forward pass."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dagnet.gallery.build import COMPARISONS, FAMILY_DRAWS, step_files
from dagnet.gallery.comparison import EXTREMUM_TOL, draw_comparison, local_extrema, panel_title
from dagnet.gallery.steps import step


def forward(sizes, w, x):
    """tanh network by hand: weights in order layer, then j, then i (i = 0 is the bias)."""
    h = x[:, None]
    k = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        M = w[k:k + (n_in + 1) * n_out].reshape(n_out, n_in + 1)
        k += (n_in + 1) * n_out
        h = np.tanh(M[:, 0] + h @ M[:, 1:].T)
    assert k == len(w)
    return h[:, 0]


def sign_changes(y):
    d = np.sign(np.diff(y))
    d = d[d != 0]
    return int(np.count_nonzero(d[1:] != d[:-1]))


@pytest.fixture(scope="module")
def drawn():
    res = draw_comparison(COMPARISONS[10], seed=0, n=FAMILY_DRAWS)
    yield res
    plt.close(res.figure)


def test_the_figure_is_listed_for_step_10_only():
    assert COMPARISONS == {10: (9, 10)}
    assert step_files(step(10))["compare"] == "10-tanh-3-layers-compare.png"
    assert all("compare" not in step_files(step(k)) for k in range(1, 18) if k != 10)


def test_panels_draw_the_steps_family_draws(drawn):
    assert [r.number for r in drawn.rows] == [9, 10]
    assert len(drawn.figure.axes) == 2
    x = np.linspace(-6.0, 6.0, 100)
    for row, res, counts in zip(drawn.rows, drawn.plots, drawn.extrema):
        assert res.ax.figure is drawn.figure
        n_weights = sum((a + 1) * b for a, b in zip(row.sizes[:-1], row.sizes[1:]))
        # the very draws of the step's own family plot: default_rng([seed, step, 0]), U[-1, 1)
        W = np.random.default_rng([0, row.number, 0]).uniform(-1.0, 1.0, (FAMILY_DRAWS, n_weights))
        assert np.array_equal(res.weights, W)
        assert np.array_equal(res.x, x)
        Y = np.stack([forward(row.sizes, w, x) for w in W])
        assert np.allclose(res.y[..., 0], Y, rtol=0, atol=1e-12)
        drawn_y = np.stack([line[0].get_ydata() for line in res.lines])
        assert np.allclose(drawn_y, Y, rtol=0, atol=1e-12)
        # the counts: tol=0 is every sign change of the slope; the tolerance only drops turns
        assert local_extrema(Y, tol=0).tolist() == [sign_changes(y) for y in Y]
        assert np.array_equal(counts, local_extrema(Y))
        assert (counts <= local_extrema(Y, tol=0)).all()
    # the numbers: measured over 2,000 draws of their own (issue 13: 20 draws gave 0.8 vs
    # 2.2), recomputed here with the hand-written forward pass
    for row, res, m in zip(drawn.rows, drawn.plots, drawn.measured):
        n_weights = sum((a + 1) * b for a, b in zip(row.sizes[:-1], row.sizes[1:]))
        W = np.random.default_rng([0, *row.sizes, 4]).uniform(-1.0, 1.0, (2000, n_weights))
        Y = np.stack([forward(row.sizes, w, x) for w in W])
        assert m.draws == 2000 and m.turns == pytest.approx(local_extrema(Y).mean(), abs=1e-12)
        assert m.saturated == pytest.approx(np.mean(np.abs(Y) > 0.95), abs=1e-12)
        title = res.ax.get_title()
        assert title == (f"{panel_title(row)}\n{m.turns:.2f} turns per curve, "
                         f"{100 * m.saturated:.0f} % saturated (2,000 draws)")
        assert f"{'-'.join(map(str, row.sizes))} {m.turns:.2f}" in drawn.caption
    assert [p.ax.get_title().splitlines()[0] for p in drawn.plots] == [
        "1-100-1: 100 hidden nodes, 301 weights", "1-11-9-1: 20 hidden nodes, 140 weights"]
    wide, deep, narrow = drawn.measured
    assert narrow.sizes == (1, 20, 1) and f"1-20-1 turns {narrow.turns:.2f}" in drawn.caption
    assert wide.saturated > deep.saturated and "saturates" in drawn.caption
    assert drawn.caption.startswith(f"Each panel shows {FAMILY_DRAWS} random draws")


def test_local_extrema_by_hand():
    x = np.linspace(-6, 6, 601)
    assert local_extrema([np.sin(x)]).tolist() == [4]  # turns at +-pi/2 and +-3 pi/2
    assert local_extrema([np.cos(x)]).tolist() == [3]  # turns at -pi, 0, pi
    assert local_extrema([x, -x, x ** 2, np.zeros_like(x)]).tolist() == [0, 0, 1, 0]
    # a ripple smaller than the tolerance is not a turn; larger than it, every one counts
    small = np.sin(x) + 0.3 * EXTREMUM_TOL * np.sin(60 * x)
    big = np.sin(x) + 3 * EXTREMUM_TOL * np.sin(60 * x)
    assert local_extrema([small]).tolist() == [4]
    assert local_extrema([big]).tolist()[0] > 40
    # a plateau near 1 with a turn far below the tolerance (a saturated tanh) is flat
    y = np.concatenate([np.tanh(x + 8), 1 - 1e-9 * (x + 7)])
    assert local_extrema([y]).tolist() == [0] and local_extrema([y], tol=0).tolist() == [1]
    assert local_extrema(np.zeros((4, 5, 1))).shape == (4,)
    assert local_extrema(np.zeros((2, 3, 5))).shape == (2, 3)


def test_same_figure_twice(tmp_path, drawn):
    from dagnet.plot import save_figure

    again = draw_comparison([9, 10], seed=0, n=FAMILY_DRAWS)
    a = save_figure(drawn.figure, tmp_path / "a.png").read_bytes()
    b = save_figure(again.figure, tmp_path / "b.png").read_bytes()
    plt.close(again.figure)
    assert a == b and again.caption == drawn.caption
    other = draw_comparison([9, 10], seed=1, n=3)
    plt.close(other.figure)
    assert not np.array_equal(other.plots[0].weights, drawn.plots[0].weights[:3])
