"""The examples: every script runs, and the tour notebook runs headless (nbclient)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

pytestmark = pytest.mark.slow  # runs every example script and the notebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("[0-9][0-9]_*.py"))


def run_script(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, str(EXAMPLES / name), *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_there_are_four_steps():
    assert SCRIPTS == ["01_build.py", "02_equations.py", "03_draw.py", "04_plot.py"]


def test_build(tmp_path):
    done = run_script("01_build.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "y(3) = 6.5" in done.stdout
    assert "1-100-1    None      Network(inputs=1, outputs=1, layers=2, weights=301)" in done.stdout
    assert "linear: True" in done.stdout and "linear: False" in done.stdout


def test_equations(tmp_path):
    done = run_script("02_equations.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "v_0 = u_00 + u_10" in done.stdout
    assert "1-100-1 linear is linear: True - slope has 100 terms" in done.stdout
    assert "\\sum_{i=0}^{11}" in done.stdout  # layer II of 1-11-9-1 sums x_0 .. x_11


def test_draw(tmp_path):
    done = run_script("03_draw.py", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files = [Path(line) for line in done.stdout.splitlines() if line.startswith(str(tmp_path))]
    assert [f.name for f in files] == ["logistic-explicit.svg", "mlp-explicit.svg",
                                       "mlp-simplified.png", "wide-simplified.svg"]
    assert all(f.stat().st_size > 0 for f in files)
    assert "<svg" in files[0].read_text()
    assert done.stdout.rstrip().endswith("digraph dagnet { ...")


def test_plot(tmp_path):
    done = run_script("04_plot.py", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    files = [Path(line) for line in done.stdout.splitlines()]
    assert [f.suffix for f in files] == [".png"] * 4 + [".gif"]
    for f in files[:4]:
        with Image.open(f) as im:
            assert im.size == (1200, 675)
    with Image.open(files[4]) as im:
        assert im.n_frames == 6


def test_scripts_default_to_the_ignored_diagrams_folder(tmp_path):
    done = run_script("03_draw.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "diagrams" / "examples" / "mlp-explicit.svg").is_file()


# -- the notebook --------------------------------------------------------------------------
TOUR = EXAMPLES / "tour.ipynb"


def test_tour_is_stored_with_its_outputs():
    """Run in order, top to bottom, without errors, with its pictures (the repository page
    shows them)."""
    nb = nbformat.read(TOUR, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert {"image/png", "image/svg+xml", "text/latex"} <= kinds


def test_tour_runs_headless(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(TOUR, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {c.source.splitlines()[-1]: c.outputs for c in nb.cells if c.cell_type == "code"}
    errors = [o for outs in outputs.values() for o in outs if o.output_type == "error"]
    assert errors == []

    def mimetypes(last_line: str) -> set[str]:
        return {k for o in outputs[last_line] for k in o.get("data", {})}

    assert "image/svg+xml" in mimetypes("line")                 # a network shows its diagram
    assert "text/latex" in mimetypes("line.equations()")        # equations render as LaTeX
    assert "text/latex" in mimetypes("mlp.latex(form='indexed')")
    assert "image/svg+xml" in mimetypes("mlp.diagram('simplified')")
    assert "image/png" in mimetypes("_ = plot.family(line, n=20, rng=0)")
    assert "image/png" in mimetypes("_ = plot.surface(dagnet.mlp([2, 11, 9, 1], 'tanh', rng=3))")
    text = "".join(o.get("text", "") for o in outputs[
        "    print(f'{row.number:2d}  {row.spec:<16} {row.caption}')"])
    assert text.count("\n") == 17
    # The committed notebook shows its outputs (a reader of the repository page sees them):
    # the same kinds of output in the same cells as running it gives.
    committed = nbformat.read(TOUR, as_version=4)
    assert [sorted({k for o in c.outputs for k in o.get("data", {})} | {o.output_type
                                                                          for o in c.outputs})
            for c in committed.cells if c.cell_type == "code"] == \
           [sorted({k for o in c.outputs for k in o.get("data", {})} | {o.output_type
                                                                          for o in c.outputs})
            for c in nb.cells if c.cell_type == "code"], \
        "examples/tour.ipynb is stale: run it and save it with its outputs"


@pytest.mark.parametrize("name", SCRIPTS)
def test_scripts_have_a_run_line(name):
    assert f"Run: python examples/{name}" in (EXAMPLES / name).read_text()
