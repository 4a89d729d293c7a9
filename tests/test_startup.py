"""Start-up stays light: ``import dagnet`` imports :mod:`dagnet.errors` only, building a
network the graph's own dependencies (numpy, networkx), and neither they nor ``dagnet --help``
and ``dagnet --version`` import a heavy library: those come in with the first name that needs
them. The lazily re-exported API still resolves in full.

Not timed (``benchmarks/bench_startup.py`` measures the ratio to ``import networkx, numpy``):
these tests check *which* modules a fresh interpreter imports.
"""

from __future__ import annotations

import ast
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import dagnet

ROOT = Path(__file__).resolve().parents[1]
#: Imported only when first needed: equations, plots, diagrams, scientific extras, the schema.
HEAVY = ("sympy", "mpmath", "matplotlib", "PIL", "graphviz", "scipy", "jsonschema",
         "jsonschema_rs", "pandas", "dask", "jax", "torch", "sklearn", "onnx", "IPython", "tqdm")
#: What the ``dagnet`` console script runs (``[project.scripts]`` in pyproject.toml).
SCRIPT = "import sys; from dagnet.cli import main; sys.argv[0] = 'dagnet'; sys.exit(main())"


def _imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """Top-level names of every module a fresh ``python -X importtime ARGS`` imported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", done.stderr, re.M)
    assert names, done.stderr[-2000:]
    return {n.split(".")[0] for n in names}, done


def test_import_dagnet_imports_no_heavy_library_nor_the_graph():
    modules, done = _imported("-c", "import dagnet")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "dagnet" in modules and sorted(modules.intersection([*HEAVY, "numpy", "networkx"])) == []


def test_building_and_validating_a_network_imports_no_heavy_library():
    modules, done = _imported("-c", "import dagnet; net = dagnet.mlp([2, 3, 1], 'tanh', rng=0); "
                              "net.validate(); print(net, dagnet.parse_spec('2-3-1:relu'))")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("Network(inputs=2, outputs=1, layers=2, weights=13)")
    assert {"dagnet", "numpy", "networkx"} <= modules
    assert sorted(modules.intersection(HEAVY)) == []


@pytest.mark.parametrize("entry", [("-c", SCRIPT), ("-m", "dagnet")], ids=["script", "-m"])
@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_dagnet_help_and_version_import_no_heavy_library(entry, flag):
    modules, done = _imported(*entry, flag)
    assert done.returncode == 0, done.stderr[-2000:]
    expected = "usage: dagnet" if flag == "--help" else f"dagnet {dagnet.__version__}\n"
    assert done.stdout.startswith(expected)
    assert "dagnet" in modules and sorted(modules.intersection(HEAVY)) == []


def test_the_importtime_check_sees_a_heavy_import():
    """The check above would notice: a stage that needs sympy shows up in the same parse."""
    modules, done = _imported("-c", "import dagnet; dagnet.AffineForm")
    assert done.returncode == 0 and {"sympy", "mpmath"} <= modules


def test_each_name_imports_its_stage_on_first_use_in_a_fresh_interpreter():
    code = """if True:
        import sys, dagnet
        def loaded(): return {m for m in sys.modules if m.split(".")[0] in ("sympy", "matplotlib")}
        assert not loaded() and "dagnet.learn" not in sys.modules
        fit = dagnet.fit
        assert fit is sys.modules["dagnet.learn"].fit and not loaded(), loaded()
        assert "fit" in vars(dagnet)                        # looked up once, then a plain global
        act, mse = dagnet.get_activation("logistic"), dagnet.core.losses.get_loss("mse")
        assert act.numpy(0.0) == 0.5 and mse([[1.0]], [0.0])[0] == 1.0 and not loaded()
        from dagnet.core.activations import V               # the sympy forms: built on first use
        assert str(act.sympy(V)) == "1/(1 + exp(-v))" and "sympy" in loaded()
        assert dagnet.plot.family.__module__ == "dagnet.plot.curves" and "matplotlib" in loaded()
        assert dagnet.backward_equations is sys.modules["dagnet.symbolic"].backward_equations
        from dagnet import to_onnx, symbolic                # from-imports take the same path
        assert to_onnx is dagnet.io.to_onnx and symbolic is sys.modules["dagnet.symbolic"]
        assert {"fit", "to_dot", "plot", "gallery", "Network"} <= set(dir(dagnet))
        try:
            dagnet.no_such_name
        except AttributeError as exc:
            assert "no_such_name" in str(exc)
        else:
            raise SystemExit("no AttributeError")
        print("ok")
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0 and done.stdout == "ok\n", done.stderr[-2000:]


def _dagnet_modules() -> list[str]:
    names = ["dagnet"]
    for info in pkgutil.walk_packages(dagnet.__path__, "dagnet."):
        if info.name != "dagnet.__main__":
            names.append(info.name)
    return names


def test_every_name_in_every_all_resolves():
    import importlib

    unresolved, seen = [], 0
    for name in _dagnet_modules():
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            seen += 1
            if getattr(module, attr, None) is None:
                unresolved.append(f"{name}.{attr}")
    assert unresolved == [] and seen > 200


def _type_checking_imports(tree: ast.Module) -> dict[str, tuple[str, ...]]:
    """``{stage: names}`` of ``from .stage import ...`` under ``if TYPE_CHECKING:``."""
    found: dict[str, tuple[str, ...]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom) and imp.level == 1:
                    found[imp.module] = tuple(a.name for a in imp.names)
    return found


def test_the_lazy_table_the_type_checking_imports_and_all_agree():
    """One list per stage: ``_LAZY`` drives the imports, ``TYPE_CHECKING`` shows them to type
    checkers, ``__all__`` publishes them; a name missing from one of them is caught here."""
    tree = ast.parse((ROOT / "dagnet" / "__init__.py").read_text(encoding="utf-8"))
    lazy = dagnet._LAZY
    assert {k: sorted(v) for k, v in _type_checking_imports(tree).items()} == \
        {k: sorted(v) for k, v in lazy.items()}
    eager = {n for n in dagnet.__all__ if n in vars(dagnet) and n not in dagnet._HOME}
    assert sorted(eager | set(dagnet._HOME)) == sorted(dagnet.__all__)
    for stage, names in lazy.items():
        values = [getattr(dagnet, n) for n in names]  # imports the stage if not yet imported
        module = sys.modules[f"dagnet.{stage}"]
        assert all(v is getattr(module, n) for v, n in zip(values, names)), stage


def test_builtin_activation_forms_are_unchanged():
    """The table's sympy forms (now importing sympy when called) give the same expressions."""
    import sympy as sp

    from dagnet.core.activations import BUILTIN, V

    assert V == sp.Symbol("v")
    forms = {row.name: row.sympy(V) for row in BUILTIN}
    assert forms == {"identity": V, "logistic": 1 / (1 + sp.exp(-V)), "tanh": sp.tanh(V),
                     "relu": sp.Max(0, V)}
    assert [sp.srepr(f) for f in forms.values()] == [
        "Symbol('v')",
        "Pow(Add(Integer(1), exp(Mul(Integer(-1), Symbol('v')))), Integer(-1))",
        "tanh(Symbol('v'))",
        "Max(Integer(0), Symbol('v'))",
    ]
