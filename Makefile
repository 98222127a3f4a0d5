# leadkpi: `make report` renders the sample monthly report, `make test` runs every test.
# Installs come from the lock files in requirements/ (exact versions with hashes), so a
# dependency's new release changes nothing here until `make lock` renews them;
# `make test-latest` tries the newest releases and `make test-minimum` the lowest
# versions pyproject.toml declares.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# uv when the machine has it (seconds), else a pinned uv installed into the venv by pip,
# else pip alone (minutes)
UV_PIN := uv==0.13.9
UV     := $(shell command -v uv 2>/dev/null)
# Tests run on every core, one test module (or notebook) per worker at a time, so a
# module's shared fixtures are built once and a notebook's cells run in order.
# PARALLEL= runs them in one process.
PARALLEL ?= -n auto --dist loadscope

.PHONY: report test test-latest test-minimum lint lab bench browser java lock clean

## Create a virtualenv ($1) with uv, or with venv plus a pinned uv, or with venv alone.
define make_venv
	@if [ -n "$(UV)" ]; then \
	  test -x $(1)/bin/python || $(UV) venv -q --python $(PYTHON) $(1); \
	else \
	  test -x $(1)/bin/python || $(PYTHON) -m venv $(1); \
	  test -x $(1)/bin/uv || $(1)/bin/python -m pip install -q "$(UV_PIN)" \
	    || echo "leadkpi: uv not available, installing with pip (slower)"; \
	fi
endef

## Install a lock file ($2) and leadkpi itself, editable, into the virtualenv ($1).
define install_lock
	$(call make_venv,$(1))
	@uv=$$(command -v uv || true); test -x $(1)/bin/uv && uv=$(1)/bin/uv; \
	if [ -n "$$uv" ]; then \
	  $$uv pip install -q --python $(1)/bin/python --require-hashes -r $(2) && \
	  $$uv pip install -q --python $(1)/bin/python --no-deps -e .; \
	else \
	  $(1)/bin/python -m pip install -q --require-hashes -r $(2) && \
	  $(1)/bin/python -m pip install -q --no-deps -e .; \
	fi
endef

$(VENV)/.runtime: requirements/runtime.lock pyproject.toml
	$(call install_lock,$(VENV),requirements/runtime.lock)
	@touch $@

$(VENV)/.dev: requirements/dev.lock pyproject.toml
	$(call install_lock,$(VENV),requirements/dev.lock)
	@touch $@ $(VENV)/.runtime

$(VENV)/.lab: requirements/lab.lock pyproject.toml
	$(call install_lock,$(VENV),requirements/lab.lock)
	@touch $@ $(VENV)/.dev $(VENV)/.runtime

## Render the monthly report of the latest complete month of the sample data.
report: $(VENV)/.runtime
	$(BIN)/leadkpi report monthly --config leadkpi.yaml --out reports

## Lint, unit and end-to-end tests, docstring examples, then the notebooks.
test: $(VENV)/.dev browser java
	$(BIN)/ruff check .
	$(BIN)/pytest $(PARALLEL) tests leadkpi --doctest-modules
	$(BIN)/pytest $(PARALLEL) --nbval-lax notebooks --ignore=notebooks/course
	$(BIN)/pytest $(PARALLEL) --nbval notebooks/course \
	  --nbval-sanitize-with notebooks/course/nbval-sanitize.cfg

## The newest release of every dependency, in a fresh virtualenv of its own: drift
## shows here before a user meets it.
test-latest:
	rm -rf .venv-latest
	$(call make_venv,.venv-latest)
	@uv=$$(command -v uv || echo .venv-latest/bin/uv); \
	$$uv pip install -q --python .venv-latest/bin/python --upgrade -e '.[dev]'
	.venv-latest/bin/pytest $(PARALLEL) tests leadkpi --doctest-modules -q

## The lowest versions that pyproject.toml declares, in a fresh virtualenv of its own.
test-minimum: java
	rm -rf .venv-minimum
	$(call make_venv,.venv-minimum)
	@uv=$$(command -v uv || echo .venv-minimum/bin/uv); \
	$$uv pip install -q --python .venv-minimum/bin/python --resolution lowest-direct \
	  -e '.[dev]'
	.venv-minimum/bin/pytest $(PARALLEL) tests leadkpi --doctest-modules -q

## Renew the lock files from pyproject.toml (one resolution; the smaller locks are
## constrained by the largest, so every lock has the same versions).
lock: $(VENV)/.dev
	$(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	  --no-header pyproject.toml --extra dev --extra lab -o requirements/lab.lock
	$(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	  --no-header pyproject.toml --extra dev -c requirements/lab.lock \
	  -o requirements/dev.lock
	$(BIN)/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	  --no-header pyproject.toml -c requirements/lab.lock -o requirements/runtime.lock

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check leadkpi tests benchmarks

## JupyterLab on the notebooks, with the sample data.
lab: $(VENV)/.lab
	$(BIN)/jupyter lab notebooks

## Speed and memory figures (not part of `make test`).
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/bench_read.py
	$(BIN)/python benchmarks/bench_engine.py --runs 3
	$(BIN)/python benchmarks/bench_funnel.py --runs 3
	$(BIN)/python benchmarks/bench_speed.py --runs 3
	$(BIN)/python benchmarks/bench_retention.py --runs 3
	$(BIN)/python benchmarks/bench_report.py --sample
	$(BIN)/python benchmarks/bench_report.py --leads 1000000
	$(BIN)/python benchmarks/bench_warehouse.py --paths

## Headless Chromium for the tests that open and print the rendered report: one exact
## build (tools/browser.py holds its version and checksums) unpacked into .browser/,
## downloaded once; as root, apt installs what it runs on (and brotli, to unpack it).
BROWSER_DEBS := brotli libnss3 libexpat1 fontconfig-config fonts-dejavu-core
browser:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  ! dpkg -s $(BROWSER_DEBS) >/dev/null 2>&1; then \
	  echo "installing $(BROWSER_DEBS) (for the pinned headless Chromium)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $(BROWSER_DEBS) >/dev/null; \
	fi
	@$(PYTHON) tools/browser.py .browser

## Java for the tests that run the KPIs on Spark (local mode): Debian's headless
## runtime of the release (Java 17 on Debian 12), installed as root when no java is found.
java:
	@if ! command -v java >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	  command -v apt-get >/dev/null 2>&1; then \
	  echo "installing default-jre-headless (Java, for the Spark tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; \
	fi

clean:
	rm -rf $(VENV) .venv-latest .venv-minimum .pytest_cache .ruff_cache .hypothesis \
	  .browser reports/*/
