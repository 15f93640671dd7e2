"""The interview shortlist (进入面试人员名单): computed per position by exams.scoring.shortlist
in a background job, published and notified, attendance confirmed by a deadline, the
document re-check (资格复审), giving up (the applicant's declaration confirmed by SMS code,
or a signed paper uploaded by staff), disqualification (取消资格, at any stage), and the
backfill round (递补, exams.scoring.shortlist_backfill) every vacated place runs.

Rules:
- Nothing here computes a score or a rank: exams.scoring does, through exams.rules.rules_for
  and exams.selectors.shortlist.written_inputs.
- Before publication the job may run again (after a score correction): the same inputs give
  the same list, stages are moved to match (SHORTLISTED / NOT_SHORTLISTED). After
  publication the list only grows: backfill rounds and a correction that wronged a
  candidate add people; nobody already notified is removed by a recomputation.
- Leaving (gave up → DECLINED, re-check failed → FAILED_CHECK, disqualified → DISQUALIFIED)
  before the interview vacates the place, and the position's backfill round runs in the
  same transaction (until the backfill deadline and the round limit of the settings).
- Every change: one transaction with its audit record(s) and notifications.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from applicants.models import Application, Stage
from applicants.services import record_text
from applicants.transitions import StaleApplication, transition, transition_many
from notifications.events import Event
from notifications.services import notify, notify_many
from portal import audit, jobs
from portal.models import BackgroundJob
from recruitment.models import Position

from .. import declarations, scoring
from ..models_shortlist import Declaration, Shortlist, ShortlistCut, ShortlistEntry, ShortlistRound
from ..models_written import WrittenResults
from ..rules import ranking_settings_of
from ..selectors import shortlist as selectors
from ..selectors.written import is_score_staff

logger = logging.getLogger(__name__)

JOB_KIND = "exam_shortlist"
JOB_LABEL = gettext_lazy("生成面试入围名单")
GIVE_UP_PURPOSE = "shortlist_give_up"
State = ShortlistEntry.State
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


def register() -> None:
    """Called from exams.apps.ExamsConfig.ready: the job kind and the applicant's panel."""
    from applicants.panels import register_panel

    from ..panels_shortlist import shortlist_panel
    from ..tasks_shortlist import compute_shortlist

    jobs.register_kind(JOB_KIND, label=JOB_LABEL, task=compute_shortlist)
    register_panel("exams.shortlist", render=shortlist_panel, order=30)


def _check_staff(actor, announcement_id: int) -> None:
    if not is_score_staff(actor, announcement_id):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以办理。"))


def _check_admin(actor) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied(_("只有管理员可以取消考生资格。"))


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _my_url(application_id: int) -> str:
    return reverse("exams:shortlist_mine", args=[application_id])


# ------------------------------------------------------------------ the job


def compute_problems(announcement) -> list[str]:
    """Why the shortlist cannot be computed now (empty: it can)."""
    results = WrittenResults.objects.filter(announcement_id=announcement.pk).first()
    problems = []
    if results is None or not results.published_at:
        problems.append(_("笔试成绩尚未发布。"))
    elif results.stale:
        problems.append(_("笔试成绩有更正，请先在笔试成绩页面重新计算。"))
    shortlist = selectors.shortlist_of(announcement)
    if shortlist is not None and shortlist.published_at:
        problems.append(_("入围名单已公布，不能重新生成；人员变动通过递补办理。"))
    return problems


def compute_job_create(*, announcement, actor) -> BackgroundJob:
    """Start the shortlist job of `announcement`. Raises PermissionDenied (not staff),
    ValidationError (see compute_problems; a job already running)."""
    _check_staff(actor, announcement.pk)
    problems = compute_problems(announcement)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Shortlist.objects.get_or_create(announcement=announcement)
        Shortlist.objects.select_for_update().get(announcement=announcement)
        running = BackgroundJob.objects.filter(
            kind=JOB_KIND,
            announcement_id=announcement.pk,
            status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
        ).first()
        if running is not None:
            return running
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=actor,
            announcement_id=announcement.pk,
            total=Position.objects.filter(announcement=announcement).count(),
        )
        jobs.start_on_commit(job)
    return job


