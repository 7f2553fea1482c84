# Two commands: `make run` serves Leerplein, `make test` runs the whole suite.
# Both set everything up first on a fresh machine (Python 3.11+ and make).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint translations bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The server needs only requirements.txt; the tests add their clients (requests,
# the Socket.IO client, Playwright), which a serving process would also load.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python wsgi.py --host $(HOST) --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .

translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o /tmp/leerplein-messages.pot .
	$(BIN)/pybabel update -i /tmp/leerplein-messages.pot -d community/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d community/translations

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/communities.py
	$(BIN)/python benchmarks/thread_page.py
	$(BIN)/python benchmarks/login_timing.py
	$(BIN)/python benchmarks/qa.py
	$(BIN)/python benchmarks/insight.py --quiet
	$(BIN)/python benchmarks/feed.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/serving.py

clean:
	rm -rf $(VENV) .pytest_cache
