# Two entry points on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGOS := argostranslate==1.11.0
PORT ?= 5000

.PHONY: demo test setup setup-test lint mutation

# The product: our package plus argostranslate without its declared
# dependencies (stanza, spaCy and with them torch, ~6 GB): we use only its
# package format, and translate with CTranslate2 directly.
$(BIN)/workbench: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	$(BIN)/pip install -q --disable-pip-version-check --no-deps $(ARGOS)
	touch $@

setup: $(BIN)/workbench

# The tiny test models, where no real one is installed, go to demo-models/ (this demo's own).
demo: setup
	$(BIN)/workbench demo --db workbench.db --port $(PORT)

# Test tools, and Debian's Chromium and CJK fonts for the browser tests (never a downloaded
# browser); the screenshots the browser tests save (tests/output/) need the fonts.
$(VENV)/.test-deps: $(BIN)/workbench
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test,cluster]'
	@missing=""; command -v chromium >/dev/null || missing="chromium"; \
	  fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing >/dev/null; fi; fi
	touch $@

setup-test: $(VENV)/.test-deps

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Mutation testing of the auth, API, storage-write and export modules (docs/mutation.md):
# not part of `make test`; tens of minutes of CPU. GROUPS="auth api" for some of them.
mutation: setup-test
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python bench/mutation.py $(GROUPS)
