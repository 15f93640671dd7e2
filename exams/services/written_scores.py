"""Written scores (笔试成绩), recording and correcting a final score: parsing a typed score,
`scores_create` (from an import or agreeing double entries; COPY on PostgreSQL), the results
version bump (`results_touch`), corrections (`written_score_correct`), and the staff check
shared by double entry, pass lines, publication and review.

A final score is never overwritten silently: `written_score_correct` needs a reason, writes a
ScoreCorrection (old → new), notifies the candidate and bumps the announcement's results
version, which marks what was computed from the scores out of date (WrittenResults.stale).

Split from exams.services.written, which re-exports every name here (callers import that).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Application, Stage
from applicants.transitions import StaleApplication, transition, transition_many
from notifications.events import Event
from notifications.services import notify
from portal import audit

from ..models_written import ScoreCorrection, ScoreStatus, WrittenPartScore, WrittenResults, WrittenScore
from ..selectors import written as selectors

TWO_PLACES = Decimal("0.01")
STAGE_OF_STATUS = {
    ScoreStatus.SCORED: Stage.WRITTEN_SCORED,
    ScoreStatus.ABSENT: Stage.ABSENT,
    ScoreStatus.DISQUALIFIED: Stage.DISQUALIFIED,
}
# The stages a candidate may be in when a score arrives (a candidate marked absent at the
# door, or disqualified by the chief proctor, is already there).
FROM_STAGES = {
    ScoreStatus.SCORED: [Stage.TICKET_ISSUED],
    ScoreStatus.ABSENT: [Stage.TICKET_ISSUED],
    ScoreStatus.DISQUALIFIED: [Stage.TICKET_ISSUED, Stage.ABSENT],
}


# ------------------------------------------------------------------ parsing a score


class ScoreInputError(ValueError):
    """A typed or imported score that cannot be a score; `code` names the fault."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def parse_points(text: str, full_marks: Decimal, what: str = "") -> Decimal:
    """A score typed by a person ("82.5", "82.50", "0") → Decimal with 2 places.
    Raises ScoreInputError: "text" (not a number), "places" (more than 2 decimals),
    "negative" (below 0), "above" (above `full_marks`)."""
    text = (text or "").strip().replace("，", ".").replace("．", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ScoreInputError("text", _("“%(text)s”不是分数") % {"text": text})
    if not value.is_finite():
        raise ScoreInputError("text", _("“%(text)s”不是分数") % {"text": text})
    if value.as_tuple().exponent < -2 and value != value.quantize(TWO_PLACES):
        raise ScoreInputError("places", _("%(what)s%(value)s 超过两位小数") % {"what": what, "value": text})
    if value < 0:
        raise ScoreInputError("negative", _("%(what)s%(value)s 小于0分") % {"what": what, "value": text})
    if value > full_marks:
        raise ScoreInputError(
            "above",
            _("%(what)s%(value)s 超过满分%(full)s分") % {"what": what, "value": text, "full": full_marks},
        )
    return value.quantize(TWO_PLACES)


@dataclass
class NewScore:
    """A final score to record: status, raw total, parts [(name, points, full marks)]."""

    ticket_id: int
    application_id: int
    announcement_id: int
    position_id: int
    status: str
    raw: Decimal | None
    full_marks: Decimal
    parts: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    def same_as(self, status: str, raw: Decimal | None, parts: list[tuple[str, Decimal]]) -> bool:
        """Whether a stored score (status, raw, [(part name, points)]) is this one."""
        mine = [(name, points) for name, points, _full in self.parts]
        return self.status == status and self.raw == raw and mine == list(parts)


def scores_create(*, rows: list[NewScore], actor, source: str) -> int:
    """Record final scores for tickets that have none (bulk), move each application's stage
    (ticket issued → written scored / absent / disqualified; already absent or disqualified at
    the door stays) and bump the results version. Call inside transaction.atomic().
    Raises IntegrityError where a ticket already has a score (a concurrent import)."""
    if not rows:
        return 0
    now = timezone.now()
    from django.db import connection

    if connection.vendor == "postgresql":
        _copy_scores(connection, rows, actor_id=actor.pk, source=source, now=now)
    else:
        _bulk_create_scores(rows, actor=actor, source=source, now=now)
    for status, to_stage in STAGE_OF_STATUS.items():
        ids = [r.application_id for r in rows if r.status == status]
        if ids:
            transition_many(
                ids,
                to_stage=to_stage,
                actor=actor,
                from_stages=FROM_STAGES[status],
                reason=_("笔试成绩已登记"),
            )
    for announcement_id in {r.announcement_id for r in rows}:
        results_touch(announcement_id)
    return len(rows)


def _copy_text(value) -> str:
    """One field of PostgreSQL's COPY text format (NULL as \\N; tab, newline, backslash escaped)."""
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, sql: str, lines) -> None:
    """COPY … FROM STDIN with psycopg2 (copy_expert) or psycopg 3 (cursor.copy)."""
    data = "".join(lines)
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):
        raw.copy_expert(sql, io.StringIO(data))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(data)


