"""Written scores (笔试成绩): recording final scores (from an import or agreeing double
entries), corrections, double entry (双人录入), pass lines, results computed and published,
score review requests (成绩复核).

Every score is computed by exams.scoring (through exams.rules.rules_for); nothing here
rounds or ranks by its own rules except the competition rank (1, 2, 2, 4) of written totals
within a position, which scoring's Ranking does for composites only.

A final score is never overwritten silently: `written_score_correct` needs a reason, writes a
ScoreCorrection (old → new), notifies the candidate and bumps the announcement's results
version, which marks what was computed from the scores out of date (WrittenResults.stale).

This module keeps the job kind, register() and double entry; recording and correcting a
score are in exams.services.written_scores, pass lines, results, publication and review in
exams.services.written_results. Both are re-exported here: callers import this module.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit

from ..models import ExamPlan, Ticket
from ..models_written import ScoreEntry, ScoreStatus, WrittenScore
from ..selectors import written as selectors

# Re-exported: callers (views, tasks, forms, models, bonus, written_import, the demo, tests,
# bench) import every name of written scores from this module.
from .written_results import (  # noqa: F401 - re-exported, see above
    _competition_ranks,
    _notify_published,
    _publish,
    _save_computed,
    explain_line,
    explanation_text,
    position_pass_line_set,
    publish_due,
    results_compute,
    results_publish,
    review_answer,
    review_deadline,
    review_request_create,
)
from .written_scores import (  # noqa: F401 - re-exported, see above
    FROM_STAGES,
    STAGE_OF_STATUS,
    TWO_PLACES,
    NewScore,
    ScoreInputError,
    _bulk_create_scores,
    _check_staff,
    _copy,
    _copy_scores,
    _copy_text,
    _score_text,
    parse_points,
    results_touch,
    scores_create,
    written_score_correct,
)

logger = logging.getLogger(__name__)

JOB_KIND = "score_import"
JOB_LABEL = gettext_lazy("导入笔试成绩")


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


# ------------------------------------------------------------------ double entry


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
