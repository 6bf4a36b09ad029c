# Two commands set everything up from a clean clone: `make site` and `make test`.
# Each creates the environment it needs on first use (uv, pinned by uv.lock).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
# Bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set (as in many containers),
# every kernel would otherwise compile the libraries' sources again on import (~1 s each).
export UV_COMPILE_BYTECODE := 1
export JUPYTER_PREFER_ENV_PATH := 1
# The source texts live beside the project (../shared/seeds) where that folder exists.
STI_SOURCES_DIR ?= $(if $(wildcard ../shared/seeds/*.txt),$(abspath ../shared/seeds),)
export STI_SOURCES_DIR

.PHONY: env data notebooks lab site bench messages test test-fast lint format extract-plan clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

env: $(VENV)/.synced

data: env  ## build the data product into data/processed/
	$(BIN)/sti data

extract-plan: env  ## re-extract Plan 46's appendices into data/extracted/ (needs the sources)
	$(BIN)/sti extract-plan

notebooks: data  ## execute every notebook in vi and en with papermill into _build/<edition>/
	$(BIN)/sti notebooks

lab: data  ## open JupyterLab on the notebooks with the project's kernel (its own .venv-lab)
	UV_PROJECT_ENVIRONMENT=.venv-lab $(UV) sync --frozen --python $(PYTHON) --group lab
	.venv-lab/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: profiles
profiles: env  ## write the Quarto profiles _quarto-<lang>.yml from data/pages.csv and the catalogs (site does it too)
	$(BIN)/sti profiles

messages: env  ## collect the messages written in the code and notebooks (babel.cfg) into the template, add new ones to every catalog
	$(BIN)/python -m analysis.report.catalogs

site: env  ## the main job: data, notebooks, report site and PDFs into _site/, reusing unchanged steps
	$(BIN)/sti build

bench: env  ## the build benchmark: cold, no-change and one-change rebuilds, naive build; prints figures
	$(BIN)/sti bench

lint: env
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: env
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# axe-core, the accessibility checker the tests inject into each page (package.json, pinned by
# package-lock.json), installed into node_modules/ on first use; without npm its test skips.
AXE := node_modules/axe-core/axe.min.js
NPM := $(shell command -v npm)

$(AXE): package.json package-lock.json
ifneq ($(NPM),)
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@
else
	@echo "npm is not installed: the accessibility test (axe-core) will skip"
endif

test: env lint $(AXE)  ## the whole test suite
	$(BIN)/pytest

test-fast: env lint  ## the quick loop: units and data rules, no kernels, no full build, no browser
	$(BIN)/pytest -m "not slow"

clean:
	rm -rf $(VENV) $(TOOLS) node_modules data/processed data/processed.* data/.processed.key _build _site _site.* pages .quarto .pytest_cache .ruff_cache
