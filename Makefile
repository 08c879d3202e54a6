# Named verbs. Each target creates or reuses .venv and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test eval bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the whole pipeline on the embedded sample corpus seeds/articles, then its docs and report
	$(BIN)/newsflow run
	$(BIN)/newsflow docs
	$(BIN)/newsflow report

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

eval: $(STAMP)  ## extraction quality against the gold files in ../shared
	$(BIN)/newsflow eval

bench: $(STAMP)  ## throughput of the full pipeline next to bare nlp.pipe (../shared corpus)
	$(BIN)/newsflow bench

clean:
	rm -rf warehouse .pytest_cache