def compute_run(job: BackgroundJob) -> BackgroundJob:
    """Compute every position's shortlist (one transaction per position). Safe to run again:
    each position's list is replaced by the same list (same inputs, same keys) and the stages
    are moved to match; a published list is never recomputed."""
    if not jobs.claim(job):
        return job
    actor = job.created_by
    try:
        from recruitment.models import Announcement

        announcement = Announcement.objects.get(pk=job.announcement_id)
        shortlist = Shortlist.objects.get(announcement=announcement)
        if shortlist.published_at:
            return jobs.finish(job, params={**job.params, "skipped": "published"})
        positions = list(Position.objects.filter(announcement=announcement).order_by("code", "pk"))
        inputs = selectors.written_inputs(announcement, positions)
        BackgroundJob.objects.filter(pk=job.pk).update(total=len(positions), done=0)
        job.refresh_from_db(fields=["total", "done"])
        counts = {"shortlisted": 0, "not_shortlisted": 0}
        for position in positions:
            with transaction.atomic():
                locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
                if locked.published_at:
                    raise ValidationError(_("入围名单已公布。"))
                entered, left = _compute_position(locked, position, inputs[position.pk], actor=actor)
                counts["shortlisted"] += entered
                counts["not_shortlisted"] += left
                jobs.add_done(job, 1)
        with transaction.atomic():
            results = WrittenResults.objects.filter(announcement=announcement).first()
            Shortlist.objects.filter(pk=shortlist.pk).update(
                computed_at=timezone.now(),
                computed_by=actor,
                results_version=results.version if results else 0,
            )
            audit.record(actor, shortlist, audit.CHANGE, fields=["computed_at"])
        return jobs.finish(job, params={**job.params, **counts})
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except ValidationError as error:
        jobs.fail(job, ValidationError("；".join(error.messages)))
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def _compute_position(shortlist: Shortlist, position: Position, inputs, *, actor) -> tuple[int, int]:
    """Replace one position's list before publication; returns (shortlisted, not shortlisted)."""
    candidates = inputs.candidates
    sat = [c for c in candidates if c.written is not None]
    keys: tuple[str, ...] = ()
    target = 0
    if position.quota >= 1 and position.status != Position.Status.CANCELLED:
        target = scoring.shortlist_target(position.quota, inputs.rules)
        keys = scoring.shortlist(candidates, inputs.rules, position.quota, inputs.line)
    totals = {c.key: scoring.written_total(c, inputs.rules) for c in sat}
    chosen = [int(k) for k in keys]
    others = [int(c.key) for c in sat if c.key not in set(keys)]
    entries = ShortlistEntry.objects.filter(shortlist=shortlist, position=position)
    # Those who already left (disqualified before publication…) keep their entry and stage;
    # everyone else is recomputed from scratch, backfill rounds included (run again below).
    left = set(entries.filter(state__in=ShortlistEntry.OUT).values_list("application_id", flat=True))
    entries.exclude(application_id__in=chosen).exclude(state__in=ShortlistEntry.OUT).delete()
    entries.filter(application_id__in=chosen, round__gt=0).exclude(state__in=ShortlistEntry.OUT).update(
        round=0, state=State.SHORTLISTED, reason=""
    )
    ShortlistRound.objects.filter(position=position).delete()  # refilled_in falls back to NULL
    existing = set(
        ShortlistEntry.objects.filter(shortlist=shortlist, position=position).values_list(
            "application_id", flat=True
        )
    )
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(
                shortlist=shortlist,
                application_id=pk,
                position=position,
                round=0,
                state=State.SHORTLISTED,
                written_total=totals[str(pk)],
            )
            for pk in chosen
            if pk not in existing
        ]
    )
    for pk in existing:
        ShortlistEntry.objects.filter(shortlist=shortlist, application_id=pk).update(
            written_total=totals[str(pk)]
        )
    qualified = sum(1 for c in sat if scoring.qualifies(c, inputs.rules, inputs.line))
    ShortlistCut.objects.update_or_create(
        position=position,
        defaults={
            "shortlist": shortlist,
            "line": inputs.line,
            "target": target,
            "cut": min((totals[k] for k in keys), default=None),
            "qualified": qualified,
            "entered": len(keys),
        },
    )
    reason = record_text(gettext_lazy("面试入围名单"))
    transition_many(
        chosen,
        to_stage=Stage.SHORTLISTED,
        actor=actor,
        from_stages=[Stage.WRITTEN_SCORED, Stage.NOT_SHORTLISTED],
        reason=reason,
    )
    transition_many(
        others,
        to_stage=Stage.NOT_SHORTLISTED,
        actor=actor,
        from_stages=[Stage.WRITTEN_SCORED, Stage.SHORTLISTED],
        reason=reason,
    )
    if left:
        backfill_round(shortlist=shortlist, position=position, actor=actor)
    return len(chosen), len(others)


