"""Interviews (面试, issue 17 items 4–5), the groups: every state change of a group, its
examiners (the panel) and its candidates — one function each, in a transaction, with an
audit record; notifications written in the same transaction (sent on commit by
notifications).

The interview's services are split by sub-domain:
- this module: groups, panels (examiners, 回避), candidates, publication; and
  InterviewRefused, the refusal every interview service raises;
- exams.services.interview_day: the day — check-in, late arrivals, the draw (抽签);
- exams.services.interview_scoring: blind scoring, reopening, the chief's sign-off.

Refusals raise InterviewRefused (a message for the page) or ValidationError (a message for
a field).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from notifications.events import Event
from notifications.services import notify
from portal import audit

from ..models_interview import InterviewCandidate, InterviewExaminer, InterviewGroup, InterviewScore
from ..selectors import interview as selectors

Attendance = InterviewCandidate.Attendance


class InterviewRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------ locks


def lock_group(pk: int) -> InterviewGroup:
    """The group's row, locked. The interview services lock in one order, so two of them
    never deadlock: group → candidate → score; a row joined for reading (announcement,
    application) is not locked (`of=("self",)`)."""
    return InterviewGroup.objects.select_for_update(of=("self",)).select_related("announcement").get(pk=pk)


def lock_candidate(pk: int, *related: str) -> InterviewCandidate:
    """The candidate's row, locked (after the group's, where both are locked); `related`
    are read with it, not locked."""
    return InterviewCandidate.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)


# ------------------------------------------------------------------ the group


GROUP_FIELDS = ("code", "name", "date", "starts_at", "report_by", "place", "waiting_room", "bring")


def group_save(*, announcement, actor, data: dict, positions, group: InterviewGroup | None = None):
    """Create or change a group (code, name, day, time, place, what to bring) and its
    positions. A published group's day, time and place change with a new notice."""
    with transaction.atomic():
        creating = group is None
        if creating:
            group = InterviewGroup(announcement=announcement, created_by=actor)
        changed = [name for name in GROUP_FIELDS if getattr(group, name) != data[name]]
        for name in GROUP_FIELDS:
            setattr(group, name, data[name])
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError:
            raise ValidationError({"code": _("本次招聘已有此代码的面试组。")})
        valid = [p for p in positions if p.announcement_id == announcement.pk]
        group.positions.set(valid)
        audit.record(
            actor, group, audit.ADDITION if creating else audit.CHANGE, fields=() if creating else changed
        )
        if (
            not creating
            and group.published_at
            and {"date", "starts_at", "report_by", "place", "bring"} & set(changed)
        ):
            _notify_candidates(group, group.candidates.all(), again=True)
    return group


def group_publish(*, group: InterviewGroup, actor, now=None) -> int:
    """Publish a group: the panel is complete (settings' panel size, exactly one chief), it
    has candidates; each candidate gets the interview notice. Returns how many were told."""
    now = now or timezone.now()
    config = selectors.settings_of(group.announcement)
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        if group.published_at:
            raise InterviewRefused(_("该面试组已发布。"))
        examiners = list(group.examiners.filter(active=True))
        if len(examiners) != config.panel_size:
            raise InterviewRefused(
                _("考官人数应为 %(size)s 人，现有 %(count)s 人。")
                % {"size": config.panel_size, "count": len(examiners)}
            )
        if sum(1 for e in examiners if e.chief) != 1:
            raise InterviewRefused(_("请指定一名主考官。"))
        candidates = list(group.candidates.select_related("application__applicant", "application__position"))
        if not candidates:
            raise InterviewRefused(_("该面试组还没有考生。"))
        group.published_at, group.published_by = now, actor
        group.save(update_fields=["published_at", "published_by", "updated_at"])
        audit.record(actor, group, audit.CHANGE, fields=["published_at"], note="published")
        told = _notify_candidates(group, candidates)
    return told


def group_delete_blockers(group: InterviewGroup) -> list[str]:
    """Why the group cannot be deleted (empty: it can): any score given, a draw made, a
    candidate checked in (present, late or absent). Messages for the page."""
    blockers = []
    if InterviewScore.objects.filter(candidate__group=group).exists():
        blockers.append(_("考官已对本组考生评分。"))
    if group.drawn_at:
        blockers.append(_("本组已抽签。"))
    if group.candidates.exclude(attendance=Attendance.PENDING).exists():
        blockers.append(_("本组已有考生签到或登记缺考。"))
    if group.published_at and group.candidates.exists():
        # They hold the interview notice with this group's time and place: moved to another
        # group they are told the new one (candidates_assign); deleted, nobody would tell them.
        blockers.append(_("本组面试通知已发布，请先将考生调整到其他面试组（考生将收到新的面试通知）。"))
    return blockers


