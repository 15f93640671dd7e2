#!/usr/bin/env bash
# The ticket benchmark, before and after the ticket speed work, side by side (issue 15):
#   bench/ticket_run.sh            (about 15 minutes on a loaded 2-core host)
# Builds the bench dataset once in its own database ($BENCH_DB, default bench_h15: never the
# `bench` database bench/run.sh drops), then serves two exported trees of the code in turn
# on the same database, the same Locust client and the same phases, in the order
# after → before → after (the host's speed drifts; the two "after" runs bracket "before"):
#
# - after:  the work tree as it is (see below);
# - before: the same tree with the ticket code of commit $BENCH_BEFORE (default 3aa0e00, the
#   commit before the speed work: timestamped QR token, a PDF rendered on every request, the
#   font parsed at the first PDF of each worker) and ReportLab's C accelerator masked (a
#   `_rl_accel` module that fails to import, first on the path), as it was then.
#
# Phases of each run (50 users, no think time unless said): trivial view; own ticket again
# and again (TicketUser, after 4 s of the same unmeasured, so each holder has printed once:
# in "after" a stored rendering); first
# downloads only (TicketColdUser: every request another holder's never-downloaded ticket);
# trivial view again; the realistic mix (AnonymousVisitor, Applicant, Reviewer, TicketHolder,
# think time 0.5–2 s, 60 s). bench/ticket_report.py writes the tables (out/ticket/report.md).
#
# Knobs: BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_DB (bench_h15), BENCH_PORT
# (8815), BENCH_REDIS (redis://127.0.0.1:6379/11), BENCH_SKIP_BUILD=1 (reuse the database),
# BENCH_PHASE_SECONDS (15), BENCH_SECONDS (60, the mix), BENCH_USERS (50), BENCH_RUNS
# ("after before after2"; a run named "prerendered" serves the after tree once the job that
# issuing queues has rendered every holder's PDF, bench/ticket_prerender.py, timed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
BASE=/tmp/h15-ticket-bench
OUT=$ROOT/bench/out/ticket
MEDIA=$BASE/media
mkdir -p "$OUT" "$MEDIA"

CORES=$(nproc)
USERS=${BENCH_USERS:-50}
SECONDS_MIX=${BENCH_SECONDS:-60}
SECONDS_PHASE=${BENCH_PHASE_SECONDS:-15}
WORKERS=$((2 * CORES + 1))
PORT=${BENCH_PORT:-8815}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=${BENCH_DB:-bench_h15}
BEFORE=${BENCH_BEFORE:-3aa0e00}
RUNS=${BENCH_RUNS:-after before after2}
HOST=http://127.0.0.1:$PORT

export DATABASE_URL=$PG/$DB
export REDIS_URL=${BENCH_REDIS:-redis://127.0.0.1:6379/11}
export PRIVATE_MEDIA_ROOT=$MEDIA
export DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600 LOG_LEVEL=WARNING
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop
export DJANGO_SETTINGS_MODULE=bench.settings

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
  for _ in $(seq 1 60); do  # the port free again before the next run's server starts
    curl -fs "$HOST/healthz" >/dev/null 2>&1 || break
    sleep 1
  done
}
trap cleanup EXIT

# --- the two trees --------------------------------------------------------------------------
rm -rf "$BASE/after" "$BASE/before" "$BASE/noaccel"
mkdir -p "$BASE/after" "$BASE/before" "$BASE/noaccel"
# A snapshot of the work tree (tracked and new files, not the ignored ones): on 2026-11-30 the
# committed HEAD did not start (another helper's half-committed exams/apps.py), so the code
# measured is the work tree as it was at the start of the run, checked by `manage.py check`.
for tree in after before; do
  git ls-files -z -co --exclude-standard | tar --null -T - -c | tar -x -C "$BASE/$tree"
done
(cd "$BASE/after" && "$PY" manage.py check >/dev/null)
for path in exams/tokens.py exams/selectors/tickets.py exams/views/tickets.py exams/services/tickets.py \
  exams/tasks.py portal/pdf.py portal/wsgi.py; do
  git show "$BEFORE:$path" >"$BASE/before/$path"
done
# the render-ahead job came after: its registration goes with the old tasks module
"$PY" - "$BASE/before/exams/apps.py" <<'PYEOF'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"\n *from \.services\.tickets import RENDER_KIND, RENDER_LABEL\n *from \.tasks import ticket_pdfs\n\n *register_kind\(RENDER_KIND[^\n]*\n", "\n", text)
open(path, "w").write(text)
PYEOF
(cd "$BASE/before" && "$PY" manage.py check >/dev/null)
echo 'raise ImportError("ReportLab accelerator masked for the before run")' >"$BASE/noaccel/_rl_accel.py"

