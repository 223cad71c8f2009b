# Every target creates .venv on first use, so a fresh machine with only Python 3.11 needs
# nothing but `make demo` or `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck check regenerate regenerate-check bench cassettes clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## demo: export every approved expense from the sandbox of all five vendors, once each
demo: $(STAMP)
	$(BIN)/expense-facade export --sandbox --vendor all --out exports/ --ledger exports/ledger.sqlite3

## test: the full test suite (the command CI runs)
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check facade scripts tests examples
	$(BIN)/ruff format --check facade scripts tests examples

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

regenerate: $(STAMP)
	$(BIN)/python scripts/regenerate.py

regenerate-check: $(STAMP)
	$(BIN)/python scripts/regenerate.py --check

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

cassettes: $(STAMP)
	$(BIN)/python scripts/record_cassettes.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
