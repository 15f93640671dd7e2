"""Issue 13, kind 8: under SQLite (the embedded default, no DATABASE_URL) two simultaneous
submits of the same application both land on the application, never a 500 ("database is
locked" before: SQLite's DEFERRED transactions deadlock when both read, then both write).

The race runs in a process of its own (tests/applicants/sqlite_race.py) on a file SQLite
database, whatever database this test run uses: the two requests go through the whole
stack (middleware, the apply view, the service), each in its own thread and connection.
`python tests/applicants/sqlite_race.py --deferred` with DATABASE_URL=sqlite:///… shows the
failure the setting prevents (one request answered 500)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    # What portal/settings.py sets for a sqlite3 engine (read from the module, not the
    # settings in force here, which may be PostgreSQL).
    source = (ROOT / "portal" / "settings.py").read_text()
    assert '"transaction_mode", "IMMEDIATE"' in source
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_simultaneous_submits_on_sqlite_both_reach_the_application(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
    }
    env.pop("TEST_REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "tests/applicants/sqlite_race.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["transaction_mode"] == "IMMEDIATE"
    # One application, submitted; both requests redirected to it (the second one as
    # "already applied"), neither a 500.
    assert [stage for _pk, stage in outcome["applications"]] == ["submitted"]
    assert [result["status"] for result in outcome["results"]] == [302, 302]
    assert {result["location"] for result in outcome["results"]} == {outcome["url"]}
