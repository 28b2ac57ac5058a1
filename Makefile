# pqrs — developer entry points. `make run` and `make test` work on a fresh machine with python3.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pqrs-installed
PLUGIN_PROJECTS := $(wildcard plugins/*/pyproject.toml)
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(PLUGIN_PROJECTS))
HOST ?= 127.0.0.1
PORT ?= 5000
MAIL_PORT ?= 2525
WORKERS ?= 2

# Tests behave differently on CI (PostgreSQL must be there); pass the variable through.
export CI

.DEFAULT_GOAL := help
.PHONY: help .venv run mail test test-clock wheel-check lint docs clean screenshots messages

help:
	@echo "make run    install, initialise the database, load demo data once, serve on http://$(HOST):$(PORT)"
	@echo "make mail   receive e-mail for the demo mailbox over SMTP on $(HOST):$(MAIL_PORT) (after make run's init and demo)"
	@echo "make test   install, then run every test (unit, integration, e2e, plugins)"
	@echo "make test-clock  the tests but the browser's again, at instants where Bogota's date is not UTC's (needs faketime)"
	@echo "make wheel-check  build the wheel, install it in a new virtualenv outside the tree, file a case over its API"
	@echo "make lint   ruff and mypy"
	@echo "make docs   the documentation with the API reference, in build/docs (offline; warnings are errors)"
	@echo "make clean  remove the virtualenv and the local database (var/)"
	@echo "make screenshots  pictures of the main pages in docs/screenshots/ (needs Debian's chromium)"

# The virtualenv, with pqrs and every first-party plugin installed in editable mode. Reinstalled when a
# pyproject.toml changes.
.venv: $(STAMP)

# pqrs used to be installed as the distribution "pqrs" (a name on PyPI that belongs to another project), and
# the Colombian legal terms as "pqrs-legal-co", which openpqrs now ships: an older .venv loses both, and
# their metadata in src/, before openpqrs takes their place.
STALE_DISTRIBUTIONS := pqrs pqrs-legal-co

$(STAMP): pyproject.toml $(PLUGIN_PROJECTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip uninstall --quiet --yes $(STALE_DISTRIBUTIONS) 2>/dev/null || true
	@rm -rf src/pqrs.egg-info
	$(BIN)/python -m pip install --quiet -e '.[test,docs]' $(addprefix -e ,$(PLUGIN_DIRS))
	@touch $@

# The demo organisation's letterhead for its official letters (docs/letters.md), unless set already.
run: export PQRS_ORGANISATION_NAME ?= Comercializadora Andina S.A.S.
run: export PQRS_ORGANISATION_NIT ?= 900.123.456-7
run: export PQRS_ORGANISATION_ADDRESS ?= Calle 100 No. 19-54, oficina 701
run: export PQRS_ORGANISATION_CITY ?= Bogotá D.C.
run: export PQRS_ORGANISATION_EMAIL ?= servicio@demo.example.co
run: export PQRS_ORGANISATION_LOGO ?= src/pqrs_adapters/demo/logo.svg
# The demo shows the letters' document flow: a response and its letter wait for a second person's approval.
run: export PQRS_LETTERS_APPROVAL ?= 1
# The demo's customer directory: the requester search, the public form and the 360° pages know its customers.
run: export PQRS_DEMO_CUSTOMERS ?= 1
# The demo customers' invoices, from the ERP plugin's CSV exports (docs/integrations.md).
run: export PQRS_ERP_CSV_DIR ?= demo
# The demo signs its answers (docs/official-record.md) with a throwaway certificate made at the first run
# under var/ (never committed), and prints the verification page's address on each signed letter.
run: export PQRS_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: export PQRS_SIGNING_P12 ?= var/demo-firma.p12
run: export PQRS_SIGNING_PASSWORD ?= demo
run: export PQRS_SIGNING_DEMO ?= 1
run: .venv
	$(BIN)/pqrs init
	$(BIN)/pqrs demo --if-empty
	@echo ""
	@echo "Open http://$(HOST):$(PORT)/  (Ctrl+C stops the server)"
	$(BIN)/pqrs serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

# The SMTP receiver (docs/mail.md) on the demo's database: mail sent to pqrs@demo.example.co (or to a
# case's pqrs+TOKEN@demo.example.co reply address) at $(HOST):$(MAIL_PORT) becomes a case or joins one.
mail: .venv
	$(BIN)/pqrs init
	$(BIN)/pqrs demo --if-empty
	$(BIN)/pqrs mail serve --host $(HOST) --port $(MAIL_PORT)

# The tests run in TEST_WORKERS processes (pytest-xdist): each test file whole in one of them, and the
# browser tests all in one (tests/conftest.py groups them).
TEST_WORKERS ?= 2
test: .venv
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

# The suite but the browser tests, under Debian's libfaketime at two instants where the organisation's date
# (Bogota) is not UTC's: New Year's Eve in Bogota when UTC is already in 2027 (the year of filing numbers and
# reports), and an ordinary Wednesday at 02:30 UTC with the machine's own zone in Tokyo, a day ahead of
# Bogota. Monotonic time is left alone (timed waits in threads hang otherwise), which makes time.sleep fail
# with EINVAL: tests/conftest.py then waits with select() instead. The two instants run side by side, one
# process each, as `make test`'s two workers do (one after the other they took twice as long on two cores);
# each one's output is printed when both are done, and either failing fails the target. CLOCK_TESTS narrows
# the run to some test files.
CLOCK_INSTANTS ?= 2027-01-01T04:40:00@UTC 2027-03-10T02:30:00@Asia/Tokyo
CLOCK_TESTS ?=
test-clock: .venv
	@logs=$$(mktemp -d); trap 'cat $$logs/*.log; rm -rf $$logs' EXIT; n=0; \
	for spec in $(CLOCK_INSTANTS); do n=$$((n + 1)); \
	  instant="$${spec%@*} UTC"; instant="$${instant/T/ }"; zone=$${spec#*@}; \
	  echo "== the tests at $$instant, machine zone $$zone" > $$logs/$$n.log; \
	  ( TZ=$$zone FAKETIME_DONT_FAKE_MONOTONIC=1 faketime "$$instant" \
	      $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e $(CLOCK_TESTS) >> $$logs/$$n.log 2>&1 \
	    || echo "== the tests at $$instant failed" >> $$logs/$$n.log ) & \
	done; wait; grep -q "^== the tests at .* failed$$" $$logs/*.log; [ $$? -eq 1 ]

# pqrs as a new installation gets it: the wheel built and installed in a temporary virtualenv, away from the
# repository, then `pqrs init`, a token and `pqrs serve`, and a petición filed over the API must get its legal
# deadline. Only PyPI is reached, for dependencies not yet in .venv/wheelhouse (see scripts/check_wheel.py).
wheel-check: .venv
	$(BIN)/python scripts/check_wheel.py

lint: .venv
	$(BIN)/ruff check src tests plugins examples scripts benchmarks
	$(BIN)/mypy

# docs/*.md through MyST and the API reference from the docstrings (autodoc); no network is used, and a
# warning (a broken docstring, a page left out of the table of contents) fails the build.
docs: .venv
	$(BIN)/sphinx-build -W --keep-going -q -b html docs build/docs
	@echo "Documentation in build/docs/index.html"

clean:
	rm -rf $(VENV) var

# The web pages are written in Spanish (es-CO); to translate them, extract the texts, then create a
# catalogue per language (pybabel init -i .../messages.pot -d src/pqrs_adapters/flask/translations -l en)
# and compile it (pybabel compile -d src/pqrs_adapters/flask/translations).
messages: .venv
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext -o src/pqrs_adapters/flask/translations/messages.pot .

screenshots: .venv
	$(BIN)/python scripts/screenshots.py

# Benchmarks print figures (one JSON line each, then a Markdown table) and assert nothing. `make bench`
# runs them all at 100,000 cases, on SQLite and PostgreSQL; `make bench CASES=1000000` at a million
# (about an hour per database, most of it loading). Each benchmark also runs alone with its own flags
# (see docs/performance.md), e.g. .venv/bin/python benchmarks/bench_scale.py --help
CASES ?= 100000
.PHONY: bench
bench: .venv
	$(BIN)/python benchmarks/bench_calendar.py
	$(BIN)/python benchmarks/bench_terms.py --cases $(CASES)
	$(BIN)/python benchmarks/bench_scale.py --cases $(CASES)
	$(BIN)/python benchmarks/bench_reports.py --cases $(CASES)
	$(BIN)/python benchmarks/bench_board.py --cases $(CASES)
	$(BIN)/python benchmarks/bench_http.py
