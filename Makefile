# The README's commands. `make run` sets up and serves on the embedded store; `make test` sets up and tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# CPU build of torch first, pinned: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev,server]'
	touch $@

setup: $(STAMP)

# index corpus/ on first run (when the index is empty), then serve the chat on http://$(HOST):$(PORT)
run: setup
	$(BIN)/assistant serve --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/ruff check assistant tools tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check assistant tools tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .ruff_cache .mypy_cache
