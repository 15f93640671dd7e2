"""What the ranking reads from each application's snapshot (exams.services.ranking_inputs.
_snapshot_rows): on PostgreSQL derived in the query, elsewhere in Python — the same values,
by hand, for snapshots with missing, empty and odd parts."""

import pytest

from applicants.models import Application
from exams.services import ranking_inputs
from tests.exams.ranking_helpers import interviewed, seven

pytestmark = pytest.mark.django_db

SNAPSHOTS = [
    # highest level of two; one of two jobs community work; a political status
    (
        {
            "real_name": "张三丰",
            "birth_date": "1990-05-01",
            "education": [{"level": 30}, {"level": 40}],
            "political_status": "communist",
            "work": [{"community_work": False}, {"community_work": True}],
        },
        ("张三丰", "1990-05-01", 40, "communist", True),
    ),
    # empty lists, no status, no birth date
    (
        {"real_name": "李四", "education": [], "work": [], "political_status": ""},
        ("李四", None, 0, "", False),
    ),
    # the keys missing altogether
    ({}, (None, None, 0, None, False)),
    # a level left empty, a job not community work
    (
        {"education": [{"level": None}, {"level": 20}], "work": [{"community_work": False}, {}]},
        (None, None, 20, None, False),
    ),
    # education not a list
    ({"education": {"level": 50}, "work": None}, (None, None, 0, None, False)),
    # not lists of objects: nothing read from them
    ({"education": ["40"], "work": {"community_work": True}}, (None, None, 0, None, False)),
    # levels of other types: a float toward zero, a boolean, digits with spaces; odd text 0;
    # the highest of them
    (
        {"education": [{"level": 40.5}, {"level": True}, {"level": " 30 "}, {"level": "4x"}]},
        (None, None, 40, None, False),
    ),
    ({"education": [{"level": -1}, "x", {"level": False}, {"level": "-2"}]}, (None, None, 0, None, False)),
    ({"education": [{"level": -1.9}, {"level": "-2"}]}, (None, None, -1, None, False)),
    # community work true in Python's sense (a non-empty list, 1, "yes"); a list inside the
    # list is not a job
    ({"work": [[{"community_work": True}]], "political_status": True}, (None, None, 0, None, False)),
    ({"work": [{"community_work": [True]}]}, (None, None, 0, None, True)),
    (
        {"work": [{"community_work": 0}, {"community_work": ""}, {"community_work": {}}]},
        (None, None, 0, None, False),
    ),
    (
        {"work": [{"community_work": "yes"}], "real_name": 123, "birth_date": 19900501},
        (None, None, 0, None, True),
    ),
]


def test_the_snapshot_gives_the_same_values_on_every_database(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80"] * len(SNAPSHOTS),
        interview=[seven(70)] * len(SNAPSHOTS),
    )
    for app, (snapshot, _expected) in zip(apps, SNAPSHOTS, strict=True):
        Application.objects.filter(pk=app.pk).update(snapshot=snapshot)
    rows = {row[0]: row[2:] for row in ranking_inputs._snapshot_rows(announcement)}
    assert {app.pk: rows[app.pk] for app in apps} == {
        app.pk: expected for app, (_snapshot, expected) in zip(apps, SNAPSHOTS, strict=True)
    }
    assert all(type(rows[app.pk][2]) is int and type(rows[app.pk][4]) is bool for app in apps)


RAW = '{"work": [{"community_work": 1e-400}], "education": [{"level": 1e400}, {"level": 3}]}'


def test_numbers_a_float_cannot_hold_read_as_python_reads_them(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    """Stored as JSON text beyond a float's range: 1e-400 reads as 0 (no community work),
    1e400 as infinity (level 0), on PostgreSQL (which keeps them exactly) as in Python."""
    from django.db import connection

    announcement, (app,), _stand_in = interviewed(
        administrator, django_capture_on_commit_callbacks, monkeypatch, written=["80"], interview=[seven(70)]
    )
    sql = (
        "UPDATE applicants_application SET snapshot = %s::jsonb WHERE id = %s"
        if connection.vendor == "postgresql"
        else "UPDATE applicants_application SET snapshot = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [RAW, app.pk])
    (row,) = [row for row in ranking_inputs._snapshot_rows(announcement) if row[0] == app.pk]
    assert row[4:] == (3, None, False)


def test_flags_come_from_the_status_and_community_work():
    assert ranking_inputs._flags("communist", True) == frozenset({"communist", "community_work"})
    assert ranking_inputs._flags("", False) == frozenset()
    assert ranking_inputs._flags(None, True) == frozenset({"community_work"})
    assert ranking_inputs._flags(True, False) == frozenset()  # not a string: no status
