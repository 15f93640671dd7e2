"""The proctor's workbench block (portal.workbench): today's exam sessions at the venues the
proctor is assigned to, each with one click to its check-in page; nothing today says so and
points to the upcoming ones. One query (the proctor's sessions of issued plans)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.workbench import Block, register

from .selectors.checkin import sessions_for_proctor


def proctor_today(user) -> dict:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    sessions = list(
        sessions_for_proctor(user)
        .filter(ends_at__gte=start, starts_at__lt=start + timedelta(days=8))
        .order_by("starts_at")[:20]
    )
    rows = [
        {
            "subject": session.subject,
            "announcement": session.plan.announcement.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "today": timezone.localtime(session.starts_at).date() == today,
            "url": reverse("exams:checkin", args=[session.pk]),
        }
        for session in sessions
    ]
    return {
        "today": [row for row in rows if row["today"]],
        "upcoming": [row for row in rows if not row["today"]],
        "index_url": reverse("exams:checkin_index"),
    }


register(
    Block(
        key="proctor-today",
        title=_("今日考务"),
        roles=(Role.PROCTOR,),
        template="exams/workbench_proctor.html",
        context=proctor_today,
        order=40,
        icon="door-open",
    )
)
