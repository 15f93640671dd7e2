"""The exam schedule other apps show: the ticket-printing window and the sessions' times of
an announcement's exam plan, the one source of truth for them.

recruitment lies beneath exams and never imports it, so exams registers ``schedules_for``
with ``recruitment.hooks`` (AppConfig.ready()); the public announcement page, the
manager's page, the schedule checks and data retention read it from there.

A change of the plan, of a session or of a session's positions moves the announcement's page
version (``recruitment.page_cache``) once committed, so the public page shows the new times at
once, and the sessions kept for ticket downloads (exams.selectors.tickets.session_times) are
read again.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from recruitment import hooks, page_cache

from .models import ExamPlan, ExamSession


def schedules_for(announcement_ids: list[int]) -> dict[int, hooks.ExamSchedule]:
    """{announcement id: ExamSchedule} of the announcements among ``announcement_ids`` that
    have an exam plan. Two queries (plans, their sessions) whatever the number of ids."""
    plans = list(
        ExamPlan.objects.filter(announcement_id__in=announcement_ids).only(
            "pk", "announcement_id", "print_starts_at", "print_ends_at"
        )
    )
    if not plans:
        return {}
    sessions: dict[int, list[hooks.ExamSession]] = {plan.pk: [] for plan in plans}
    rows = (
        ExamSession.objects.filter(plan_id__in=list(sessions))
        .order_by("starts_at", "pk")
        .values_list("plan_id", "subject", "starts_at", "ends_at")
    )
    for plan_id, subject, starts_at, ends_at in rows:
        sessions[plan_id].append(hooks.ExamSession(subject=subject, starts_at=starts_at, ends_at=ends_at))
    return {
        plan.announcement_id: hooks.ExamSchedule(
            print_starts_at=plan.print_starts_at,
            print_ends_at=plan.print_ends_at,
            sessions=tuple(sessions[plan.pk]),
            url=reverse("exams:plan", args=[plan.announcement_id]),
        )
        for plan in plans
    }


def _announcement_id(instance) -> int | None:
    if isinstance(instance, ExamPlan):
        return instance.announcement_id
    plan_id = getattr(instance, "plan_id", None)
    if plan_id is None:
        return None
    return ExamPlan.objects.filter(pk=plan_id).values_list("announcement_id", flat=True).first()


def _renew_public_page(sender, instance, **kwargs) -> None:
    announcement_id = _announcement_id(instance)
    if announcement_id:
        transaction.on_commit(partial(page_cache.bump_version, announcement_id))


def _positions_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, ExamSession):
        _renew_public_page(sender, instance)


def register() -> None:
    hooks.register_exam_schedule(schedules_for)
    m2m_changed.connect(
        _positions_changed, sender=ExamSession.positions.through, dispatch_uid="exams.schedule.positions"
    )
    for model in (ExamPlan, ExamSession):
        post_save.connect(
            _renew_public_page, sender=model, dispatch_uid=f"exams.schedule.save.{model.__name__}"
        )
        post_delete.connect(
            _renew_public_page, sender=model, dispatch_uid=f"exams.schedule.delete.{model.__name__}"
        )
