# genxi — the two commands: `make demo` and `make test` (and `make bench`, apart from both).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/genxi
# `make demo-postgres`: migrations as the owner (PG_URL), the app as a role that owns nothing.
PG_APP_URL ?= postgres://genxi_app:genxi_app@127.0.0.1:5432/$(notdir $(PG_URL))

.PHONY: demo demo-postgres test install assets lint test-sqlite test-postgres fuzz-postgres serve clean messages check-deploy \
	bench bench-quick bench-needs drills stack

$(BIN)/genxi: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(BIN)/genxi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

src/genxi/static/vendor/.copied: node_modules/.package-lock.json scripts/copy_assets.sh
	scripts/copy_assets.sh
	touch $@

install: $(BIN)/genxi assets
assets: src/genxi/static/vendor/.copied

demo: install
	mkdir -p var
	$(BIN)/genxi migrate --no-input
	$(BIN)/genxi load_demo
	@$(BIN)/genxi demo_logins
	@echo "Serving genxi on http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/genxi worker --interval 1 & \
	  $(BIN)/genxi case_deadlines --every 300 & \
	  $(BIN)/genxi audit seal --every 60 & \
	  $(BIN)/genxi runserver 127.0.0.1:$(PORT)

demo-postgres:
	-psql "$(dir $(PG_URL))postgres" -qc "CREATE DATABASE $(notdir $(PG_URL))" 2>/dev/null
	DATABASE_URL=$(PG_APP_URL) DATABASE_MIGRATE_URL=$(PG_URL) $(MAKE) demo

lint: $(BIN)/genxi
	$(BIN)/ruff check src bench scripts
	$(BIN)/ruff format --check src bench scripts
	$(BIN)/lint-imports --no-cache  # the layers and the pure domain: pyproject.toml [tool.importlinter]
	$(BIN)/mypy  # the types, strict on domain/ and services: pyproject.toml [tool.mypy]
	DJANGO_SETTINGS_MODULE=genxi.config.settings.test $(BIN)/genxi makemigrations --check --dry-run

test: install lint check-deploy test-sqlite test-postgres

# A production deployment can start: static files collect under the manifest storage and
# `check --deploy` is clean, with production settings and fresh random secrets.
check-deploy: install
	@home=$$(mktemp -d); trap 'rm -rf "$$home"' EXIT; \
	  export DJANGO_SETTINGS_MODULE=genxi.config.settings.prod GENXI_HOME="$$home" \
	    ALLOWED_HOSTS=genxi.example.gov.cn DATABASE_URL=sqlite:///:memory: \
	    SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	    GENXI_FIELD_KEY="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	    GENXI_INDEX_KEY="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"; \
	  $(BIN)/genxi collectstatic --no-input --verbosity 0 && \
	  $(BIN)/genxi check --deploy --fail-level WARNING

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest -n 2 -q

test-postgres: install
	DATABASE_URL=$${DATABASE_URL_PG:-$(PG_URL)} $(BIN)/pytest -n 2 -q

# The hostile-input fuzz on PostgreSQL too (core/tests/test_fuzz_*.py; `make test` runs it on SQLite).
fuzz-postgres: install
	GENXI_FUZZ_POSTGRES=1 DATABASE_URL=$${DATABASE_URL_PG:-$(PG_URL)} $(BIN)/pytest -n 2 -q src/genxi/core/tests/test_fuzz_reads.py src/genxi/core/tests/test_fuzz_writes.py

# `make bench`: every benchmark in bench/, each against its baseline in the same run; the
# figures go to bench/results/*.json (with the date, commit and load average) and are
# summarised by hand in docs/benchmarks.md. Not part of `make test`. About 12 minutes on
# the 2-core machine (measured while it was loaded). Needs PostgreSQL on 127.0.0.1:5432
# with the owner role postgres (BENCH_PG_SERVER; the benchmarks make and drop the databases
# genxi_bench_api, genxi_bench_intake, genxi_bench_queues, genxi_bench_tasks), psql, and
# the free port 8811 for the gunicorn it starts and stops; the background queue's Redis
# baseline uses 127.0.0.1:6379 if it answers (BENCH_REDIS_URL; one key
# genxi_bench_tasks:PID, deleted after).
# Full size of the queue benchmark: `make bench BENCH_CASES=1000000` (several minutes more).
BENCH_CASES ?= 200000
BENCH_ROUNDS ?= 10
BENCH_INTAKE_ROUNDS ?= 4
BENCH_SIZE ?= --grids 10000 --points 20000
BENCH_MATCH ?= --needs 10000 --resources 10000
BENCH_TASKS ?= --tasks 2000 --paced-seconds 20

