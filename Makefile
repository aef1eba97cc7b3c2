# Two commands for a fresh machine: `make plan` builds the example plan into output/,
# `make test` runs the tests. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: plan pdf test bench setup templates lint clean

$(BIN)/plan-builder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . pytest hypothesis ruff
	touch $@

setup: $(BIN)/plan-builder

plan: setup
	$(BIN)/plan-builder build .

pdf: setup
	$(BIN)/plan-builder build . --pdf

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/pip install --quiet "pypandoc-binary>=1.13"
	$(BIN)/python benchmarks/bench.py

lint: setup
	$(BIN)/ruff check plan_builder tests

templates: setup
	$(BIN)/plan-builder make-templates templates

clean:
	rm -rf output/*.docx output/*.pdf output/*.json
