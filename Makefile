# Cairn: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
VENDOR := cairn/web/static/vendor
export CAIRN_DATA_DIR ?= $(CURDIR)/instance

.PHONY: install install-test assets translations translations-update run test lint lint-imports typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Front-end files come from registry packages, pinned in package.json / package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/@scottish-government/design-system/dist/css/design-system.min.css $(VENDOR)/
	cp node_modules/@scottish-government/design-system/dist/scripts/design-system.js $(VENDOR)/
	rm -rf $(VENDOR)/images && cp -r node_modules/@scottish-government/design-system/dist/images $(VENDOR)/images
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js
	touch $@

assets: $(VENDOR)/.copied

# Catalogues (.po) are under version control; the compiled .mo files are built here.
TRANSLATIONS := cairn/web/translations
# Keep these options in step with tests/i18n/test_catalogues.py.
EXTRACT_OPTIONS := -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project=Cairn -c TRANSLATORS:
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) 2>&1 | grep -v '^compiling' || true
	@ls $(TRANSLATIONS)/*/LC_MESSAGES/messages.mo >/dev/null

# After adding or changing text: extract every string, then add new ones to each catalogue.
# Then write the Gaelic in cairn/web/translations/gd/LC_MESSAGES/messages.po (a test insists).
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract $(EXTRACT_OPTIONS) -o $(TRANSLATIONS)/messages.pot cairn
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete
	rm $(TRANSLATIONS)/messages.pot
	$(MAKE) translations

install: $(VENV)/.installed assets translations

run: install
	CAIRN_ENV=$${CAIRN_ENV:-development} $(BIN)/cairn demo-data
	CAIRN_ENV=$${CAIRN_ENV:-development} $(BIN)/cairn run --host $(HOST) --port $(PORT)

install-test: install $(VENV)/.installed-test

lint: install-test lint-imports
	$(BIN)/ruff check .

# The layers and contexts of docs/architecture.md, as contracts in .importlinter.
lint-imports: install-test
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/mypy

CHROMIUM := /usr/bin/chromium
# Test processes in parallel (pytest-xdist): most tests wait on I/O, so more than the cores.
PYTEST_WORKERS ?= 4
pytest: install-test translations
	@test -x $(CHROMIUM) || { echo "The browser tests need Debian's Chromium at $(CHROMIUM): run 'apt-get install chromium' (.ci/run does)."; exit 1; }
	@test -f $(VENDOR)/axe.min.js || { echo "The browser tests need axe-core: run 'make assets'."; exit 1; }
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install-test
	$(BIN)/python -m bench $(if $(BIG),--big,)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) build *.egg-info
