# coachkit: `make serve` to run the worksheets, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM_PACKAGES := chromium fonts-dejavu-core fonts-noto-color-emoji
POSTGRES_PACKAGES := postgresql
NODE_TOOLS := $(VENV)/node/.installed
# A practice runs each coach's processes as that coach's own account, so it needs an installation every
# account can read: its own venv, made from a Python outside any home folder.
PRACTICE_PYTHON ?= $(firstword $(wildcard /usr/bin/python3) $(PYTHON))
PRACTICE_VENV := $(VENV)/practice
PRACTICE_BIN := $(PRACTICE_VENV)/bin
# The notebooks ship inside the package: the clients' (served by `coachkit serve`) and the coach's.
WORKBOOKS := coachkit/workbooks
COACH_NOTEBOOKS := coachkit/coach/notebooks

.PHONY: serve dashboard demo test install coach-install test-deps browser postgres practice practice-deps lint bench client notebooks screenshots wheel clean catalogs

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

test-deps: $(VENV)/.test-installed browser postgres $(NODE_TOOLS) $(PRACTICE_VENV)/.installed

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

## npm tools kept inside .venv: axe-core for the accessibility browser test, JupyterHub's proxy
## (configurable-http-proxy 5.2: the newest whose dependencies all support Node 20) and Lighthouse for the
## benchmarks (12: 13 needs Node 22). One install: npm removes what a later --no-save install does not name.
$(NODE_TOOLS): | $(BIN)/python
	npm install --no-save --no-audit --no-fund --prefix $(VENV)/node axe-core@4 configurable-http-proxy@~5.2.0 lighthouse@12
	touch $@

## The practice's own venv (see PRACTICE_PYTHON): JupyterHub, coachkit and the coach's tools.
## (Debian's python3 makes venvs only with python3-venv: installed when running as root.)
$(PRACTICE_BIN)/python: | $(BIN)/python
	@if $(PRACTICE_PYTHON) -c 'import ensurepip' >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv; \
	else \
		echo "A practice's venv needs python3-venv: sudo apt-get install python3-venv"; \
	fi
	$(PRACTICE_PYTHON) -m venv $(PRACTICE_VENV)

$(PRACTICE_VENV)/.installed: pyproject.toml | $(PRACTICE_BIN)/python
	$(PRACTICE_BIN)/pip install --quiet -e '.[practice]'
	touch $@

practice-deps: $(PRACTICE_VENV)/.installed postgres $(NODE_TOOLS)

## A local practice on JupyterHub (as root): PostgreSQL, two demo coaches, the Hub and its proxy.
## Prints each coach's login and a client's link; Ctrl-C stops everything (docs/practice.md).
practice: practice-deps
	$(PRACTICE_BIN)/coachkit practice start

## Unit, notebook (nbval) and browser tests; the store tests on SQLite and PostgreSQL.
## The coach's notebooks keep no outputs in git (they may show clients), so nbval only runs them.
test: test-deps
	$(BIN)/pytest --nbval tests $(WORKBOOKS)
	$(BIN)/pytest --nbval-lax $(COACH_NOTEBOOKS)

## Refresh docs/screenshots/ from the browser tests (they save to test-artifacts/ otherwise).
screenshots: test-deps
	COACHKIT_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -m "browser or hub" tests/browser tests/hub

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: test-deps
	$(BIN)/python -m benchmarks

## The client page's widget manager: frontend/ built with esbuild into coachkit/web/static/client/ (checked
## in, so `make serve` needs no Node). Run after changing frontend/src or its packages (package-lock.json).
client:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

## Re-run the worksheet notebooks so their saved outputs (compared by nbval) are current;
## strip the coach's notebooks of any outputs (they never keep any in git).
notebooks: $(VENV)/.test-installed
	COACHKIT_DATABASE_URL=sqlite:///$$(mktemp -d)/notebooks.sqlite \
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace $(WORKBOOKS)/*.ipynb
	$(BIN)/python -c 'import sys, nbformat as n; [n.write((nb := n.read(f, 4), nb.metadata.pop("widgets", None))[0], f) for f in sys.argv[1:]]' $(WORKBOOKS)/*.ipynb
	$(BIN)/nbstripout $(COACH_NOTEBOOKS)/*.ipynb

## The wheel a coach installs (`pipx install 'dist/coachkit-….whl[coach]'`): everything it needs is inside.
wheel: | $(BIN)/python
	rm -rf dist
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) .pytest_cache build dist

## coachkit's own words in every language: extract them (babel.cfg), merge them into each language's
## catalog (new ones empty, changed ones marked fuzzy for the translator), and compile the catalogs.
## tests/i18n fails while a catalog lacks a translation or its compiled .mo is older than its .po.
LOCALE := coachkit/i18n/locale
catalogs: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k words -k ngettext:1,2 --add-comments=Translators: \
		--no-wrap --sort-by-file --project=coachkit --copyright-holder=coachkit -o $(LOCALE)/coachkit.pot .
	$(BIN)/pybabel update -i $(LOCALE)/coachkit.pot -d $(LOCALE) -D coachkit --no-wrap --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALE) -D coachkit --statistics
