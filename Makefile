# Two commands matter on a fresh machine (Python 3.11 and make): `make run` and `make test`.
# Everything is installed from pyproject.toml + uv.lock into .venv; nothing by hand.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install lint typecheck contracts unit bench schema released-schema clean vendor-graphiql

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/tradergraph demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

contracts: install
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck contracts unit

schema: install
	$(BIN)/python -c "from schema import schema; print(schema.as_str())" > schema.graphql

# At a release only: the schema as released becomes the baseline of the guard (docs/schema-evolution.md).
released-schema: schema
	cp schema.graphql schema/released.graphql

bench: install
	$(BIN)/python -m bench

# Re-fetch the explorer's React/GraphiQL builds from the npm registry (needs npm); see explorer/vendor.sh.
vendor-graphiql:
	explorer/vendor.sh

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache .coverage
