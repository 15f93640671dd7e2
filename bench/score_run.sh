#!/usr/bin/env bash
# Results day (issue 16): the score query (成绩查询) of 50,000 candidates with published
# scores, in one command:
#   bench/score_run.sh            (about 10 minutes on a loaded 2-core host)
# Builds the bench dataset in its own database ($BENCH_DB, default bench_h16: never the
# `bench` database bench/run.sh drops) with bench/build_dataset.py, adds the scored
# announcement with bench/score_dataset.py, starts gunicorn (DEBUG off, 2*cores+1 sync
# workers) and a Celery worker, and runs the Locust phases with the same client and 50 users:
#
#   trivial   the trivial view (the framework's ceiling)
#   score     the score query page, each user its own candidate's session, no think time
#   trivial2  the trivial view again (the host drifts: ratios use the mean of both)
#   mix       the realistic mix of bench/run.sh (AnonymousVisitor, Applicant, Reviewer,
#             TicketHolder) plus ScoreHolder (log in, score query, score detail, score
#             query), think time 0.5–2 s, ramp 10 users/s, 60 s
#
# bench/score_report.py writes bench/SCORE_SURGE.md from the CSV files (bench/out/score/).
# Knobs: BENCH_PG, BENCH_DB (bench_h16), BENCH_PORT (8816), BENCH_REDIS
# (redis://127.0.0.1:6379/2), BENCH_SKIP_BUILD=1 (reuse the database), BENCH_PHASE_SECONDS
# (15), BENCH_SECONDS (60), BENCH_USERS (50), BENCH_SCORE_CANDIDATES (50,000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
OUT=$ROOT/bench/out/score
mkdir -p "$OUT"

CORES=$(nproc)
USERS=${BENCH_USERS:-50}
SECONDS_MIX=${BENCH_SECONDS:-60}
SECONDS_PHASE=${BENCH_PHASE_SECONDS:-15}
WORKERS=$((2 * CORES + 1))
PORT=${BENCH_PORT:-8816}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-bench_h16}
HOST=http://127.0.0.1:$PORT

export DATABASE_URL=$PG/$DB
export REDIS_URL=${BENCH_REDIS:-redis://127.0.0.1:6379/2}
export PRIVATE_MEDIA_ROOT=/tmp/h16-score-bench/media
export DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600 LOG_LEVEL=WARNING
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop
export DJANGO_SETTINGS_MODULE=bench.settings
export BENCH_OUT=$OUT
mkdir -p "$PRIVATE_MEDIA_ROOT"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== machine: $CORES cores; gunicorn workers: $WORKERS; users: $USERS; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
  "$PY" manage.py migrate --noinput -v0
  echo "== dataset ($(date -u +%T))"
  "$PY" bench/build_dataset.py --out "$OUT/dataset.json" >"$OUT/build.log"
  echo "== scored announcement ($(date -u +%T))"
  "$PY" bench/score_dataset.py --dataset "$OUT/dataset.json"
fi
rm -f "$OUT"/*.csv "$OUT"/locust-*.log "$OUT"/phases.txt
"$PY" manage.py collectstatic --noinput -v0

"$ROOT/.venv/bin/gunicorn" portal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --backlog 2048 --log-level warning >"$OUT/gunicorn.log" 2>&1 &
PIDS+=($!)
"$ROOT/.venv/bin/celery" -A portal worker --loglevel WARNING --concurrency 1 >"$OUT/celery.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do
  curl -fs "$HOST/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$HOST/healthz" >/dev/null || { echo "gunicorn did not come up"; cat "$OUT/gunicorn.log"; exit 1; }

phase() {
  local name=$1 seconds=$2
  shift 2
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  BENCH_PHASE=$name "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless \
    -u "$USERS" -r "${SPAWN_RATE:-$USERS}" -t "${seconds}s" --host "$HOST" --csv "$OUT/$name" \
    --only-summary --loglevel WARNING --stop-timeout 10 "$@" >"$OUT/locust-$name.log" 2>&1 || true
  echo "$name $seconds $load_before $(cut -d' ' -f1 /proc/loadavg) $*" >>"$OUT/phases.txt"
  echo "   $name: $(grep -E '^ +Aggregated' "$OUT/locust-$name.log" | head -n 1 | tr -s ' ')"
}

date -u +%FT%TZ >"$OUT/started"
cut -d" " -f1-3 /proc/loadavg >"$OUT/load_start"
# Warm every worker on the pages measured (templates, translations, the cached figures), as
# workers of a live site are: a cold worker's first score query took seconds on this host.
SESSION=$("$PY" -c "import json; print(json.load(open('$OUT/dataset.json'))['scores']['sessions'][0]['session'])")
for _ in $(seq 1 $((WORKERS * 4))); do
  curl -fs -o /dev/null -b "sessionid=$SESSION" "$HOST/exams/scores/" || true
  curl -fs -o /dev/null "$HOST/bench/trivial" || true
done
phase trivial "$SECONDS_PHASE" TrivialUser
phase score "$SECONDS_PHASE" ScoreUser
phase trivial2 "$SECONDS_PHASE" TrivialUser
SPAWN_RATE=10 phase mix "$SECONDS_MIX" AnonymousVisitor Applicant Reviewer TicketHolder ScoreHolder
cut -d" " -f1-3 /proc/loadavg >"$OUT/load_end"
"$PY" bench/score_report.py