# --- the dataset, once ----------------------------------------------------------------------
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
  rm -rf "${MEDIA:?}"/*
  (cd "$BASE/after" && "$PY" scripts/compile_messages.py >/dev/null && "$PY" manage.py migrate --noinput -v0)
  echo "== dataset ($(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"
  (cd "$BASE/after" && BENCH_OUT=$OUT "$PY" bench/build_dataset.py --out "$OUT/dataset.json")
fi
# Sessions of the ticket holders from the 601st on (TicketUser takes the first 50, the mix's
# TicketHolder the next few hundred at most), for the first-download phase:
# each run takes its own slice, so every request of that phase is a ticket nobody downloaded.
(cd "$BASE/after" && "$PY" - "$OUT/dataset.json" "$OUT/all_ticket_sessions.json" <<'EOF'
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from applicants.models import Application, Stage

dataset = json.loads(open(sys.argv[1]).read())
ticket_announcement = dataset["tickets"]["announcement_id"]
rows = []
holders = (
    Application.objects.filter(announcement_id=ticket_announcement, stage=Stage.TICKET_ISSUED)
    .select_related("applicant").order_by("pk")[600:]
)
for application in holders:
    store = SessionStore()
    store[SESSION_KEY] = str(application.applicant.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = application.applicant.get_session_auth_hash()
    store.create()
    rows.append({"session": store.session_key, "application": application.pk})
open(sys.argv[2], "w").write(json.dumps(rows))
print(f"{len(rows)} ticket holder sessions")
EOF
)

phase() {
  local run=$1 name=$2 seconds=$3
  shift 3
  local load_before
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  BENCH_OUT=$OUT/$run BENCH_PHASE=$name "$ROOT/.venv/bin/locust" -f "$BASE/after/bench/locustfile.py" --headless \
    -u "$USERS" -r "${SPAWN_RATE:-$USERS}" -t "${seconds}s" --host "$HOST" --csv "$OUT/$run/$name" \
    --only-summary --loglevel WARNING --stop-timeout 10 "$@" >"$OUT/$run/locust-$name.log" 2>&1 || true
  echo "$name $seconds $load_before $(cut -d' ' -f1 /proc/loadavg) $*" >>"$OUT/$run/phases.txt"
  echo "   $run/$name: $(grep -E '^ +Aggregated' "$OUT/$run/locust-$name.log" | head -n 1 | tr -s ' ')"
}

slice=0
pool_offset=0
ticket_offset=50
for run in $RUNS; do
  tree=after
  extra_path=""
  [ "$run" = "before" ] && tree=before && extra_path=$BASE/noaccel
  # "prerendered": the after tree, every holder's PDF rendered first by the issue's job
  mkdir -p "$OUT/$run"
  rm -f "$OUT/$run"/*
  cp "$OUT/dataset.json" "$OUT/$run/dataset.json"
  # this run's slice of never-downloaded tickets for the first-download phase
  "$PY" -c "import json,sys; rows=json.load(open('$OUT/all_ticket_sessions.json')); json.dump(rows[$slice:$slice+460], open('$OUT/$run/ticket_sessions.json','w'))"
  slice=$((slice + 460))
  rm -rf "$MEDIA/exam-tickets"  # no stored rendering from an earlier run
  redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null  # caches and broker (sessions stay in PostgreSQL)
  (cd "$BASE/$tree" && "$PY" scripts/compile_messages.py >/dev/null && "$PY" manage.py collectstatic --noinput -v0)
  if [ "$run" = "prerendered" ]; then  # the job issuing queues, in-process and timed
    (cd "$BASE/after" && "$PY" bench/ticket_prerender.py "$OUT/dataset.json" "$OUT/$run/prerender.json")
  fi
  echo "== $run ($tree tree), $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
  date -u +%FT%TZ >"$OUT/$run/started"
  # Started directly (no subshell), so that $! is the server itself and cleanup stops it.
  PYTHONPATH=$extra_path "$ROOT/.venv/bin/gunicorn" --chdir "$BASE/$tree" portal.wsgi \
    --bind "127.0.0.1:$PORT" --workers "$WORKERS" --backlog 2048 --log-level warning >"$OUT/$run/gunicorn.log" 2>&1 &
  PIDS+=($!)
  PYTHONPATH=$BASE/$tree${extra_path:+:$extra_path} "$ROOT/.venv/bin/celery" --workdir "$BASE/$tree" -A portal worker \
    --loglevel WARNING --concurrency 1 >"$OUT/$run/celery.log" 2>&1 &
  PIDS+=($!)
  if curl -fs "$HOST/healthz" >/dev/null 2>&1; then sleep 5; fi  # the previous server still stopping
  for _ in $(seq 1 120); do
    curl -fs "$HOST/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$HOST/healthz" >/dev/null || { echo "gunicorn did not come up"; cat "$OUT/$run/gunicorn.log"; exit 1; }
  (cd "$BASE/$tree" && PYTHONPATH=$extra_path "$PY" -c "
from reportlab.lib import rl_accel; print('   fp_str:', rl_accel.fp_str.__module__ or 'C', getattr(rl_accel.fp_str, '__name__', ''))" ) || true
  sleep 3  # the workers load the font at start (after): let them finish before measuring
  phase "$run" trivial "$SECONDS_PHASE" TrivialUser
  # TicketUser's 50 holders print once first (not measured): the phase after it is "again".
  phase "$run" ticketwarmup 4 TicketUser
  phase "$run" ticket "$SECONDS_PHASE" TicketUser
  phase "$run" ticketcold "$SECONDS_PHASE" TicketColdUser
  phase "$run" trivial2 "$SECONDS_PHASE" TrivialUser
  BENCH_POOL_OFFSET=$pool_offset BENCH_TICKET_OFFSET=$ticket_offset SPAWN_RATE=10 \
    phase "$run" mix "$SECONDS_MIX" AnonymousVisitor Applicant Reviewer TicketHolder
  pool_offset=$((pool_offset + 500))
  ticket_offset=$((ticket_offset + 0))  # the mix's holders: the same accounts each run (cold in each)
  du -sk "$MEDIA/exam-tickets" 2>/dev/null | cut -f1 >"$OUT/$run/stored_kb" || true
  grep -c "Traceback" "$OUT/$run/gunicorn.log" >"$OUT/$run/tracebacks" || true
  cleanup
  sleep 2
done
"$PY" bench/ticket_report.py "$OUT" $RUNS | tee "$OUT/report.md"
