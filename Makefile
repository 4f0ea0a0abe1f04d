# Communiqué — the commands a newcomer needs.
#   make run    install into .venv and serve the demo site on http://127.0.0.1:8000/
#   make test   install into .venv, lint, and run the test suite
#   make screenshots   write PNGs of the key pages to docs/screenshots/

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The browser tests' axe-core and Nu HTML Checker come from npm (package.json).
# Without npm they are skipped, with the reason, and everything else still runs.
NODE_STAMP := node_modules/.installed
ifneq ($(shell command -v npm 2>/dev/null),)
BROWSER_TOOLS := $(NODE_STAMP)
endif

.PHONY: run test lint fmt install clean messages screenshots captcha-gallery bench bench-load

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# --ignore-scripts: vnu-jar's install script would download a Java runtime; we
# use the system's. A failure (e.g. offline) only leaves the browser tests to skip.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts && touch $@ \
	  || echo "npm ci failed: the browser tests will be skipped (they fail when CI=true)."

run: $(STAMP)
	$(BIN)/communique demo

test: $(STAMP) $(BROWSER_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs Debian's chromium (apt-get install chromium).
screenshots: $(STAMP)
	$(BIN)/python -m tests.browser.screenshots

# Twenty example CAPTCHA images in docs/captcha/.
captcha-gallery: $(STAMP)
	$(BIN)/python bench/captcha_gallery.py

# Benchmarks, not part of `make test`: page speed against nginx and through
# Varnish (installs wrk and nginx with apt when missing; Varnish rows need
# varnish and varnish-modules), the page over a slow link in Chromium, cost at
# scale, CAPTCHA drawing and OCR, and comments posted under load.
bench: $(STAMP)
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/render_cost.py
	$(BIN)/python bench/slow_link.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/captcha_bench.py
	$(BIN)/python bench/load_comments.py

# 2,000 comments from 50 clients, nothing lost; LOAD_ARGS="--database postgres".
bench-load: $(STAMP)
	$(BIN)/python bench/load_comments.py $(LOAD_ARGS)

# Refresh a translation catalogue after strings changed: extract them into
# src/communique/locale/<code>/LC_MESSAGES/django.po (needs GNU gettext's
# xgettext and msgmerge), then compile the .mo in pure Python and list what is
# still untranslated. LANG_CODE=ar (etc.) starts or refreshes another language.
# See docs/translating.md.
LANG_CODE ?= fa
messages: $(STAMP)
	cd src/communique && COMMUNIQUE_DATA_DIR=$(CURDIR)/var ../../$(BIN)/communique makemessages \
	  --locale $(LANG_CODE) --ignore 'pytest_plugin.py' --add-location file --no-obsolete
	COMMUNIQUE_DATA_DIR=$(CURDIR)/var $(BIN)/communique compile_catalogues --locale $(LANG_CODE)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache node_modules
