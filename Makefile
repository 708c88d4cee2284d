# The README's commands. `make run` sets up and serves on the embedded store; `make test` sets up and tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
# the shared corpus and development sets beside the repo (used by `make eval`)
SHARED ?= ../shared
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup setup-dev run test lint typecheck bench eval clean

# the product alone (with the PostgreSQL client for a shared registry): what `make run` needs
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# CPU build of torch first, pinned: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[server]'
	touch $@

# plus the test, lint and type-check tools
$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,server]'
	touch $@

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

# index corpus/ on first run (when the index is empty), then serve the chat on http://$(HOST):$(PORT)
run: setup
	$(BIN)/assistant serve --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

test: lint typecheck
	$(BIN)/pytest -q

lint: setup-dev
	$(BIN)/ruff check assistant tools tests bench

typecheck: setup-dev
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/bench.py

# index corpus/ and the shared corpus into $(DATA_DIR), then score the development sets against it
eval: setup
	$(BIN)/assistant ingest corpus $(SHARED)/corpus --data-dir $(DATA_DIR) --quiet
	for set in $(SHARED)/eval/dev_qa.jsonl $(SHARED)/eval/dev_claims.jsonl $(SHARED)/eval/dev_arith.jsonl; do \
		$(BIN)/assistant eval $$set --data-dir $(DATA_DIR) || exit 1; \
	done

clean:
	rm -rf $(VENV) $(DATA_DIR) .pytest_cache .ruff_cache .mypy_cache
