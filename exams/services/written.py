"""Written scores (笔试成绩): recording final scores (from an import or agreeing double
entries), corrections, double entry (双人录入), pass lines, results computed and published,
score review requests (成绩复核).

Every score is computed by exams.scoring (through exams.rules.rules_for); nothing here
rounds or ranks by its own rules except the competition rank (1, 2, 2, 4) of written totals
within a position, which scoring's Ranking does for composites only.

A final score is never overwritten silently: `written_score_correct` needs a reason, writes a
ScoreCorrection (old → new), notifies the candidate and bumps the announcement's results
version, which marks what was computed from the scores out of date (WrittenResults.stale).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Application, Stage
from applicants.transitions import StaleApplication, transition, transition_many
from notifications.events import Event
from notifications.services import notify, notify_many
from portal import audit

from .. import scoring
from ..models import ExamPlan, Ticket
from ..models_written import (
    BonusClaim,
    PositionPassLine,
    PositionResult,
    ScoreCorrection,
    ScoreEntry,
    ScoreReviewRequest,
    ScoreStatus,
    WrittenPartScore,
    WrittenResults,
    WrittenScore,
)
from ..rules import pass_setting, rules_for
from ..selectors import written as selectors

logger = logging.getLogger(__name__)

JOB_KIND = "score_import"
JOB_LABEL = gettext_lazy("导入笔试成绩")
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


def register() -> None:
    """Called from exams.apps.ExamsConfig.ready: the score-import job kind and the score panel."""
    from applicants.apply_extensions import register_apply_extension, register_form_section
    from applicants.panels import register_panel
    from portal.jobs import register_kind

    from ..apply_bonus import bonus_form_section, bonus_part
    from ..panels_written import score_panel
    from ..tasks_written import score_import

    register_kind(JOB_KIND, label=JOB_LABEL, task=score_import)
    register_panel("exams.written", render=score_panel, order=20)
    register_apply_extension("exams.bonus", make=bonus_part, order=10)
    register_form_section("exams.bonus", rows=bonus_form_section, order=10)

    from django.db.models.signals import post_delete, post_save

    from recruitment.models import BonusCategory

    post_save.connect(
        selectors.forget_categories, sender=BonusCategory, dispatch_uid="exams.bonus_categories"
    )
    post_delete.connect(
        selectors.forget_categories, sender=BonusCategory, dispatch_uid="exams.bonus_categories.d"
    )


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


# ------------------------------------------------------------------ double entry


def _check_staff(actor, announcement_id: int) -> None:
    if not selectors.is_score_staff(actor, announcement_id):
        raise PermissionDenied(_("只有分配到该公告的审核人员或管理员可以录入成绩。"))


def _entry_key(entry: ScoreEntry) -> tuple:
    return (entry.status, entry.raw, [str(p) for p in entry.parts])


def _new_score_for(ticket: Ticket, entry: ScoreEntry, paper: selectors.Paper) -> NewScore:
    parts = []
    if entry.status == ScoreStatus.SCORED and entry.parts:
        parts = [
            (part.name, Decimal(str(p)), part.full_marks)
            for part, p in zip(paper.parts, entry.parts, strict=True)
        ]
    return NewScore(
        ticket_id=ticket.pk,
        application_id=ticket.application_id,
        announcement_id=ticket.announcement_id,
        position_id=ticket.application.position_id,
        status=entry.status,
        raw=entry.raw,
        full_marks=paper.full_marks,
        parts=parts,
    )


def _validate_entry(paper: selectors.Paper, status: str, raw, parts) -> tuple[Decimal | None, list[Decimal]]:
    if status not in ScoreStatus.values:
        raise ValidationError(_("成绩状态无效。"))
    if status != ScoreStatus.SCORED:
        return None, []
    parts = list(parts or [])
    if parts:
        if len(parts) != len(paper.parts):
            raise ValidationError(_("请填写每一部分的得分。"))
        for part, points in zip(paper.parts, parts, strict=True):
            if points is None or not (0 <= points <= part.full_marks):
                raise ValidationError(
                    _("%(part)s的得分须在0至%(full)s之间。") % {"part": part.name, "full": part.full_marks}
                )
        total = sum(parts, Decimal(0))
        if raw is not None and raw != total:
            raise ValidationError(_("各部分得分之和与总分不一致。"))
        raw = total
    if raw is None or not (0 <= raw <= paper.full_marks):
        raise ValidationError(_("分数须在0至满分%(full)s之间。") % {"full": paper.full_marks})
    return raw.quantize(TWO_PLACES), [p.quantize(TWO_PLACES) for p in parts]


def entry_record(*, ticket: Ticket, actor, status: str, raw: Decimal | None, parts=None) -> ScoreEntry:
    """One person's independent entry of one ticket (双人录入). The first two people each
    enter once; when the second entry agrees with the first, the score becomes final.
    A disagreement waits for a third person (`entry_resolve`). Raises PermissionDenied
    (not staff of the announcement; already entered by this person; two entries already),
    ValidationError (an impossible score)."""
    _check_staff(actor, ticket.announcement_id)
    plan = ExamPlan.objects.get(announcement_id=ticket.announcement_id)
    papers, _names = selectors.papers_of(plan)
    paper = selectors.paper_for(papers, ticket.application.position_id)
    raw, parts = _validate_entry(paper, status, raw, parts)
    with transaction.atomic():
        Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if WrittenScore.objects.filter(ticket=ticket).exists():
            raise PermissionDenied(_("该考生的成绩已确定，如需修改请走更正程序。"))
        existing = list(ScoreEntry.objects.filter(ticket=ticket).order_by("entry_no"))
        if any(e.entered_by_id == actor.pk for e in existing):
            raise PermissionDenied(_("您已录入过该考生的成绩，第二次录入须由另一人完成。"))
        if len(existing) >= 2:
            raise PermissionDenied(_("该考生已有两次录入，两次不一致的须由第三人核定。"))
        entry = ScoreEntry.objects.create(
            ticket=ticket,
            entry_no=len(existing) + 1,
            status=status,
            raw=raw,
            parts=[str(p) for p in parts],
            entered_by=actor,
        )
        entry.refresh_from_db()
        if existing and _entry_key(existing[0]) == _entry_key(entry):
            scores_create(
                rows=[_new_score_for(ticket, entry, paper)],
                actor=actor,
                source=WrittenScore.Source.DOUBLE_ENTRY,
            )
    return entry


def entry_resolve(
    *, ticket: Ticket, actor, status: str, raw: Decimal | None, parts=None, note: str = ""
) -> WrittenScore:
    """A third person settles a mismatch between the two entries: their figure (checked
    against the paper) becomes final. Raises PermissionDenied (not staff; one of the two who
    entered; no mismatch to resolve), ValidationError."""
    _check_staff(actor, ticket.announcement_id)
    plan = ExamPlan.objects.get(announcement_id=ticket.announcement_id)
    papers, _names = selectors.papers_of(plan)
    paper = selectors.paper_for(papers, ticket.application.position_id)
    raw, parts = _validate_entry(paper, status, raw, parts)
    with transaction.atomic():
        Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        existing = list(ScoreEntry.objects.filter(ticket=ticket).order_by("entry_no"))
        if len(existing) != 2 or WrittenScore.objects.filter(ticket=ticket).exists():
            raise PermissionDenied(_("该考生没有待核定的不一致录入。"))
        if any(e.entered_by_id == actor.pk for e in existing):
            raise PermissionDenied(_("不一致的成绩须由前两次录入人以外的第三人核定。"))
        entry = ScoreEntry.objects.create(
            ticket=ticket, entry_no=3, status=status, raw=raw, parts=[str(p) for p in parts], entered_by=actor
        )
        entry.refresh_from_db()
        scores_create(
            rows=[_new_score_for(ticket, entry, paper)], actor=actor, source=WrittenScore.Source.RESOLVED
        )
        score = WrittenScore.objects.get(ticket=ticket)
        audit.record(actor, score, audit.ADDITION, note=note or _("双人录入不一致，第三人核定"))
    return score


# ------------------------------------------------------------------ pass lines and results


def position_pass_line_set(*, position, actor, mode: str, value: Decimal | None) -> PositionPassLine | None:
    """Set (or with mode "" clear) a position's own pass line. Marks results out of date."""
    _check_staff(actor, position.announcement_id)
    with transaction.atomic():
        if not mode:
            PositionPassLine.objects.filter(position=position).delete()
            line = None
        else:
            if mode not in PositionPassLine.Mode.values:
                raise ValidationError({"mode": _("合格线方式无效。")})
            if mode != PositionPassLine.Mode.NONE and value is None:
                raise ValidationError({"value": _("请填写分数线。")})
            if mode == PositionPassLine.Mode.RELATIVE and not (0 < value <= 100):
                raise ValidationError({"value": _("比例须大于0且不超过100。")})
            line, _created = PositionPassLine.objects.update_or_create(
                position=position, defaults={"mode": mode, "value": value, "set_by": actor}
            )
            audit.record(actor, line, audit.CHANGE, fields=["mode", "value"])
        results_touch(position.announcement_id)
    return line


