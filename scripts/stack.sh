#!/usr/bin/env bash
# The full stack from one command: PostgreSQL + Redis + gunicorn + a Celery worker + beat.
# Expects PostgreSQL and Redis running (defaults below); production-like settings.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
# A key of this machine's own, kept in var/ (gitignored) so sessions survive a restart.
mkdir -p var
[ -s var/secret_key ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > var/secret_key)
export SECRET_KEY=${SECRET_KEY:-$(cat var/secret_key)}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false} SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-false} CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-false}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='${DATABASE_URL##*/}'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE \"${DATABASE_URL##*/}\""
.venv/bin/python scripts/compile_messages.py
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_demo
exec .venv/bin/honcho start
