# Safeguard task runner. `make demo` and `make test` are all a newcomer needs; CI runs `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo
DEMO_CHILDREN ?= 5000
# PostgreSQL for the second test run (trust auth on the CI machines); override as needed.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install assets demo test test-sqlite test-postgres fuzz lint format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# GOV.UK Frontend, MOJ Frontend, HTMX and axe-core from npm; the stylesheet built with Sass.
ASSETS := node_modules/.safeguard/safeguard.css
$(ASSETS): package.json package-lock.json assets/safeguard.scss
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

assets: $(ASSETS)

DEMO_ENV := SAFEGUARD_DATA_DIR=$(DEMO)/data SAFEGUARD_DEMO=true
# the demo's data operator takes the deliveries, links and analyses; the MASH practitioner reviews
OPERATOR_ENV := SAFEGUARD_DATA_DIR=$(DEMO)/data SAFEGUARD_OPERATOR=operator

demo: install assets
	$(BIN)/safeguard synth --out $(DEMO)/partnership --children $(DEMO_CHILDREN) --seed 1
	$(DEMO_ENV) $(BIN)/safeguard users demo --quiet
	$(OPERATOR_ENV) $(BIN)/safeguard ingest $(DEMO)/partnership
	$(OPERATOR_ENV) $(BIN)/safeguard link
	$(OPERATOR_ENV) $(BIN)/safeguard --as mash review list --limit 5
	$(OPERATOR_ENV) $(BIN)/safeguard evaluate linkage --truth $(DEMO)/partnership --errors 3
	$(OPERATOR_ENV) $(BIN)/safeguard analyse --as-of 2026-10-31
	$(OPERATOR_ENV) $(BIN)/safeguard evaluate intelligence --truth $(DEMO)/partnership
	$(DEMO_ENV) $(BIN)/safeguard mash demo-week
	$(DEMO_ENV) $(BIN)/safeguard --as mash-manager mace demo
	$(DEMO_ENV) $(BIN)/safeguard --as strategic governance demo
	$(DEMO_ENV) $(BIN)/safeguard --as strategic pack --meeting $$(date +%F) --out $(DEMO)/meeting-pack.pdf
	$(DEMO_ENV) $(BIN)/safeguard users demo
	@echo "Sign in at http://127.0.0.1:8000/ with a user above; its one-time code:"
	@echo "  $(DEMO_ENV) $(BIN)/safeguard users code USERNAME"
	$(DEMO_ENV) $(BIN)/safeguard serve --host 127.0.0.1 --port 8000

test: test-sqlite test-postgres

# Test files spread over this many processes (pytest-xdist); a file stays in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=15

test-sqlite: install
	$(PYTEST)

# The store-touching tests again on PostgreSQL. Required in CI (CI=true); skipped with a notice on a
# machine without a PostgreSQL server. The browser tests, and the four longest command-line
# walk-throughs (`PG_ONCE`), run once, on SQLite: they drive the same services whose every read
# and write the page, service, API and the other command tests check on PostgreSQL, and a second
# run of them would take CI past its budget. `make test-postgres PG_ONCE=` runs them all.
PG_ONCE ?= tests/cli/test_link_cli.py tests/cli/test_review_cli.py tests/cli/test_mash_cli.py \
	tests/cli/test_governance_cli.py
test-postgres: install
	@if $(BIN)/python -m safeguard.cli.pgcheck "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) -m "store and not browser" \
			$(foreach f,$(PG_ONCE),--ignore=$(f)); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required in CI but $(PG_TEST_URL) is not reachable"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): skipped the PostgreSQL run"; \
	fi

# The fuzzing of the API and the forms (tests/fuzz, docs/security.md) with many more examples
# than CI's: FUZZ_EXAMPLES per API operation, a quarter as many per form; on SQLite, then on
# PostgreSQL when it is reachable.
FUZZ_EXAMPLES ?= 400
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -q tests/fuzz
	@if $(BIN)/python -m safeguard.cli.pgcheck "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
			$(BIN)/pytest -p no:cacheprovider -q -m store tests/fuzz; \
	fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The benchmarks' own dependencies (the baselines they compare against), on top of the dev ones.
$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(BIN)/.bench-installed
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_febrl.py

clean:
	rm -rf $(DEMO) safeguard-data .pytest_cache .mypy_cache .ruff_cache
