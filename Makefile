# Two entry points for a fresh machine (see README "Quick start"):
#   make retrain   install, then run one full weekly retrain on the embedded stack
#   make test      install, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install retrain test test-unit test-fast lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# -c replaces the machine's pip constraint file; torch is pinned to the local CPU build.
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

retrain: $(STAMP)
	$(BIN)/flowgen retrain

test: $(STAMP)
	$(BIN)/python -m pytest

# The unit suite: no server, no subprocess, no training run (seconds, not minutes).
test-unit: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not integration"

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) .flowgen
