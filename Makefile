# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

.PHONY: run test test-fast mutation lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# installs the package (editable) into .venv; re-runs when pyproject.toml changes
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

## make run: install and run the bundled default scenario (results in results/default/)
run: $(VENV)/.installed
	$(BIN)/outsim run

# both cores; `--dist worksteal` balances the long tests between the two workers (a module's
# Dask cluster or browser may then start on both: measured 567 s for the whole suite against
# 688 s with `--dist loadfile`, which left one worker idle at the end)
PYTEST_PARALLEL := -n 2 --dist worksteal

## make test: install with test extras, check style and types, run every test (CI runs this)
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

## make test-fast: the unit tier (no processes, servers, clusters or full-size runs), < 2 min
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not integration and not slow and not browser" $(PYTEST_PARALLEL)

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

## make mutation: plant N bugs (seeded sample) in model/ and analysis/, score the fast tier
N    ?= 100
SEED ?= 1
mutation: $(VENV)/.installed-dev
	$(BIN)/python -m simulator.dev.mutation --samples $(N) --seed $(SEED)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# the virtual environment and caches only: results/ may hold your files too
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
