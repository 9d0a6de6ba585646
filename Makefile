PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# setuptools explains editable installs at length on every install; a newcomer reads the
# wall of text as failure. Errors still show (pip fails loudly whatever the filter).
PIP := PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-slow bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[test,bench]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/kam

test: $(TEST_STAMP)
	$(BIN)/ruff check kamtui tests bench
	$(BIN)/ruff format --check kamtui tests bench
	$(BIN)/mypy
	$(BIN)/pytest

test-slow: $(TEST_STAMP)
	$(BIN)/pytest -m slow

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info
