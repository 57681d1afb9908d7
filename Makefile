# The README's two commands: `make run` and `make test`. Everything else is a helper.
VENV   := .venv
BIN    := $(VENV)/bin
PYTHON ?= $(shell command -v python3.12 || command -v python3)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test fuzz format messages clean-venv

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

format: $(BIN)/.installed
	$(BIN)/ruff format dianjiao tests
	$(BIN)/ruff check --fix dianjiao tests

# Chinese is the source language; English is the translation. Needs gettext's msgfmt.
messages: $(BIN)/.installed
	cd dianjiao && ../$(BIN)/dianjiao makemessages -l en -i '.venv' --no-obsolete
	cd dianjiao && ../$(BIN)/dianjiao compilemessages -l en -i '.venv'