def group_delete(*, group: InterviewGroup, actor, confirm_name: str) -> None:
    """Delete a group set up by mistake or no longer needed (administrators): only while
    nobody has scored, nothing has been drawn and no candidate has checked in; the
    administrator types the group's name to confirm. Its candidates (none checked in)
    return to the unassigned pool of their positions; its examiners' seats go with it.

    No examiner is told: the portal sends no notice of an examiner's assignment (an
    examiner finds their groups on their own page), so there is nothing to withdraw.
    A published group keeps its candidates until they are moved to another group (each is
    told the new time and place then): they hold this group's notice.

    The audit record (on the group, kept after the row is gone) names the positions, the
    examiners and the candidates it had. Raises ValidationError (the name typed does not
    match) or InterviewRefused (with every reason it cannot be deleted)."""
    if (confirm_name or "").strip() != group.name:
        raise ValidationError({"confirm_name": _("请准确输入面试组名称以确认删除。")})
    with transaction.atomic():
        group = lock_group(group.pk)
        # The candidates after the group: checking in or a score needs their rows.
        candidates = list(InterviewCandidate.objects.select_for_update().filter(group=group).order_by("pk"))
        blockers = group_delete_blockers(group)
        if blockers:
            raise InterviewRefused(_("该面试组不能删除：%(why)s") % {"why": "".join(blockers)})
        positions = sorted(group.positions.values_list("code", flat=True))
        seats = list(group.examiners.order_by("pk").values_list("user_id", "chief", "active"))
        note = (
            f"group deleted: {group.code} {group.name} ({group.date}); positions {positions};"
            f" examiners (user, chief, active) {seats};"
            f" candidates (applications) {[c.application_id for c in candidates]};"
            f" published {group.published_at.isoformat() if group.published_at else '-'}"
        )
        audit.record(actor, group, audit.DELETION, note=note)
        # A replaced seat points to its replacement (PROTECT): the links go first.
        group.examiners.update(replaced_by=None)
        group.examiners.all().delete()
        group.delete()


def _when(group: InterviewGroup) -> str:
    """面试时间 as the notice says it (“面试定于{interview_at}在{venue}进行”): date and start.
    The report-by time, waiting room and what to bring have their own slots in the template."""
    date = formats.date_format(group.date, "Y年n月j日")
    return f"{date} {group.starts_at:%H:%M}"


def _notify_candidates(group: InterviewGroup, candidates, *, again: bool = False) -> int:
    """The interview notice (面试通知): date and time, place, report-by time and waiting room
    (order of arrival: report, then the order drawn), what to bring."""
    told = 0
    stamp = int(timezone.now().timestamp()) if again else 0
    for candidate in candidates:
        application = candidate.application
        notify(
            recipient=application.applicant,
            event=Event.INTERVIEW_SCHEDULED,
            context={
                "announcement_title": group.announcement.title,
                "position_name": application.position.name,
                "url": reverse("applicants:application", args=[application.pk]),
                "interview_at": _when(group),
                "venue": group.place,
                "bring": group.bring,
                "report_by": f"{group.report_by:%H:%M}" if group.report_by else "",
                "waiting_room": group.waiting_room,
            },
            dedupe_key=f"interview_notice:{group.pk}:{application.pk}:{stamp}",
        )
        told += 1
    return told


# ------------------------------------------------------------------ examiners


def _not_started(group: InterviewGroup, now=None) -> None:
    if selectors.group_started(group, now):
        raise InterviewRefused(_("面试已开始，不能再调整考官。"))


def examiner_add(*, group: InterviewGroup, user, chief: bool, actor, now=None) -> InterviewExaminer:
    """Seat an examiner (a user with the examiner role) on the group before it starts."""
    if not user.has_role(Role.EXAMINER):
        raise ValidationError({"user": _("只能选择具有面试考官角色的账号。")})
    config = selectors.settings_of(group.announcement)
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        _not_started(group, now)
        if group.examiners.filter(active=True).count() >= config.panel_size:
            raise InterviewRefused(_("考官已满 %(size)s 人。") % {"size": config.panel_size})
        if chief and group.examiners.filter(active=True, chief=True).exists():
            raise ValidationError({"chief": _("该面试组已有主考官。")})
        if group.examiners.filter(user=user).exists():
            raise ValidationError({"user": _("该考官已在本组。")})
        examiner = InterviewExaminer.objects.create(group=group, user=user, chief=chief, added_by=actor)
        audit.record(actor, examiner, audit.ADDITION, note="chief" if chief else "")
    return examiner


