"""The API reference: every public object has a complete numpydoc docstring.

The public objects are the names in ``__all__`` of ``dagnet`` and of each stage package
(``dagnet.core``, ``dagnet.plot``, ...), and the public methods and properties their classes
define. Each is checked with numpydoc's own validator, with the checks and the exclusions of
``docs/conf.py`` (read from there: one home), so this test fails exactly where ``make docs``
(Sphinx with ``-W``) would, but in a second instead of a whole site build. The examples
themselves run as doctests (``--doctest-modules``).
"""

import ast
import importlib
import inspect
import re
from pathlib import Path

import numpydoc.validate as numpydoc_validate  # the [docs] extra, part of [dev]

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("core", "symbolic", "compiled", "draw", "plot", "learn", "io", "gallery", "cli")


def conf_settings() -> tuple[set[str], re.Pattern]:
    """The validation checks and the exclusion pattern of docs/conf.py, read without Sphinx."""
    tree = ast.parse((ROOT / "docs" / "conf.py").read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("numpydoc_validation_checks", "numpydoc_validation_exclude"):
                found[name] = ast.literal_eval(node.value)
    checks = set(found["numpydoc_validation_checks"])
    # numpydoc itself joins the patterns with "|" and searches the object's name.
    exclude = re.compile("|".join(found.get("numpydoc_validation_exclude", ())) or "(?!)")
    return checks, exclude


def _is_dagnet(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith("dagnet")


def _members(cls: type, qualname: str):
    """Public methods and properties a dagnet class defines (not those it inherits from
    networkx, tuple or object)."""
    seen = set()
    for klass in cls.__mro__:
        if not _is_dagnet(klass):
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            func = attr.__func__ if isinstance(attr, (classmethod, staticmethod)) else attr
            if isinstance(attr, property) or inspect.isfunction(func):
                yield f"{qualname}.{name}"


def public_names() -> list[str]:
    """The dotted name of every public function and class, each object once under its
    shortest public name (``dagnet.Network``, not ``dagnet.core.Network``)."""
    names: dict[int, str] = {}
    for package in ("dagnet", *(f"dagnet.{s}" for s in STAGES)):
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # data (KINDS, FORMAT, ...): documented in the module's docstring
            qualname = f"{package}.{name}"
            if len(names.get(id(obj), qualname)) >= len(qualname):
                names[id(obj)] = qualname
    return sorted(names.values())


def public_objects() -> list[str]:
    """The public functions and classes, and the public methods and properties of the
    classes."""
    found = []
    for qualname in public_names():
        found.append(qualname)
        obj = _resolve(qualname)
        if inspect.isclass(obj):
            found.extend(_members(obj, qualname))
    return sorted(found)


def _resolve(qualname: str):
    module, _, name = qualname.rpartition(".")
    return getattr(importlib.import_module(module), name)


def missing_sections() -> dict[str, list[str]]:
    """{object: ["PR01: Parameters {'x'} not documented", ...]} for every object whose
    docstring fails one of conf.py's checks."""
    checks, exclude = conf_settings()
    report = {}
    for name in public_objects():
        if exclude.search(name):
            continue
        errors = [f"{code}: {msg}" for code, msg in numpydoc_validate.validate(name)["errors"]
                  if code in checks]
        if errors:
            report[name] = errors
    return report


def test_conf_settings_are_read():
    checks, exclude = conf_settings()
    assert {"GL08", "PR01", "RT01", "EX01"} <= checks
    assert exclude.search("dagnet.Network.__init__") and exclude.search("dagnet.SpecError")
    assert not exclude.search("dagnet.Network.compile")


def test_public_objects_cover_the_api():
    names = public_objects()
    assert {"dagnet.Network", "dagnet.Network.compile", "dagnet.Network.n_inputs",
            "dagnet.plot.family", "dagnet.symbolic.equations", "dagnet.cli.main"} <= set(names)
    # each object once, under its shortest name; networkx's and tuple's members are not ours
    assert "dagnet.core.Network" not in names and "dagnet.LossGradient.count" not in names


def test_every_public_object_has_a_complete_docstring():
    report = missing_sections()
    lines = [f"{name}: {err}" for name, errs in sorted(report.items()) for err in errs]
    assert not report, (f"{len(report)} public objects lack numpydoc sections "
                        "(checks and exclusions from docs/conf.py):\n" + "\n".join(lines))


def test_the_reference_lists_every_public_function_and_class():
    """docs/api.rst names every public function and class (under its shortest name), so the
    site shows each object this test validates."""
    listed, module = set(), "dagnet"
    for line in (ROOT / "docs" / "api.rst").read_text().splitlines():
        if line.startswith(".. currentmodule::"):
            module = line.split("::")[1].strip()
        elif line.startswith("   ") and line.strip() and not line.strip().startswith(":"):
            listed.add(f"{module}.{line.strip()}")
    missing = sorted(set(public_names()) - listed)
    assert not missing, f"not in docs/api.rst: {missing}"


def test_the_site_examples_run():
    """The examples on the site's own pages (docs/*.md) run as written, as the README's do."""
    import doctest

    attempted = {}
    for page in sorted((ROOT / "docs").glob("*.md")):
        result = doctest.testfile(str(page), module_relative=False,
                                  optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
        assert result.failed == 0, page.name
        attempted[page.name] = result.attempted
    assert attempted["index.md"] >= 4
