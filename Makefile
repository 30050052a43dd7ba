# Incubator: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in emails point at the address `make run` serves (set BASE_URL to override).
BASE_URL ?= http://$(HOST):$(PORT)
export FLASK_APP := wsgi

.PHONY: run test install install-dev assets translations translations-update lint format serve scheduler bench bench-quick bench-reminders clean

# The built-in development key works only where INCUBATOR_ENV says development or
# testing (config.py); `make serve`, `make scheduler` and deployments need SECRET_KEY.
run bench bench-quick bench-reminders: export INCUBATOR_ENV = development
test: export INCUBATOR_ENV = testing

run: install assets translations
	$(BIN)/flask db upgrade
	$(BIN)/flask regions load
	$(BIN)/flask seed-demo --if-empty
	SCHEDULER_IN_PROCESS=1 BASE_URL=$(BASE_URL) $(BIN)/flask run --host $(HOST) --port $(PORT)

# Coverage of incubator/ is reported (modules not fully covered) and must stay above
# the floor in pyproject.toml ([tool.coverage.report] fail_under). Tests run in one
# process per core (pytest-xdist; a worker that runs out steals from the other, so the
# long browser and load tests do not leave one core idle at the end); TEST_WORKERS=0
# runs them in this process.
TEST_WORKERS ?= auto
test: install-dev assets translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --cov --cov-report=term:skip-covered

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

static/vendor/.built: package.json package-lock.json scripts/build-vendor.mjs
	npm ci --no-audit --no-fund
	npm run build

assets: static/vendor/.built

translations: install
	$(BIN)/pybabel -q compile -d translations

# After changing user-facing text: extract it, then translate translations/id/.../messages.po.
translations-update: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o translations/messages.pot incubator templates
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: install assets translations
	$(BIN)/flask db upgrade
	$(BIN)/flask regions load
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 wsgi:app

scheduler: install
	$(BIN)/flask scheduler

# Page benchmarks (bench/README.md): gunicorn + wrk, beside the lean page. Not part of
# `make test`. BENCH_DATABASE_URL (a scratch PostgreSQL database: it is WIPED) adds
# PostgreSQL to the full set; BENCH_SECONDS sets the length of each wrk run.
BENCH_SECONDS ?= 10
comma := ,
bench: install-dev assets translations
	$(BIN)/python -m bench.pages --innovations 100,1000,10000 \
		--databases sqlite$(if $(BENCH_DATABASE_URL),$(comma)postgresql --postgres "$(BENCH_DATABASE_URL)") \
		--duration $(BENCH_SECONDS) --output bench/RESULTS.md

# N = 1,000 on SQLite, 2 s per run: under 2 minutes.
bench-quick: install-dev assets translations
	$(BIN)/python -m bench.pages --innovations 1000 --databases sqlite --duration 2 --warmup 1

# Reminders: enqueue over 100,000 milestones, deliver 2,000 messages (SQLite, and
# PostgreSQL with BENCH_DATABASE_URL).
bench-reminders: install-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache
