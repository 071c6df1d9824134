# The two commands a person needs (README, Quick start): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test env clean

$(STAMP): pyproject.toml tools/ensure-venv.sh
	PYTHON=$(PYTHON) tools/ensure-venv.sh $(VENV)
	touch $(STAMP)

env: $(STAMP)

## Build the environment, generate and load the demo school, start the product.
demo: $(STAMP)
	$(BIN)/zavuch demo

## Build the environment and run the whole test suite.
test: $(STAMP)
	tools/ensure-test-tools.sh
	$(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) data test-artifacts
