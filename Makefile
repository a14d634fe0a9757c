# Afterglow: `make run` to try it, `make test` to check it. Both set up what they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

# The local services the test suite talks to (CI starts them in .ci/run).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install migrate run start test lint unit bench services-check clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/flask db upgrade

run: migrate  ## web on $PORT (default 5000) with the embedded defaults, demo stores seeded
	$(BIN)/flask serve

start: migrate  ## the Procfile's web + worker + clock with honcho (needs REDIS_URL; DATABASE_URL for PostgreSQL)
	@test -n "$$REDIS_URL" || { echo "make start runs RQ workers: set REDIS_URL (or use make run)"; exit 1; }
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start web worker clock

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

services-check: install
	@$(BIN)/python bin/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

test: lint services-check  ## the whole suite, on SQLite and on the local PostgreSQL and Redis
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" TEST_REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest

unit: install  ## without PostgreSQL and Redis: those tests skip, saying why
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(BIN)/pytest

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/detection.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
