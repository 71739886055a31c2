# gaoqi — make demo sets everything up and runs the main job; make test sets everything up and passes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
ASSETS := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup demo test lint typecheck unit unit-sqlite unit-postgres e2e bench clean browser

setup: $(STAMP) $(ASSETS)

# the browser journeys drive Debian's chromium, and the Chinese pages need a CJK font to render (a test tool's own
# browser download does not work here); installed from Debian's packages when missing, as npm is below
browser:
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei; fi

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

# the web platform on a generated city: SQLite file db.sqlite3 unless DEMO_DATABASE_URL says otherwise; the demo
# users and their password are printed before the server starts (re-running keeps the data; DEMO_ARGS=--reset rebuilds)
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
DEMO_SIZE ?= 3000
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_ENV := DATABASE_URL=$(DEMO_DATABASE_URL) DJANGO_SETTINGS_MODULE=config.settings.local
# the web server and, beside it, the task worker that runs what the pages enqueue (large imports, the nightly jobs);
# both stop together: Ctrl-C reaches both, and whichever way the web server ends, the trap stops the worker
SERVE := $(DEMO_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(DEMO_ADDRESS)
.PHONY: demo-cli serve

demo: setup
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(BIN)/python manage.py demo_city --size $(DEMO_SIZE) --address $(DEMO_ADDRESS) $(DEMO_ARGS)
	$(SERVE)

serve: setup
	$(SERVE)

# the command-line demo: a self-assessment of the example, then a screening of a generated city (no database)
demo-cli: setup
	$(BIN)/gaoqi demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# the whole suite, browser journeys in tests/e2e included (Debian's chromium, installed by `browser`), runs on the
# embedded SQLite database and again on PostgreSQL
unit: unit-sqlite unit-postgres

unit-sqlite: setup browser
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

unit-postgres: setup browser
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -p no:cacheprovider

# only the browser journeys; screenshots land in out/screenshots
e2e: setup browser
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -m e2e tests/e2e

test: lint typecheck unit

# the rules (bench/run.py), then the web platform on 50,000 enterprises in PostgreSQL (bench/platform_bench.py, its own
# database BENCH_DATABASE_URL, generated once and reused); both always run, and a missed target in either fails
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gaoqi_bench
bench: setup
	$(BIN)/python bench/run.py; rules=$$?; \
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/platform_bench.py; platform=$$?; \
	exit $$(( rules || platform ))

clean:
	rm -rf $(VENV) node_modules out .pytest_cache .mypy_cache .ruff_cache .hypothesis