def explain_line(mode: str, value, line: Decimal | None, sat_scores: list[Decimal], on_total: bool) -> dict:
    """How a pass line was obtained, as data (JSON): the stored mode and value, the line,
    and for a relative line the count, sum and mean of the raw scores of those who sat.
    `explanation_text` puts it in words in the reader's language."""
    data = {"mode": mode, "line": str(line) if line is not None else None, "on_total": bool(on_total)}
    if mode == "relative" and sat_scores:
        total = sum(sat_scores, Decimal(0))
        data.update(
            {
                "pct": str(Decimal(value).normalize()),
                "n": len(sat_scores),
                "sum": str(total),
                "mean": str((total / len(sat_scores)).quantize(Decimal("0.0001"))),
            }
        )
    return data


def explanation_text(data: dict) -> str:
    """The arithmetic of a pass line in words (PositionResult.explanation)."""
    if not data:
        return ""
    basis = _("原始成绩加加分") if data.get("on_total") else _("笔试原始成绩")
    mode = data.get("mode")
    if mode == "none":
        return _("本岗位不设笔试合格分数线，参加考试者均视为合格。")
    if mode == "relative":
        if not data.get("n"):
            return _("无人参加考试，未计算合格分数线。")
        return _(
            "按参加考试的%(n)s人原始成绩平均分的%(pct)s%%划定：总分%(sum)s ÷ %(n)s人 = 平均分%(mean)s，"
            "× %(pct)s%% = %(line)s分（四舍五入保留两位小数）；比较对象为%(basis)s。"
        ) % {**data, "basis": basis}
    if mode == "manual":
        return _("考后划定的分数线：%(line)s分；比较对象为%(basis)s。") % {
            "line": data["line"],
            "basis": basis,
        }
    return _("固定分数线：%(line)s分；比较对象为%(basis)s。") % {"line": data["line"], "basis": basis}


