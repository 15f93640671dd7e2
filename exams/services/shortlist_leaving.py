"""The interview shortlist (进入面试人员名单), leaving it: attendance confirmed by a deadline,
giving up (the applicant's declaration confirmed by SMS code, or a signed paper uploaded by
staff), the document re-check (资格复审), disqualification (取消资格, at any stage), and the
deadline sweep (no confirmation = gave up, where the settings say so).

Leaving (gave up → DECLINED, re-check failed → FAILED_CHECK, disqualified → DISQUALIFIED)
before the interview vacates the place, and the position's backfill round
(exams.services.shortlist_backfill) runs in the same transaction. Every change: one
transaction with its audit record(s) and notifications.

Split from exams.services.shortlist, which re-exports every name here (callers import that).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from applicants.models import Application, Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition
from notifications.events import Event
from notifications.services import notify
from portal import audit

from .. import declarations
from ..models_shortlist import Declaration, Shortlist, ShortlistEntry
from ..rules import ranking_settings_of
from ..selectors import shortlist as selectors
from .shortlist_backfill import State, _check_staff, backfill_round

GIVE_UP_PURPOSE = "shortlist_give_up"
# States from which the applicant may still confirm attendance.
UNCONFIRMED = (State.SHORTLISTED, State.ADDED_BY_BACKFILL, State.ADDED_BY_CORRECTION)
# Stages of a disqualification "at any stage" (资格审查贯穿全过程): from approval to the notice.
DISQUALIFY_FROM = [
    Stage.APPROVED,
    Stage.TICKET_ISSUED,
    Stage.WRITTEN_SCORED,
    Stage.ABSENT,
    Stage.SHORTLISTED,
    Stage.NOT_SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.RANKED,
    Stage.PROPOSED,
    Stage.PUBLIC_NOTICE,
]
LEAVE_STAGE = {State.GAVE_UP: Stage.DECLINED, State.RECHECK_FAILED: Stage.FAILED_CHECK}


def _check_admin(actor) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied(_("只有管理员可以取消考生资格。"))


# ------------------------------------------------------------------ the applicant


def confirm_attendance(*, entry: ShortlistEntry, actor, now=None) -> ShortlistEntry:
    """The applicant confirms they will attend the interview, by the deadline (if one is set).
    Raises PermissionDenied (not theirs; not published; past the deadline; not in)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            ShortlistEntry.objects.select_for_update()
            .select_related("application", "shortlist")
            .get(pk=entry.pk)
        )
        if locked.application.applicant_id != actor.pk:
            raise PermissionDenied
        if not selectors.is_published(locked.shortlist, now):
            raise PermissionDenied(_("入围名单尚未公布。"))
        if locked.state not in UNCONFIRMED:
            raise PermissionDenied(_("当前状态无需确认。"))
        settings_row = ranking_settings_of(locked.application.announcement)
        if settings_row and settings_row.confirm_deadline and now > settings_row.confirm_deadline:
            raise PermissionDenied(_("确认参加面试的截止时间已过。"))
        locked.state = State.CONFIRMED
        locked.confirmed_at = now
        locked.changed_by = actor
        locked.save(update_fields=["state", "confirmed_at", "changed_by", "changed_at"])
        audit.record(actor, locked, audit.CHANGE, fields=["state", "confirmed_at"])
    return locked


def give_up_text(entry: ShortlistEntry) -> str:
    return record_text(gettext_lazy("本人自愿放弃%(position)s岗位的面试资格"), position=entry.position.name)


def give_up_start(*, entry: ShortlistEntry, actor, reason: str = "") -> Declaration:
    """The applicant asks to give up: an SMS code goes to their phone (exams.declarations)."""
    if entry.application.applicant_id != actor.pk:
        raise PermissionDenied
    if not entry.is_in or entry.application.stage != Stage.SHORTLISTED:
        raise PermissionDenied(_("当前状态不能办理放弃。"))
    return declarations.start(
        application=entry.application,
        actor=actor,
        purpose=GIVE_UP_PURPOSE,
        text=give_up_text(entry),
        reason=reason,
    )


