# Two commands do all set-up on a machine with only python3 (3.11+) and make:
#   make run    create .venv if missing, install the app, open it on the demo database
#   make test   create .venv if missing, install the app with its dev extra, run every test
#   make lint   ruff, mypy and the import contracts (CI runs it before the tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install when the project's metadata changes (stamps live inside .venv).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/resilience --demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 2 -q

# The house rules: style (ruff), types (mypy, configured in pyproject.toml) and the
# layers (lint-imports, contracts in pyproject.toml; see docs/architecture.md).
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/generate.py
	$(BIN)/python benchmarks/score_throughput.py
	$(BIN)/python benchmarks/run.py --markdown benchmarks/.data/last-run.md

demo: $(RUN_STAMP)
	$(BIN)/resilience demo

clean:
	rm -rf $(VENV) build *.egg-info