def _competition_ranks(pairs: list[tuple[Decimal, int]]) -> dict[int, int]:
    """{score id: rank} by total descending, equals sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(pairs, key=lambda pair: -pair[0])
    ranks, previous, rank = {}, None, 0
    for index, (total, pk) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = index, total
        ranks[pk] = rank
    return ranks


def _save_computed(scores: list[WrittenScore], version: int) -> None:
    """Write bonus, total, passed and rank: on PostgreSQL one UPDATE … FROM (VALUES …) per
    5,000 rows (bulk_update's CASE expressions took minutes for 50,000), bulk_update elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        WrittenScore.objects.bulk_update(
            scores, ["bonus", "total", "passed", "rank", "computed_version"], batch_size=2000
        )
        return
    table = connection.ops.quote_name(WrittenScore._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(scores), 5000):
            batch = scores[start : start + 5000]
            values = ", ".join(["(%s, %s::numeric, %s::numeric, %s::boolean, %s::integer)"] * len(batch))
            params = []
            for score in batch:
                params += [score.pk, score.bonus, score.total, score.passed, score.rank]
            # Only placeholders and the quoted table name go into the text.
            sql = (
                f"UPDATE {table} SET bonus = v.bonus, total = v.total, passed = v.passed, rank = v.rank,"  # noqa: S608
                f" computed_version = %s FROM (VALUES {values}) AS v(id, bonus, total, passed, rank)"
                f" WHERE {table}.id = v.id"
            )
            cursor.execute(sql, [version, *params])