def give_up_confirm(*, entry: ShortlistEntry, actor, code: str, now=None) -> ShortlistEntry:
    """The applicant types the code: the declaration is confirmed and the place vacated
    (backfilled) in one transaction. Raises ValidationError({"code": …}), PermissionDenied."""
    declaration = declarations.pending(entry.application, GIVE_UP_PURPOSE)
    if declaration is None:
        raise ValidationError({"code": _("请先获取验证码。")})

    def then(confirmed):
        return _leave(
            entry,
            state=State.GAVE_UP,
            actor=actor,
            reason=confirmed.reason or confirmed.text,
            method=str(Declaration.Method.SMS.label),
        )

    return declarations.confirm(declaration=declaration, actor=actor, code=code, then=then, now=now)


def give_up_signed(*, entry: ShortlistEntry, actor, reason: str, upload) -> ShortlistEntry:
    """Staff upload the signed paper declaration: the place is vacated (backfilled)."""
    _check_staff(actor, entry.shortlist.announcement_id)
    with transaction.atomic():
        declarations.record_signed(
            application=entry.application,
            actor=actor,
            purpose=GIVE_UP_PURPOSE,
            text=give_up_text(entry),
            reason=reason,
            upload=upload,
        )
        return _leave(
            entry,
            state=State.GAVE_UP,
            actor=actor,
            reason=reason,
            method=str(Declaration.Method.SIGNED.label),
        )


# ------------------------------------------------------------------ staff decisions


def recheck_record(*, entry: ShortlistEntry, actor, passed: bool, reason: str = "") -> ShortlistEntry:
    """资格复审: staff record pass, or fail with a reason (the place is vacated, backfilled).
    Raises PermissionDenied (not staff; no longer in), ValidationError (fail without reason)."""
    _check_staff(actor, entry.shortlist.announcement_id)
    reason = (reason or "").strip()
    if not passed and not reason:
        raise ValidationError({"reason": _("复审不通过须填写原因。")})
    if passed:
        with transaction.atomic():
            locked = _lock_in(entry)
            locked.state = State.RECHECK_PASSED
            locked.rechecked = True
            locked.recheck_passed = True
            locked.reason = reason
            locked.changed_by = actor
            locked.save(
                update_fields=["state", "rechecked", "recheck_passed", "reason", "changed_by", "changed_at"]
            )
            audit.record(actor, locked, audit.CHANGE, fields=["state"], note=reason)
            _notify_one(locked, Event.RECHECK_RESULT, outcome=str(State.RECHECK_PASSED.label), reason=reason)
        return locked
    return _leave(entry, state=State.RECHECK_FAILED, actor=actor, reason=reason)


def disqualify(*, application: Application, actor, reason: str) -> Application:
    """取消资格 by an administrator at any stage (资格审查贯穿全过程), with a reason. A shortlisted
    candidate's place is vacated and, before the interview, backfilled. Raises
    PermissionDenied (not an administrator; a stage that cannot be disqualified),
    ValidationError (no reason)."""
    _check_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消资格的原因。")})
    entry = ShortlistEntry.objects.filter(application_id=application.pk).first()
    if entry is not None and entry.is_in:
        _leave(entry, state=State.DISQUALIFIED, actor=actor, reason=reason)
        application.refresh_from_db()
        return application
    with transaction.atomic():
        try:
            transition(
                application,
                to_stage=Stage.DISQUALIFIED,
                actor=actor,
                from_stages=DISQUALIFY_FROM,
                reason=reason,
            )
        except StaleApplication:
            raise PermissionDenied(_("该考生当前状态不能取消资格。"))
        audit.record(actor, application, audit.CHANGE, fields=["stage"], note=reason)
        _notify_application(application, Event.APPLICATION_DISQUALIFIED, reason=reason)
    return application


def _lock_in(entry: ShortlistEntry) -> ShortlistEntry:
    locked = (
        ShortlistEntry.objects.select_for_update()
        .select_related("application__applicant", "application__announcement", "position", "shortlist")
        .get(pk=entry.pk)
    )
    if not locked.is_in:
        raise PermissionDenied(_("该考生已不在入围名单中。"))
    return locked


