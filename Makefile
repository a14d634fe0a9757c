# Afterglow: `make run` to try it, `make test` to check it. Both set up what they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

# The local services the test suite talks to (CI starts them in .ci/run).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: install migrate run start test lint unit bench services-check widgets admin clean

WIDGETS := frontend/widgets
WIDGET_JS := app/static/widgets/afterglow-tracking.js

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The storefront widgets: TypeScript, type-checked and bundled with esbuild (npm packages pinned in package-lock.json).
$(WIDGETS)/node_modules/.installed: $(WIDGETS)/package.json $(WIDGETS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed to build the storefront widgets"; exit 1; }
	cd $(WIDGETS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WIDGET_JS): $(BIN)/.installed $(WIDGETS)/node_modules/.installed $(wildcard $(WIDGETS)/src/*.ts) $(WIDGETS)/tsconfig.json
	cd $(WIDGETS) && npx tsc --noEmit -p . && npm run --silent build
	cp $@ frontend/shopify-extension/assets/afterglow-tracking.js  # the theme app extension ships its own copy
	$(BIN)/python -m whitenoise.compress -q --no-brotli app/static/widgets

widgets: $(WIDGET_JS)

# The embedded admin: React + Polaris + App Bridge, type-checked, then bundled by Vite into app/static/admin/.
ADMIN := frontend/admin
ADMIN_BUILT := app/static/admin/.vite/manifest.json

$(ADMIN)/node_modules/.installed: $(ADMIN)/package.json $(ADMIN)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20.19+) is needed to build the admin"; exit 1; }
	cd $(ADMIN) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ADMIN_BUILT): $(BIN)/.installed $(ADMIN)/node_modules/.installed $(shell find $(ADMIN)/src -type f 2>/dev/null) $(ADMIN)/tsconfig.json $(ADMIN)/vite.config.ts
	cd $(ADMIN) && npx tsc --noEmit -p . && npx vite build --logLevel warn
	$(BIN)/python -m whitenoise.compress -q --no-brotli app/static/admin  # gzip copies WhiteNoise sends

admin: $(ADMIN_BUILT)

migrate: install
	$(BIN)/flask db upgrade

run: migrate widgets admin  ## web on $PORT (default 5000) with the embedded defaults, demo stores seeded
	$(BIN)/flask serve

start: migrate widgets admin  ## the Procfile's web + worker + clock with honcho (needs REDIS_URL; DATABASE_URL for PostgreSQL)
	@test -n "$$REDIS_URL" || { echo "make start runs RQ workers: set REDIS_URL (or use make run)"; exit 1; }
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start web worker clock

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

services-check: install
	@$(BIN)/python bin/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"

test: lint widgets admin services-check  ## the whole suite, on SQLite and on the local PostgreSQL and Redis
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" TEST_REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest

unit: install widgets admin  ## without PostgreSQL and Redis: those tests skip, saying why
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(BIN)/pytest

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/detection.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache $(WIDGETS)/node_modules app/static/widgets $(ADMIN)/node_modules app/static/admin frontend/shopify-extension/assets/afterglow-tracking.js
