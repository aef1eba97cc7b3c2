# Two commands for a fresh machine: `make plan` builds the example plan into output/,
# `make test` runs the tests. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: plan pdf test test-fast bench setup templates lint clean

$(BIN)/plan-builder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . pytest hypothesis ruff mypy types-PyYAML pandas-stubs "openxml-audit>=0.8" "openpyxl>=3.1"
	touch $@

setup: $(BIN)/plan-builder

plan: setup
	$(BIN)/plan-builder build .

pdf: setup
	$(BIN)/plan-builder build . --pdf

test: lint
	$(BIN)/python -m pytest -q

# The inner loop: no LibreOffice and no slow tests (about 20 s).
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not libreoffice"

bench: setup
	$(BIN)/pip install --quiet "pypandoc-binary>=1.13"
	$(BIN)/python benchmarks/bench.py

lint: setup
	$(BIN)/ruff check plan_builder tests
	$(BIN)/mypy

# The example plan's templates and the packaged defaults (used by plans without templates/) are the same files.
templates: setup
	$(BIN)/plan-builder make-templates templates --force
	cp templates/plan-template.docx templates/cover.docx templates/signoff.docx plan_builder/inputs/defaults/templates/

clean:
	rm -rf output/*.docx output/*.pdf output/*.json
