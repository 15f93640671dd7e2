"""Saving final scores: PostgreSQL's COPY path and the bulk_create fallback (SQLite) write
the same rows; the COPY text format escapes what a part name may hold; a ticket scored
twice is refused by the database (IntegrityError), nothing half-saved."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from exams.models import WrittenPartScore, WrittenScore
from exams.services import written
from exams.services.written import NewScore
from tests.exams.written_factories import issued_exam

pytestmark = pytest.mark.django_db
D = Decimal


def rows_for(tickets, names=("公共\t基础\\知识", "社区工作知识")):
    out = []
    for ticket, status, points in zip(
        tickets, ["scored", "absent", "scored"], [(D("30.50"), D("45")), (), (D("0"), D("60"))], strict=True
    ):
        parts = [
            (name, p, D(40) if i == 0 else D(60))
            for i, (name, p) in enumerate(zip(names, points, strict=False))
        ]
        out.append(
            NewScore(
                ticket_id=ticket.pk,
                application_id=ticket.application_id,
                announcement_id=ticket.announcement_id,
                position_id=ticket.application.position_id,
                status=status,
                raw=sum(points, D(0)) if points else None,
                full_marks=D(100),
                parts=parts,
            )
        )
    return out


def saved():
    return sorted(
        (
            s.ticket_id,
            s.status,
            s.raw,
            s.version,
            s.computed_version,
            [(p.index, p.name, p.points, p.full_marks) for p in s.parts.order_by("index")],
        )
        for s in WrittenScore.objects.all()
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_copy_and_bulk_create_write_the_same_rows(administrator, django_capture_on_commit_callbacks):
    _plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=3, positions=1)
    rows = rows_for(tickets)
    with transaction.atomic():
        written._copy_scores(connection, rows, actor_id=administrator.pk, source="import", now=timezone.now())
    by_copy = saved()
    WrittenPartScore.objects.all().delete()
    WrittenScore.objects.all().delete()
    with transaction.atomic():
        written._bulk_create_scores(rows, actor=administrator, source="import", now=timezone.now())
    assert saved() == by_copy
    # The tab and the backslash of the part name survived COPY's text format.
    first = next(s for s in by_copy if s[0] == tickets[0].pk)
    assert first[5][0][1] == "公共\t基础\\知识"
    assert first[1:3] == ("scored", D("75.50"))
    assert sorted(s[1] for s in by_copy) == ["absent", "scored", "scored"]


def test_a_ticket_scored_twice_is_refused_whole(administrator, django_capture_on_commit_callbacks):
    _plan, tickets = issued_exam(administrator, django_capture_on_commit_callbacks, candidates=3, positions=1)
    rows = rows_for(tickets)
    with transaction.atomic():
        written.scores_create(rows=rows[:1], actor=administrator, source="import")
    with pytest.raises(IntegrityError), transaction.atomic():
        written.scores_create(rows=rows, actor=administrator, source="import")
    assert WrittenScore.objects.count() == 1 and WrittenPartScore.objects.count() == 2
