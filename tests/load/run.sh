#!/usr/bin/env bash
# `make load`: a bounded load test on loopback, outside CI. A throwaway PostgreSQL database `welcoming_load` with
# the demo town, gunicorn on 127.0.0.1 (a free port) as in production (DEBUG off; behind-the-proxy headers), and
# locust headless: 50 clients for 60 seconds over the staff screens, the API and the public pages
# (tests/load/locustfile.py). Prints one table (requests per second, p50/p95 latency, requests and errors, per
# endpoint and overall), then stops gunicorn and drops the database, whatever happened. Exits 1 on any error.
#
# Knobs: LOAD_USERS (50), LOAD_SPAWN_RATE (10/s), LOAD_SECONDS (60), LOAD_WORKERS (2 x cores + 1),
# PGHOST/PGPORT/PGUSER/PGPASSWORD (127.0.0.1, 5432, postgres).
#
# Locust lives in its own venv, .venv-load, installed from requirements-load.lock (hashes); gevent stays out of
# the app's. The collected static files (DEBUG off needs their manifest) are kept in .venv-load/static between
# runs and collected again only when static/ or requirements-dev.lock changes.
# shellcheck disable=SC2317  # cleanup and the functions it calls run from the trap, which shellcheck cannot see
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS=${LOAD_USERS:-50}
SPAWN_RATE=${LOAD_SPAWN_RATE:-10}
SECONDS_OF_LOAD=${LOAD_SECONDS:-60}
WORKERS=${LOAD_WORKERS:-$((2 * $(nproc) + 1))}
PYTHON=${PYTHON:-python3}
DB=welcoming_load
APP=.venv/bin/python
LOAD_VENV=.venv-load
LOGS="${TMPDIR:-/tmp}/welcoming-load-last"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