# ------------------------------------------------------------------ publication


def publish(*, shortlist: Shortlist, actor, now=None) -> Shortlist:
    """Publish the computed list and tell each shortlisted candidate once (dedupe keys).
    Raises PermissionDenied (not staff), ValidationError (not computed; computed from scores
    since corrected)."""
    _check_staff(actor, shortlist.announcement_id)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Shortlist.objects.select_for_update().select_related("announcement").get(pk=shortlist.pk)
        if locked.computed_at is None:
            raise ValidationError(_("请先生成入围名单。"))
        results = WrittenResults.objects.filter(announcement_id=locked.announcement_id).first()
        if locked.published_at is None and results is not None and results.version != locked.results_version:
            raise ValidationError(_("生成名单后笔试成绩有更正，请重新生成入围名单后再公布。"))
        if locked.published_at is None:
            locked.published_at = now
            locked.published_by = actor
            locked.save(update_fields=["published_at", "published_by"])
            audit.record(actor, locked, audit.CHANGE, fields=["published_at"])
        _notify_entries(locked, ShortlistEntry.objects.filter(shortlist=locked, notified_at__isnull=True))
    return locked


def _notify_entries(shortlist: Shortlist, entries, *, event=Event.SHORTLISTED) -> int:
    """Tell the given (unnotified) entries, per position, once; mark them notified."""
    from accounts.models import User

    announcement = shortlist.announcement
    settings_row = ranking_settings_of(announcement)
    deadline = _local(settings_row.confirm_deadline) if settings_row else ""
    rows = list(entries.values_list("pk", "position_id", "position__name", "application__applicant_id"))
    by_position: dict[int, tuple[str, list[int]]] = {}
    for _pk, position_id, name, user_id in rows:
        by_position.setdefault(position_id, (name, []))[1].append(user_id)
    told = 0
    for position_id, (name, user_ids) in by_position.items():
        told += notify_many(
            recipients=User.objects.filter(pk__in=user_ids),
            event=event,
            context={
                "announcement_title": announcement.title,
                "position_name": name,
                "url": reverse("exams:shortlist_my"),
                "deadline": deadline,
            },
            dedupe_prefix=f"shortlist:{event}:{announcement.pk}:{position_id}",
        )
    ShortlistEntry.objects.filter(pk__in=[row[0] for row in rows]).update(notified_at=timezone.now())
    return told


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


# ------------------------------------------------------------------ backfill (递补)


def backfill_problems(announcement, *, now=None) -> str:
    """Why no backfill round may run now ("" when it may): past the backfill deadline."""
    row = ranking_settings_of(announcement)
    today = timezone.localdate(now or timezone.now())
    if row and row.backfill_until and today > row.backfill_until:
        return _("已过递补截止日期（%(day)s）。") % {"day": row.backfill_until.isoformat()}
    return ""