def examiner_make_chief(*, examiner: InterviewExaminer, actor, now=None) -> InterviewExaminer:
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        group.examiners.filter(active=True, chief=True).update(chief=False)
        InterviewExaminer.objects.filter(pk=examiner.pk, active=True).update(chief=True)
        audit.record(actor, examiner, audit.CHANGE, fields=["chief"])
    examiner.refresh_from_db()
    return examiner


def examiner_remove(*, examiner: InterviewExaminer, actor, now=None) -> None:
    """Take an examiner off a group before it starts (a seat with scores is never removed)."""
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        if examiner.scores.exists():
            raise InterviewRefused(_("该考官已有评分，不能移除。"))
        audit.record(actor, examiner, audit.DELETION)
        examiner.delete()


def conflict_declare(*, examiner: InterviewExaminer, reason: str, now=None) -> InterviewExaminer:
    """The examiner declares a conflict of interest (回避) with someone of the group's
    positions; the administrator replaces them before the group starts."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明需要回避的原因。")})
    with transaction.atomic():
        examiner = InterviewExaminer.objects.select_for_update().get(pk=examiner.pk)
        if not examiner.active:
            raise InterviewRefused(_("您已不在该面试组。"))
        if selectors.group_started(examiner.group, now):
            raise InterviewRefused(_("面试已开始，请当面向主考官和工作人员提出回避。"))
        examiner.conflict_at = now or timezone.now()
        examiner.conflict_reason = reason
        examiner.save(update_fields=["conflict_at", "conflict_reason"])
        audit.record(examiner.user, examiner, audit.CHANGE, fields=["conflict_reason"], note=reason)
    return examiner


def examiner_replace(*, examiner: InterviewExaminer, user, actor, now=None) -> InterviewExaminer:
    """Replace an examiner (after a conflict declaration, or otherwise) before the group
    starts: the old seat is kept, inactive, pointing to the new one; the chief's role
    passes to the replacement."""
    if not user.has_role(Role.EXAMINER):
        raise ValidationError({"user": _("只能选择具有面试考官角色的账号。")})
    now = now or timezone.now()
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=examiner.group_id)
        _not_started(group, now)
        examiner = InterviewExaminer.objects.select_for_update().get(pk=examiner.pk)
        if not examiner.active:
            raise InterviewRefused(_("该考官已被替换。"))
        if group.examiners.filter(user=user).exists():
            raise ValidationError({"user": _("该考官已在本组。")})
        chief = examiner.chief
        examiner.active, examiner.chief, examiner.removed_at = False, False, now
        examiner.save(update_fields=["active", "chief", "removed_at"])
        new = InterviewExaminer.objects.create(group=group, user=user, chief=chief, added_by=actor)
        examiner.replaced_by = new
        examiner.save(update_fields=["replaced_by"])
        note = f"replaced by user {user.pk}"
        if examiner.conflict_reason:
            note += f"; 回避: {examiner.conflict_reason}"
        audit.record(actor, examiner, audit.CHANGE, fields=["active", "replaced_by"], note=note)
        audit.record(actor, new, audit.ADDITION, note=f"replaces user {examiner.user_id}")
    return new


# ------------------------------------------------------------------ candidates


def candidates_assign(*, group: InterviewGroup, actor) -> int:
    """Put the shortlisted of the group's positions who are in no group yet into it; told
    at once when the group is already published. Returns how many were added."""
    with transaction.atomic():
        group = InterviewGroup.objects.select_for_update().get(pk=group.pk)
        applications = list(selectors.unassigned(group).select_related("applicant"))
        rows = InterviewCandidate.objects.bulk_create(
            [InterviewCandidate(group=group, application=a) for a in applications], ignore_conflicts=True
        )
        added = InterviewCandidate.objects.filter(group=group, application__in=applications).select_related(
            "application__applicant", "application__position"
        )
        audit.record(actor, group, audit.CHANGE, note=f"candidates added: {len(rows)}")
        if group.published_at:
            _notify_candidates(group, added)
    return len(applications)


def candidate_remove(*, candidate: InterviewCandidate, actor) -> None:
    if candidate.attendance != Attendance.PENDING or candidate.scores.exists():
        raise InterviewRefused(_("该考生已签到或已有评分，不能移出。"))
    with transaction.atomic():
        audit.record(
            actor, candidate.group, audit.CHANGE, note=f"candidate removed: {candidate.application_id}"
        )
        candidate.delete()
