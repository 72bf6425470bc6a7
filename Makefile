# Mutua: `make run` serves the demo community, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python 3.12+ on this machine: python3.1x on the PATH first, then pyenv's installs.
PYTHON = $(shell for candidate in python3.14 python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$candidate; break; }; \
	done)

.PHONY: run test check bench clean

$(BIN)/python:
	@python="$(PYTHON)"; \
	if [ -z "$$python" ]; then echo "Mutua needs Python 3.12 or newer (Django 6.1 does); none was found. Install python3.12 or python3.13 and run make again." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_forums
	$(BIN)/python manage.py seed_content
	$(BIN)/python manage.py seed_metrics
	$(BIN)/python manage.py seed_plans
	$(BIN)/python manage.py build_chart_bundle
	@echo
	@echo "Mutua is at http://$(HOST):$(PORT)/  — demo accounts (password: mutua-demo-2026):"
	@echo "  administrator@mutua.test   administrator (sets up two-factor sign-in at the first sign-in)"
	@echo "  manager@mutua.test         community manager"
	@echo "  moderator@mutua.test       moderator"
	@echo "  sponsor@mutua.test         executive sponsor"
	@echo "  member@mutua.test          member"
	@echo
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/daphne -b $(HOST) -p $(PORT) community.asgi:application

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $${TEST_WORKERS:-2} $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python bench/directory.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
