#!/usr/bin/env bash
# The benchmark, from nothing to bench/RESULTS.md, in one command (about 3.5 minutes):
#   bench/run.sh
# Drops and recreates the PostgreSQL database `bench`, builds the dataset, times seating
# 50,000 exam candidates with the real issue job (bench/seating.py), starts gunicorn
# (DEBUG off) and a Celery worker on Redis db 5, runs the Locust phases headless, checks
# the database against what Locust counted, writes bench/RESULTS.md, stops everything.
# Everything on loopback. Needs PostgreSQL (user postgres, trust) and Redis running.
#
# Knobs (environment): BENCH_USERS (50), BENCH_SECONDS (60, the mixed phase),
# BENCH_SPAWN_RATE (10 users/s, the mixed phase; the others start all users at once),
# BENCH_PHASE_SECONDS (15, each saturation phase), BENCH_WORKERS (2*cores+1),
# BENCH_THREADS (1: sync workers; more: gthread workers with that many threads each),
# BENCH_PORT (8765), BENCH_PG (postgres://postgres@127.0.0.1:5432),
# BENCH_REDIS (redis://127.0.0.1:6379/5), BENCH_SKIP_BUILD=1 (reuse the database),
# BENCH_SKIP_SEATING=1 (no seating run), BENCH_APPLICANTS, BENCH_POOL, BENCH_TICKETS,
# BENCH_EXAM_CANDIDATES (the dataset's sizes: 50,000, 2,000, 2,000, all the applicants).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
OUT=$ROOT/bench/out
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/submits-*.json "$OUT"/cpu-*.json "$OUT"/tickets-*.json "$OUT"/*.log "$OUT"/phases.txt

CORES=$(nproc)
USERS=${BENCH_USERS:-50}
SECONDS_MIX=${BENCH_SECONDS:-60}
SECONDS_PHASE=${BENCH_PHASE_SECONDS:-15}
WORKERS=${BENCH_WORKERS:-$((2 * CORES + 1))}
THREADS=${BENCH_THREADS:-1}
WORKER_CLASS=sync
[ "$THREADS" -gt 1 ] && WORKER_CLASS=gthread
PORT=${BENCH_PORT:-8765}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
HOST=http://127.0.0.1:$PORT

export DATABASE_URL=$PG/bench
export REDIS_URL=${BENCH_REDIS:-redis://127.0.0.1:6379/5}
export DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600 LOG_LEVEL=WARNING
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop
export BENCH_OUT=$OUT
export DJANGO_SETTINGS_MODULE=bench.settings

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== machine: $CORES cores; gunicorn workers: $WORKERS; users: $USERS"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
  redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
  "$PY" scripts/compile_messages.py >/dev/null
  "$PY" manage.py migrate --noinput -v0
  echo "== dataset"
  "$PY" bench/build_dataset.py --out "$OUT/dataset.json"
  if [ -z "${BENCH_SKIP_SEATING:-}" ]; then
    echo "== seating (the real issue job, twice)"
    rm -f "$OUT/seating.json"
    "$PY" bench/seating.py --out "$OUT/seating.json" || echo "seating: a check failed (see above)"
  fi
fi
"$PY" manage.py collectstatic --noinput -v0

echo "== gunicorn ($WORKERS workers) and a Celery worker"
"$ROOT/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --worker-class "$WORKER_CLASS" --threads "$THREADS" --backlog 2048 --log-level warning >"$OUT/gunicorn.log" 2>&1 &
PIDS+=($!)
"$ROOT/.venv/bin/celery" -A portal worker --loglevel WARNING --concurrency 1 >"$OUT/celery.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "$HOST/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$HOST/healthz" || { echo "gunicorn did not come up"; cat "$OUT/gunicorn.log"; exit 1; }
echo

# A phase: name, seconds, user classes. Same Locust client and user count for every phase.
phase() {
  local name=$1 seconds=$2
  shift 2
  echo "== phase $name (${seconds}s): $*"
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  "$PY" bench/cpu_snapshot.py "$OUT/cpu-$name-before.json"
  BENCH_PHASE=$name "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless \
    -u "$USERS" -r "${SPAWN_RATE:-$USERS}" -t "${seconds}s" --host "$HOST" --csv "$OUT/$name" \
    --only-summary --loglevel WARNING --stop-timeout 10 "$@" >"$OUT/locust-$name.log" 2>&1 || true
  "$PY" bench/cpu_snapshot.py "$OUT/cpu-$name-after.json"
  echo "$name $seconds $load_before $(cut -d' ' -f1 /proc/loadavg) $*" >>"$OUT/phases.txt"
  grep -E "^ +Aggregated" "$OUT/locust-$name.log" | head -n 1 || true
}

date -u +%FT%TZ >"$OUT/started"
cut -d" " -f1-3 /proc/loadavg >"$OUT/load_start"
phase trivial "$SECONDS_PHASE" TrivialUser
phase detail "$SECONDS_PHASE" DetailUser
phase list "$SECONDS_PHASE" ListUser
phase ticket "$SECONDS_PHASE" TicketUser
# The machine is shared and noisy: measure the ceiling again, ratios use the mean of both.
phase trivial2 "$SECONDS_PHASE" TrivialUser
phase queue "$SECONDS_PHASE" QueueUser
phase status "$SECONDS_PHASE" StatusUser
# The mix ramps up at 10 users a second (all 50 logging in within the same second is a
# thundering herd no evening sees); its figures include the ramp.
SPAWN_RATE=${BENCH_SPAWN_RATE:-10} phase mix "$SECONDS_MIX" AnonymousVisitor Applicant Reviewer TicketHolder

# Let the Celery worker drain what the run queued before checking.
sleep 2
echo "== correctness check"
"$PY" bench/check.py --out "$OUT/check.json" || true
echo "== report"
"$PY" bench/report.py --out bench/RESULTS.md
echo "bench/RESULTS.md written"
