# 连心桥 Lianxin — `make run` serves the demo county, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run install messages migrate demo test lint e2e clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade -c constraints.txt pip setuptools wheel
	# XStatic packages still build with pkg_resources: build them against the pinned setuptools.
	$(PY) -m pip install -q --no-build-isolation -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	cd src/lianxin && ../../$(PY) ../../manage.py compilemessages -v0

migrate: install
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py demo

run: demo
	@echo "连心桥 Lianxin: http://127.0.0.1:8000"
	$(PY) manage.py serve --bind 127.0.0.1:8000

test: install
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) var