def _leave(
    entry: ShortlistEntry, *, state: str, actor, reason: str, method: str = "", now=None
) -> ShortlistEntry:
    """The candidate leaves the list: entry state, stage, audit, notice, and the backfill round
    when the place is vacated before the interview. One transaction."""
    with transaction.atomic():
        locked = _lock_in(entry)
        application = locked.application
        before_interview = application.stage == Stage.SHORTLISTED
        to_stage = LEAVE_STAGE.get(state, Stage.DISQUALIFIED)
        from_stages = [Stage.SHORTLISTED] if state != State.DISQUALIFIED else DISQUALIFY_FROM
        try:
            transition(application, to_stage=to_stage, actor=actor, from_stages=from_stages, reason=reason)
        except StaleApplication:
            raise PermissionDenied(_("该考生的状态已变化，请刷新后再操作。"))
        locked.state = state
        locked.reason = reason
        locked.changed_by = actor
        if state == State.RECHECK_FAILED:
            locked.rechecked, locked.recheck_passed = True, False
        locked.save(
            update_fields=["state", "reason", "changed_by", "changed_at", "rechecked", "recheck_passed"]
        )
        audit.record(actor, locked, audit.CHANGE, fields=["state"], note=reason)
        if state == State.GAVE_UP:
            _notify_one(locked, Event.SHORTLIST_GAVE_UP, method=method)
        elif state == State.RECHECK_FAILED:
            _notify_one(locked, Event.RECHECK_RESULT, outcome=str(State.RECHECK_FAILED.label), reason=reason)
        else:
            _notify_application(application, Event.APPLICATION_DISQUALIFIED, reason=reason)
        if before_interview:
            backfill_round(shortlist=locked.shortlist, position=locked.position, actor=actor, now=now)
    return locked


def _notify_one(entry: ShortlistEntry, event: str, **context) -> None:
    application = entry.application
    notify(
        recipient=application.applicant,
        event=event,
        context={
            "announcement_title": application.announcement.title,
            "position_name": entry.position.name,
            "url": reverse("exams:shortlist_my"),
            **context,
        },
        dedupe_key=f"shortlist:{event}:{entry.pk}:{entry.state}",
    )


def _notify_application(application: Application, event: str, **context) -> None:
    application = Application.objects.select_related("applicant", "announcement", "position").get(
        pk=application.pk
    )
    notify(
        recipient=application.applicant,
        event=event,
        context={
            "announcement_title": application.announcement.title,
            "position_name": application.position.name,
            "url": reverse("applicants:application", args=[application.pk]),
            **context,
        },
        dedupe_key=f"{event}:{application.pk}",
    )


# ------------------------------------------------------------------ the deadline sweep (beat)


def unconfirmed_sweep(*, now=None) -> int:
    """Beat task: where the settings say no confirmation = gave up, every candidate who did not
    confirm by the deadline gives up (entries added after the deadline are spared: they were
    never given the time). Each vacated place runs its backfill round. Idempotent."""
    from ..models_rules import RankingSettings

    now = now or timezone.now()
    gave_up = 0
    rows = RankingSettings.objects.filter(unconfirmed_gives_up=True, confirm_deadline__lte=now).values_list(
        "announcement_id", "confirm_deadline"
    )
    for announcement_id, deadline in rows:
        shortlist = (
            Shortlist.objects.select_related("published_by", "announcement")
            .filter(announcement_id=announcement_id, published_at__isnull=False)
            .first()
        )
        if shortlist is None:
            continue
        late = ShortlistEntry.objects.filter(
            shortlist=shortlist,
            state__in=UNCONFIRMED,
            created_at__lt=deadline,
            application__stage=Stage.SHORTLISTED,
        ).select_related("shortlist__announcement")
        for entry in late:
            try:
                _leave(
                    entry,
                    state=State.GAVE_UP,
                    actor=shortlist.published_by,
                    reason=record_text(gettext_lazy("未在规定时间内确认参加面试，视为放弃")),
                    method=record_text(gettext_lazy("逾期未确认")),
                    now=now,
                )
            except PermissionDenied:
                continue
            gave_up += 1
        Shortlist.objects.filter(pk=shortlist.pk).update(unconfirmed_swept_at=now)
    return gave_up
