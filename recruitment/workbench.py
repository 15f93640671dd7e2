"""The administrator's workbench block: each announcement that is not archived, with the
stage it is in and the next thing to do (portal.workbench). One query, on a table of a few
dozen rows (the index on status, registration_opens_at), and two more for the exam plans of
those past their review (read through recruitment.hooks); not cached, so a publication or a
closure shows at once on the page the administrator returns to."""

from __future__ import annotations

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.workbench import Block, register

from . import hooks
from .models import Announcement

Status = Announcement.Status


def _url(name: str, pk: int, *, query: bool = False) -> str:
    """The url of a later stage's page for announcement `pk` (as a path argument, or as
    `?announcement=` when `query`); the announcement's own page when it is not installed."""
    try:
        if query:
            return f"{reverse(name)}?announcement={pk}"
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return reverse("recruitment:manage_detail", args=[pk])


# An announcement stays in its exam phase this long after its last exam session.
EXAM_PHASE_DAYS_AFTER = 7


def next_step(announcement: Announcement, now, exam=None, phase=None) -> tuple[str, str, str]:
    """(stage, next action, the action's url) of one announcement at `now` (aware).

    Draft → publish; published before its window → wait; window open → follow the
    registrations; after the deadline → the review (until the review deadline); after the
    review deadline → check the opening ratio (开考比例); once it has an exam plan (`exam`:
    its recruitment.hooks.ExamSchedule) → the written exam, until a week after its last
    session. A later phase reported by exams or hiring (`phase`: recruitment.hooks.Phase —
    shortlist, interviews, ranking, hiring/公示, done) wins over all of these."""
    pk = announcement.pk
    detail = reverse("recruitment:manage_detail", args=[pk])
    if announcement.status == Status.DRAFT:
        return str(_("草稿")), str(_("检查后发布")), detail
    if announcement.status == Status.CLOSED:
        return str(_("已结束")), str(_("归档")), detail
    if now < announcement.registration_opens_at:
        return str(_("待开始报名")), str(_("核对岗位和附件")), detail
    if now < announcement.registration_closes_at:
        return str(_("报名中")), str(_("查看报名情况")), detail
    if phase is not None:
        return str(phase.stage), str(phase.action), phase.url
    if now < announcement.review_deadline:
        return str(_("资格审核中")), str(_("跟进审核进度")), _url("review:queue", pk, query=True)
    if exam is not None and (
        exam.last_ends_at is None or now < exam.last_ends_at + timedelta(days=EXAM_PHASE_DAYS_AFTER)
    ):
        return str(_("笔试阶段")), str(_("查看笔试进度")), exam.url
    return str(_("审核已截止")), str(_("核对开考比例")), _url("review:opening_ratio", pk)


def announcement_rows(user) -> dict:
    """{"rows": [{"pk", "title", "status", "stage", "action", "url", "closes_at"}…]}:
    drafts first, then by registration start, newest first."""
    now = timezone.now()
    announcements = (
        Announcement.objects.exclude(status=Status.ARCHIVED)
        .only("pk", "title", "status", "registration_opens_at", "registration_closes_at", "review_deadline")
        .order_by("-registration_opens_at", "-pk")
    )
    announcements = list(announcements)
    exams = hooks.exam_schedules(  # the exam plans of those past their review (two queries)
        [a.pk for a in announcements if a.status == Status.PUBLISHED and now >= a.review_deadline]
    )
    phases = hooks.announcement_phases(  # what exams and hiring report (a few grouped queries)
        [a.pk for a in announcements if a.status == Status.PUBLISHED and now >= a.registration_closes_at]
    )
    rows = []
    for announcement in announcements:
        stage, action, url = next_step(
            announcement, now, exams.get(announcement.pk), phases.get(announcement.pk)
        )
        rows.append(
            {
                "pk": announcement.pk,
                "title": announcement.title,
                "status": announcement.status,
                "stage": stage,
                "action": action,
                "url": url,
                "closes_at": announcement.registration_closes_at,
            }
        )
    rows.sort(key=lambda row: row["status"] != Status.DRAFT)  # stable: keeps the date order
    return {"rows": rows}


register(
    Block(
        key="administrator-announcements",
        title=_("招聘公告进度"),
        roles=(Role.ADMINISTRATOR,),
        template="portal/workbench/announcements.html",
        context=announcement_rows,
        order=10,
        icon="megaphone",
    )
)
