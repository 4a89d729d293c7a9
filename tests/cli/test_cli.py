"""The dagnet command line: every command, --help, and the error paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import dagnet
from dagnet.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_subprocess(*argv, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "dagnet", *argv], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120)


def assert_one_line_error(code, err, expected_code, *words):
    assert code == expected_code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dagnet: error: ")
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0]


# -- equations ---------------------------------------------------------------------------
def test_equations_nodes(capsys):
    code, out, err = run(capsys, "equations", "1-1:none")
    assert code == 0 and err == ""
    assert out.splitlines() == ["u_00 = x_0*w_00", "u_10 = x_1*w_10", "v_0 = u_00 + u_10"]


def test_equations_match_the_api(capsys):
    net = dagnet.mlp([2, 3, 1], "tanh")
    code, out, _ = run(capsys, "equations", "2-3-1:tanh")
    assert code == 0
    lines = out.splitlines()
    eqs = net.equations()
    assert len(lines) == len(eqs)
    for line, eq in zip(lines, eqs):
        lhs, rhs = line.split(" = ")
        assert sp.Symbol(lhs) == eq.lhs
        names = {s.name: sp.Symbol(f"s{k}") for k, s in enumerate(eq.rhs.free_symbols)}
        for name in sorted(names, key=len, reverse=True):  # "^" is not sympify-safe
            rhs = rhs.replace(name, names[name].name)
        back = {v: sp.Symbol(k) for k, v in names.items()}
        assert sp.sympify(rhs).xreplace(back) == eq.rhs.doit()


def test_equations_latex(capsys):
    code, out, _ = run(capsys, "equations", "2-1:logistic", "--latex")
    assert code == 0
    assert out.strip() == dagnet.mlp([2, 1], "logistic").latex()


def test_equations_indexed(capsys):
    code, out, _ = run(capsys, "equations", "1-2-1:tanh", "--form", "indexed")
    assert code == 0
    assert len(out.splitlines()) == len(dagnet.mlp([1, 2, 1]).equations(form="indexed"))
    assert "Sum(u^I[i, j], (i, 0, 1))" in out


def test_equations_numeric_depth_all_evaluates_like_numpy(capsys):
    # Independent check: the printed expression, evaluated by sympy, equals a hand-written
    # numpy forward pass with the weights the seed draws (uniform on [-1, 1)).
    code, out, _ = run(capsys, "equations", "1-2-1:tanh", "--depth", "all", "--numeric",
                       "--seed", "3")
    assert code == 0
    lhs, rhs = out.strip().split(" = ", 1)
    assert lhs == "y_0^II"
    expr = sp.sympify(rhs.replace("x_1^I", "x_1"))
    x1 = sp.Symbol("x_1")
    assert expr.free_symbols == {x1}
    w = np.random.default_rng(3).uniform(-1, 1, size=7)
    # weight order: layer, then j, then i -> L1: w00 w10 w01 w11; L2: w00 w10 w20
    for x in (-2.0, 0.3, 4.0):
        h = np.tanh([w[0] + w[1] * x, w[2] + w[3] * x])
        y = np.tanh(w[4] + w[5] * h[0] + w[6] * h[1])
        assert float(expr.subs(x1, x)) == pytest.approx(y, abs=1e-12)


def test_equations_depth_and_digits(capsys):
    code, out, _ = run(capsys, "equations", "1-1:logistic", "--depth", "1")
    assert (code, out.strip()) == (0, "y_0 = 1/(1 + exp(-v_0))")
    code, out, _ = run(capsys, "equations", "1-1:tanh", "--numeric", "--digits", "2")
    w = np.random.default_rng(0).uniform(-1, 1, size=2)
    assert f"u_00 = x_0*({w[0]:.2f})" in out or f"u_00 = x_0*{w[0]:.2f}" in out
    code, out, _ = run(capsys, "equations", "1-1:tanh", "--depth", "0", "--latex")
    assert (code, out.strip()) == (0, "y_{0} = y_{0}")
    code, out, _ = run(capsys, "equations", "1-1:tanh", "--latex", "--numeric", "--digits", "3")
    assert code == 0 and "\\left(" in out


def test_equations_several_outputs(capsys):
    code, out, _ = run(capsys, "equations", "1-3:tanh", "--depth", "all")
    assert code == 0
    assert [line.split(" = ")[0] for line in out.splitlines()] == ["y_0", "y_1", "y_2"]


# -- help and errors ---------------------------------------------------------------------
@pytest.mark.parametrize("command", [[], ["equations"], ["draw"], ["plot"], ["gallery"]])
def test_help(capsys, command):
    code, out, err = run(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith("usage: dagnet")
    assert "examples:" in out
    if command:
        assert f"dagnet {command[0]}" in out.split("examples:")[1]


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"dagnet {dagnet.__version__}")


@pytest.mark.parametrize("argv, code, words", [
    (["equations", "1-x-1"], 2, ["bad layer size 'x'", "2-11-9-1:tanh"]),
    (["equations", "1-1:cosh"], 2, ["unknown activation 'cosh'"]),
    (["equations", "1-2-3:tanh,tanh,tanh"], 2, ["3 activations for 2 layers"]),
    (["equations", "missing.json"], 2, ["'missing.json'", "not found"]),
    (["equations", "no/such/dir/net.json"], 2, ["not found"]),
    (["equations"], 2, ["SPEC", "dagnet equations --help"]),
    (["equations", "1-1", "--depth", "x"], 2, ["--depth", "'x'"]),
    (["equations", "1-1", "--seed", "-3"], 2, ["--seed"]),
    (["equations", "1-1", "--bogus"], 2, ["unrecognized arguments: --bogus"]),
    (["draw", "1-1", "--style", "fancy"], 2, ["invalid choice: 'fancy'"]),
    (["plot", "1-1", "--kind", "histogram"], 2, ["invalid choice"]),
    (["gallery", "--only", "99"], 2, ["no gallery network '99'"]),
    (["gallery", "--frames", "0"], 2, ["--frames"]),
    ([], 2, ["COMMAND"]),
    (["fly"], 2, ["invalid choice: 'fly'"]),
])
def test_errors_in_process(capsys, argv, code, words):
    got, out, err = run(capsys, *argv)
    assert out == ""
    assert_one_line_error(got, err, code, *words)


def test_errors_in_a_subprocess(tmp_path):
    bad = run_subprocess("equations", "2-eleven-1")
    assert_one_line_error(bad.returncode, bad.stderr, 2, "bad layer size 'eleven'")
    assert bad.stdout == ""
    folder = run_subprocess("equations", str(tmp_path))
    assert_one_line_error(folder.returncode, folder.stderr, 2, "a folder")


def test_ok_in_a_subprocess():
    done = run_subprocess("equations", "1-1:logistic", "--depth", "all")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip() == "y_0 = 1/(1 + exp(-(w_00 + x_1*w_10)))"


def test_broken_pipe_is_quiet():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(f"'{sys.executable}' -m dagnet equations 1-40-1 | head -n 1",
                          shell=True, capture_output=True, text=True, env=env, timeout=120)
    assert done.stdout == "u_00^I = x_0^I*w_00^I\n"
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


# -- draw --------------------------------------------------------------------------------
def test_draw_prints_dot(capsys):
    code, out, err = run(capsys, "draw", "1-2-1:tanh")
    assert code == 0 and err == ""
    assert out == dagnet.to_dot(dagnet.mlp([1, 2, 1]), "explicit", theme="retro")
    code, out, _ = run(capsys, "draw", "2-11-9-1", "--style", "simplified", "--theme", "plain",
                       "-k", "2")
    assert out == dagnet.to_dot(dagnet.mlp([2, 11, 9, 1]), "simplified", theme="plain", k=2)


def test_draw_values_follow_the_seed(capsys):
    outs = [run(capsys, "draw", "1-1:tanh", "--values", "--seed", s)[1] for s in "112"]
    assert outs[0] == outs[1] != outs[2]
    w = dagnet.mlp([1, 1], "tanh", rng=1).weights
    assert outs[0] == dagnet.to_dot(dagnet.mlp([1, 1], "tanh", rng=1), "explicit",
                                    theme="retro", show_values=True)
    assert f"{w[0]:.2f}"[:4] in outs[0]


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".dot"])
def test_draw_files(capsys, tmp_path, suffix):
    path = tmp_path / f"net{suffix}"
    code, out, err = run(capsys, "draw", "2-3-1:logistic", "-o", str(path))
    assert (code, out, err) == (0, "", "")  # silent: the result is the file
    data = path.read_bytes()
    if suffix == ".svg":
        import xml.etree.ElementTree as ET
        assert ET.fromstring(data).tag.endswith("svg")
    elif suffix == ".png":
        from PIL import Image
        with Image.open(path) as im:
            assert im.format == "PNG"
    elif suffix == ".pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.decode() == dagnet.to_dot(dagnet.mlp([2, 3, 1], "logistic"), theme="retro")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp files left


def test_draw_errors(capsys, tmp_path):
    code, out, err = run(capsys, "draw", "1-1", "-o", str(tmp_path / "net.jpg"))
    assert_one_line_error(code, err, 2, "-o", "net.jpg", ".dot, .svg, .png, .pdf", "--format")
    code, out, err = run(capsys, "draw", "1-1:tan", "-o", str(tmp_path / "net.svg"))
    assert_one_line_error(code, err, 2, "unknown activation 'tan'")
    assert list(tmp_path.iterdir()) == []


# -- plot --------------------------------------------------------------------------------
def test_plot_family_default(capsysbinary, tmp_path, monkeypatch):
    """Without -o the image goes to standard output (piped here), and nothing to the folder."""
    import io

    from PIL import Image

    monkeypatch.chdir(tmp_path)
    code = main(["plot", "1-11-9-1:tanh"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    with Image.open(io.BytesIO(out)) as im:
        assert (im.format, im.size) == ("PNG", (1200, 675))
    assert list(tmp_path.iterdir()) == []
    code = main(["plot", "2-3-1", "-o", "s.png"])  # 2 inputs: a surface by default
    assert code == 0 and capsysbinary.readouterr() == (b"", b"")
    with Image.open(tmp_path / "s.png") as im:
        assert im.size == (1200, 675)


def test_plot_kinds(capsys, tmp_path):
    import xml.etree.ElementTree as ET

    from PIL import Image

    svg = tmp_path / "regions.svg"
    assert run(capsys, "plot", "1-11-9-3:tanh", "--kind", "regions", "-o", str(svg))[0] == 0
    assert ET.parse(svg).getroot().tag.endswith("svg")
    png = tmp_path / "classifier.png"
    assert run(capsys, "plot", "2-3-1", "--kind", "regions", "--threshold", "0.2",
               "-o", str(png))[0] == 0
    gif = tmp_path / "s.gif"
    assert run(capsys, "plot", "1-1:logistic", "--kind", "animation", "--frames", "3",
               "-o", str(gif))[0] == 0
    with Image.open(gif) as im:
        assert im.n_frames == 3
    gif2 = tmp_path / "r.gif"
    assert run(capsys, "plot", "1-2-1", "--kind", "animation", "--of", "regions", "--frames",
               "2", "-o", str(gif2))[0] == 0


def test_plot_is_seeded(capsys, tmp_path):
    paths = [tmp_path / f"{k}.png" for k in range(3)]
    for path, seed in zip(paths, ["4", "4", "5"]):
        assert run(capsys, "plot", "1-3-1", "--seed", seed, "-o", str(path))[0] == 0
    data = [p.read_bytes() for p in paths]
    assert data[0] == data[1] != data[2]


def test_plot_errors(capsys, tmp_path):
    code, _, err = run(capsys, "plot", "2-3-1", "--kind", "family", "-o", str(tmp_path / "a.png"))
    assert_one_line_error(code, err, 1, "1 input", "--kind family", "--kind surface")
    code, _, err = run(capsys, "plot", "3-1", "-o", str(tmp_path / "a.png"))
    assert_one_line_error(code, err, 1, "3")
    code, _, err = run(capsys, "plot", "1-1", "--kind", "animation", "-o", str(tmp_path / "a.png"))
    assert_one_line_error(code, err, 2, "an animation", ".gif")
    code, _, err = run(capsys, "plot", "1-1", "-o", str(tmp_path / "a.gif"))
    assert_one_line_error(code, err, 2, ".png, .svg, .pdf", "-o", "--format")
    assert list(tmp_path.iterdir()) == []


# -- fit ---------------------------------------------------------------------------------
def test_fit(capsys, tmp_path):
    data = tmp_path / "line.csv"
    xs = np.linspace(-1, 1, 30)
    data.write_text("x,y\n" + "".join(f"{x},{3 * x + 1}\n" for x in xs))
    code, out, err = run(capsys, "fit", "1-1:none", str(data), "--steps", "400", "--lr", "0.1",
                         "--quiet")
    assert (code, err) == (0, "")
    fitted = dagnet.io.files.from_json(out)  # the result: the fitted network, on stdout
    np.testing.assert_allclose(fitted.weights, [1, 3], atol=1e-6)  # y = 3 x + 1 recovered
    code, _, err = run(capsys, "fit", "1-1", str(tmp_path / "missing.csv"), "--quiet")
    assert_one_line_error(code, err, 2, "missing.csv")  # a usage error, like a missing SPEC file


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys, tmp_path, monkeypatch):
    """Logs (CI, pipes) get no carriage-return bars; a terminal gets them unless --quiet."""
    data = tmp_path / "line.csv"
    data.write_text("x,y\n" + "".join(f"{x},{2 * x}\n" for x in np.linspace(-1, 1, 9)))
    args = ("fit", "1-1:none", str(data), "--steps", "50")
    code, _, err = run(capsys, *args)
    assert code == 0 and err.startswith("dagnet: final loss ") and len(err.splitlines()) == 1
    assert "\r" not in err  # the summary line only
    code, _, err = run(capsys, "gallery", "--out", str(tmp_path / "g"), "--only", "1",
                       "--frames", "1", "--jobs", "1", "--no-learned")
    assert code == 0 and err.startswith("wrote ") and "\r" not in err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, _, err = run(capsys, *args)
    assert code == 0 and "\r" in err  # the bar (cleared at the end, leave=False)
    code, _, err = run(capsys, *args, "--quiet")
    assert code == 0 and err == ""


def test_equations_backward(capsys):
    import dagnet.symbolic.backward as bw

    net = dagnet.mlp([1, 3, 1], "tanh")
    code, out, err = run(capsys, "equations", "1-3-1:tanh", "--backward", "--form", "indexed")
    assert code == 0, err
    eqs = bw.backward_equations(net, "mse", form="indexed")
    assert out.splitlines() == [f"{sp.sstr(e.lhs, order='none')} = "
                                f"{sp.sstr(e.rhs, order='none')}" for e in eqs]
    code, out, _ = run(capsys, "equations", "1-1:logistic", "--backward", "cross_entropy",
                       "--latex")
    assert code == 0 and out == bw.backward_latex(dagnet.mlp([1, 1], "logistic"),
                                                  "cross_entropy") + "\n"
    code, _, err = run(capsys, "equations", "1-1:tanh", "--backward", "--numeric")
    assert_one_line_error(code, err, 2, "--backward", "--numeric")
    code, _, err = run(capsys, "equations", "1-1:tanh", "--backward", "hinge")
    assert_one_line_error(code, err, 2, "hinge", "mse", "cross_entropy")


# -- one SPEC, one network: every command builds the SPEC through dagnet.core.spec ----------
SAME_SPECS = [
    "2-3-1",                        # the default activation (tanh on every layer)
    "2-3-1:tanh",                   # one activation for every layer
    "1-4-4-1:tanh,tanh,identity",   # one per layer, an identity output
    "2-5-1:none",                   # no activation nodes
    "1-3-1:linear,tanh",            # linear (no activation) then tanh
    "2-1:sigmoid",                  # the alias of logistic
    "3-2-2-2-1:relu",               # deeper
    "1-2:logistic",                 # several outputs
]


def structure(net):
    """Nodes with their attributes except what fitting sets, and the edges: the network."""
    fitted = {"value", "input_mean", "input_scale"}
    nodes = {n: {k: v for k, v in a.items() if k not in fitted}
             for n, a in net.graph.nodes(data=True)}
    return nodes, sorted(net.graph.edges)


@pytest.mark.parametrize("spec", SAME_SPECS)
def test_fit_and_draw_build_the_same_network(capsys, tmp_path, spec):
    """'dagnet fit SPEC' fits the very network 'dagnet draw SPEC' draws (and the API builds)."""
    want = dagnet.network_from_spec(spec)
    data = tmp_path / "data.csv"
    rng = np.random.default_rng(0)
    cols = rng.uniform(-1, 1, size=(12, want.n_inputs))
    targets = rng.uniform(0.2, 0.4, size=(12, want.n_outputs))  # inside every output's range
    data.write_text("".join(",".join(map(repr, r)) + "\n"
                            for r in np.hstack([cols, targets]).tolist()))
    fitted = tmp_path / "fitted.json"
    code, _, err = run(capsys, "fit", spec, str(data), "--steps", "3", "--quiet",
                       "-o", str(fitted))
    assert code == 0, err
    got = dagnet.load(fitted)
    assert structure(got) == structure(want)
    code, drawn_spec, _ = run(capsys, "draw", spec)
    code2, drawn_fit, _ = run(capsys, "draw", str(fitted))
    assert code == code2 == 0
    assert drawn_spec == dagnet.to_dot(want, theme="retro")
    # the same drawing; only the tooltips differ, as they carry each weight's value (issue 13)
    import re

    def no_tips(dot):
        return re.sub(r' tooltip="[^"]*"', "", dot)

    assert no_tips(drawn_fit) == no_tips(drawn_spec)
    assert drawn_fit == dagnet.to_dot(got, theme="retro")
    name = got.weight_names[0].split("^")[0]
    assert f"{name} = {got.weights[0]:.4g}" in drawn_fit and f"{name} not set" in drawn_spec


def test_fit_hands_fit_csv_the_specs_network(capsys, tmp_path, monkeypatch):
    """The network fit_csv receives from the command line is network_from_spec(SPEC)."""
    seen = []

    def spy(net, csv_path, **kw):
        seen.append((net, kw["rng"]))
        raise dagnet.FitError("stop here")

    monkeypatch.setattr(dagnet.learn, "fit_csv", spy)
    (tmp_path / "data.csv").write_text("x,y\n0,0\n")
    for spec in SAME_SPECS:
        code, _, err = run(capsys, "fit", spec, str(tmp_path / "data.csv"), "--seed", "7")
        assert_one_line_error(code, err, 1, "stop here")
        net, rng = seen.pop()
        want = dagnet.network_from_spec(spec, rng=7)
        assert isinstance(net, dagnet.Network) and rng == 7
        assert structure(net) == structure(want)
        np.testing.assert_array_equal(net.weights, want.weights)  # drawn from --seed


def test_fit_error_names_the_identity_spec(capsys, tmp_path):
    """A tanh output cannot reach targets in [0, 10]: one error line naming the SPEC to use."""
    data = tmp_path / "data.csv"
    xs = np.linspace(-1, 1, 20)
    data.write_text("".join(f"{a},{-a},{5 * (a + 1)}\n" for a in xs))
    code, out, err = run(capsys, "fit", "2-16-16-1:tanh", str(data), "--quiet")
    assert out == ""
    assert_one_line_error(code, err, 1, "'2-16-16-1:tanh,tanh,identity'", "[0, 10]",
                          "(-1, 1)")
    code, out, err = run(capsys, "fit", "2-16-16-1:tanh,tanh,identity", str(data), "--quiet",
                         "--steps", "300")
    assert code == 0 and err == ""
    fitted = dagnet.io.files.from_json(out)
    X = np.column_stack([xs, -xs])
    loss = np.mean((fitted.compile()(X)[:, 0] - 5 * (xs + 1)) ** 2)
    assert loss < 0.5  # the identity output reaches the targets
    labels = tmp_path / "labels.csv"
    labels.write_text("".join(f"{a},{-a},{int(a > 0)}\n" for a in xs))
    code, _, err = run(capsys, "fit", "2-8-1", str(labels), "--loss", "cross_entropy")
    assert_one_line_error(code, err, 1, "logistic activation", "'2-8-1:tanh,logistic'")


def test_a_saved_network_is_a_spec(capsys, tmp_path):
    """A file SPEC loads through dagnet.load and keeps its weights unless --seed is given."""
    from dagnet.cli.commands import is_file_spec, spec_network

    path = tmp_path / "net.json"
    net = dagnet.mlp([2, 3, 1], rng=3)
    dagnet.save(net, path)
    assert is_file_spec(str(path)) and not is_file_spec("2-3-1")
    loaded = spec_network(str(path))
    np.testing.assert_array_equal(loaded.weights, net.weights)
    redrawn = spec_network(f" {path} ", rng=4)
    np.testing.assert_array_equal(redrawn.weights, net.sample_weights(rng=4))
    code, out, _ = run(capsys, "draw", str(path), "--values")
    assert code == 0 and out == dagnet.to_dot(net, theme="retro", show_values=True)
    for missing in [tmp_path / "nope.json", "nope.json", "no/such/net"]:
        with pytest.raises(dagnet.SpecError, match="not found"):
            spec_network(str(missing))
    with pytest.raises(dagnet.SpecError, match="a folder"):
        spec_network(str(tmp_path) + "/")


def test_no_guards_for_missing_stages():
    """Every stage the CLI uses exists: no 'may not exist yet' import guards, no private imports."""
    source = (ROOT / "dagnet" / "cli" / "commands.py").read_text()
    for dead in ("_needs", "import_module", "_looks_like_path", "_diagram_theme"):
        assert dead not in source
