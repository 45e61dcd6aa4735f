# Two commands: `make run` starts the product with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev
# Message catalogues: source strings are Vietnamese; English is the second language.
VI_PO := locale/vi/LC_MESSAGES/django.po
EN_PO := locale/en/LC_MESSAGES/django.po
MAKEMESSAGES_FLAGS := -l vi -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests \
	--ignore=bench --ignore=docs --ignore=build

.PHONY: run test test-fast test-e2e install messages messages-update migrate demo lint format \
	check clean bench

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,production]'
	@touch $(STAMP)

install: $(STAMP)

# Compile the catalogues (.mo files are build output, not committed). Needs gettext's msgfmt.
messages: install
	@if [ ! -d locale ]; then \
		echo "Chưa có thư mục locale/: bỏ qua biên dịch bản dịch."; \
	elif command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='var/*' -v 0; \
	else \
		echo "Cảnh báo: thiếu gettext (apt-get install gettext); giao diện tiếng Anh sẽ không có."; \
	fi

# Re-extract strings after changing code. The Vietnamese catalogue is rebuilt from the sources
# (msgstr = msgid, one plural form); English keeps its translations, and entries whose source
# changed lose their old translation (never shipped fuzzy). Untranslated English is listed at
# the end: translate it in locale/en/LC_MESSAGES/django.po (tests/test_i18n.py checks).
messages-update: install
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py makemessages --keep-pot $(MAKEMESSAGES_FLAGS)
	msgen --no-wrap -o $(VI_PO).tmp locale/django.pot
	rm -f locale/django.pot
	msgattrib --no-wrap --clear-fuzzy -o $(VI_PO).tmp $(VI_PO).tmp
	sed -i -e 's/^"Language: .*\\n"$$/"Language: vi\\n"/' \
		-e '/^"Plural-Forms:/d' -e '/^"Content-Transfer-Encoding/a "Plural-Forms: nplurals=1; plural=0;\\n"' $(VI_PO).tmp
	awk '/^msgstr\[[1-9]\] /{skip=1; next} skip && /^"/{next} {skip=0; print}' $(VI_PO).tmp > $(VI_PO)
	rm -f $(VI_PO).tmp
	msgattrib --no-wrap --clear-fuzzy --empty -o $(EN_PO) $(EN_PO)
	msgattrib --no-wrap --clear-previous -o $(EN_PO) $(EN_PO)
	msgfmt --check --statistics -o /dev/null $(VI_PO)
	msgfmt --check --statistics -o /dev/null $(EN_PO)
	@echo "Chưa dịch sang tiếng Anh (điền vào $(EN_PO)):"
	@msgattrib --no-wrap --untranslated --no-obsolete $(EN_PO) | grep '^msgid' | tail -n +2 || true

migrate: messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo --port $(PORT)

run: demo
	@echo ""
	@echo "Mở http://127.0.0.1:$(PORT)/ — trang quản trị: http://127.0.0.1:$(PORT)/admin/ (Ctrl+C để dừng)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite, browser tests included (they need Debian's chromium: apt-get install chromium).
# Tests marked celery_worker run only when CELERY_BROKER_URL is set (see tests/conftest.py).
test: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -n 2 --dist loadfile -m "not e2e" $(PYTEST_ARGS)

test-e2e: messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest -m e2e $(PYTEST_ARGS)

# Benchmarks are never part of the test run. A benchmark is a bench/*.py script with a
# `__main__` block; each prints one JSON object as its last line. BENCH=bench/x.py runs one.
BENCH ?= $(shell grep -l '^if __name__ == "__main__":' bench/*.py 2>/dev/null)
bench: install
	@set -e; for script in $(BENCH); do echo "==> $$script"; $(PY) $$script; done

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
