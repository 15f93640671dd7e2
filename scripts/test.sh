#!/usr/bin/env bash
# Run the test suite. DATABASE_URL chooses PostgreSQL (else SQLite); TEST_REDIS_URL enables
# the real-worker tests; Chromium at /usr/bin/chromium enables the browser tests.
# Tests whose service is missing are skipped with the reason (REQUIRE_FULL_STACK=1 fails them).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python scripts/compile_messages.py
exec .venv/bin/pytest "$@"