bench: bench-needs
	@echo "== locator (in-process, per-call lookups)"; time $(BIN)/python bench/locator.py $(BENCH_SIZE)
	@echo "== matching (in-process)"; time $(BIN)/python bench/matching.py $(BENCH_MATCH)
	@echo "== photo memory (one process per check)"; time $(BIN)/python bench/photo_memory.py
	@echo "== intake over HTTP (gunicorn, PostgreSQL)"; time $(BIN)/python bench/cases_api.py --rounds $(BENCH_ROUNDS)
	@echo "== intake's CPU (in-process, PostgreSQL)"; time $(BIN)/python bench/intake_cpu.py --rounds $(BENCH_INTAKE_ROUNDS)
	@echo "== queues (in-process, PostgreSQL, $(BENCH_CASES) cases)"; time $(BIN)/python bench/cases_queues.py --cases $(BENCH_CASES)
	@echo "== background queue (genxi worker processes, PostgreSQL; Redis baseline)"; time $(BIN)/python bench/task_queue.py $(BENCH_TASKS)

# Every script at a small size (a few minutes): to check that they run, not to quote.
bench-quick: BENCH_CASES = 20000
bench-quick: BENCH_ROUNDS = 2
bench-quick: BENCH_INTAKE_ROUNDS = 2
bench-quick: BENCH_SIZE = --grids 2000 --points 5000
bench-quick: BENCH_MATCH = --needs 2000 --resources 2000
bench-quick: BENCH_TASKS = --tasks 300 --paced-seconds 5 --workers 1,2
bench-quick: bench

bench-needs: $(BIN)/genxi
	@command -v psql >/dev/null || { echo "make bench needs psql (apt-get install postgresql-client)"; exit 1; }
	@psql "$${BENCH_PG_SERVER:-postgres://postgres@127.0.0.1:5432}/postgres" -qXtAc "SELECT 1" >/dev/null || \
	  { echo "make bench needs PostgreSQL on 127.0.0.1:5432 as the role postgres (or BENCH_PG_SERVER)"; exit 1; }

# `make drills`: the failure drills (docs/drills.md): kill -9 of PostgreSQL, Redis killed,
# an app node killed behind nginx, each under intake load, each checked (PASS/FAIL with
# figures) and torn down. Not part of `make test`. Needs the PostgreSQL 15 server binaries
# (DRILLS_PG_BIN), redis-server, nginx and psql/pg_dump; run as root, it runs PostgreSQL
# as the OS user postgres. Its own ports (DRILLS_PG_PORT 5470, DRILLS_REDIS_PORT 6390,
# DRILLS_APP_PORTS 8201,8202, DRILLS_NGINX_PORT 8200) and directory (DRILLS_VAR, var/drills).
DRILL ?= all
DRILL_ARGS ?=
drills: $(BIN)/genxi assets
	$(BIN)/python scripts/drills.py $(DRILL) $(DRILL_ARGS)

# `make stack`: the whole set on this machine (docs/deploy.md, "The whole set on one machine"):
# nginx, two app nodes, the worker, PostgreSQL with a streaming replica, PgBouncer, Redis and
# moto's S3 under var/stack/, a mixed load through nginx (bench/results/stack.json), then all
# stopped again, on a failure too. Not part of `make test`. Needs postgresql, pgbouncer,
# redis-server and nginx (Debian) and moto's server (the dev extras: moto, flask); the ports 5440, 5441, 6432, 6380,
# 9000, 8100-8102 free (STACK_PORTS chooses others). Up takes minutes (migrations, demo data).
STACK_CLIENTS ?= 8
STACK_SECONDS ?= 60
stack: $(BIN)/genxi
	$(BIN)/python scripts/stack.py all --clients $(STACK_CLIENTS) --seconds $(STACK_SECONDS)

clean:
	rm -rf var src/genxi/static/vendor

messages: $(BIN)/genxi
	cd src/genxi && DJANGO_SETTINGS_MODULE=genxi.config.settings.test ../../$(BIN)/genxi makemessages -l en --ignore "static/vendor/*"
	msgfmt --check -o src/genxi/locale/en/LC_MESSAGES/django.mo src/genxi/locale/en/LC_MESSAGES/django.po
