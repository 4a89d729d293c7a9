"""The Makefile's set-up off the happy path: one clear line and a stop, or a rebuilt .venv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make") or "make"  # the README's two commands need make


def make(args: list[str], cwd: Path, path: str) -> subprocess.CompletedProcess:
    env = {"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C"}
    return subprocess.run([MAKE, "--no-print-directory", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


@pytest.mark.parametrize("target, program", [("graphviz", "dot"), ("chromium", "chromium")])
def test_without_apt_get_one_line_names_the_program_and_stops(tmp_path, target, program):
    done = make([target], ROOT, str(tmp_path))  # an empty PATH folder: no dot, no apt-get
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert done.returncode != 0
    assert len(lines) == 1 and lines[0].startswith(f"{program} is missing and there is no apt-get")
    assert "Error 127" not in done.stderr and "not found" not in done.stderr


def test_without_root_or_sudo_one_line_says_what_to_run(tmp_path):
    stub(tmp_path, "id", 'echo 1000')
    stub(tmp_path, "apt-get", 'echo "apt-get must not run" >&2; exit 9')
    done = make(["graphviz"], ROOT, str(tmp_path))
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert done.returncode != 0
    assert lines == ["dot is missing and installing it needs root: run 'apt-get install graphviz' "
                     "as root (or install Graphviz (brew install graphviz / conda install "
                     "graphviz) yourself), then make again"]
    assert "must not run" not in done.stderr


@pytest.mark.slow
def test_a_venv_of_a_too_old_python_is_rebuilt(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    stub(tmp_path / ".venv" / "bin", "python", 'echo "Python 3.9.0"; exit 1')
    bindir = str(Path(sys.executable).parent)  # a Python >= 3.10 as python3
    done = make(["venv", f"PYTHON={sys.executable}"], tmp_path, f"{bindir}:/usr/bin:/bin")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rebuilding it with" in done.stdout
    check = subprocess.run([str(tmp_path / ".venv" / "bin" / "python"), "-c",
                            "import sys; print(sys.version_info >= (3, 10))"],
                           capture_output=True, text=True)
    assert check.stdout.strip() == "True"


def test_an_old_python_without_a_venv_is_named(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    stub(tmp_path, "oldpython",
         'case "$*" in *version_info*) exit 1;; *) echo "Python 3.9.0";; esac')
    done = make(["venv", f"PYTHON={tmp_path / 'oldpython'}"], tmp_path, "/usr/bin:/bin")
    assert done.returncode != 0
    assert "dagnet needs Python >= 3.10" in done.stdout and "3.9.0" in done.stdout
    assert not (tmp_path / ".venv").exists()
