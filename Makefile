# leadkpi: `make report` renders the sample monthly report, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.leadkpi-installed

.PHONY: report test lint lab bench browser clean

## Create the virtualenv and install leadkpi with its development tools.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## Render the monthly report of the latest complete month of the sample data.
report: $(STAMP)
	$(BIN)/leadkpi report monthly --config leadkpi.yaml --out reports

## Lint, unit and end-to-end tests, docstring examples, then the notebooks.
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest tests leadkpi --doctest-modules
	$(BIN)/pytest --nbval-lax notebooks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check leadkpi tests benchmarks

## JupyterLab on the notebooks, with the sample data.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

## Speed and memory figures (not part of `make test`).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_read.py
	$(BIN)/python benchmarks/bench_engine.py --runs 3
	$(BIN)/python benchmarks/bench_funnel.py --runs 3
	$(BIN)/python benchmarks/bench_speed.py --runs 3
	$(BIN)/python benchmarks/bench_retention.py --runs 3
	$(BIN)/python benchmarks/bench_report.py --sample
	$(BIN)/python benchmarks/bench_report.py --leads 1000000

## Headless Chromium for the test that opens the rendered report in a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (headless browser for the report test)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "chromium not found: 'sudo apt-get install chromium' to run the browser test"; \
	  fi; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis reports/*/
