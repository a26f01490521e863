# actspec: two commands do everything on a fresh machine.
#   make conformance   provision if needed, then run the features against the bundled workflows
#   make test          provision if needed, then run every test (unit, calibration, features, mutations)
# Both are idempotent: on a provisioned machine provisioning takes a few seconds.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: setup venv provision conformance test unit calibration mutations bench docs clean

setup: venv provision

venv: $(STAMP)

$(STAMP): pyproject.toml
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

provision: venv
	$(PY) -m actspec.provision all

conformance: setup
	$(PYTEST) features/ $(PYTEST_ARGS)

test: setup
	$(PYTEST) tests/ features/ $(PYTEST_ARGS)

unit: venv
	$(PYTEST) -m unit tests/ $(PYTEST_ARGS)

calibration: setup
	$(PYTEST) tests/calibration $(PYTEST_ARGS)

mutations: setup
	$(PYTEST) tests/mutations $(PYTEST_ARGS)

bench: setup
	$(PY) -m actspec.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools .state report
