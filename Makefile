# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export UV_PYTHON_DOWNLOADS := never
export DJANGO_ALLOW_ASYNC_UNSAFE := true

PYTHON ?= python3
UV := $(PYTHON) -m uv
PY := .venv/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_UPDATED := /tmp/.factcheck-apt-updated

.PHONY: run test test-sqlite test-postgres lint bench deps system-deps

## Install the locked dependencies into .venv (bootstrapping uv if needed).
deps:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --user --quiet uv
	@$(UV) sync --locked --quiet
	@# The Nu HTML checker (vnu-jar) for the standards tests; its install script (a Java
	@# downloader) is not needed: system-deps installs Debian's Java.
	@[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm ci --ignore-scripts --no-audit --no-fund --silent

## PostgreSQL, Chromium, Java (for the Nu HTML checker) and the DejaVu fonts (share images)
## from Debian's packages, when missing.
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null \
	    || ! command -v java >/dev/null || [ ! -f $(FONT) ]; then \
	  [ -f $(APT_UPDATED) ] || { $(SUDO) apt-get update -q && touch $(APT_UPDATED); }; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || $(SUDO) apt-get install -y -q postgresql; \
	  command -v chromium >/dev/null || $(SUDO) apt-get install -y -q chromium; \
	  command -v java >/dev/null || $(SUDO) apt-get install -y -q default-jre-headless; \
	  [ -f $(FONT) ] || $(SUDO) apt-get install -y -q fonts-dejavu-core; \
	fi

## Migrate the embedded SQLite database, load the seeds and demo accounts, serve.
run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole suite: on SQLite, then on a throwaway PostgreSQL server; browser tests included.
test: deps system-deps test-sqlite test-postgres

test-sqlite: deps
	@echo "== test suite on SQLite"
	env -u DATABASE_URL $(PY) -m pytest -p no:cacheprovider

test-postgres: deps
	@echo "== test suite on PostgreSQL"
	tests/with_postgres.sh $(PY) -m pytest -p no:cacheprovider

lint: deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

## Benchmarks print numbers; see README.
bench: deps
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script; done
