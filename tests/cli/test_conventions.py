"""Issue 16 item 7: the command line behaves like the Unix tools its users know.

One output rule (the result to standard output or ``-o FILE``, ``-o -`` everywhere, images
never to a terminal, messages to standard error), missing folders refused unless
``--mkdir``, ``dagnet fit SPEC -`` reading standard input, an aligned ``gallery --list``,
errors naming options, shell completion, and a ``--help`` that imports nothing heavy."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dagnet
from dagnet.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def env():
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def one_error(err: str | bytes, *words: str) -> str:
    text = err.decode() if isinstance(err, bytes) else err
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dagnet: error: "), text
    assert "Traceback" not in text
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


@pytest.fixture
def line_csv(tmp_path):
    path = tmp_path / "line.csv"
    xs = np.linspace(-1, 1, 21)
    path.write_text("x,y\n" + "".join(f"{x!r},{3 * x + 1!r}\n" for x in xs.tolist()))
    return path


FIT = ["--steps", "400", "--lr", "0.1", "--quiet"]


# -- 1. a missing output folder is refused (or made with --mkdir) --------------------------
def writers(tmp: Path, target: Path, csv: Path) -> dict[str, list[str]]:
    return {
        "equations": ["equations", "1-1:none", "-o", str(target / "eq.txt")],
        "draw": ["draw", "1-2-1:tanh", "-o", str(target / "net.dot")],
        "plot": ["plot", "1-2-1:tanh", "--n", "2", "-o", str(target / "family.svg")],
        "fit": ["fit", "1-1:none", str(csv), *FIT, "-o", str(target / "fitted.json")],
        "fit --history": ["fit", "1-1:none", str(csv), *FIT, "-o", str(tmp / "f.json"),
                          "--history", str(target / "loss.csv")],
    }


@pytest.mark.parametrize("command", ["equations", "draw", "plot", "fit", "fit --history"])
def test_a_missing_folder_is_refused_in_one_line(capsys, tmp_path, line_csv, command):
    missing = tmp_path / "no" / "such"
    argv = writers(tmp_path, missing, line_csv)[command]
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    flag = "--history" if "history" in command else "-o"
    one_error(err, f"cannot write {flag} {missing}", f"the folder {str(missing)!r} does not "
              "exist", f"mkdir -p {missing}", "--mkdir")
    assert not (tmp_path / "no").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.csv"]  # nothing written
    assert main([*argv, "--mkdir"]) == 0
    capsys.readouterr()
    assert len(list(missing.iterdir())) == 1


@pytest.mark.parametrize("where", ["missing.csv", "."])
def test_missing_fit_data_is_a_usage_error(capsys, tmp_path, where):
    data = tmp_path / where
    code = main(["fit", "1-1:none", str(data), *FIT, "-o", str(tmp_path / "f.json")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    one_error(err, f"data file {str(data)!r}", "not found" if where != "." else "a folder",
              "- to read it from standard input")
    assert not (tmp_path / "f.json").exists()


def test_gallery_out_needs_its_parent_folder(capsys, tmp_path):
    out = tmp_path / "no" / "gallery"
    assert main(["gallery", "--out", str(out), "--only", "1", "--quiet"]) == 2
    one_error(capsys.readouterr().err, f"--out {out}", "--mkdir")
    assert not (tmp_path / "no").exists()


def test_a_missing_folder_in_a_subprocess(tmp_path):
    done = subprocess.run([sys.executable, "-m", "dagnet", "draw", "1-1", "-o",
                           str(tmp_path / "x" / "a.svg")], capture_output=True, text=True,
                          env=env(), timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    one_error(done.stderr, "--mkdir")


# -- 2. -o - : standard output for every command that writes a file ------------------------
def stdout_and_file(capsysbinary, tmp_path, argv, name):
    """The bytes ``argv -o -`` prints and the bytes ``argv -o FILE`` writes."""
    assert main([*argv, "-o", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    path = tmp_path / name
    assert main([*argv, "-o", str(path)]) == 0
    assert capsysbinary.readouterr() == (b"", b"")  # silent: the result is the file
    return out, path.read_bytes()


@pytest.mark.parametrize("argv, name, magic", [
    (["equations", "2-3-1:tanh"], "eq.txt", b"u_00^I = "),
    (["equations", "2-3-1:tanh", "--latex"], "eq.tex", b"\\begin{align}"),
    (["equations", "2-3-1:tanh", "--latex"], "eq.txt", b"\\begin{align}"),
    (["draw", "1-2-1:tanh"], "net.dot", b"digraph dagnet {"),
    (["draw", "1-2-1:tanh", "--format", "svg"], "net.svg", b"<?xml"),
    (["draw", "1-2-1:tanh", "--format", "png"], "net.png", b"\x89PNG"),
    (["draw", "1-2-1:tanh", "--format", "pdf"], "net.pdf", b"%PDF"),
    (["plot", "1-3-1:tanh", "--n", "3"], "family.png", b"\x89PNG"),
    (["plot", "1-3-1:tanh", "--n", "3", "--format", "svg"], "family.svg", b"<?xml"),
    (["plot", "1-3-1:tanh", "--kind", "regions", "--format", "pdf"], "regions.pdf", b"%PDF"),
    (["plot", "1-1:tanh", "--kind", "animation", "--frames", "2"], "a.gif", b"GIF8"),
])
def test_dash_is_standard_output(capsysbinary, tmp_path, argv, name, magic):
    out, written = stdout_and_file(capsysbinary, tmp_path, argv, name)
    assert out.startswith(magic)
    if name.endswith((".txt", ".tex", ".dot", ".svg", ".gif")):
        assert out == written  # the same bytes either way
    else:  # PNG and PDF carry their writer's clock; check the kind and the size
        assert written.startswith(magic) and abs(len(out) - len(written)) < len(out) / 10
    assert main(argv if argv[0] in ("equations", "draw") else [*argv]) == 0  # no -o: stdout
    assert capsysbinary.readouterr()[0][:len(magic)] == magic


def test_fit_writes_the_network_and_its_history_to_standard_output(capsysbinary, tmp_path,
                                                                    line_csv):
    argv = ["fit", "1-1:none", str(line_csv), *FIT]
    out, written = stdout_and_file(capsysbinary, tmp_path, argv, "fitted.json")
    assert out == written
    assert main(argv) == 0  # no -o: the network on standard output
    assert capsysbinary.readouterr()[0] == out
    net = dagnet.io.files.from_json(out)
    np.testing.assert_allclose(net.weights, [1, 3], atol=1e-4)  # y = 3 x + 1
    assert main([*argv, "-o", str(tmp_path / "f.json"), "--history", "-"]) == 0
    history = capsysbinary.readouterr()[0].decode().splitlines()
    assert history[0] == "step,loss" and len(history) == 401
    assert float(history[-1].split(",")[1]) < float(history[1].split(",")[1]) / 100
    assert main([*argv, "--history", "-"]) == 2  # both would go to standard output
    one_error(capsysbinary.readouterr()[1], "--history -", "-o NET.json")


# -- 3. dagnet fit SPEC - reads the data from standard input ------------------------------
def test_fit_reads_standard_input(capsysbinary, tmp_path, line_csv, monkeypatch):
    argv = ["fit", "1-1:none", "-", *FIT]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line_csv.read_bytes())))
    assert main(argv) == 0
    from_stdin = capsysbinary.readouterr()[0]
    assert main(["fit", "1-1:none", str(line_csv), *FIT]) == 0
    assert capsysbinary.readouterr()[0] == from_stdin  # the same fit as from the file
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x,y\n1\n")))
    assert main(argv) == 1
    line = one_error(capsysbinary.readouterr()[1], "'<stdin>'")
    assert "dagnet-fit-" not in line and "stdin.csv" not in line  # no temporary file named


def test_fit_reads_a_pipe(tmp_path, line_csv):
    done = subprocess.run([sys.executable, "-m", "dagnet", "fit", "1-1:none", "-", *FIT],
                          input=line_csv.read_bytes(), capture_output=True, env=env(),
                          timeout=120)
    assert done.returncode == 0, done.stderr
    np.testing.assert_allclose(dagnet.io.files.from_json(done.stdout).weights, [1, 3],
                               atol=1e-6)


# -- 4. one rule for default outputs -----------------------------------------------------
@pytest.mark.parametrize("argv, image", [
    (["equations", "1-1:none"], False),
    (["draw", "1-1:none"], False),
    (["draw", "1-1:none", "--format", "svg"], False),
    (["draw", "1-1:none", "--format", "png"], True),
    (["plot", "1-1:none", "--n", "2"], True),
    (["plot", "1-1:none", "--n", "2", "--format", "svg"], False),
    (["plot", "1-1:none", "--kind", "animation", "--frames", "1"], True),
])
def test_images_are_not_written_to_a_terminal(capsysbinary, monkeypatch, argv, image):
    """The rule: text results print on a terminal too; an image asks for -o or a pipe."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code = main(argv)
    out, err = capsysbinary.readouterr()
    if image:
        assert (code, out) == (2, b"")
        one_error(err, "not written to a terminal", "-o FILE", "(e.g. -o 1-1-none", "redirect")
    else:
        assert code == 0 and err == b"" and out


