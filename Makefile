# Communiqué — the commands a newcomer needs.
#   make run    install into .venv and serve the demo site on http://127.0.0.1:8000/
#   make test   install into .venv, lint, and run the test suite

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt install clean messages

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/communique demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues (needs GNU gettext), e.g. LANG=fa.
messages: $(STAMP)
	cd src/communique && ../../$(BIN)/communique makemessages --locale $${LANG_CODE:-fa} --ignore 'pytest_plugin.py'
	cd src/communique && ../../$(BIN)/communique compilemessages

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
