"""Issue 18: the command line never shows a traceback. A fuzz of SPECs, options, CSV files
and output paths (>= 300 cases per run, from fixed seeds): each run ends in success or in
exactly one ``dagnet: error:`` line on stderr with exit status 1 or 2, in bounded time.
Plus the issue's reproducers, one by one (items 8, 9, 10, 12, 14, 16)."""

from __future__ import annotations

import codecs
import time

import numpy as np
import pytest

import dagnet
from dagnet.cli import main

ACTS = ["tanh", "relu", "logistic", "identity", "none", "TANH", "softmax", "", "tanh,relu"]
ODD = ["²", "١", "３", "0", "-1", "1e3", "1.5", " ", "", "\x00", "é", "∞", "nan", "1_0",
       "+1", "0x1", "99999999999999999999", "—", "1 1", ":", ",", "-", "\ud800"]
CSV_BODIES = [
    b"x,y\n1,2\n3,4\n", b"1,2\n3,4\n", b"\xef\xbb\xbf1,2\n3,4\n", b"x,y\n1,2\n\xe93,4\n",
    codecs.BOM_UTF16_LE + "x,y\n1,2\n".encode("utf-16-le"), "x,y\n1,2\n".encode("utf-16-le"),
    codecs.BOM_UTF32_BE + "1,2\n".encode("utf-32-be"), b"", b"\n\n", b"x,y\n",
    b"x,y\n1,nan\n", b"x,y\n1,inf\n", b"x,y\n1\n", b"x,y\n1,2,3\n", b'x,"y\n1,2\n',
    b"x,y\n1," + b"2" * 140_000 + b"\n", b"\x00\x01\x02", b"x,y\n\xd9\xa1,2\n",
    b"x;y\n1;2\n", b"x,y\r\n1,2\r\n", b"1e400,1\n", b"x,y\n" + b"1,2\n" * 2000,
]


def _spec(gen: np.random.Generator) -> str:
    kind = gen.integers(6)
    sizes = [str(int(s)) for s in gen.integers(1, 4, size=gen.integers(1, 5))]
    if kind == 0:  # a valid or almost valid architecture
        return "-".join(sizes) + (":" + str(gen.choice(ACTS)) if gen.random() < 0.6 else "")
    if kind == 1:  # an odd token in place of a size
        sizes[int(gen.integers(len(sizes)))] = str(gen.choice(ODD))
        return "-".join(sizes)
    if kind == 2:  # random characters of the grammar and around it
        alphabet = list("0123456789-:,abcdehilnorstuxy ./²١") + ["\n", "\t", "\\"]
        return "".join(gen.choice(alphabet, size=gen.integers(0, 14)))
    if kind == 3:  # very long specs (a path would be "too long")
        return "-".join(["1"] * int(gen.integers(100, 200))) + ":identity"
    if kind == 4:
        return str(gen.choice(["nope.json", "dir/", "/", ".", "..", "a/b/c.json", "x.graphml",
                               "x" * 300, "~", "-", "--", "-h1"]))
    return str(gen.choice(["2-1", "1-1:logistic", "1-2-1:tanh,identity", "2-2-1:relu"]))


def _option(gen: np.random.Generator, command: str) -> list[str]:
    value = str(gen.choice(ODD + ["1", "2", "all", "3"]))
    choices = {
        "equations": [["--depth", value], ["--digits", value], ["--seed", value],
                      ["--form", str(gen.choice(["nodes", "indexed", "x"]))], ["--latex"],
                      ["--numeric"], ["--backward", str(gen.choice(["mse", "cross_entropy",
                                                                    "x"]))], []],
        "draw": [["-k", value], ["--seed", value], ["--style", str(gen.choice(
            ["explicit", "simplified", "x"]))], ["--values"], ["--bias"], []],
        "fit": [["--steps", value], ["--lr", value], ["--loss", str(gen.choice(
            ["mse", "cross_entropy", "x"]))], ["--optimizer", str(gen.choice(
                ["adam", "sgd", "x"]))], ["--quiet"], []],
        "plot": [["--n", str(gen.choice(["1", "2", "0", "²", "x"]))], ["--seed", value], []],
    }[command]
    return list(choices[int(gen.integers(len(choices)))])