def test_the_rule_is_in_help_and_readme(capsys):
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text()
    cli = readme[readme.index("## Command line"):]
    cli = cli[:cli.index("\n## ", 3)]
    for text in (help_text, cli):
        for words in ("standard output", "-o -", "--mkdir", "standard error",
                      'eval "$(dagnet completion bash)"', "fit", " - "):
            assert words in text, words


def test_messages_go_to_standard_error(capsys, tmp_path, line_csv):
    """With -o FILE standard output stays empty; summaries go to standard error."""
    code = main(["fit", "1-1:none", str(line_csv), "--steps", "5", "-o", str(tmp_path / "f.json")])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "")
    assert err.startswith("dagnet: final loss ") and err.endswith("after 5 steps (mse)\n")


# -- 5. gallery --list stays in columns whatever the names ---------------------------------
def test_gallery_list_is_aligned_for_long_names(capsys, monkeypatch):
    import dagnet.gallery.steps as steps

    long = dataclasses.replace(steps.ARTICLE[3], slug="a-much-longer-name-than-sixteen",
                               sizes=(1, 100, 100, 100, 100, 1))
    monkeypatch.setattr(steps, "ARTICLE", (*steps.ARTICLE[:3], long, *steps.ARTICLE[4:]))
    assert len(long.spec) > 18 and len(long.slug) > 22
    assert main(["gallery", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(steps.ARTICLE) + 5
    rows = [*steps.ARTICLE, *[None] * 5]
    spec_col = {line.index(" " + (r.spec if r else "(fitted)") + " ") for line, r in
                zip(lines, rows)}
    caption_col = {line.index(r.caption if r else line.split("(fitted)")[1].strip())
                   for line, r in zip(lines, rows)}
    assert len(spec_col) == 1 and len(caption_col) == 1  # every column starts in one place
    assert lines[3].split()[:3] == ["4", long.slug, long.spec]


# -- 6. errors name the options, not Python functions -------------------------------------
@pytest.mark.parametrize("argv, code, words", [
    (["equations", "1-x-1"], 2, ["SPEC"]),
    (["equations", "1-1", "--depth", "x"], 2, ["--depth"]),
    (["draw", "1-1", "-o", "net.jpg"], 2, ["-o net.jpg", "--format"]),
    (["draw", "50-50-1", "-k", "25"], 1, ["-k (now 25)", "--style simplified"]),
    (["plot", "1-3-1", "--kind", "surface"], 1, ["--kind surface", "--kind family"]),
    (["plot", "2-3-1", "--kind", "family"], 1, ["--kind family", "--kind surface"]),
    (["plot", "1-3-1", "--kind", "animation", "--of", "surface"], 1, ["--of surface"]),
    (["plot", "1-3-1:relu", "--kind", "regions"], 1, ["--threshold"]),
    (["fit", "1-3-1", "DATA", "--loss", "hinge"], 2, ["--loss", "'hinge'", "mse"]),
    (["fit", "1-3-1", "DATA", "--optimizer", "lbfgs"], 2, ["--optimizer", "adam"]),
    (["fit", "1-3-1", "DATA", "--lr", "-1"], 2, ["--lr"]),
    (["fit", "1-3-1", "WIDE"], 1, ["2 target columns", "1 output", "SPEC"]),
    (["fit", "1-3-1", "DATA"], 1, ["SPEC '1-3-1:tanh,identity'"]),
    (["gallery", "--only", "99"], 2, ["--only", "--list"]),
    (["equations", "1-1", "--bogus"], 2, ["--bogus", "'dagnet equations --help'"]),
])
def test_errors_name_options(capsysbinary, tmp_path, monkeypatch, argv, code, words):
    monkeypatch.chdir(tmp_path)
    Path("DATA").write_text("x,y\n1,5\n2,7\n")
    Path("WIDE").write_text("1,2,3\n2,4,5\n")
    got = main(argv)
    out, err = capsysbinary.readouterr()
    assert (got, out) == (code, b"")
    line = one_error(err, *words)
    assert not re.search(r"\w\(\)|\w=\S", line)  # no Python calls or keyword arguments


# -- 7. shell completion -----------------------------------------------------------------
def complete(script: str, *words: str) -> list[str]:
    """What bash offers for ``words`` (the last one being completed), as readline would."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    done = subprocess.run(["bash", "-c", script + f"\nCOMP_WORDS=({quoted}); "
                           f"COMP_CWORD={len(words) - 1}; _dagnet; "
                           'printf "%s\\n" "${COMPREPLY[@]}"'],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return [w for w in done.stdout.splitlines() if w]


@pytest.fixture(scope="module")
def bash_script():
    done = subprocess.run([sys.executable, "-m", "dagnet", "completion", "bash"],
                          capture_output=True, text=True, env=env(), timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    return done.stdout


def test_completion_offers_the_parsers_words(bash_script):
    parser = build_parser()
    subs = next(a for a in parser._actions if a.dest == "command").choices
    assert complete(bash_script, "dagnet", "") == [*subs, "-h", "--help", "--version"]
    assert complete(bash_script, "dagnet", "pl") == ["plot"]
    assert complete(bash_script, "dagnet", "plot", "1-1", "--ki") == ["--kind"]
    assert complete(bash_script, "dagnet", "plot", "1-1", "--kind", "") == [
        "family", "surface", "regions", "animation"]
    assert complete(bash_script, "dagnet", "draw", "1-1", "--format", "s") == ["svg"]
    assert complete(bash_script, "dagnet", "completion", "") == []  # bash offers files
    for name, sub in subs.items():  # every option of every command, nothing else
        flags = [f for a in sub._actions for f in a.option_strings]
        assert complete(bash_script, "dagnet", name, "-") == flags, name
    assert complete(bash_script, "dagnet", "fit", "1-1", "-o", "") == []  # file names


def test_completion_scripts(capsys, bash_script):
    assert main(["completion", "bash"]) == 0
    assert capsys.readouterr().out == bash_script
    assert main(["completion", "zsh"]) == 0
    zsh = capsys.readouterr().out
    assert "bashcompinit" in zsh and zsh.endswith(bash_script)
    assert bash_script.splitlines()[-1] == "complete -o default -F _dagnet dagnet"
    assert main(["completion", "fish"]) == 2
    one_error(capsys.readouterr().err, "'fish'", "bash", "zsh")


# -- 8. --help and --version import nothing heavy -----------------------------------------
def test_help_imports_nothing_heavy():
    """The command line's own modules import no sympy, matplotlib, graphviz, networkx or
    numpy: measured with a bare 'dagnet' package, whatever dagnet/__init__ imports."""
    code = f"""
import sys, types
pkg = types.ModuleType("dagnet")
pkg.__path__ = [{str(ROOT / "dagnet")!r}]
pkg.__version__ = "0"
sys.modules["dagnet"] = pkg
from dagnet.cli import main
for argv in (["--help"], ["--version"], ["plot", "--help"], ["fit", "--help"],
             ["completion", "bash"]):
    assert main(argv) == 0, argv
heavy = ("sympy", "matplotlib", "graphviz", "networkx", "numpy", "scipy")
print(__import__("json").dumps(sorted(m for m in heavy if m in sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_a_network_file_on_standard_input_is_a_spec(capsysbinary, tmp_path, line_csv,
                                                     monkeypatch):
    """'dagnet fit ... | dagnet draw -': a SPEC '-' reads the JSON fit writes."""
    assert main(["fit", "1-1:none", str(line_csv), *FIT]) == 0
    fitted = capsysbinary.readouterr()[0]
    net = dagnet.io.files.from_json(fitted)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(fitted)))
    assert main(["draw", "-", "--values"]) == 0
    assert capsysbinary.readouterr()[0].decode() == dagnet.to_dot(net, theme="article",
                                                                    show_values=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{")))
    assert main(["equations", "-"]) == 1
    one_error(capsysbinary.readouterr()[1], "<stdin>", "JSON")
    assert main(["fit", "-", "-"]) == 2
    one_error(capsysbinary.readouterr()[1], "standard input", "as a file")


def test_equations_format_follows_the_suffix(capsys, tmp_path):
    """Like draw and plot: -o FILE.tex writes LaTeX without --latex."""
    assert main(["equations", "2-3-1:tanh", "-o", str(tmp_path / "eq.tex")]) == 0
    assert (tmp_path / "eq.tex").read_text() == dagnet.mlp([2, 3, 1], "tanh").latex() + "\n"
