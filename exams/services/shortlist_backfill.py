"""The interview shortlist (进入面试人员名单), the backfill round (递补,
exams.scoring.shortlist_backfill) every vacated place runs, and the notices of a list's
entries (publication, backfill, a correction that wronged a candidate); with the staff check
the other shortlist modules share.

Rules: nothing here computes a score or a rank (exams.scoring does, through exams.rules.rules_for
and exams.selectors.shortlist.written_inputs); a round runs until the backfill deadline and
the round limit of the settings; every change is audited and told in the same transaction.

Split from exams.services.shortlist, which re-exports every name here (callers import that).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Stage
from applicants.services import record_text
from applicants.transitions import transition_many
from notifications.events import Event
from notifications.services import notify_many
from portal import audit
from recruitment.models import Position

from .. import scoring
from ..models_shortlist import Shortlist, ShortlistEntry, ShortlistRound
from ..rules import ranking_settings_of
from ..selectors import shortlist as selectors
from ..selectors.written import is_score_staff

State = ShortlistEntry.State


def _check_staff(actor, announcement_id: int) -> None:
    if not is_score_staff(actor, announcement_id):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以办理。"))


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


# ------------------------------------------------------------------ notices


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
