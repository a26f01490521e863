# actspec: two commands do everything on a fresh machine.
#   make conformance   provision if needed, then run the features against the bundled workflows
#   make test          provision if needed, lint the workflows, then run every test (unit, calibration, features, mutations, report)
#   make lint          actionlint and zizmor (offline) over this repository's and the bundled workflows
#   make docs          the conformance report (report/site/index.html, report/summary.md) from report/data
# All are idempotent: on a provisioned machine provisioning takes a few seconds.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

# make conformance: Gherkin on the terminal; Cucumber JSON and JUnit XML only on request (CI),
# e.g. make conformance CUCUMBER=report/cucumber.json JUNIT=report/junit.xml
GHERKIN  ?= --gherkin-terminal-reporter -vv
CUCUMBER ?=
JUNIT    ?=
CONFORMANCE_FLAGS = $(GHERKIN) $(if $(CUCUMBER),--cucumberjson=$(CUCUMBER)) $(if $(JUNIT),--junitxml=$(JUNIT))
REPORT_ARGS ?=
# make bench times the gate feature with 1 and 2 engines too (see src/actspec/bench.py)
BENCH_ARGS ?= --parallel

ACTIONLINT := .tools/bin/actionlint
ZIZMOR     := $(VENV)/bin/zizmor
LINT_WORKFLOWS = $(wildcard .github/workflows/*.yaml) $(wildcard workflows_under_test/.github/workflows/*)

.PHONY: setup venv provision conformance test lint unit calibration examples mutations mutate bench docs clean

setup: venv provision

venv: $(STAMP)

$(STAMP): pyproject.toml
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

provision: venv
	$(PY) -m actspec.tooling.provision all

# The report is written also when scenarios fail; the exit status stays pytest's.
conformance: setup
	$(foreach f,$(CUCUMBER) $(JUNIT),mkdir -p $(dir $(f));)
	status=0; $(PYTEST) features/ $(CONFORMANCE_FLAGS) $(PYTEST_ARGS) || status=$$?; \
	$(PY) -m actspec.report $(REPORT_ARGS) || { echo "make: the report could not be written" >&2; [ $$status -ne 0 ] || status=1; }; \
	exit $$status

# The second repository (examples/kiln) has its own target, `make examples`, and runs in the
# nightly conformance run: a whole feature set against another repository does not fit
# beside everything else in CI's 90 minutes.
test: setup lint
	$(PY) -m actspec.tooling.provision chromium
	$(PYTEST) tests/ features/ --ignore=tests/examples $(PYTEST_ARGS)

# Both linters always run; either one failing fails the target.  Intended findings are
# documented in .github/zizmor.yml.
lint: venv
	$(PY) -m actspec.tooling.provision actionlint
	status=0; \
	$(ACTIONLINT) $(LINT_WORKFLOWS) || status=1; \
	$(ZIZMOR) --offline --config .github/zizmor.yml $(LINT_WORKFLOWS) || status=1; \
	exit $$status

docs: venv
	$(PY) -m actspec.tooling.provision graphviz
	$(PY) -m actspec.report $(REPORT_ARGS)

# No Docker and no act needed; the report's unit tests draw job graphs with graphviz.
unit: venv
	$(PY) -m actspec.tooling.provision graphviz
	$(PYTEST) -m unit tests/ $(PYTEST_ARGS)

examples: setup
	$(PYTEST) tests/examples $(PYTEST_ARGS)

calibration: setup
	$(PYTEST) tests/calibration $(PYTEST_ARGS)

mutations: setup
	$(PYTEST) tests/mutations $(PYTEST_ARGS)

# The generated mutants (src/actspec/mutants): each one-edit break of a document rule in the
# bound workflows against the scenarios of the section it breaks; the score per section goes
# to report/data/mutation.json.  Not part of `make test` (about 100 mutants); nightly.
# e.g. make mutate MUTATE_ARGS="--limit 12" or MUTATE_ARGS="--section branch-protection --repo examples/kiln"
MUTATE_ARGS ?=
mutate: setup
	$(PY) -m actspec.mutants run $(MUTATE_ARGS)

bench: setup
	$(PY) -m actspec.bench $(BENCH_ARGS)

clean:
	PYTHONPATH=src:src/actspec/shims/_lib $(PYTHON) -m actspec.tooling.provision engines-stop
	rm -rf $(VENV) .tools .state report
