# The README's two commands: `make run` and `make test`. Everything else is a helper.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= $(shell command -v python3.12 || command -v python3)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test fuzz load crash format messages clean-venv

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/dianjiao run --host $(HOST) --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/dianjiao makemigrations --check --dry-run
	$(BIN)/ruff check dianjiao tests
	$(BIN)/ruff format --check dianjiao tests
	$(BIN)/pytest $(PYTEST_ARGS)

# The hostile-input fuzz of every form (tests/test_fuzz.py) at length: FUZZ_EXAMPLES random
# examples per form and persona instead of the suite's 2 derandomized ones; the figures
# (requests, statuses) go to var/fuzz-report.json (see docs/reliability.md).
FUZZ_EXAMPLES ?= 25
fuzz: $(BIN)/.installed
	mkdir -p var
	DIANJIAO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DIANJIAO_FUZZ_RANDOM=1 \
	DIANJIAO_FUZZ_REPORT=var/fuzz-report.json $(BIN)/pytest -q -p no:cacheprovider tests/test_fuzz.py
	cat var/fuzz-report.json

# The load test (tests/ops/test_load.py) at length: LOAD_USERS operators recording sessions
# through the real form while the station reads its pages, for LOAD_SECONDS (CI runs 25 s);
# the figures (requests, p95 per page, sessions acknowledged and stored) go to var/load-report.json.
# On SQLite the test database is a file under var/ (the suite's rerun in a subprocess has a 5-minute cap).
LOAD_USERS ?= 50
LOAD_SECONDS ?= 300
load: $(BIN)/.installed
	mkdir -p var
	TEST_SQLITE_NAME=$(CURDIR)/var/load-test.sqlite3 \
	DIANJIAO_LOAD_USERS=$(LOAD_USERS) DIANJIAO_LOAD_SECONDS=$(LOAD_SECONDS) \
	$(BIN)/pytest -q -p no:cacheprovider tests/ops/test_load.py
	cat var/load-report.json

# The crash test (tests/ops/test_crash.py): CRASH_KILLS SIGKILLs of the server mid-write (CI: 50);
# CRASH_COLD=1 starts `dianjiao serve` from cold for every kill. Figures in var/crash-report.json.
CRASH_KILLS ?= 50
CRASH_COLD ?= 0
crash: $(BIN)/.installed
	mkdir -p var
	TEST_SQLITE_NAME=$(CURDIR)/var/crash-test.sqlite3 \
	DIANJIAO_CRASH_KILLS=$(CRASH_KILLS) DIANJIAO_CRASH_COLD=$(CRASH_COLD) \
	$(BIN)/pytest -q -p no:cacheprovider tests/ops/test_crash.py
	cat var/crash-report.json

format: $(BIN)/.installed
	$(BIN)/ruff format dianjiao tests
	$(BIN)/ruff check --fix dianjiao tests

# Chinese is the source language; English is the translation. Needs gettext's msgfmt.
messages: $(BIN)/.installed
	cd dianjiao && ../$(BIN)/dianjiao makemessages -l en -i '.venv' --no-obsolete
	cd dianjiao && ../$(BIN)/dianjiao compilemessages -l en -i '.venv'
