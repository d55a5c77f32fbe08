# settlesync: two commands on a fresh machine.
#   make demo     set up .venv and run the report on the built-in demo data (prints where the HTML is)
#   make test     set up .venv and run the whole suite: lint, types, tests, notebooks (nbval)
# and, for people:
#   make lab      JupyterLab on notebooks/ with the project's Python (127.0.0.1)
#   make signoff  the sign-off app (Voila) on http://127.0.0.1:8866 for RUN (default: the demo report)
#   make bench    the benchmarks (bench/*.py); figures recorded in README.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out
RUN ?= $(DEMO_OUT)/report
PORT ?= 8866
# JupyterLab refuses to run as root without this flag (CI machines and containers run as root).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup demo test lint lab signoff bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/settlesync demo --out $(DEMO_OUT)/data
	$(BIN)/settlesync inspect $(DEMO_OUT)/data/amazon/*
	@# The demo plants discrepancies, so the report ends with errors (exit 1): that is expected.
	$(BIN)/settlesync report --amazon $(DEMO_OUT)/data/amazon/* --netsuite $(DEMO_OUT)/data/netsuite/*.csv \
		--out $(DEMO_OUT)/report; status=$$?; [ $$status -le 1 ] || exit $$status
	@echo "HTML report: $(abspath $(DEMO_OUT))/report/report.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy settlesync_nb

test: lint
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider notebooks/

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(ROOT_FLAG)

signoff: $(STAMP)
	@[ -f $(RUN)/test_report.json ] || $(MAKE) demo
	SETTLESYNC_RUN=$(abspath $(RUN)) $(BIN)/voila notebooks/03_signoff.ipynb --no-browser \
		--Voila.ip=127.0.0.1 --port=$(PORT)

bench: $(STAMP)
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/reconcile_bench.py
	$(BIN)/python bench/report_bench.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache test-artifacts