def _case(gen: np.random.Generator, tmp) -> list[str]:
    command = str(gen.choice(["equations"] * 5 + ["draw"] * 3 + ["fit"] * 3 + ["plot"]))
    argv = [command, _spec(gen)]
    for _ in range(int(gen.integers(0, 3))):
        argv += _option(gen, command)
    if command == "fit":
        csv = tmp / f"d{int(gen.integers(10**6))}.csv"
        csv.write_bytes(CSV_BODIES[int(gen.integers(len(CSV_BODIES)))])
        argv.insert(2, str(csv))
        if "--steps" not in argv:
            argv += ["--steps", "3", "--quiet"]
    if command == "draw" and gen.random() < 0.5 or command == "plot":
        argv += ["-o", str(_output(gen, tmp, ".dot" if command == "draw" else ".png"))]
        argv += ["--mkdir"] if gen.random() < 0.3 else []
    if command == "plot" and "--n" not in argv:
        argv += ["--n", "2"]
    return argv


def _output(gen: np.random.Generator, tmp, suffix: str):
    (tmp / "folder.svg").mkdir(exist_ok=True)
    (tmp / "file").write_text("x")
    name = str(gen.choice([f"out{suffix}", "folder.svg", f"file/x{suffix}", "out.xyz",
                           f"new/sub/out{suffix}", "file", "", "-"]))
    return name if name == "-" else tmp / name  # '-': standard output


def _check(argv, code, err):
    assert "Traceback" not in err, (argv, err)
    if code == 0:
        return
    lines = err.strip().splitlines()
    assert code in (1, 2), (argv, code, err)
    assert len(lines) == 1 and lines[0].startswith("dagnet: error: "), (argv, err)


@pytest.mark.parametrize("seed", range(4))
def test_cli_fuzz_one_error_line_and_no_traceback(seed, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    gen = np.random.default_rng(1000 + seed)
    for _ in range(80):  # 4 x 80 = 320 cases per run
        argv = _case(gen, tmp_path)
        start = time.perf_counter()
        code = main(argv)
        _, err = capsys.readouterr()
        _check(argv, code, err)
        assert time.perf_counter() - start < 30, argv


# -- the reproducers -------------------------------------------------------------
def _run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv, words", [
    (["equations", "1-²"], "bad layer size '²'"),
    (["equations", "1-1", "--depth", "²"], "--depth"),
    (["plot", "1-1", "--n", "٣"], "--n"),
    (["equations", "1-１"], "bad layer size"),
])
def test_unicode_digits_are_not_numbers(capsys, argv, words):
    code, err = _run(capsys, *argv)
    _check(argv, code, err)
    assert code == 2 and words in err


def test_a_long_spec_is_an_architecture_not_a_path(capsys):
    spec = "-".join(["1"] * 129) + ":identity"
    assert len(spec) > 255
    code, err = _run(capsys, "equations", spec)
    assert code == 0 and err == ""


def _fit_rows(capsys, tmp_path, body: bytes):
    path = tmp_path / "d.csv"
    path.write_bytes(body)
    out = tmp_path / "fitted.json"
    code, err = _run(capsys, "fit", "1-1:identity", str(path), "--steps", "1", "--quiet",
                     "-o", str(out))
    return code, err


@pytest.mark.parametrize("body", [
    "x,y\n1,2\n3,4\n".encode("utf-16"), codecs.BOM_UTF8 + b"x,y\n1,2\n3,4\n",
    codecs.BOM_UTF16_BE + "x,y\n1,2\n3,4\n".encode("utf-16-be"),
    "x,y\n1,2\n3,4\n".encode("utf-32")])