started=$(date +%s)
step() { printf '== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }
fail() { echo "load: $*" >&2; exit 2; }

if [ ! -x "$APP" ] || [ ! -d static/vendor/uswds ]; then
  fail "the app's venv or USWDS assets are missing: run 'make setup' first"
fi
pg_isready -q -t 10 || fail "PostgreSQL does not answer at $PGHOST:$PGPORT"

work=$(mktemp -d "${TMPDIR:-/tmp}/welcoming-load.XXXXXX")
gunicorn_pid=""
static_pid=""
# Stops gunicorn (gracefully, 20 s at most) and drops the database; safe to call twice.
stop_server() {
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    step "stopping gunicorn, dropping $DB"
    kill -TERM "$gunicorn_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  gunicorn_pid=""
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$static_pid" ]; then kill "$static_pid" 2>/dev/null || true; wait "$static_pid" 2>/dev/null || true; fi
  stop_server
  rm -rf "$LOGS"
  mkdir -p "$LOGS"
  cp "$work"/*.log "$LOGS"/ 2>/dev/null || true
  rm -rf "$work"
  [ "$status" -eq 0 ] || echo "load: logs of this run are in $LOGS" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command with its output in $work/NAME.log; on failure shows the end of it.
logged() {
  local name=$1
  shift
  if ! "$@" >>"$work/$name.log" 2>&1; then
    tail -n 40 "$work/$name.log" >&2
    fail "failed: $*"
  fi
}

lock_sum=$(sha256sum requirements-load.lock | cut -d' ' -f1)
if [ "$(cat "$LOAD_VENV/.installed" 2>/dev/null)" != "$lock_sum" ]; then
  step "locust's own venv ($LOAD_VENV, from requirements-load.lock)"
  rm -rf "$LOAD_VENV"
  "$PYTHON" -m venv "$LOAD_VENV"
  logged venv "$LOAD_VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-load.lock
  echo "$lock_sum" >"$LOAD_VENV/.installed"
fi

# The app's settings from here on: production's (DEBUG off except where a command needs the demo), behind the
# TLS proxy, on plain http, with a throwaway secret; no .env file, no e-mail, files in the work folder.
secret=$("$PYTHON" -c 'import secrets; print("load-" + secrets.token_urlsafe(60))')
STATIC_CACHE=$PWD/$LOAD_VENV/static
app_env=(
  ENV_FILE=/dev/null
  "DATABASE_URL=postgres://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$PGHOST:$PGPORT/$DB"
  "SECRET_KEY=$secret"
  "AUDIT_CHAIN_KEY=$secret-audit"
  ALLOWED_HOSTS=127.0.0.1
  PUBLIC_BASE_URL=http://127.0.0.1
  SECURE_SSL_REDIRECT=false
  SECURE_COOKIES=false
  BEHIND_TLS_PROXY=true
  EMAIL_URL=dummymail://
  "MEDIA_ROOT=$work/media"
  "STATIC_ROOT=$STATIC_CACHE"
)
app() { env "${app_env[@]}" "$@"; }

fingerprint=$({ find static -type f -printf '%P %s %T@\n' | sort; sha256sum requirements-dev.lock; } |
  sha256sum | cut -c1-32)
if [ "$(cat "$STATIC_CACHE/.fingerprint" 2>/dev/null)" != "$fingerprint" ]; then
  step "collecting static files into $STATIC_CACHE (in the background; once)"
  rm -rf "$STATIC_CACHE"
  # A plain command (not a function or subshell), so that $! is collectstatic itself and the trap can stop it.
  env "${app_env[@]}" DEBUG=false "$APP" manage.py collectstatic --no-input -v 0 >"$work/collectstatic.log" 2>&1 &
  static_pid=$!
fi

step "database $DB: migrate, roles, demo town, findings"
psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" \
  >/dev/null || fail "could not create the database $DB at $PGHOST:$PGPORT as $PGUSER"
logged setup app DEBUG=true "$APP" manage.py migrate --no-input -v 0
logged setup app DEBUG=true "$APP" manage.py createcachetable
logged setup app DEBUG=true "$APP" manage.py setup_roles
logged setup app DEBUG=true "$APP" manage.py seed_demo
logged setup app DEBUG=true "$APP" manage.py evaluate_findings

step "verified sessions and API tokens for the demo users"
logged prepare app DEBUG=false "$APP" tests/load/prepare.py "$work/data.json" --sessions 20

if [ -n "$static_pid" ]; then
  step "waiting for the static files"
  if ! wait "$static_pid"; then
    static_pid=""
    tail -n 40 "$work/collectstatic.log" >&2
    fail "collectstatic failed"
  fi
  static_pid=""
  echo "$fingerprint" >"$STATIC_CACHE/.fingerprint"
fi

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "gunicorn on 127.0.0.1:$port, $WORKERS workers"
# env execs gunicorn: $! is gunicorn's master, which the trap stops (and the master its workers).
env "${app_env[@]}" DEBUG=false .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers "$WORKERS" \
  --no-control-socket --access-logfile "$work/access.log" >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for attempt in $(seq 60); do
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$work/gunicorn.log" >&2; fail "gunicorn stopped"; }
  "$PYTHON" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" 2>/dev/null &&
    break
  [ "$attempt" -lt 60 ] || { cat "$work/gunicorn.log" >&2; fail "gunicorn did not answer /healthz in 30 s"; }
  sleep 0.5
done

step "locust: $USERS clients (spawned at $SPAWN_RATE/s) for ${SECONDS_OF_LOAD}s"
locust_status=0
LOAD_DATA="$work/data.json" LOAD_RESULTS="$work/results.json" \
  timeout --kill-after=10 $((SECONDS_OF_LOAD + 60)) "$LOAD_VENV/bin/locust" -f tests/load/locustfile.py --headless \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "${SECONDS_OF_LOAD}s" --stop-timeout 10 \
  --host "http://127.0.0.1:$port" --only-summary --loglevel WARNING >"$work/locust.log" 2>&1 || locust_status=$?
if [ ! -s "$work/results.json" ]; then
  tail -n 40 "$work/locust.log" >&2
  fail "locust ended without results (exit $locust_status)"
fi

stop_server
step "done"
report_status=0
"$LOAD_VENV/bin/python" tests/load/report.py "$work/results.json" "$work/access.log" "$work/gunicorn.log" \
  --title "make load: $USERS clients, gunicorn $WORKERS workers on $(nproc) cores, PostgreSQL" || report_status=$?
exit "$report_status"
