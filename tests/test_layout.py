"""The tree is the pipeline: stages import one way, each idea has one home, no reach-ins."""

from __future__ import annotations

import ast
import collections
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dagnet"
STAGES = ("core", "symbolic", "compiled", "draw", "plot", "learn", "io", "gallery", "cli")


def modules() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_package_is_the_pipeline_stages_and_errors():
    top = sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or
                 (p.is_dir() and (p / "__init__.py").exists()))
    assert top == sorted(["__init__.py", "__main__.py", "errors.py", *STAGES])
    tests = sorted(p.name for p in (ROOT / "tests").iterdir() if p.is_dir()
                   and not p.name.startswith((".", "_")))
    assert tests == sorted(STAGES)


def test_the_import_contract_holds():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a dev dependency: pip install -e '.[dev]'"
    done = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 kept, 0 broken" in done.stdout


def test_no_import_hidden_from_the_contract():
    """import_module/find_spec/__import__ of a dagnet module would escape the import linter."""
    hidden = []
    for path, tree in modules().items():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
                    and getattr(node.func, "attr", getattr(node.func, "id", "")) in
                    ("import_module", "find_spec", "__import__")):
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if any(isinstance(a, str) and a.startswith("dagnet") for a in args) or not args:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, hidden


def test_no_module_imports_another_modules_private_names():
    reach_ins = []
    for path, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level and node.module:
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        reach_ins.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    assert not reach_ins, reach_ins


def _public_definitions(trees: dict[Path, ast.Module]) -> dict[str, list[str]]:
    """Where each public class, function or table (a name that starts upper-case) is defined."""
    found = collections.defaultdict(list)
    for path, tree in trees.items():
        if path.name == "__init__.py":
            continue  # re-exports, not definitions
        for node in tree.body:
            names = []
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            for name in names:
                if not name.startswith("_") and (name[0].isupper()):
                    found[name].append(str(path))
    return found


def test_one_home_per_idea_no_two_classes_or_tables_share_a_name():
    twice = {name: where for name, where in _public_definitions(modules()).items()
             if len(where) > 1}
    assert not twice, twice


def test_the_name_check_finds_a_planted_duplicate():
    trees = {Path("a.py"): ast.parse("class Plan: ...\nSTYLES = {}\n_private = 1\n"),
             Path("b.py"): ast.parse("Plan = None\nSTYLES: dict = {}\n_private = 2\n"),
             Path("__init__.py"): ast.parse("from .a import Plan\nPlan = Plan\n")}
    found = _public_definitions(trees)
    assert found["Plan"] == ["a.py", "b.py"] and found["STYLES"] == ["a.py", "b.py"]
    assert "_private" not in found
