# 连心桥 Lianxin — `make run` serves the demo county, `make test` runs the whole suite.
# Needs only python3: missing Debian packages are installed as root, or named (see `deps`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
PORT ?= 8000
LIANXIN_BIND ?= 127.0.0.1:$(PORT)
# What scripts/ensure-system-deps checks: `run` (python3-venv) or `test` (+ chromium, gettext).
SYSTEM_DEPS ?= run
test: SYSTEM_DEPS = test

.PHONY: run install deps messages migrate demo check test lint clean

deps:
	@PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/ensure-system-deps $(SYSTEM_DEPS)

$(STAMP): pyproject.toml constraints.txt | deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade -c constraints.txt pip setuptools wheel
	# XStatic packages still build with pkg_resources: build them against the pinned setuptools.
	$(PY) -m pip install -q --no-build-isolation -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: deps $(STAMP) messages

# .po -> .mo with polib (no GNU msgfmt needed).
messages: $(STAMP)
	$(PY) manage.py compile_catalogues -v0

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py demo

# web (gunicorn), worker (periodic jobs) and tasks (queued jobs) under one honcho; Ctrl-C stops all.
run: demo
	@echo "连心桥 Lianxin: http://$(LIANXIN_BIND)  (web + worker + tasks; Ctrl-C stops all)"
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" LIANXIN_BIND="$(LIANXIN_BIND)" \
		$(VENV)/bin/honcho start -f Procfile -p $(PORT)

# The static checks, each timed: lint, formatting, layer contracts ([tool.importlinter]), types of
# services and selectors ([tool.mypy], cache in var/mypy-cache), migrations in step with models.
# They do not depend on the database: `make test STATIC_CHECKS=0` (CI's PostgreSQL pass) skips them.
STATIC_CHECKS ?= 1
TIMED = @t0=$$(date +%s%N); $(1) || exit $$?; \
	t=$$(( ($$(date +%s%N) - t0) / 100000000 )); echo "$(2): $$((t / 10)).$$((t % 10))s"

check: install
	$(call TIMED,$(PY) -m ruff check -q .,ruff check)
	$(call TIMED,$(PY) -m ruff format --check -q .,ruff format --check)
	$(call TIMED,$(VENV)/bin/lint-imports --no-logo --cache-dir var/import-linter-cache,lint-imports)
	$(call TIMED,$(VENV)/bin/mypy,mypy)
	$(call TIMED,$(PY) manage.py makemigrations --check --dry-run -v0,makemigrations --check)

test: install $(if $(filter 1,$(STATIC_CHECKS)),check)
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: check

clean:
	rm -rf $(VENV) var