def backfill_round(*, shortlist: Shortlist, position: Position, actor, now=None) -> ShortlistRound | None:
    """One backfill round of one position: the places vacated before the interview and not yet
    refilled go to the qualified never shortlisted, by written total, ties together
    (exams.scoring.shortlist_backfill). Records the round (also when nobody is left to take a
    place: 无递补对象的不再递补), moves stages, tells those added once the list is published.
    Returns None when there is nothing to fill, the deadline has passed or the round limit is
    reached. Call inside transaction.atomic()."""
    announcement = shortlist.announcement
    vacated_entries = list(
        ShortlistEntry.objects.select_for_update()
        .filter(
            shortlist=shortlist, position=position, state__in=ShortlistEntry.OUT, refilled_in__isnull=True
        )
        .exclude(application__stage__in=[Stage.INTERVIEWED, Stage.RANKED])
    )
    if not vacated_entries or backfill_problems(announcement, now=now):
        return None
    row = ranking_settings_of(announcement)
    done = ShortlistRound.objects.filter(position=position).aggregate(n=Max("number"))["n"] or 0
    if row and row.shortlist_backfill_rounds is not None and done >= row.shortlist_backfill_rounds:
        return None
    inputs = selectors.written_inputs(announcement, [position])[position.pk]
    ever = [
        str(pk)
        for pk in ShortlistEntry.objects.filter(position=position).values_list("application_id", flat=True)
    ]
    vacated = [str(e.application_id) for e in vacated_entries]
    added = scoring.shortlist_backfill(inputs.candidates, inputs.rules, inputs.line, ever, vacated)
    totals = {
        c.key: scoring.written_total(c, inputs.rules) for c in inputs.candidates if c.written is not None
    }
    number = done + 1
    round_ = ShortlistRound.objects.create(
        shortlist=shortlist,
        position=position,
        number=number,
        vacated=[int(k) for k in vacated],
        added=[int(k) for k in added],
        created_by=actor,
    )
    ShortlistEntry.objects.filter(pk__in=[e.pk for e in vacated_entries]).update(refilled_in=round_)
    new_entries = ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(
                shortlist=shortlist,
                application_id=int(key),
                position=position,
                round=number,
                state=State.ADDED_BY_BACKFILL,
                written_total=totals[key],
                reason=record_text(gettext_lazy("第%(n)s轮递补"), n=number),
                created_at=now or timezone.now(),
            )
            for key in added
        ]
    )
    transition_many(
        [int(k) for k in added],
        to_stage=Stage.SHORTLISTED,
        actor=actor,
        from_stages=[Stage.NOT_SHORTLISTED, Stage.WRITTEN_SCORED],
        reason=record_text(gettext_lazy("递补进入面试")),
    )
    audit.record(actor, round_, audit.ADDITION, note=f"vacated={round_.vacated} added={round_.added}")
    if shortlist.published_at and new_entries:
        _notify_entries(
            shortlist,
            ShortlistEntry.objects.filter(pk__in=[e.pk for e in new_entries]),
            event=Event.SHORTLIST_BACKFILLED,
        )
    return round_


# ------------------------------------------------------------------ written score corrections


def on_score_corrected(*, announcement_id: int, application_id: int, actor) -> list[int]:
    """Called by exams.services.written.written_score_correct inside its transaction (issue 16
    item 6). Before publication: nothing (the list is to be generated again; publish refuses a
    stale one). After: the corrected candidate's written total is updated on their entry, and
    anyone the corrected scores now put on the position's list who is not on it (the wronged
    candidate) is added (ADDED_BY_CORRECTION) and told; nobody is removed. Returns the ids added."""
    shortlist = (
        Shortlist.objects.select_related("announcement").filter(announcement_id=announcement_id).first()
    )
    if shortlist is None or shortlist.published_at is None:
        return []
    application = Application.objects.select_related("position").get(pk=application_id)
    position = application.position
    inputs = selectors.written_inputs(shortlist.announcement, [position])[position.pk]
    totals = {
        c.key: scoring.written_total(c, inputs.rules) for c in inputs.candidates if c.written is not None
    }
    entry = ShortlistEntry.objects.filter(application_id=application_id).first()
    if entry is not None and str(application_id) in totals:
        ShortlistEntry.objects.filter(pk=entry.pk).update(written_total=totals[str(application_id)])
    if position.quota < 1 or position.status == Position.Status.CANCELLED:
        return []
    keys = scoring.shortlist(inputs.candidates, inputs.rules, position.quota, inputs.line)
    listed = set(ShortlistEntry.objects.filter(position=position).values_list("application_id", flat=True))
    wronged = [int(k) for k in keys if int(k) not in listed]
    if not wronged:
        return []
    moved = transition_many(
        wronged,
        to_stage=Stage.SHORTLISTED,
        actor=actor,
        from_stages=[Stage.NOT_SHORTLISTED, Stage.WRITTEN_SCORED],
        reason=record_text(gettext_lazy("笔试成绩更正后补入面试名单")),
    )
    created = ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(
                shortlist=shortlist,
                application_id=pk,
                position=position,
                round=0,
                state=State.ADDED_BY_CORRECTION,
                written_total=totals[str(pk)],
                reason=record_text(gettext_lazy("笔试成绩更正后补入")),
            )
            for pk in moved
        ]
    )
    for item in created:
        audit.record(actor, item, audit.ADDITION, note=item.reason)
    _notify_entries(shortlist, ShortlistEntry.objects.filter(pk__in=[e.pk for e in created]))
    return moved


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


__all__ = [
    "JOB_KIND",
    "backfill_round",
    "compute_job_create",
    "compute_run",
    "confirm_attendance",
    "disqualify",
    "give_up_confirm",
    "give_up_signed",
    "give_up_start",
    "on_score_corrected",
    "publish",
    "recheck_record",
    "unconfirmed_sweep",
]
