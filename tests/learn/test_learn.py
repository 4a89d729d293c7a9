"""dagnet.fit: it learns, it folds normalization exactly, and it fails clearly."""

import csv

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from netgen import random_dag, reference_forward

import dagnet
from dagnet.learn.scaling import InputScaling


def moons(n, seed):
    """Two interleaved half circles (class 0 and 1), a little noise."""
    gen = np.random.default_rng(seed)
    t = gen.uniform(0, np.pi, n)
    label = gen.integers(0, 2, n)
    x = np.where(label == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
    return np.column_stack([x, y]) + gen.normal(0, 0.08, (n, 2)), label


def test_regression_loss_drops_by_a_large_factor():
    x = np.linspace(-3, 3, 60)[:, None]
    net = dagnet.mlp([1, 12, 1], ["tanh", "identity"], rng=0)
    h = dagnet.fit(net, x, np.sin(2 * x), steps=800, lr=0.02, rng=0, progress=False)
    assert h.final_loss < h.losses[0] / 100
    assert h.steps == len(h) == 800 and h.loss == "mse" and h.optimizer == "adam"
    # the weights in the graph are the fitted ones
    fitted = reference_forward(net, x)
    assert np.mean((fitted - np.sin(2 * x)) ** 2) == pytest.approx(h.final_loss, rel=1e-9)


def test_binary_classification_with_cross_entropy():
    X, label = moons(200, 0)
    net = dagnet.mlp([2, 12, 12, 1], ["tanh", "tanh", "logistic"], rng=1)
    h = dagnet.fit(net, X, label, loss="cross_entropy", steps=600, lr=0.02, rng=0,
                   progress=False)
    assert h.final_loss < h.losses[0] / 10
    p = net.compile()(X)[:, 0]
    assert np.mean((p > 0.5) == label) > 0.97


def test_three_classes_with_softmax_cross_entropy_and_minibatches():
    gen = np.random.default_rng(2)
    centers = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    label = gen.integers(0, 3, 150)
    X = centers[label] + gen.normal(0, 0.5, (150, 2))
    net = dagnet.mlp([2, 8, 3], ["tanh", "identity"], rng=3)
    h = dagnet.fit(net, X, label, loss="cross_entropy", steps=300, batch_size=32, rng=0,
                   progress=False)
    assert h.batch_size == 32
    assert h.final_loss < h.losses[0] / 10
    assert np.mean(net.compile()(X).argmax(axis=1) == label) > 0.95


def test_sgd_and_determinism():
    x = np.linspace(-1, 1, 30)[:, None]
    y = 0.5 * x[:, 0] - 0.2
    runs = []
    for _ in range(2):
        net = dagnet.linear(1)
        runs.append(dagnet.fit(net, x, y, optimizer="sgd", steps=200, rng=5, batch_size=8,
                               progress=False))
    np.testing.assert_array_equal(runs[0].losses, runs[1].losses)
    assert runs[0].final_loss < 1e-8
    np.testing.assert_allclose(net.weights, [-0.2, 0.5], atol=1e-4)


def test_normalization_helps_on_badly_scaled_inputs():
    """The article's last takeaway, measured: same net, same steps, raw vs normalized."""
    gen = np.random.default_rng(0)
    x = gen.uniform(1000.0, 1010.0, (100, 1))
    y = np.sin(x[:, 0] - 1005.0)
    losses = {}
    for normalize in (False, True):
        net = dagnet.mlp([1, 8, 1], ["tanh", "identity"], rng=1)
        losses[normalize] = dagnet.fit(net, x, y, steps=400, lr=0.02, rng=0,
                                       normalize=normalize, progress=False).final_loss
    assert losses[True] < losses[False] / 20


def test_fitted_net_takes_raw_inputs_and_history_records_the_scaling():
    X, label = moons(80, 4)
    X = X * [100.0, 0.01] + [5.0, -3.0]
    net = dagnet.mlp([2, 6, 1], ["tanh", "logistic"], rng=0)
    h = dagnet.fit(net, X, label, loss="cross_entropy", steps=50, rng=0, progress=False)
    np.testing.assert_allclose(h.input_mean, X.mean(axis=0))
    np.testing.assert_allclose(h.input_scale, X.std(axis=0))
    p = reference_forward(net, X)  # raw X, no normalization step anywhere
    value = dagnet.core.losses.get_loss("cross_entropy")(p, label)[0]
    assert value == pytest.approx(h.final_loss, rel=1e-9)
    assert dagnet.fit(net, X, label, loss="cross_entropy", steps=1, normalize=False,
                      progress=False).input_mean is None


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_scaling_fold_is_exact_on_random_dags(seed):
    net = random_dag(seed)
    gen = np.random.default_rng(seed)
    X = gen.normal(3.0, 5.0, size=(7, net.n_inputs))
    sc = InputScaling(net, X)
    w = net.weights
    wz = sc.to_z(w)
    np.testing.assert_allclose(reference_forward(net, sc.transform(X), wz),
                               reference_forward(net, X, w), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(sc.to_raw(wz), w, rtol=1e-12, atol=1e-12)


def test_scaling_degrades_gracefully_where_it_cannot_fold():
    net = dagnet.Network()
    x1, x2, x3 = net.add_input(1), net.add_input(2), net.add_input(3)
    v = net.add_sum(0)
    net.add_weight(x1, v, value=1.0)  # no bias in this sum: x1 can be rescaled, not centred
    y = net.add_activation(x2, "tanh")  # x2 read without a weight: left as it is
    s = net.add_sum(1)
    net.add_weight(y, s, value=1.0)
    b = net.add_bias(1)
    net.add_weight(b, s, value=0.5)
    net.add_weight(x3, s, value=2.0)  # x3: fully normalized
    X = np.random.default_rng(0).normal(4.0, 3.0, size=(20, 3))
    sc = InputScaling(net, X)
    assert sc.mean[0] == 0.0 and sc.scale[0] == pytest.approx(X[:, 0].std())
    assert sc.mean[1] == 0.0 and sc.scale[1] == 1.0
    assert sc.mean[2] == pytest.approx(X[:, 2].mean())
    np.testing.assert_allclose(reference_forward(net, sc.transform(X), sc.to_z(net.weights)),
                               reference_forward(net, X), rtol=1e-12)


def test_unset_weights_are_drawn_from_rng():
    x = np.linspace(-1, 1, 10)[:, None]
    a, b = dagnet.mlp([1, 3, 1]), dagnet.mlp([1, 3, 1])
    dagnet.fit(a, x, x[:, 0], steps=0, rng=9, normalize=False)
    dagnet.fit(b, x, x[:, 0], steps=0, rng=9, normalize=False)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert np.all(np.abs(a.weights) <= 1.0)


def test_progress_bar_writes_to_stderr(capsys):
    x = np.linspace(-1, 1, 10)[:, None]
    dagnet.fit(dagnet.linear(1, rng=0), x, x[:, 0], steps=100, progress=True)
    assert "fit" in capsys.readouterr().err


@pytest.mark.parametrize("kwargs,match", [
    ({"loss": "hinge"}, "unknown loss"),
    ({"optimizer": "lbfgs"}, "unknown optimizer"),
    ({"optimizer": object()}, "step"),
    ({"lr": -1.0}, "lr must be a positive"),
    ({"steps": 2.5}, "steps must be an int"),
    ({"batch_size": 0}, "batch_size must be"),
])
def test_bad_options_name_the_fix(kwargs, match):
    x = np.linspace(-1, 1, 10)[:, None]
    with pytest.raises(dagnet.FitError, match=match):
        dagnet.fit(dagnet.linear(1, rng=0), x, x[:, 0], **kwargs)


def test_binary_cross_entropy_needs_a_probability_output():
    x = np.linspace(-1, 1, 10)[:, None]
    with pytest.raises(dagnet.FitError, match="end the network with a logistic activation"):
        dagnet.fit(dagnet.mlp([1, 2, 1], rng=0), x, (x[:, 0] > 0) * 1.0, loss="cross_entropy")


def test_a_diverging_fit_leaves_the_weights_unchanged():
    x = np.linspace(-1, 1, 10)[:, None] * 1e150
    net = dagnet.linear(1, rng=0)
    before = net.weights
    with pytest.raises(dagnet.FitError, match="lower the learning rate"):
        dagnet.fit(net, x, x[:, 0], optimizer="sgd", lr=1e10, steps=50, normalize=False)
    np.testing.assert_array_equal(net.weights, before)
    with pytest.raises(dagnet.FitError, match="NaN or inf"):
        dagnet.fit(net, np.full((3, 1), np.nan), np.zeros(3))


def test_fit_csv_builds_fits_and_writes_the_history(tmp_path):
    X, label = moons(120, 1)
    path = tmp_path / "moons.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["x1", "x2", "label"])
        w.writerows([[a, b, c] for (a, b), c in zip(X, label)])
    hist_path = tmp_path / "out" / "history.csv"
    start = dagnet.network_from_spec("2-8-1:tanh,logistic")  # weights unset: drawn by fit_csv
    net, h = dagnet.fit_csv(start, path, loss="cross_entropy", steps=300, lr=0.03,
                            history_path=hist_path, progress=False)
    assert net is start and net.output_range(0) == (0.0, 1.0)  # the SPEC's logistic output
    assert h.final_loss < h.losses[0] / 3
    lines = hist_path.read_text().splitlines()
    assert lines[0] == "step,loss" and len(lines) == 301
    assert float(lines[1].split(",")[1]) == h.losses[0]
    again, h2 = dagnet.fit_csv(dagnet.network_from_spec("2-8-1:tanh,logistic"), path,
                               loss="cross_entropy", steps=300, lr=0.03, progress=False)
    np.testing.assert_array_equal(again.weights, net.weights)  # rng=0 by default


def test_fit_csv_class_labels_and_a_given_network(tmp_path):
    path = tmp_path / "three.csv"
    rows = [(0.0, 0), (0.1, 0), (1.0, 1), (1.1, 1), (2.0, 2), (2.1, 2)]
    path.write_text("".join(f"{a},{c}\n" for a, c in rows))  # no header
    net = dagnet.mlp([1, 4, 3], ["tanh", "identity"], rng=0)
    same, h = dagnet.fit_csv(net, path, loss="cross_entropy", steps=200, progress=False)
    assert same is net and h.final_loss < h.losses[0] / 5


@pytest.mark.parametrize("text,match", [
    ("", "is empty"),
    ("a,b\n", "no data rows"),
    ("1,2\n3,x\n", "line 2"),
    ("1\n2\n", "add target columns"),
])
def test_fit_csv_errors(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(dagnet.FitError, match=match):
        dagnet.fit_csv(dagnet.network_from_spec("1-1"), path, steps=1)


def test_fit_csv_missing_file(tmp_path):
    with pytest.raises(dagnet.FitError, match="cannot read"):
        dagnet.fit_csv(dagnet.network_from_spec("1-1"), tmp_path / "nope.csv")


@pytest.mark.parametrize("not_a_network", ["1-1", "two-one", [2, 8, 1]])
def test_fit_csv_takes_a_network_not_a_spec(tmp_path, not_a_network):
    """A SPEC is read in one place (dagnet.network_from_spec); fit_csv does not re-parse it."""
    path = tmp_path / "line.csv"
    path.write_text("0,0\n1,1\n")
    with pytest.raises(dagnet.FitError, match=r"fits a Network.*network_from_spec\("):
        dagnet.fit_csv(not_a_network, path, steps=1)
    assert not hasattr(dagnet.learn.training, "parse_sizes")


@pytest.mark.parametrize("spec, targets, fix", [
    ("2-4-1:tanh", [0.0, 10.0], "'2-4-1:tanh,identity'"),   # the case
    ("2-4-4-1", [-0.5, 3.0], "'2-4-4-1:tanh,tanh,identity'"),  # the default is tanh, too
    ("2-3-1:relu", [-2.0, 1.0], "'2-3-1:relu,identity'"),
    ("2-3-2:tanh,logistic", [[0.5, 0.5], [0.5, 1.5]], "'2-3-2:tanh,identity'"),
])
def test_fit_csv_targets_out_of_the_outputs_reach(tmp_path, spec, targets, fix):
    """An output activation that cannot reach the targets fails before fitting, naming the fix."""
    path = tmp_path / "data.csv"
    rows = [[0.0, 1.0, *np.atleast_1d(t)] for t in targets]
    path.write_text("".join(",".join(map(str, r)) + "\n" for r in rows))
    net = dagnet.network_from_spec(spec, rng=0)
    before = net.weights
    with pytest.raises(dagnet.FitError) as info:
        dagnet.fit_csv(net, path, steps=5, progress=False)
    msg = str(info.value)
    assert fix in msg and "identity activation" in msg and "scale the targets" in msg
    np.testing.assert_array_equal(net.weights, before)  # nothing fitted
    fixed = dagnet.network_from_spec(fix.strip("'"), rng=0)
    dagnet.fit_csv(fixed, path, steps=5, progress=False)  # the named SPEC fits


def test_fit_csv_targets_on_the_bound_or_inside_fit(tmp_path):
    """0/1 targets with a logistic output (mse) reach the closed range: no error."""
    path = tmp_path / "labels.csv"
    path.write_text("".join(f"{x},{int(x > 0)}\n" for x in np.linspace(-1, 1, 8)))
    net = dagnet.network_from_spec("1-2-1:tanh,logistic", rng=0)
    _, h = dagnet.fit_csv(net, path, steps=50, lr=0.1, progress=False)
    assert h.final_loss < h.losses[0]


def test_fit_csv_target_error_without_a_spec(tmp_path):
    """A network no SPEC builds gets the fix in words, with no SPEC to copy."""
    path = tmp_path / "data.csv"
    path.write_text("0,5\n1,6\n")
    net = dagnet.mlp([1, 1], "tanh", bias=False, rng=0)
    with pytest.raises(dagnet.FitError, match=r"\(-1, 1\) .*identity activation for an output"):
        dagnet.fit_csv(net, path, steps=1)


def test_cross_entropy_error_names_the_spec(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("0,0\n1,1\n")
    with pytest.raises(dagnet.FitError, match=r"logistic activation \(SPEC '1-3-1:tanh,logistic'"):
        dagnet.fit_csv(dagnet.network_from_spec("1-3-1"), path, loss="cross_entropy", steps=1)


def test_a_second_fit_continues_from_the_fitted_function():
    X, label = moons(100, 2)
    X = X * 50.0 + 200.0
    net = dagnet.mlp([2, 8, 1], ["tanh", "logistic"], rng=0)
    assert not dagnet.learn.scaling.is_fitted(net)
    first = dagnet.fit(net, X, label, loss="cross_entropy", steps=200, rng=0, progress=False)
    assert dagnet.learn.scaling.is_fitted(net)
    assert net.graph.nodes["L1.x1"]["input_mean"] == pytest.approx(X[:, 0].mean())
    second = dagnet.fit(net, X, label, loss="cross_entropy", steps=5, rng=0, progress=False)
    assert second.losses[0] == pytest.approx(first.final_loss, rel=1e-9)
    # the same holds after a raw (normalize=False) fit, and across the two modes
    third = dagnet.fit(net, X, label, loss="cross_entropy", steps=1, normalize=False,
                       progress=False)
    assert third.losses[0] == pytest.approx(second.final_loss, rel=1e-9)
    assert net.graph.nodes["L1.x1"]["input_scale"] == 1.0
    fourth = dagnet.fit(net, X, label, loss="cross_entropy", steps=1, progress=False)
    assert fourth.losses[0] == pytest.approx(third.final_loss, rel=1e-9)


def test_a_fresh_network_starts_from_its_weights_read_for_normalized_inputs():
    X = np.random.default_rng(0).uniform(1000, 1010, (30, 1))
    net = dagnet.mlp([1, 4, 1], ["tanh", "identity"], rng=0)
    wz = net.weights
    dagnet.fit(net, X, X[:, 0] * 0, steps=0, progress=False)
    sc = InputScaling(net, X)
    np.testing.assert_allclose(net.weights, sc.to_raw(wz))