def _copy_scores(connection, rows: list[NewScore], *, actor_id: int, source: str, now) -> None:
    """PostgreSQL: the scores by one COPY into their table (the database checks every row's
    constraints as for an INSERT), the parts by one COPY into a temporary table joined to the
    new scores by ticket in one INSERT … SELECT. 50,000 scores and 100,000 parts in about a
    second where bulk_create spent a minute building model instances and parameters."""
    scores = connection.ops.quote_name(WrittenScore._meta.db_table)
    parts = connection.ops.quote_name(WrittenPartScore._meta.db_table)
    stamp = now.isoformat()
    t = _copy_text
    with connection.wrap_database_errors, connection.cursor() as cursor:
        _copy(
            cursor,
            f"COPY {scores} (ticket_id, announcement_id, position_id, status, raw, full_marks, source,"
            " version, entered_by_id, entered_at, updated_at, computed_version) FROM STDIN",
            (
                f"{r.ticket_id}\t{r.announcement_id}\t{r.position_id}\t{t(r.status)}\t{t(r.raw)}\t"
                f"{r.full_marks}\t{t(source)}\t1\t{actor_id}\t{stamp}\t{stamp}\t0\n"
                for r in rows
            ),
        )
        if not any(r.parts for r in rows):
            return
        cursor.execute("DROP TABLE IF EXISTS exams_wpart_load")
        cursor.execute(
            "CREATE TEMPORARY TABLE exams_wpart_load (ticket_id bigint, index smallint, name varchar(100),"
            " points numeric(5, 2), full_marks numeric(5, 2)) ON COMMIT DROP"
        )
        _copy(
            cursor,
            "COPY exams_wpart_load (ticket_id, index, name, points, full_marks) FROM STDIN",
            (
                f"{r.ticket_id}\t{i}\t{t(name)}\t{points}\t{full}\n"
                for r in rows
                for i, (name, points, full) in enumerate(r.parts)
            ),
        )
        cursor.execute(
            f"INSERT INTO {parts} (score_id, index, name, points, full_marks)"  # noqa: S608 - table names only
            f" SELECT s.id, l.index, l.name, l.points, l.full_marks FROM exams_wpart_load l"
            f" JOIN {scores} s ON s.ticket_id = l.ticket_id"
        )
        cursor.execute("DROP TABLE exams_wpart_load")


def _bulk_create_scores(rows: list[NewScore], *, actor, source: str, now) -> None:
    """Elsewhere (SQLite): bulk_create in batches."""
    created = WrittenScore.objects.bulk_create(
        [
            WrittenScore(
                ticket_id=r.ticket_id,
                announcement_id=r.announcement_id,
                position_id=r.position_id,
                status=r.status,
                raw=r.raw,
                full_marks=r.full_marks,
                source=source,
                entered_by=actor,
                entered_at=now,
            )
            for r in rows
        ],
        batch_size=5000,
    )
    WrittenPartScore.objects.bulk_create(
        [
            WrittenPartScore(score_id=score.pk, index=i, name=name, points=points, full_marks=full)
            for score, r in zip(created, rows, strict=True)
            for i, (name, points, full) in enumerate(r.parts)
        ],
        batch_size=5000,
    )


