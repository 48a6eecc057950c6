# coachkit: `make serve` to run the worksheets, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM_PACKAGES := chromium fonts-dejavu-core fonts-noto-color-emoji
POSTGRES_PACKAGES := postgresql
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js

.PHONY: serve dashboard demo test install coach-install test-deps browser postgres lint bench notebooks screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed $(VENV)/.coach-installed

install: $(VENV)/.installed

$(VENV)/.coach-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[coach]'
	touch $@ $(VENV)/.installed

coach-install: $(VENV)/.coach-installed

test-deps: $(VENV)/.test-installed browser postgres $(AXE)

## Serve the client worksheets on http://127.0.0.1:8866 (creates the store if missing).
serve: install
	$(BIN)/coachkit serve

## The coach's dashboard (its own port, token required); `make demo` shows it on synthetic clients.
dashboard: coach-install
	$(BIN)/coachkit dashboard

demo: coach-install
	$(BIN)/coachkit dashboard --demo

## Debian's chromium for the browser tests (installed when running as root).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $(CHROMIUM_PACKAGES); \
	else \
		echo "Browser tests need Debian's chromium: sudo apt-get install $(CHROMIUM_PACKAGES)"; \
	fi

## PostgreSQL's server programs: the store tests start a throw-away server (installed when running as root).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(POSTGRES_PACKAGES); \
	else \
		echo "The store tests on PostgreSQL need its server programs: sudo apt-get install $(POSTGRES_PACKAGES)"; \
	fi

## axe-core (npm) for the accessibility browser test, kept inside .venv.
$(AXE): | $(BIN)/python
	npm install --no-save --no-audit --no-fund --prefix $(VENV)/node axe-core@4

## Unit, notebook (nbval) and browser tests; the store tests on SQLite and PostgreSQL.
## The coach's notebooks keep no outputs in git (they may show clients), so nbval only runs them.
test: test-deps
	$(BIN)/pytest --nbval tests workbooks
	$(BIN)/pytest --nbval-lax coach

## Refresh docs/screenshots/ from the browser tests (they save to test-artifacts/ otherwise).
screenshots: test-deps
	COACHKIT_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -m browser tests/browser

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: test-deps
	$(BIN)/python -m benchmarks

## Re-run the worksheet notebooks so their saved outputs (compared by nbval) are current;
## strip the coach's notebooks of any outputs (they never keep any in git).
notebooks: $(VENV)/.test-installed
	COACHKIT_DATABASE_URL=sqlite:///$$(mktemp -d)/notebooks.sqlite \
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace workbooks/*.ipynb
	$(BIN)/python -c 'import sys, nbformat as n; [n.write((nb := n.read(f, 4), nb.metadata.pop("widgets", None))[0], f) for f in sys.argv[1:]]' workbooks/*.ipynb
	$(BIN)/nbstripout coach/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache
