"""Every examples/learn_*.py runs (few steps) and learns on its own data, fixed seeds."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dagnet.gallery.demos import two_moons

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(EXAMPLES))  # as running the script does: it imports _learn_main
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXAMPLES))
    return module


def test_a_learn_example_runs_as_a_script(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(EXAMPLES.parent), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(EXAMPLES / "learn_two_moons.py"), "out"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("two moons, 2-11-9-1: cross-entropy ")
    assert "training accuracy 100.0%" in done.stdout  # 2000 steps, the example's default
    assert (tmp_path / "out" / "learn_two_moons.png").stat().st_size > 10_000


def test_table_lays_out_a_markdown_table():
    table = load("_learn_main").table
    assert table(["a", "b"], [(1, "x"), ("2", 3.5)]).splitlines() == [
        "| a | b |", "|---|---|", "| 1 | x |", "| 2 | 3.5 |"]
    assert table(["only"], []) == "| only |\n|---|"


def test_main_writes_the_picture_named_after_the_demo(tmp_path):
    ex = load("learn_normalize")
    r = ex.main(tmp_path, steps=5, seed=1)
    assert r["figure"] == str(tmp_path / "learn_normalize.png")
    assert r["steps"] == 5


def test_every_learn_example_is_tested():
    names = {p.stem for p in EXAMPLES.glob("learn_*.py")}
    assert names == {"learn_regression", "learn_two_moons", "learn_three_class",
                     "learn_capacity", "learn_normalize"}


def test_regression_smooth_fits_well_and_jagged_error_sits_at_the_jumps(tmp_path):
    ex = load("learn_regression")
    r = ex.main(tmp_path, steps=1000)
    assert Path(r["figure"]).stat().st_size > 10_000
    for name in ("smooth", "jagged"):
        assert r[name]["final_loss"] < r[name]["first_loss"] / 50
    assert r["jagged"]["final_loss"] > 3 * r["smooth"]["final_loss"]
    # the misfit of the square wave gathers next to its jumps, the smooth one's does not
    assert r["jagged"]["share_of_error_near_jumps"] > 0.8
    assert r["jagged"]["mean_rise_width"] > 0.0
    assert "| jagged |" in ex.report(r)


def test_two_moons_regions(tmp_path):
    ex = load("learn_two_moons")
    X, label = two_moons(seed=0)  # the data maker lives in dagnet.gallery.demos
    assert X.shape == (300, 2) and set(label) == {0, 1}
    r = ex.main(tmp_path, steps=600)
    assert r["final_loss"] < r["first_loss"] / 10
    assert r["accuracy"] > 0.97
    assert Path(r["figure"]).exists()


def test_three_class_argmax_regions(tmp_path):
    ex = load("learn_three_class")
    r = ex.main(tmp_path, steps=800)
    assert r["final_loss"] < r["first_loss"] / 10
    assert r["accuracy"] > 0.9
    assert 0.0 <= r["near_tie_share"] <= 1.0
    assert Path(r["figure"]).exists()


def test_capacity_table(tmp_path):
    ex = load("learn_capacity")
    r = ex.main(tmp_path, steps=500, seeds=(0,))
    wide, deep = r["1-100-1"], r["1-11-9-1"]
    assert (wide["hidden_nodes"], wide["weights"]) == (100, 301)
    assert (deep["hidden_nodes"], deep["weights"]) == (20, 140)
    assert deep["graph_nodes"] < wide["graph_nodes"]
    for row in (wide, deep):
        assert row["median_final_mse"] < row["median_first_mse"] / 5
    assert "| 1-11-9-1 | 20 | 140 |" in ex.report(r)


def test_normalize_helps(tmp_path):
    ex = load("learn_normalize")
    r = ex.main(tmp_path, steps=500)
    assert r["normalized"]["final_loss"] < r["raw"]["final_loss"] / 20
    for key in ("raw", "normalized"):  # both fitted networks take raw inputs
        assert r[key]["raw_input_mse"] == pytest.approx(r[key]["final_loss"], rel=1e-9)
    assert np.isfinite(r["raw"]["first_loss"])
