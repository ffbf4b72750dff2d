# The single entry point. `make run` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# A local http run: debug on, no https redirect or secure-only cookies. Production sets none of these.
LOCAL_ENV := DEBUG=true SECURE_COOKIES=false SECURE_SSL_REDIRECT=false
USWDS := node_modules/@uswds/uswds/dist
VENDOR := static/vendor/uswds

# The tests run on this many processes (pytest-xdist; CI's machine has two cores). The unit tests go a file to a
# worker, so a file's tests share their fixtures and order; each browser test stands alone. WORKERS=0: one process.
WORKERS ?= 2

.PHONY: system run town setup test e2e lint format bench bench-import bench-figures lock assets clean messages backup restore load fuzz screenshots
LANGUAGE_CODES := es pt_BR ht zh_Hans vi

$(BIN)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# USWDS's compiled assets are copied into the static files (self-hosted: no CDN).
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp -r $(USWDS)/css $(USWDS)/fonts $(USWDS)/img $(USWDS)/js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.copied

# The system packages the README lists, checked before anything else; the tests and the browser need more.
system:
	@$(PYTHON) scripts/check_system.py $(SYSTEM_NEEDS)

# (No collectstatic: the local server and the tests serve static files from their sources; the Docker image
# collects and compresses them once, at build.)
setup: system $(BIN)/.installed assets
	$(LOCAL_ENV) $(MANAGE) migrate --no-input -v 0
	$(LOCAL_ENV) $(MANAGE) createcachetable
	$(LOCAL_ENV) $(MANAGE) setup_roles
	$(LOCAL_ENV) $(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules

run: setup
	$(LOCAL_ENV) $(MANAGE) seed_demo
	$(LOCAL_ENV) $(MANAGE) evaluate_findings
	@echo "Demo data, not a real town. Sign in at http://127.0.0.1:8000 as clerk, chief, admin… (password"
	@echo "welcoming-demo); one-time codes: DEBUG=true .venv/bin/python manage.py demo_codes"
	$(LOCAL_ENV) $(MANAGE) runserver 127.0.0.1:8000

# The same set-up, then the whole suite except the browser tests; honours DATABASE_URL (CI: PostgreSQL).
# A real town on the database DATABASE_URL names (README, "Setting up your town"): never the demo's database.
town: system $(BIN)/.installed assets
	$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(MANAGE) start_town

test: SYSTEM_NEEDS := --tests
test: setup
	$(BIN)/pytest -m "not e2e" -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

e2e: SYSTEM_NEEDS := --tests --browser
e2e: setup
	$(BIN)/pytest -m "e2e and not screenshots" tests/e2e -n $(WORKERS) $(PYTEST_ARGS)

# The README's screenshots (docs/screenshots/), taken in the browser with the demo town's data.
screenshots: SYSTEM_NEEDS := --browser
screenshots: setup
	$(BIN)/pytest -m screenshots tests/e2e $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_boundaries.py
	$(LOCAL_ENV) $(MANAGE) makemigrations --check --dry-run

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Collect the strings marked for translation into locale/<language>/LC_MESSAGES/django.po.
messages: $(BIN)/.installed
	$(LOCAL_ENV) $(MANAGE) makemessages $(addprefix -l ,$(LANGUAGE_CODES)) --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete --no-wrap

# Every screen's server time and queries at the demo's size, 10× and FACTOR units (the default: over 100,000
# detainers), beside Django's admin changelist of the same records and the framework's floor (README).
bench: $(BIN)/.installed assets
	$(LOCAL_ENV) $(BIN)/python tests/bench/pages_bench.py $(or $(FACTOR),6200)

# The older, narrower benchmarks: an import of ROWS generated rows; the figures and signing at FACTOR units.
bench-import: $(BIN)/.installed assets
	$(LOCAL_ENV) $(BIN)/python tests/bench/import_bench.py $(or $(ROWS),10000)

bench-figures: $(BIN)/.installed assets
	$(LOCAL_ENV) $(BIN)/python tests/bench/figures_bench.py $(or $(FACTOR),100)

# The database and the uploaded files (signed report PDFs among them) into backups/; OUT=path names the file.
# Honours DATABASE_URL like the app (pg_dump for PostgreSQL, SQLite's online backup API locally); locally, run
# it as `DEBUG=true make backup`, since production settings refuse to start without a secret key.
backup: $(BIN)/.installed
	$(MANAGE) backup_data $(if $(OUT),--output $(OUT))

# Replaces the whole database and puts the files back: make restore FILE=backups/welcoming-<time>.dump YES=1
# (without YES=1 it only says what it would do).
restore: $(BIN)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/welcoming-<time>.dump (or .sqlite3) YES=1"; exit 2; }
	$(MANAGE) restore_data $(FILE) $(if $(YES),--yes)

# A bounded load test on loopback, outside CI: a throwaway PostgreSQL database, gunicorn as in production, and
# locust (in its own .venv-load, from requirements-load.lock) playing 50 clients for 60 s; prints one table.
load: setup
	tests/load/run.sh

# schemathesis, all checks, over a live server signed out and as every demo role (tests/fuzz/run.sh): outside CI,
# where the suite runs the same checks with fewer examples. FUZZ_EXAMPLES=50 a phase and operation.
fuzz: setup
	tests/fuzz/run.sh

# Re-resolve the lock files from pyproject.toml: requirements.lock for production (the Docker image),
# requirements-dev.lock adds the test and lint tools. uv is fetched into the venv for this.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock: $(BIN)/.installed
	$(BIN)/pip install --quiet uv
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -o requirements-dev.lock

clean:
	rm -rf $(VENV) .venv-load node_modules $(VENDOR) staticfiles