@transaction.atomic
def results_compute(*, announcement, actor=None) -> WrittenResults:
    """Compute bonus, written total, pass line, passed and rank of every score of the
    announcement with exams.scoring, store them on the scores and PositionResult rows, and
    mark the results current. Safe to repeat (the same inputs give the same figures)."""
    results, _created = WrittenResults.objects.get_or_create(announcement=announcement)
    results = WrittenResults.objects.select_for_update().get(pk=results.pk)
    scores = list(
        WrittenScore.objects.filter(announcement=announcement).values(
            "pk", "position_id", "status", "raw", "ticket__application_id"
        )
    )
    bonus: dict[int, list[Decimal]] = {}
    for application_id, points in BonusClaim.objects.filter(
        application__announcement=announcement, status=BonusClaim.Status.CONFIRMED
    ).values_list("application_id", "category__points"):
        bonus.setdefault(application_id, []).append(points)
    overrides = {
        o.position_id: o for o in PositionPassLine.objects.filter(position__announcement=announcement)
    }
    candidates = {
        row["pk"]: scoring.Candidate(
            key=str(row["pk"]),
            written=row["raw"] if row["status"] == ScoreStatus.SCORED else None,
            bonus=tuple(bonus.get(row["ticket__application_id"], ())),
        )
        for row in scores
    }
    sat = [c for c in candidates.values() if c.written is not None]
    sat_scores = [c.written for c in sat]
    by_position: dict[int, list[dict]] = {}
    for row in scores:
        by_position.setdefault(row["position_id"], []).append(row)
    updates = []
    PositionResult.objects.filter(announcement=announcement).delete()
    position_rows = []
    for position_id, rows in by_position.items():
        override = overrides.get(position_id)
        rules = rules_for(announcement, override=override)
        line = scoring.pass_line(sat, rules)  # the mean is over everyone who sat the announcement's exam
        mode, value = pass_setting(announcement, override)
        explanation = explain_line(mode, value, line, sat_scores, rules.pass_line_on_total)
        pairs = []
        for row in rows:
            candidate = candidates[row["pk"]]
            score = WrittenScore(pk=row["pk"])
            if candidate.written is None:
                score.bonus = score.total = score.passed = score.rank = None
            else:
                score.bonus = scoring.bonus_points(candidate, rules)
                score.total = scoring.written_total(candidate, rules)
                score.passed = scoring.qualifies(candidate, rules, line)
                pairs.append((score.total, row["pk"]))
            updates.append(score)
        ranks = _competition_ranks(pairs)
        for score in updates[-len(rows) :]:
            score.rank = ranks.get(score.pk)
            score.computed_version = results.version
        position_rows.append(
            PositionResult(
                announcement=announcement,
                position_id=position_id,
                line=line,
                explanation=explanation,
                sat=len(pairs),
                computed_version=results.version,
            )
        )
    _save_computed(updates, results.version)
    PositionResult.objects.bulk_create(position_rows)
    results.computed_version = results.version
    results.computed_at = timezone.now()
    results.save(update_fields=["computed_version", "computed_at"])
    selectors.forget_figures(announcement.pk)
    if actor is not None:
        audit.record(actor, results, audit.CHANGE, fields=["computed_version"])
    return results


def results_publish(*, announcement, actor, at=None, now=None) -> WrittenResults:
    """Publish the announcement's written results now (at None or past) or schedule them
    for `at`. Computes stale figures first. Each candidate with a score is told once, ever
    (dedupe keys): publishing twice sends nothing more. Raises PermissionDenied for
    non-staff, ValidationError when nothing is scored."""
    _check_staff(actor, announcement.pk)
    now = now or timezone.now()
    if not WrittenScore.objects.filter(announcement=announcement).exists():
        raise ValidationError(_("尚无成绩，不能发布。"))
    with transaction.atomic():
        results, _created = WrittenResults.objects.get_or_create(announcement=announcement)
        results = WrittenResults.objects.select_for_update().get(pk=results.pk)
        if at is not None and at > now:
            results.scheduled_for = at
            results.published_by = actor
            results.save(update_fields=["scheduled_for", "published_by"])
            audit.record(actor, results, audit.CHANGE, fields=["scheduled_for"])
            selectors.forget_figures(announcement.pk)
            return results
        return _publish(results, actor=actor, now=now)


def _publish(results: WrittenResults, *, actor, now) -> WrittenResults:
    announcement = results.announcement
    if results.stale:
        results_compute(announcement=announcement, actor=actor)
        results.refresh_from_db()
    if results.published_at is None:
        results.published_at = now
        results.bonus_published_at = results.bonus_published_at or now
        results.published_by = results.published_by or actor
        results.save(update_fields=["published_at", "bonus_published_at", "published_by"])
        audit.record(actor, results, audit.CHANGE, fields=["published_at"])
        selectors.forget_figures(announcement.pk)
    _notify_published(results)
    return results


def _notify_published(results: WrittenResults) -> int:
    """One 成绩已公布 notice per candidate with a score, per position (the same words for
    all of a position); dedupe keys make a second run add nothing."""
    from accounts.models import User

    announcement = results.announcement
    told = 0
    rows = (
        WrittenScore.objects.filter(announcement=announcement)
        .values_list("position_id", "position__name", "ticket__application__applicant_id")
        .order_by("position_id")
    )
    by_position: dict[int, tuple[str, list[int]]] = {}
    for position_id, name, user_id in rows:
        by_position.setdefault(position_id, (name, []))[1].append(user_id)
    for position_id, (name, user_ids) in by_position.items():
        users = User.objects.filter(pk__in=user_ids)
        told += notify_many(
            recipients=users,
            event=Event.SCORES_PUBLISHED,
            context={
                "announcement_title": announcement.title,
                "position_name": name,
                "url": reverse("exams:written_my_scores"),
            },
            dedupe_prefix=f"written_published:{announcement.pk}:{position_id}",
        )
    WrittenResults.objects.filter(pk=results.pk).update(notified_at=timezone.now())
    return told


