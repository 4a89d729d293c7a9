# Two commands do all set-up on a fresh Debian/Ubuntu machine with Python >= 3.10:
#   make gallery   regenerate the article's figures into diagrams/ (installs dagnet only)
#   make test      run the whole test suite (ruff, import contract, pytest with doctests, the
#                  API reference built warning-free; installs dagnet with its [dev] extra)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# What each target installs into .venv: the gallery needs dagnet itself, the tests [dev].
BASE   := $(VENV)/.installed-base
DEV    := $(VENV)/.installed-dev
DOCS   := $(VENV)/.installed-docs
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: gallery test bench docs env venv graphviz chromium clean

# A .venv made by a Python older than 3.10 (or broken) is rebuilt with $(PYTHON).
venv:
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then \
	  echo "$(VENV) was made by $$($(PY) --version 2>&1 || echo a broken Python); rebuilding it with $(PYTHON)"; \
	  rm -rf $(VENV); fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || [ -x $(PY) ] || { \
	  echo "dagnet needs Python >= 3.10; $(PYTHON) is $$($(PYTHON) --version 2>&1): run make PYTHON=python3.12 (or another >= 3.10)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)

$(BASE): pyproject.toml | venv
	$(PIP) -e .
	touch $(BASE)

$(DEV): pyproject.toml | venv
	$(PIP) -e '.[dev]'
	touch $(DEV) $(DOCS) $(BASE)

$(DOCS): pyproject.toml | venv
	$(PIP) -e '.[docs]'
	touch $(DOCS) $(BASE)

env: $(DEV) graphviz chromium

# $(call apt-install,PROGRAM,PACKAGE,WHAT): when PROGRAM is missing, install PACKAGE with
# apt-get (as root, or through sudo). Without apt-get, or without root and sudo, print one
# line naming PROGRAM and how to install it, and stop.
define apt-install
	@command -v $(1) >/dev/null 2>&1 || { \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "$(1) is missing and there is no apt-get here: install $(3) yourself, then run make again"; exit 1; \
	  elif [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "$(1) is missing and installing it needs root: run 'apt-get install $(2)' as root (or install $(3) yourself), then make again"; exit 1; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(2) >/dev/null || { \
	    echo "apt-get could not install $(2): install $(3) yourself, then run make again"; exit 1; }; }
endef

# Graphviz's `dot` renders diagrams.
graphviz:
	$(call apt-install,dot,graphviz,Graphviz (brew install graphviz / conda install graphviz))
	@dot -V

# Headless Chromium opens the gallery page in the tests (driven by Playwright's Python package;
# Playwright never downloads a browser here).
chromium:
	$(call apt-install,chromium,chromium,Chromium and set DAGNET_CHROMIUM=/path/to/chromium)
	@chromium --version 2>/dev/null || true

test: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest
	$(SPHINX)

gallery: $(BASE) graphviz
	$(VENV)/bin/dagnet gallery --out diagrams

bench: env
	$(PIP) -e '.[dev,bench]'
	$(PY) benchmarks/run.py --readme README.md
	$(PY) benchmarks/peers.py --out benchmarks/RESULTS.md
	$(PY) benchmarks/scaling.py --out benchmarks/RESULTS.md --readme README.md
	$(PY) benchmarks/bench_startup.py --out benchmarks/RESULTS.md --readme README.md
	$(PY) benchmarks/bench_io.py
	$(PY) benchmarks/bench_diagram.py
	$(PY) benchmarks/bench_gallery.py

# The API reference (Sphinx + numpydoc) into docs/_build/html; warnings are errors, so a
# public name without its numpydoc sections (docs/conf.py's checks) fails the build. make test
# builds it too (tests/test_docs.py runs the same checks in a second).
SPHINX = rm -rf docs/_generated && $(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html
docs: $(DOCS)
	$(SPHINX)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info docs/_build docs/_generated
