# The two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev browser html-checker run test test-fast lint format check demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

# Browser journeys drive Debian's chromium; never a browser download.
browser:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium

# The W3C Nu HTML checker for tests/system/test_html_valid.py (runs on Java:
# Debian's default-jre-headless); the package's Java download is skipped.
html-checker:
	npm ci --ignore-scripts --no-audit --no-fund

# Install, migrate, load the demo and serve it on http://$(HOST):$(PORT)/
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

# The whole suite, browser journeys included.
test: install-dev browser
	$(BIN)/pytest $(PYTEST_ARGS)

# Everything but the browser journeys.
test-fast: install-dev
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-dev
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(BIN)/python manage.py check

# The benchmark: a large dataset in PostgreSQL, then wrk against gunicorn.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/newsroom_bench
bench: install-dev
	scripts/bench-prepare
	DATABASE_URL=$(BENCH_DB) NEWSROOM_VAR_DIR=var/bench $(BIN)/python bench/generate.py
	DATABASE_URL=$(BENCH_DB) NEWSROOM_VAR_DIR=var/bench $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