def results_touch(announcement_id: int) -> None:
    """The scores changed: bump the results version (computed figures are now out of date)."""
    updated = WrittenResults.objects.filter(announcement_id=announcement_id).update(version=F("version") + 1)
    if not updated:
        WrittenResults.objects.get_or_create(announcement_id=announcement_id)
    selectors.forget_figures(announcement_id)


# ------------------------------------------------------------------ corrections


def _score_text(status: str, raw) -> str:
    if status == ScoreStatus.SCORED:
        return str(raw)
    return str(ScoreStatus(status).label)


def written_score_correct(
    *,
    score: WrittenScore,
    actor,
    status: str,
    raw: Decimal | None,
    parts: list[tuple[str, Decimal, Decimal]] | None = None,
    reason: str,
    expected_version: int,
) -> WrittenScore:
    """Change a final score: a conditional UPDATE on `expected_version` (the version the
    user saw), a ScoreCorrection row old → new, the audit record, the candidate notified,
    the application's stage moved where the status changes, the results marked out of date.
    Raises ValidationError (no reason, impossible score, nothing changed) or
    PermissionDenied (the score changed since it was read: reload)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因。")})
    if status not in ScoreStatus.values:
        raise ValidationError({"status": _("成绩状态无效。")})
    if status == ScoreStatus.SCORED:
        if raw is None or not (0 <= raw <= score.full_marks):
            raise ValidationError({"raw": _("分数须在0至满分%(full)s之间。") % {"full": score.full_marks}})
        raw = raw.quantize(TWO_PLACES)
    else:
        raw, parts = None, []
    parts = parts or []
    if parts and sum(p for _n, p, _f in parts) != raw:
        raise ValidationError({"raw": _("各部分得分之和与总分不一致。")})
    old_parts = list(score.parts.values_list("name", "points"))
    if status == score.status and raw == score.raw and [(n, p) for n, p, _f in parts] == old_parts:
        raise ValidationError(_("成绩没有变化。"))
    with transaction.atomic():
        updated = WrittenScore.objects.filter(pk=score.pk, version=expected_version).update(
            status=status, raw=raw, version=F("version") + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise PermissionDenied(_("该成绩已被他人修改，请刷新页面后再操作。"))
        WrittenPartScore.objects.filter(score=score).delete()
        WrittenPartScore.objects.bulk_create(
            [
                WrittenPartScore(score=score, index=i, name=n, points=p, full_marks=f)
                for i, (n, p, f) in enumerate(parts)
            ]
        )
        correction = ScoreCorrection.objects.create(
            score=score,
            old_status=score.status,
            old_raw=score.raw,
            old_parts=[[n, str(p)] for n, p in old_parts],
            new_status=status,
            new_raw=raw,
            new_parts=[[n, str(p)] for n, p, _f in parts],
            reason=reason,
            corrected_by=actor,
        )
        application = Application.objects.select_related("applicant", "announcement", "position").get(
            pk=score.ticket.application_id
        )
        if status != score.status:
            try:
                transition(
                    application,
                    to_stage=STAGE_OF_STATUS[status],
                    actor=actor,
                    from_stages=[STAGE_OF_STATUS[score.status]],
                    reason=reason,
                )
            except StaleApplication:
                raise PermissionDenied(_("该考生的状态已变化，请刷新后再操作。"))
        audit.record(actor, score, audit.CHANGE, fields=["status", "raw"], note=reason)
        results_touch(score.announcement_id)
        from .shortlist import on_score_corrected  # after the shortlist: add the wronged (issue 16 item 6)

        on_score_corrected(announcement_id=score.announcement_id, application_id=application.pk, actor=actor)
        old_text = _score_text(correction.old_status, correction.old_raw)
        notify(
            recipient=application.applicant,
            event=Event.SCORE_CORRECTED,
            context={
                "announcement_title": application.announcement.title,
                "position_name": application.position.name,
                "url": reverse("exams:written_my_score", args=[application.pk]),
                "old_score": old_text,
                "new_score": _score_text(status, raw),
                "reason": reason,
            },
            dedupe_key=f"score_corrected:{correction.pk}",
        )
    score.refresh_from_db()
    return score


# ------------------------------------------------------------------ staff check (entry, results, review)


def _check_staff(actor, announcement_id: int) -> None:
    if not selectors.is_score_staff(actor, announcement_id):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以录入成绩。"))
