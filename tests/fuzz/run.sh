#!/usr/bin/env bash
# `make fuzz`: schemathesis over a live server, as an outsider would run it, outside CI. A throwaway PostgreSQL
# database `welcoming_fuzz` with the demo town, gunicorn on 127.0.0.1 (a free port) with DEBUG off, and
# `schemathesis run --checks all` over /api/schema/ signed out and then as every demo role, each with its own API
# token, with the project's schemathesis.toml. Prints each run's summary and one line a role, then stops
# gunicorn and drops the database, whatever happened. Exits 1 if any run found a failure.
#
# Knobs: FUZZ_EXAMPLES (50 a phase and operation), FUZZ_SEED (1), FUZZ_ROLES (all: anonymous and every demo
# user), PGHOST/PGPORT/PGUSER/PGPASSWORD (127.0.0.1, 5432, postgres). The suite's own schemathesis test runs
# the same checks in CI with fewer examples (tests/welcoming/test_api_schemathesis.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

EXAMPLES=${FUZZ_EXAMPLES:-50}
SEED=${FUZZ_SEED:-1}
PYTHON=${PYTHON:-python3}
DB=welcoming_fuzz
APP=.venv/bin/python
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

[ -x "$APP" ] || { echo "fuzz: the app's venv is missing: run 'make setup' first" >&2; exit 2; }
pg_isready -q -t 10 || { echo "fuzz: PostgreSQL does not answer at $PGHOST:$PGPORT" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/welcoming-fuzz.XXXXXX")
gunicorn_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$gunicorn_pid" ]; then kill -TERM "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" || true; fi
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Production's settings, on plain http, with throwaway secrets and rate limits high enough that the runs reach
# the operations rather than the throttle (which has its own tests).
secret=$("$PYTHON" -c 'import secrets; print("fuzz-" + secrets.token_urlsafe(60))')
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ENV_FILE=/dev/null DEBUG=false "SECRET_KEY=$secret" "AUDIT_CHAIN_KEY=$secret-audit" ALLOWED_HOSTS=127.0.0.1 \
  PUBLIC_BASE_URL=http://127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false EMAIL_URL=dummymail:// "MEDIA_ROOT=$work/media" \
  "STATIC_ROOT=$work/static" API_RATE_USER=100000/minute API_RATE_ANON=100000/minute \
  "DATABASE_URL=postgres://$PGUSER${PGPASSWORD:+:$PGPASSWORD}@$PGHOST:$PGPORT/$DB"

echo "== database $DB: migrate, roles, demo town, findings"
psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
for command in "migrate --no-input" createcachetable setup_roles seed_demo evaluate_findings; do
  # shellcheck disable=SC2086  # the command and its options are words
  DEBUG=true "$APP" manage.py $command -v 0 >>"$work/setup.log" 2>&1 || { tail -n 40 "$work/setup.log" >&2; exit 2; }
done
"$APP" manage.py collectstatic --no-input -v 0 >>"$work/setup.log" 2>&1
tokens=$("$APP" tests/fuzz/tokens.py)

echo "== gunicorn on 127.0.0.1:$port"
.venv/bin/gunicorn config.wsgi -b "127.0.0.1:$port" -w 3 >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/docket/" 2>/dev/null && break; sleep 0.2; done

schema_file="$work/schema.json"
curl -fsS -H "Authorization: Bearer $(echo "$tokens" | awk '$1 == "clerk" {print $2}')" \
  "http://127.0.0.1:$port/api/schema/?format=json" -o "$schema_file"

failed=0
summary=""
roles=${FUZZ_ROLES:-anonymous $(echo "$tokens" | awk '{print $1}' | tr '\n' ' ')}
for role in $roles; do
  echo "== schemathesis as $role ($EXAMPLES examples, seed $SEED)"
  auth=()
  [ "$role" = anonymous ] || auth=(-H "Authorization: Bearer $(echo "$tokens" | awk -v r="$role" '$1 == r {print $2}')")
  if .venv/bin/schemathesis --no-color run "$schema_file" --url "http://127.0.0.1:$port" --checks all "${auth[@]}" \
    --max-examples "$EXAMPLES" --seed "$SEED" >"$work/$role.log" 2>&1; then
    result=passed
  else
    result=FAILED
    failed=1
  fi
  # What it found (failures, errors) and its summary; the passing operations' lines are left out.
  sed -n '/^=* \(FAILURES\|ERRORS\|SUMMARY\) =*$/,$p' "$work/$role.log"
  summary+=$(printf '%-18s %s: %s\n' "$role" "$result" "$(tail -n 1 "$work/$role.log" | tr -d '=')")$'\n'
done
echo "== by role"
printf '%s' "$summary"
exit "$failed"
