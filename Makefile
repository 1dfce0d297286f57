# Engage: the commands that matter. Each installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export ENGAGE_ENV ?= development

.PHONY: run test lint translations install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes. ENGAGE_SEMANTIC=1 adds the optional
# semantic backend (sentence-transformers with the CPU build of PyTorch).
comma := ,
EXTRAS := dev$(if $(filter 1,$(ENGAGE_SEMANTIC)),$(comma)semantic)
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
$(STAMP): pyproject.toml | $(BIN)/python
	$(if $(filter 1,$(ENGAGE_SEMANTIC)),$(BIN)/python -m pip install --quiet torch==2.13.0)
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/engage db upgrade
	$(BIN)/engage demo
	$(BIN)/engage run --host $(HOST) --port $(PORT)

test: $(STAMP)
	ENGAGE_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff, and the import-linter contracts in pyproject.toml (the layers and features).
lint: $(STAMP)
	$(BIN)/ruff check engage surveys analysis tests bench
	$(BIN)/ruff format --check engage surveys analysis tests bench
	$(BIN)/lint-imports

# Extract UI strings, update every catalog, compile them.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 -k N_ -k NP_:1,2 -o translations/messages.pot --project Engage --copyright-holder "Engage contributors" .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations
	$(BIN)/pybabel compile --statistics -d translations

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
