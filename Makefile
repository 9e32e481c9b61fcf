# Clinic Portal: `make run` and `make test` are all a fresh clone needs (Python 3.12 and npm).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export PATH := $(CURDIR)/$(BIN):$(PATH)

# Local development defaults; every one can be overridden from the environment. SITE_URL follows
# PORT so that links in the printed emails open this server.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

# Production-like values for `check --deploy`; nothing here is a real secret.
DEPLOY_ENV := DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=portal.clinic.example \
	SITE_URL=https://portal.clinic.example \
	EMAIL_URL=smtp://mailer:secret@smtp.clinic.example:587 \
	DJANGO_SECURE_HTTPS=1

.PHONY: help install run serve test lint format check lock clean screenshots bench bench-quick bench-cluster messages

# One extraction for `make messages` and the CI check (scripts/check_translations.sh reads it).
MAKEMESSAGES_ARGS := -l fr -l es --no-obsolete --add-location=file --ignore=tests/* --ignore=bench/* --ignore=scripts/* --ignore=docs/* --ignore=var/* --ignore=node_modules/* --ignore=.venv/*

help:
	@echo "make run    - set up everything, then serve http://127.0.0.1:$(PORT) with a Celery worker and beat"
	@echo "make test   - set up everything, then run the whole test suite"
	@echo "make lint   - ruff check and format check, import contracts (import-linter), types (mypy)"
	@echo "make check  - pending migrations, pip check, and check --deploy with production settings"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml"
	@echo "make messages - extract new strings into locale/*/django.po and compile the .mo files"
	@echo "make screenshots - PNGs of the main pages of each role into docs/screenshots/"

$(PY):
	@command -v $(PYTHON_BOOTSTRAP) >/dev/null || { echo "Python 3.12 is needed ($(PYTHON_BOOTSTRAP) not found)."; exit 1; }
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --requirement requirements.lock
	touch $@

node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install Bootstrap and axe-core from the registry."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.package-lock.json

run: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(MAKE) --no-print-directory serve

# scripts/serve.py runs honcho so that Ctrl-C stops all four cleanly (make exits 0) and prints
# the demo logins again once the site answers.
serve:
	$(DEV_ENV) $(PY) scripts/serve.py --port $(PORT)

test: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pip check
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	@# Warns (does not fail) when the role the portal runs as owns the audit table.
	$(DEV_ENV) $(PY) manage.py check --database default --tag database
	@# Every wrapped string extracted, translated into French and Spanish, and compiled.
	PY=$(CURDIR)/$(PY) scripts/check_translations.sh

# After adding or changing a wrapped string: extract, translate the new entries, run again.
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages $(MAKEMESSAGES_ARGS)
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

screenshots: install
	@command -v chromium >/dev/null || { echo "screenshots need Debian's chromium (apt-get install chromium)"; exit 1; }
	$(PY) scripts/screenshots.py

# Every target of issue 21 in one run (about 40 minutes on the 2-core bench machine: 200,000
# patients and a 50-million-row audit log are seeded), each script writing its section of
# docs/performance.md and its rows of the targets table at its top.
bench: install
	@command -v wrk >/dev/null || { echo "bench needs Debian's wrk (apt-get install wrk)"; exit 1; }
	$(PY) bench/run.py
	$(PY) bench/run.py --scale
	$(PY) bench/audit_scale.py --rows 50000000
	$(PY) bench/outbox_rate.py
	$(PY) bench/cluster.py
	$(PY) bench/hl7_rate.py

# The quick run while working: pages at 200 and 20,000 patients, a 1-million-row audit log, the
# outbox and the lab feed (about 15 minutes).
bench-quick: install
	@command -v wrk >/dev/null || { echo "bench needs Debian's wrk (apt-get install wrk)"; exit 1; }
	$(PY) bench/run.py
	$(PY) bench/audit_scale.py
	$(PY) bench/outbox_rate.py
	$(PY) bench/hl7_rate.py

# Two gunicorn processes behind haproxy (installed with apt-get when missing).
bench-cluster: install
	@command -v wrk >/dev/null || { echo "bench needs Debian's wrk (apt-get install wrk)"; exit 1; }
	$(PY) bench/cluster.py

lock: | $(PY)
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 --output-file requirements.lock

clean:
	rm -rf $(VENV) node_modules var test-results .pytest_cache
