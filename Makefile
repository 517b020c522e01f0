# Partnerboard: `make run` starts it, `make test` runs every test.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# The PostgreSQL server the second test pass runs against; pytest-django creates test_<name> there.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/partnerboard

.PHONY: run test test-sqlite test-postgres demo bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/.installed
	$(BIN)/partnerboard serve

demo: $(BIN)/.installed
	$(BIN)/partnerboard migrate --verbosity 0
	$(BIN)/partnerboard demo

test: test-sqlite test-postgres

test-sqlite: $(BIN)/.installed
	@echo "== Test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(BIN)/.installed
	@if $(BIN)/python scripts/check_postgres.py "$(PG_TEST_URL)"; then \
		echo "== Test suite on PostgreSQL ($(PG_TEST_URL))"; \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable, and CI=true forbids skipping the PostgreSQL pass."; exit 1; \
	else \
		echo "Skipped the PostgreSQL pass: no server answers at $(PG_TEST_URL). Set PG_TEST_URL to test against one."; \
	fi

bench: $(BIN)/.installed
	$(BIN)/python bench/board.py

clean:
	rm -rf $(VENV) var
