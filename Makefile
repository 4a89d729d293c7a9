# Two commands do all set-up on a fresh Debian/Ubuntu machine with Python 3:
#   make gallery   regenerate the article's figures into diagrams/
#   make test      run the whole test suite (ruff + pytest, doctests included)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: gallery test bench lint env graphviz chromium clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

env: $(STAMP) graphviz chromium

# $(call apt-install,PROGRAM,PACKAGE,HINT): when PROGRAM is missing, install PACKAGE with
# apt-get (as root, or through sudo); without apt-get, print HINT.
define apt-install
	@command -v $(1) >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(3)"; \
	  fi; }
endef

# Graphviz's `dot` renders diagrams.
graphviz:
	$(call apt-install,dot,graphviz,Graphviz's dot is missing: install it (brew install graphviz / conda install graphviz))
	@command -v dot >/dev/null 2>&1 && dot -V

# Headless Chromium opens the gallery page in the tests (driven by Playwright's Python package;
# Playwright never downloads a browser here).
chromium:
	$(call apt-install,chromium,chromium,chromium is missing: install Chromium and set DAGNET_CHROMIUM=/path/to/chromium)
	@command -v chromium >/dev/null 2>&1 && chromium --version 2>/dev/null || true

test: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

gallery: $(STAMP) graphviz
	$(VENV)/bin/dagnet gallery --out diagrams

bench: env
	$(PY) benchmarks/run.py --readme README.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
