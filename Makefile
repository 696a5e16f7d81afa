# JobTrax: `make run` serves the app on SQLite with a worker and beat; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run staff test lint format install install-dev extension

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	DJANGO_DEBUG=true $(BIN)/python -m jobtrax.devrun

# make staff EMAIL=you@example.com ROLE=support|privacy|ops: a staff account on the `make run` set-up
staff: $(VENV)/.installed
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --verbosity 0
	DJANGO_DEBUG=true $(BIN)/python manage.py create_staff --email "$(EMAIL)" --role "$(ROLE)"

test: $(VENV)/.installed-dev
	SECRET_KEY=test-only-not-secret SECURE_HTTPS=false STATIC_MANIFEST=false $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# make extension: dist/jobtrax-chromium.zip and dist/jobtrax-firefox.zip, reproducibly; the
# popup suggests EXTENSION_DEFAULT_SERVER (default https://jobtrax.example).
extension:
	$(PYTHON) extension/build.py --out dist
