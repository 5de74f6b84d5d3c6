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
# Where `make run` serves (make run PORT=8001): the printed links and mail links follow it.
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint bench bench-site deps system-deps backup restore messages

## Install the locked dependencies into .venv (bootstrapping uv if needed).
deps:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --user --quiet uv
	@$(UV) sync --locked --quiet
	@# The Nu HTML checker (vnu-jar) for the standards tests; its install script (a Java
	@# downloader) is not needed: system-deps installs Debian's Java.
	@[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm ci --ignore-scripts --no-audit --no-fund --silent

## PostgreSQL, Redis (the shared-cache tests), Chromium, Java (for the Nu HTML checker) and
## the DejaVu fonts (share images) from Debian's packages, when missing.
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v chromium >/dev/null \
	    || ! command -v redis-server >/dev/null \
	    || ! command -v java >/dev/null || [ ! -f $(FONT) ]; then \
	  [ -f $(APT_UPDATED) ] || { $(SUDO) apt-get update -q && touch $(APT_UPDATED); }; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || $(SUDO) apt-get install -y -q postgresql; \
	  command -v redis-server >/dev/null || $(SUDO) apt-get install -y -q redis-server; \
	  command -v chromium >/dev/null || $(SUDO) apt-get install -y -q chromium; \
	  command -v java >/dev/null || $(SUDO) apt-get install -y -q default-jre-headless; \
	  [ -f $(FONT) ] || $(SUDO) apt-get install -y -q fonts-dejavu-core; \
	fi

## Migrate the embedded SQLite database, load the seeds and demo accounts, serve; the
## background worker (admin imports) runs beside the server and stops with it.
run: export DEBUG := 1
run: export SITE_URL := http://127.0.0.1:$(PORT)
run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

## A backup of the database into backups/ (README, "Backups"); restore with FILE=...
backup: deps
	$(PY) manage.py backup

restore: deps
	@[ -n "$${FILE:-}" ] || { echo "usage: make restore FILE=backups/<file>" >&2; exit 2; }
	$(PY) manage.py restore "$$FILE"

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

## Update every language's catalogues from the code (templates, Python, static/js) and
## compile them; the .mo files are committed, so serving needs no gettext tools.
MAKEMESSAGES := makemessages --all --no-location --no-obsolete \
  --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=staticfiles
messages: export DEBUG := 1
messages: deps
	$(PY) manage.py $(MAKEMESSAGES) --domain django
	$(PY) manage.py $(MAKEMESSAGES) --domain djangojs
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

## Benchmarks print numbers; see README. `make bench` runs the quick in-process scripts;
## `make bench-site` serves a generated archive with gunicorn + PostgreSQL (BENCH_ARGS, e.g.
## BENCH_ARGS="--articles 4000", makes it smaller and faster).
bench: export DEBUG := 1
bench: deps
	@for script in bench/*.py; do [ "$$script" = bench/site.py ] && continue; \
	  echo "== $$script"; $(PY) $$script; done

bench-site: deps system-deps
	$(PY) bench/site.py $(BENCH_ARGS)
