"""Sphinx configuration of dagnet's API reference (``make docs``)."""

import dagnet

project = "dagnet"
author = "the dagnet authors"
copyright = "2026, the dagnet authors"
release = version = dagnet.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "numpydoc", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
templates_path = ["_templates"]  # class pages document their methods and properties in full
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
html_theme = "pydata_sphinx_theme"
html_title = f"dagnet {release}"
html_theme_options = {"navigation_with_keys": False}
# Every public function and class documents each of its parameters (in order, each with a
# description), what it returns and an example (numpydoc's validation; with -W a missing
# section fails `make docs`; tests/test_docs.py reads these two settings and runs the same
# checks in `make test`).
numpydoc_validation_checks = {"GL08", "PR01", "PR02", "PR03", "PR07", "RT01", "EX01"}
numpydoc_validation_exclude = {
    r"\.__init__$", r"\.__repr__$",
    r"Error$", r"Warning$",  # exception classes: docs/errors.md gives cause and fix
    r"\.(KINDS|THEMES|STYLES|ANIMATION_KINDS)$",  # data tables, not callables
    r"\.LossGradient\.(count|index|loss|gradient)$",  # tuple fields and tuple methods
}