def test_csv_with_a_byte_order_mark_is_read(capsys, tmp_path, body):
    code, err = _fit_rows(capsys, tmp_path, body)
    assert code == 0, err
    header, data = dagnet.learn.training.read_csv(tmp_path / "d.csv")
    assert header == ["x", "y"] and data.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_a_bom_without_header_keeps_the_first_row(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"1,2\n3,4\n")
    header, data = dagnet.learn.training.read_csv(path)
    assert header is None and data.tolist() == [[1.0, 2.0], [3.0, 4.0]]


@pytest.mark.parametrize("body, words", [
    (b"x,y\n1,2\n\xe93,4\n", "not UTF-8"), ("x,y\n1,2\n".encode("utf-16-le"), "not UTF-8"),
    (b"x,y\n1," + b"2" * 140_000 + b"\n", "field larger")])
def test_undecodable_or_oversized_csv_is_one_error(capsys, tmp_path, body, words):
    code, err = _fit_rows(capsys, tmp_path, body)
    _check(["fit"], code, err)
    assert code == 1 and words in err


def test_output_paths_that_cannot_be_files(tmp_path):
    import dagnet.plot
    from dagnet.draw.render import render_diagram

    net = dagnet.mlp([1, 2, 1], rng=0)
    (tmp_path / "dir.svg").mkdir()
    (tmp_path / "file").write_text("keep")
    for path in (tmp_path / "dir.svg", tmp_path / "file" / "x.svg"):
        with pytest.raises(dagnet.OutputError, match="folder"):
            render_diagram(net, path, "explicit") if path.suffix != ".svg" or path.name != \
                "x.svg" else render_diagram(net, path)
        with pytest.raises(dagnet.OutputError):
            dagnet.save(net, path.with_suffix(".json") if path.parent.name == "file" else path)
    fig = dagnet.plot.family(dagnet.mlp([1, 2, 1]), n=2, rng=0).ax.figure
    for path in (tmp_path / "dir.svg", tmp_path / "file" / "x.png"):
        with pytest.raises(dagnet.OutputError):
            dagnet.plot.save_figure(fig, path)
    assert (tmp_path / "file").read_text() == "keep"


def _input_feeds_an_output():
    """x_1 is read by a weight and is also an output itself (through a pass-through)."""
    net = dagnet.Network()
    b, x, v = net.add_bias(), net.add_input(1), net.add_sum(0)
    net.add_weight(b, v, 0.1)
    net.add_weight(x, v, 0.2)
    net.add_input(1, layer=2, source=x)
    return net


def test_plot_of_an_input_that_is_an_output(capsys, tmp_path):
    path = tmp_path / "net.json"
    dagnet.save(_input_feeds_an_output(), path)
    code, err = _run(capsys, "plot", str(path), "-o", str(tmp_path / "p.png"), "--n", "2")
    assert code == 0 and "Traceback" not in err
    assert _input_feeds_an_output().output_range(1) == (-np.inf, np.inf)


def test_fit_reports_the_loss_of_the_network_it_returns():
    """Item 16: normalize=True must not scale an input that is itself an output."""
    net = _input_feeds_an_output()
    X = np.random.default_rng(0).normal(size=(50, 1)) * 100 + 500
    y = np.hstack([X * 2 + 1, X])
    history = dagnet.fit(net, X, y, steps=2000, lr=0.1, normalize=True)
    real = float(np.mean((net.compile()(X) - y) ** 2))
    assert history.final_loss == pytest.approx(real, rel=1e-9)
    assert real < 1.0


@pytest.mark.parametrize("layers, act", [(61, "logistic"), (150, "identity"), (80, "tanh")])
def test_deep_networks_print_their_whole_expression(capsys, layers, act):
    """Item 7: --depth all on 60+ layers ends in the expression, not a RecursionError."""
    spec = "-".join(["1"] * (layers + 1)) + f":{act}"
    for extra in ([], ["--latex"], ["--numeric"]):
        code, err = _run(capsys, "equations", spec, "--depth", "all", *extra)
        assert code == 0 and err == "", err
    expr = dagnet.network_from_spec(spec).expression(depth=None)
    assert len(expr.free_symbols) == 2 * layers + 1  # x_1 and two weights per layer
