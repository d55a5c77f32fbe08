# settlesync: two commands on a fresh machine.
#   make demo   set up .venv and run the main job on the built-in sample data
#   make test   set up .venv and run the whole suite (lint, types, tests, notebooks)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/settlesync demo --out $(DEMO_OUT)
	$(BIN)/settlesync inspect $(DEMO_OUT)/amazon/*

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy settlesync_nb

test: lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/load_bench.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache
