# Sabaq's everyday commands. Only Python 3.11 is needed for `make run`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --disable-pip-version-check --quiet

.PHONY: run test unit e2e lint typecheck bench demo messages clean constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The runtime packages, enough to serve the demo.
$(VENV)/.runtime: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -c constraints.txt -e .
	touch $@

# Test, lint and browser-test tools on top.
$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install $(PIP_FLAGS) -c constraints.txt -e ".[dev]"
	touch $@

run: $(VENV)/.runtime
	$(BIN)/python bin/run

demo: $(VENV)/.runtime
	$(BIN)/python bin/run --prepare-only

test: unit e2e

unit: $(VENV)/.dev
	$(BIN)/pytest -m "not e2e" -q

e2e: $(VENV)/.dev
	$(BIN)/pytest -m e2e -q e2e

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint $(BIN)/python manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.dev
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python bench/pages.py

messages: $(VENV)/.dev
	bash bin/messages

clean:
	rm -rf var test-results

constraints: $(VENV)/.dev
	( echo "# Exact versions of every package, direct and indirect, that Sabaq was tested with."; \
	  echo "# Regenerate with \`make constraints\` after changing pyproject.toml."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e' | grep -v '^sabaq' ) > constraints.txt
