# The commands a newcomer needs: `make run` and `make test`. Everything else is for maintainers.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/byline migrate --no-input
	$(BIN)/byline setup_site
	@echo "Byline is serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/byline runserver --noreload $(HOST):$(PORT)

# Every test, browser tests included. Set DATABASE_URL to run the same suite on PostgreSQL.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider -m "not e2e and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/ .pytest_cache

.PHONY: prod audit audit-ci bandit

# The production stack on this machine: gunicorn + Debian's nginx + PostgreSQL + Redis (deploy/README.md).
prod: $(STAMP)
	@command -v nginx >/dev/null || apt-get install -y nginx
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python deploy/localstack.py

# Known-vulnerable dependencies (needs the PyPI advisory service) and risky code patterns. Findings
# reviewed and accepted are in deploy/audit/bandit-baseline.json, each justified in SECURITY.md.
# Before a release: every package must have been checked.
audit: bandit
	$(BIN)/python deploy/audit/dependencies.py --require-service

# CI, on every submission: fails on any known vulnerability, and says how many packages it could check.
audit-ci: bandit
	$(BIN)/python deploy/audit/dependencies.py

bandit: $(STAMP)
	$(BIN)/bandit -r byline -q -x '*/migrations/*' -b deploy/audit/bandit-baseline.json
