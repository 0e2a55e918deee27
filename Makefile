# aftersales — `make run` starts the system with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast backup restore lint format typecheck migrate superuser demo messages check-deploy vendor clean bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

## Set up, migrate, load the demo data into a new database, and serve at http://127.0.0.1:8000
run: migrate
	DEMO=1 $(PY) manage.py load_demo --if-empty
	DEMO=1 ./scripts/serve.sh

## The whole suite, in parallel (one worker per core). Browser tests need /usr/bin/chromium,
## PostgreSQL-only tests need DATABASE_URL=postgres://...; without them those tests are
## skipped and the summary says why.
test: $(STAMP)
	@./scripts/test-env.sh
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

## The everyday suite: everything but the browser and the API fuzz test, in parallel.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not fuzz" -n auto -x $(PYTEST_ARGS)

## Back up the database and the uploads into var/backups/aftersales-<time>.tar.gz
## (SQLite online backup, or pg_dump with DATABASE_URL=postgres://...).
backup: migrate
	$(PY) manage.py backup

## Put a backup back: make restore BACKUP=var/backups/aftersales-<time>.tar.gz
## (stop the server and the worker first; the database and the uploads are replaced).
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=path/to/backup.tar.gz"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)"
	$(PY) manage.py migrate --noinput

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench conftest.py
	$(VENV)/bin/ruff format --check src tests bench conftest.py
	DATA_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format src tests bench conftest.py
	$(VENV)/bin/ruff check --fix src tests bench conftest.py

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

superuser: migrate
	$(PY) manage.py createsuperuser

demo: migrate
	DEMO=1 $(PY) manage.py load_demo

## Regenerate and compile the translations (needs GNU gettext).
messages: $(STAMP)
	cd src/aftersales && ../../$(PY) ../../manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore 'static/*'
	cd src/aftersales && ../../$(PY) ../../manage.py compilemessages

## The production settings must pass Django's deployment checks with no warnings.
check-deploy: $(STAMP)
	DATA_DIR=$$(mktemp -d) DEBUG=0 HTTPS=1 SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') \
	  ALLOWED_HOSTS=aftersales.example.com $(PY) manage.py check --deploy --fail-level WARNING

bench: $(STAMP)
	$(PY) bench/deadlines.py
	$(PY) bench/lists.py
	$(PY) bench/sweep.py
	$(PY) bench/service_requests.py
	$(PY) bench/stock.py
	$(PY) bench/imports.py
	$(PY) bench/knowledge.py
	$(PY) bench/messages.py

vendor:
	./scripts/vendor.sh

clean:
	rm -rf $(VENV) var .pytest_cache
