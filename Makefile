# gaoqi — make demo sets everything up and runs the main job; make test sets everything up and passes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
ASSETS := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup demo test lint typecheck unit unit-sqlite unit-postgres e2e bench clean

setup: $(STAMP) $(ASSETS)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# htmx, ECharts and Pico come from the npm registry, exactly as package-lock.json pins them
$(ASSETS): package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -q && apt-get install -y -q nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	$(BIN)/gaoqi demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# the whole suite, browser journeys in tests/e2e included (Debian's chromium, see .ci/run), runs on the embedded
# SQLite database and again on PostgreSQL
unit: unit-sqlite unit-postgres

unit-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

unit-postgres: setup
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -p no:cacheprovider

# only the browser journeys; screenshots land in out/screenshots
e2e: setup
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -m e2e tests/e2e

test: lint typecheck unit

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules out .pytest_cache .mypy_cache .ruff_cache .hypothesis
