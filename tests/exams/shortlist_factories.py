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


def probe_world(announcement, owner_app, admin):
    """For tests/portal/test_permission_probe.py: a published shortlist holding the owner's
    application, a signed declaration with its file, a finished job. Returns (kwargs, bodies)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from exams.models_shortlist import Declaration, Shortlist, ShortlistEntry

    shortlist = Shortlist.objects.create(
        announcement=announcement, computed_at=timezone.now(), published_at=timezone.now(), published_by=admin
    )
    entry = ShortlistEntry.objects.create(
        shortlist=shortlist, application=owner_app, position=owner_app.position, written_total=D("80")
    )
    declaration = Declaration(
        application=owner_app,
        purpose="probe",
        method="signed",
        status="confirmed",
        text="probe",
        reason="probe",
        created_by=admin,
        confirmed_at=timezone.now(),
    )
    declaration.file.save("probe.pdf", ContentFile(b"%PDF-1.4 probe"), save=False)
    declaration.save()
    job = BackgroundJob.objects.create(
        kind=services.JOB_KIND,
        created_by=admin,
        announcement_id=announcement.pk,
        status=BackgroundJob.Status.DONE,
    )
    a = announcement.pk
    kwargs = {
        name: {"pk": a}
        for name in (
            "exams:settings_edit",
            "exams:shortlist",
            "exams:shortlist_compute",
            "exams:shortlist_publish",
            "exams:shortlist_disqualify",
            "exams:shortlist_public",
        )
    }
    kwargs["exams:shortlist_entry"] = {"pk": a, "entry_pk": entry.pk}
    kwargs["exams:shortlist_job"] = {"pk": job.pk}
    kwargs["exams:shortlist_declaration_file"] = {"pk": declaration.pk}
    for name in (
        "exams:shortlist_mine",
        "exams:shortlist_confirm",
        "exams:shortlist_give_up",
        "exams:shortlist_give_up_confirm",
    ):
        kwargs[name] = {"application_pk": owner_app.pk}
    return kwargs, {}
