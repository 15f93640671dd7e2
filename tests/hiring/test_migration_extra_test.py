"""hiring.0002: Proposal.extra_test_score copied into exams.ExtraTestResult before 0003 removes
the field. Run on the schema as it was (0003 unapplied by the MigrationExecutor, rolled back
with the test), with the historical models."""

from datetime import UTC, datetime
from decimal import Decimal as D
from importlib import import_module

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exams.models_ranking import ExtraTestResult
from hiring.services import proposals
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

BEFORE = ("hiring", "0002_extra_test_scores_to_exams")
AFTER = ("hiring", "0003_remove_proposal_extra_test_score")


def test_the_migration_copies_the_scores_into_extra_test_results():
    if connection.vendor != "postgresql":
        pytest.skip("the schema is changed inside the test's transaction: PostgreSQL's transactional DDL")
    migration = import_module("hiring.migrations.0002_extra_test_scores_to_exams")
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])  # Proposal.extra_test_score is back, empty
    old_apps = executor.loader.project_state([BEFORE]).apps
    OldProposal = old_apps.get_model("hiring", "Proposal")  # noqa: N806

    admin, clerk = UserFactory(role="administrator"), UserFactory(role="administrator")
    rows = [("90", 1, True), ("85", 2, True), ("80", 3, True), ("75", 4, True), ("70", 5, True)]
    position, apps = ranked_position(rows, quota=5, admin=admin)
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    p1, p2, p3, p4, p5 = made
    scores = {p1.pk: D("88.00"), p2.pk: D("71.50"), p3.pk: D("75.00"), p4.pk: D("60.00")}
    for pk, score in scores.items():
        OldProposal.objects.filter(pk=pk).update(extra_test_score=score)
    # p1's 加试 was recorded by `clerk` at a known time (as audit.record wrote it).
    when = datetime(2026, 5, 6, 2, 30, tzinfo=UTC)
    LogEntry.objects.create(
        user=clerk,
        content_type=ContentType.objects.get_for_model(p1),
        object_id=str(p1.pk),
        object_repr=str(p1.pk),
        action_flag=CHANGE,
        action_time=when,
        change_message='[{"changed": {"fields": ["加试成绩", "状态"]}}]',
    )
    # p3 had a 加试 of the ranking with another score; p4 the same score already.
    ExtraTestResult.objects.create(
        announcement=position.announcement, application=apps[2], score=D("60"), entered_by=admin
    )
    ExtraTestResult.objects.create(
        announcement=position.announcement, application=apps[3], score=D("60"), entered_by=admin
    )

    migration.forwards(old_apps, None)

    results = {r.application_id: r for r in ExtraTestResult.objects.all()}
    assert {k: r.score for k, r in results.items()} == {
        apps[0].pk: D("88.00"),
        apps[1].pk: D("71.50"),
        apps[2].pk: D("75.00"),  # hiring's score replaces the ranking's 60: its outcome stands
        apps[3].pk: D("60.00"),  # already there: untouched
    }  # p5 had none: none made
    assert (results[apps[0].pk].entered_by, results[apps[0].pk].entered_at) == (clerk, when)
    assert results[apps[1].pk].entered_by == admin  # no audit record: the proposer
    result_type = ContentType.objects.get_for_model(ExtraTestResult)
    logs = {e.object_id: e for e in LogEntry.objects.filter(content_type=result_type)}
    assert set(logs) == {str(results[apps[i].pk].pk) for i in (0, 1, 2)}
    assert "取代原加试成绩 60.00" in logs[str(results[apps[2].pk].pk)].change_message
    assert logs[str(results[apps[0].pk].pk)].user == clerk
    # Run again (a re-run after a failure): nothing changes, nothing more is logged.
    migration.forwards(old_apps, None)
    assert LogEntry.objects.filter(content_type=result_type).count() == 3
    assert p5.pk not in scores

    with connection.cursor() as cursor:  # fire the deferred checks before the ALTER TABLE
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    columns = [
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "hiring_proposal")
    ]
    assert "extra_test_score" not in columns
