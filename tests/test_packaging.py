"""The package builds warning-free, ships its license, schema and type marker, one version."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import dagnet

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds a wheel and an sdist (~10 s)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> tuple[Path, str]:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "dagnet", src / "dagnet",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel",
                           "-o", str(out), str(src)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out, done.stdout + done.stderr


def test_the_build_prints_no_warning(dist):
    _, log = dist
    warnings = [line for line in log.splitlines() if "warn" in line.lower()]
    assert not warnings, warnings


def test_the_wheel_has_every_stage_the_schema_the_license_and_py_typed(dist):
    out, _ = dist
    (wheel,) = out.glob("dagnet-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for stage in ("core", "symbolic", "compiled", "draw", "plot", "learn", "io", "gallery", "cli"):
        assert f"dagnet/{stage}/__init__.py" in names
    assert {"dagnet/py.typed", "dagnet/io/network-v1.schema.json"} <= names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert wheel.name.startswith(f"dagnet-{dagnet.__version__}-")


def test_the_sdist_has_the_license_changelog_and_the_same_version(dist):
    out, _ = dist
    (sdist,) = out.glob("dagnet-*.tar.gz")
    assert sdist.name == f"dagnet-{dagnet.__version__}.tar.gz"
    names = {Path(n).name for n in tarfile.open(sdist).getnames()}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "network-v1.schema.json"} <= names


def test_the_version_is_written_once():
    """pyproject reads it from dagnet.__version__; the changelog's newest entry names it."""
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in text and 'attr = "dagnet.__version__"' in text
    assert '\nversion = "' not in text  # no literal version in [project]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {dagnet.__version__}" in changelog
