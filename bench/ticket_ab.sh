#!/usr/bin/env bash
# Before/after of the ticket download, serially and side by side (bench/ticket_ab.py):
#   bench/ticket_ab.sh [N]      (after bench/ticket_run.sh built its database and trees)
# Starts the "before" tree (commit $BENCH_BEFORE's ticket code, ReportLab's accelerator
# masked) and a fresh snapshot of the work tree ("after") in one sync gunicorn worker each,
# on the same database, and requests them alternately.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
BASE=/tmp/h15-ticket-bench
OUT=$ROOT/bench/out/ticket
export DATABASE_URL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}/${BENCH_DB:-bench_h15}
export REDIS_URL=${BENCH_REDIS:-redis://127.0.0.1:6379/11}
export PRIVATE_MEDIA_ROOT=$BASE/media
export DEBUG=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0 ALLOWED_HOSTS=127.0.0.1 CONN_MAX_AGE=600 LOG_LEVEL=WARNING
export SECRET_KEY=bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop
export DJANGO_SETTINGS_MODULE=bench.settings
[ -d "$BASE/before" ] || { echo "run bench/ticket_run.sh first"; exit 1; }
rm -rf "$BASE/ab-after" && mkdir -p "$BASE/ab-after"
git ls-files -z -co --exclude-standard | tar --null -T - -c | tar -x -C "$BASE/ab-after"
(cd "$BASE/ab-after" && "$PY" scripts/compile_messages.py >/dev/null && "$PY" manage.py collectstatic --noinput -v0)
(cd "$BASE/ab-after" && "$PY" - "$OUT/dataset.json" "$OUT/ab_sessions.json" <<'PYEOF'
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from exams.models import Ticket

dataset = json.loads(open(sys.argv[1]).read())
rows = []
tickets = Ticket.objects.filter(announcement_id=dataset["tickets"]["announcement_id"]).select_related("application__applicant").order_by("-pk")[:41]
for ticket in tickets:
    user = ticket.application.applicant
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    rows.append({"session": store.session_key, "application": ticket.application_id, "ticket": ticket.pk, "announcement": ticket.announcement_id})
open(sys.argv[2], "w").write(json.dumps(rows))
PYEOF
)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
PYTHONPATH=$BASE/noaccel "$ROOT/.venv/bin/gunicorn" --chdir "$BASE/before" portal.wsgi --bind 127.0.0.1:8915 \
  --workers 1 --log-level warning >"$OUT/ab-before.log" 2>&1 &
PIDS+=($!)
"$ROOT/.venv/bin/gunicorn" --chdir "$BASE/ab-after" portal.wsgi --bind 127.0.0.1:8916 \
  --workers 1 --log-level warning >"$OUT/ab-after.log" 2>&1 &
PIDS+=($!)
for port in 8915 8916; do
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
done
sleep 3  # after: the worker parses the font at its start; let it finish (it would not serve before)
echo "== A/B $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" bench/ticket_ab.py http://127.0.0.1:8915 http://127.0.0.1:8916 "$OUT/ab_sessions.json" "${1:-40}"
echo "== done $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
