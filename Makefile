# Quick start: `make run` serves the product with demo data; `make test` runs the suite.
# Both install what they need (uv, then the locked dependencies) on a machine with only Python 3.11+.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
MANAGE := .venv/bin/python manage.py
PORT ?= 8000

.PHONY: run test smoke install install-dev test-packages lint migrate bench-provision clean

$(UV):
	$(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --inexact

install-dev: $(UV)
	$(UV) sync --frozen --extra dev

migrate: install
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate_schemas --verbosity 0

run: migrate
	DEBUG=$${DEBUG:-1} $(MANAGE) seed_demo
	DEBUG=$${DEBUG:-1} PYTHONPATH=.:src .venv/bin/daphne -b 127.0.0.1 -p $(PORT) jobpilot.asgi:application

# Debian packages the tests drive, installed with apt when root and missing, in one apt run (this is the one place;
# .ci/run goes through `make test` too; otherwise the tests say how): Chromium for the browser tests (never a
# Playwright-downloaded browser); xmlsec1, with which the SAML tests' identity provider (pysaml2) signs (the product's
# python3-saml has libxmlsec1 inside its wheel); the CV builder's fonts (ADR 0026: DejaVu, and Droid Sans Fallback
# for CJK names; without them a PDF CV is a 503 and the Word one still works).
TEST_PACKAGES := chromium:/usr/bin/chromium xmlsec1:/usr/bin/xmlsec1 \
	fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
	fonts-droid-fallback:/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
test-packages:
	@missing="$$(for pair in $(TEST_PACKAGES); do [ -e "$${pair#*:}" ] || echo "$${pair%%:*}"; done)"; \
		[ -z "$$missing" ] || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; }

test: install-dev test-packages
	.venv/bin/pytest $(PYTEST_ARGS)

# The quick-start default (embedded PostgreSQL, no Redis) starts and reports ready.
smoke: install
	deploy/smoke_embedded.sh

lint: install-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench-provision: install-dev
	.venv/bin/python bench/provision.py

clean:
	rm -rf .venv .jobpilot staticfiles
