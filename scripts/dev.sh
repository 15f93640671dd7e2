#!/usr/bin/env bash
# Run the portal locally with demo data: http://127.0.0.1:8000
# Works with nothing installed but Python 3.11+: SQLite, tasks in-process, e-mail on the console.
# Set DATABASE_URL / REDIS_URL to use PostgreSQL and Redis instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
export DEBUG=${DEBUG:-true}
.venv/bin/python scripts/compile_messages.py
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver "${PORT_BIND:-127.0.0.1:8000}"
