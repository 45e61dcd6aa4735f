# Two commands: `make run` starts the product with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev

.PHONY: run test test-fast test-e2e install messages migrate demo lint format check clean bench

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore='.venv/*' -v 0

migrate: messages
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	@echo "Mở http://127.0.0.1:8000 — trang quản trị: http://127.0.0.1:8000/admin/"
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite, browser tests included (they need Debian's chromium: apt-get install chromium).
test: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

test-e2e: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $$(git ls-files '*.html')

check: messages
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
