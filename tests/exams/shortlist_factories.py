"""Helpers of the shortlist tests: a published written exam with hand-chosen scores."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from exams.models import Ticket
from exams.services import shortlist as services
from exams.services import written
from exams.services.written import NewScore, scores_create
from portal.models import BackgroundJob
from recruitment.models import Position
from tests.exams.written_factories import issued_exam

D = Decimal


def record(tickets, values, actor):
    """values: one per ticket, a number string or "absent"."""
    rows = []
    for ticket, value in zip(tickets, values, strict=True):
        status = "absent" if value == "absent" else "scored"
        raw = None if status != "scored" else D(value)
        rows.append(
            NewScore(
                ticket_id=ticket.pk,
                application_id=ticket.application_id,
                announcement_id=ticket.announcement_id,
                position_id=ticket.application.position_id,
                status=status,
                raw=raw,
                full_marks=D(100),
                parts=[("综合知识", raw, D(100))] if raw is not None else [],
            )
        )
    with transaction.atomic():
        scores_create(rows=rows, actor=actor, source="import")


def scored(actor, capture, values, *, quota=2):
    """One position with `quota` posts and one candidate per value (in ticket order),
    results published. Returns (announcement, position, tickets)."""
    plan, tickets = issued_exam(actor, capture, candidates=len(values), positions=1)
    announcement = plan.announcement
    position = tickets[0].application.position
    Position.objects.filter(pk=position.pk).update(quota=quota, original_quota=quota)
    record(tickets, values, actor)
    with capture(execute=True):
        written.results_publish(announcement=announcement, actor=actor)
    announcement.refresh_from_db()
    tickets = list(
        Ticket.objects.filter(announcement=announcement).select_related("application").order_by("number")
    )
    return announcement, Position.objects.get(pk=position.pk), tickets


def run(announcement, actor, capture) -> BackgroundJob:
    with capture(execute=True):
        job = services.compute_job_create(announcement=announcement, actor=actor)
    job.refresh_from_db()
    return job