def publish_due(*, now=None) -> int:
    """Beat task: publish every scheduled result whose time has come. Idempotent."""
    now = now or timezone.now()
    done = 0
    for pk in WrittenResults.objects.filter(scheduled_for__lte=now, published_at__isnull=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            results = (
                WrittenResults.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("announcement", "published_by")
                .filter(pk=pk, published_at__isnull=True)
                .first()
            )
            if results is None:
                continue
            _publish(results, actor=results.published_by, now=results.scheduled_for)
            done += 1
    return done


# ------------------------------------------------------------------ score review (成绩复核)


def review_deadline(results: WrittenResults):
    """The last day to ask for a score review: N working days after the publication day
    (exams.workdays; calendar days where the year has no holiday data: `exact` False)."""
    from ..workdays import add_workdays

    published = timezone.localtime(results.published_at).date()
    return add_workdays(published, results.review_working_days)


def review_request_create(*, score: WrittenScore, actor, reason: str, now=None) -> ScoreReviewRequest:
    """The candidate asks once for their score to be re-checked, with a reason, within the
    window after publication. Raises PermissionDenied (not theirs; not published; past the
    window; asked already), ValidationError (no reason)."""
    now = now or timezone.now()
    application = score.ticket.application
    if application.applicant_id != actor.pk:
        raise PermissionDenied
    results = selectors.results_of(score.announcement_id)
    if not selectors.is_published(results, now):
        raise PermissionDenied(_("成绩尚未发布。"))
    if timezone.localtime(now).date() > review_deadline(results).day:
        raise PermissionDenied(_("成绩复核申请期限已过。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申请复核的理由。")})
    try:
        with transaction.atomic():
            request = ScoreReviewRequest.objects.create(score=score, reason=reason, requested_by=actor)
            audit.record(actor, request, audit.ADDITION, note=reason)
    except IntegrityError:
        raise PermissionDenied(_("每位考生只能申请一次成绩复核。"))
    return request


def review_answer(
    *, request: ScoreReviewRequest, actor, outcome: str, rechecked_raw: Decimal | None = None, note: str = ""
) -> ScoreReviewRequest:
    """Staff record the re-check: unchanged, or corrected with the re-checked total (the
    score is then corrected through written_score_correct, audited and stale-marking). The
    candidate is told. Raises PermissionDenied (not staff; answered already), ValidationError."""
    score = request.score
    _check_staff(actor, score.announcement_id)
    if outcome not in (ScoreReviewRequest.Outcome.UNCHANGED, ScoreReviewRequest.Outcome.CORRECTED):
        raise ValidationError({"outcome": _("请选择复核结果。")})
    with transaction.atomic():
        locked = ScoreReviewRequest.objects.select_for_update().get(pk=request.pk)
        if locked.outcome:
            raise PermissionDenied(_("该复核申请已办结。"))
        if outcome == ScoreReviewRequest.Outcome.CORRECTED:
            if rechecked_raw is None:
                raise ValidationError({"rechecked_raw": _("请填写复核后的分数。")})
            parts = None
            paper_parts = list(score.parts.all())
            if len(paper_parts) == 1:
                parts = [(paper_parts[0].name, rechecked_raw.quantize(TWO_PLACES), paper_parts[0].full_marks)]
            score = written_score_correct(
                score=score,
                actor=actor,
                status=ScoreStatus.SCORED,
                raw=rechecked_raw,
                parts=parts,
                reason=_("成绩复核：%(note)s") % {"note": note or _("复核更正")},
                expected_version=score.version,
            )
        locked.outcome = outcome
        locked.rechecked_raw = score.raw
        locked.note = (note or "").strip()
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["outcome", "rechecked_raw", "note", "answered_by", "answered_at"])
        audit.record(actor, locked, audit.CHANGE, fields=["outcome", "rechecked_raw"], note=locked.note)
        application = Application.objects.select_related("applicant", "announcement", "position").get(
            pk=score.ticket.application_id
        )
        notify(
            recipient=application.applicant,
            event=Event.SCORE_REVIEW_ANSWERED,
            context={
                "announcement_title": application.announcement.title,
                "position_name": application.position.name,
                "url": reverse("exams:written_my_score", args=[application.pk]),
                "outcome": str(ScoreReviewRequest.Outcome(outcome).label),
                "score": _score_text(score.status, score.raw),
                "reason": locked.note,
            },
            dedupe_key=f"score_review_answered:{locked.pk}",
        )
    return locked
