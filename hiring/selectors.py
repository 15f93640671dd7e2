"""Reads of hiring that pages share: the administrator's overview of an announcement, one
position's backfill chain, a public notice's rows (ID numbers masked), the hires, and where
an applicant stands. Query counts are fixed per page (no query per row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from applicants.masking import mask_id_number
from applicants.models import Sex
from exams.models_ranking import ExtraTestResult, RankingRow, RankingVersion
from recruitment.models import Announcement, Position

from .models import Hire, MedicalCheck, Objection, Proposal, PublicNotice
from .services.checks import background_passed, medical_passed
from .services.common import hiring_settings, today


def announcements() -> QuerySet[Announcement]:
    """Announcements with a confirmed ranking or proposals already (newest first)."""
    return (
        Announcement.objects.filter(
            Q(ranking_versions__status=RankingVersion.Status.CONFIRMED) | Q(proposals__isnull=False)
        )
        .distinct()
        .order_by("-pk")
    )


def announcement_for_admin(pk) -> Announcement:
    return get_object_or_404(announcements(), pk=pk)


def proposal_in(announcement, pk) -> Proposal:
    """A proposal of `announcement` (404 for another announcement's)."""
    return get_object_or_404(
        Proposal.objects.select_related(
            "application__applicant", "position", "notice", "announcement", "replaces__application"
        ),
        pk=pk,
        announcement=announcement,
    )


def _with_details(queryset):
    return queryset.select_related(
        "application__applicant", "position", "notice", "background_check", "hire"
    ).prefetch_related(
        Prefetch("medical_checks", queryset=MedicalCheck.objects.order_by("attempt")),
        Prefetch("objections", queryset=Objection.objects.order_by("received_on", "pk")),
    )


@dataclass
class Line:
    """One proposal as the administrator's page shows it."""

    proposal: Proposal
    name: str
    masked_id: str
    medical: str  # the latest outcome's label or ""
    medical_ok: bool
    background: str
    background_ok: bool
    objections_open: int


@dataclass
class PositionBlock:
    position: Position
    quota: int
    lines: list[Line] = field(default_factory=list)
    pending_tie: int = 0
    hired: int = 0
    active: int = 0


def _line(proposal: Proposal) -> Line:
    snapshot = proposal.application.snapshot or {}
    checks = list(proposal.medical_checks.all())
    latest = checks[-1] if checks else None
    background = getattr(proposal, "background_check", None)
    try:
        background_label = background.get_result_display() if background else ""
    except Exception:  # noqa: BLE001 - a missing reverse one-to-one
        background_label = ""
    return Line(
        proposal=proposal,
        name=snapshot.get("real_name", ""),
        masked_id=mask_id_number(snapshot.get("id_number", "")),
        medical=latest.get_result_display() if latest else "",
        medical_ok=medical_passed(proposal, checks),
        background=background_label,
        background_ok=background_passed(proposal),
        objections_open=sum(1 for o in proposal.objections.all() if o.outcome == Objection.Outcome.PENDING),
    )


def overview(announcement) -> list[PositionBlock]:
    """Per ranked position: quota and every proposal (in rank order) with its checks."""
    from exams.selectors.ranking import confirmed_version

    version = confirmed_version(announcement)
    quotas = {int(k): int(v) for k, v in (version.quotas if version else {}).items()}
    proposals = list(
        _with_details(Proposal.objects.filter(announcement=announcement)).order_by(
            "position_id", "rank", "pk"
        )
    )
    ids = set(quotas) | {p.position_id for p in proposals}
    positions = Position.objects.filter(pk__in=ids).order_by("code", "pk")
    blocks = {p.pk: PositionBlock(position=p, quota=quotas.get(p.pk, p.quota)) for p in positions}
    for proposal in proposals:
        block = blocks[proposal.position_id]
        block.lines.append(_line(proposal))
        if proposal.status == Proposal.Status.PENDING_TIE:
            block.pending_tie += 1
        elif proposal.status == Proposal.Status.HIRED:
            block.hired += 1
        elif proposal.status == Proposal.Status.ACTIVE:
            block.active += 1
    return list(blocks.values())


def extra_test_scores(application_ids) -> dict[int, Decimal]:
    """application id → the score of its latest 加试 round, read from exams.ExtraTestResult
    (the one home of every 加试 score: the ranking's and hiring's; a 加试 that tied is followed
    by another round, exams.services.extra_test.extra_test_round). One query."""
    ids = list(application_ids)
    if not ids:
        return {}
    # Rounds in order: the last one read for an application is its latest.
    return dict(
        ExtraTestResult.objects.filter(application_id__in=ids)
        .order_by("application_id", "round")
        .values_list("application_id", "score")
    )


@dataclass(frozen=True)
class Waiting:
    """A candidate waiting for a 加试 in hiring, with their last 加试 score (None before any)."""

    proposal: Proposal
    name: str
    last_score: Decimal | None


def tie_waiting(position) -> list[Waiting]:
    """The position's proposals waiting for a 加试 (PENDING_TIE), by pk. Two queries."""
    waiting = list(
        Proposal.objects.filter(position=position, status=Proposal.Status.PENDING_TIE)
        .select_related("application")
        .order_by("pk")
    )
    scores = extra_test_scores(p.application_id for p in waiting)
    return [
        Waiting(p, (p.application.snapshot or {}).get("real_name", ""), scores.get(p.application_id))
        for p in waiting
    ]


def chain(position) -> list[Proposal]:
    """The position's proposals in the order they were made: the ranking's first, then each
    backfill with whom it replaced."""
    return list(
        Proposal.objects.filter(position=position)
        .select_related("application", "replaces__application", "removed_by")
        .order_by("proposed_at", "pk")
    )


@dataclass(frozen=True)
class NoticeRow:
    name: str
    sex: str
    masked_id: str
    ticket_number: str
    position: str
    composite: Decimal
    status: str


def _ticket_numbers(proposals) -> dict[int, str]:
    pairs = {(p.ranking_version_pk, p.application_id) for p in proposals if p.ranking_version_pk}
    if not pairs:
        return {}
    rows = RankingRow.objects.filter(
        version_id__in={v for v, _a in pairs}, application_id__in={a for _v, a in pairs}
    ).values_list("application_id", "ticket_number")
    return dict(rows)


def notice_rows(notice: PublicNotice) -> list[NoticeRow]:
    """The public rows of a notice: name, sex, masked ID number, ticket number, position and
    composite; never the full ID number. Two queries."""
    proposals = list(
        Proposal.objects.filter(notice=notice)
        .exclude(status=Proposal.Status.REMOVED)
        .select_related("application", "position")
        .order_by("position__code", "rank", "pk")
    )
    tickets = _ticket_numbers(proposals)
    sexes = dict(Sex.choices)
    out = []
    for p in proposals:
        snapshot = p.application.snapshot or {}
        out.append(
            NoticeRow(
                name=snapshot.get("real_name", ""),
                sex=str(sexes.get(snapshot.get("sex", ""), "")),
                masked_id=mask_id_number(snapshot.get("id_number", "")),
                ticket_number=tickets.get(p.application_id, ""),
                position=f"{p.position.code} {p.position.name}",
                composite=p.composite,
                status=p.get_status_display() if p.status == Proposal.Status.REMOVED else "",
            )
        )
    return out


def public_notices() -> QuerySet[PublicNotice]:
    """Notices the public may read: from their first day on, newest first."""
    return (
        PublicNotice.objects.filter(starts_on__lte=today())
        .select_related("announcement")
        .order_by("-starts_on", "-pk")
    )


def proposed_rows(announcement) -> list[tuple[Proposal, NoticeRow]]:
    proposals = list(
        Proposal.objects.filter(announcement=announcement)
        .select_related("application", "position", "notice")
        .order_by("position__code", "rank", "pk")
    )
    tickets = _ticket_numbers(proposals)
    sexes = dict(Sex.choices)
    out = []
    for p in proposals:
        snapshot = p.application.snapshot or {}
        out.append(
            (
                p,
                NoticeRow(
                    name=snapshot.get("real_name", ""),
                    sex=str(sexes.get(snapshot.get("sex", ""), "")),
                    masked_id=mask_id_number(snapshot.get("id_number", "")),
                    ticket_number=tickets.get(p.application_id, ""),
                    position=f"{p.position.code} {p.position.name}",
                    composite=p.composite,
                    status=p.get_status_display(),
                ),
            )
        )
    return out


def hires(announcement) -> QuerySet[Hire]:
    return (
        Hire.objects.filter(announcement=announcement)
        .select_related("application", "position", "confirmed_by")
        .order_by("position__code", "pk")
    )


def notices_of(announcement) -> QuerySet[PublicNotice]:
    return PublicNotice.objects.filter(announcement=announcement).order_by("-starts_on", "-pk")


@dataclass(frozen=True)
class Standing:
    """Where an applicant stands in hiring (their own page): no medical details."""

    proposal: Proposal
    medical_on: object
    medical_place: str
    medical_result: str
    recheck_until: object
    background_result: str
    notice: PublicNotice | None
    hire: Hire | None
    materials: str
    can_give_up: bool


def standing(user, application) -> Standing | None:
    """The applicant's own hiring standing; None for anyone else or before a proposal."""
    if application.applicant_id != user.pk:
        return None
    proposal = _with_details(Proposal.objects.filter(application=application)).first()
    if proposal is None or proposal.status == Proposal.Status.LOST_TIE:
        return None
    from .services.checks import recheck_until

    checks = list(proposal.medical_checks.all())
    latest = checks[-1] if checks else None
    settings = hiring_settings(proposal.announcement)
    until = None
    if latest and latest.attempt == 1 and latest.result == "failed":
        until = recheck_until(latest, settings.recheck_days)
    background = getattr(proposal, "background_check", None)
    hire = getattr(proposal, "hire", None)
    return Standing(
        proposal=proposal,
        medical_on=latest.on_date if latest else None,
        medical_place=latest.place if latest else "",
        medical_result=latest.get_result_display() if latest and latest.result != "pending" else "",
        recheck_until=until,
        background_result=background.get_result_display() if background else "",
        notice=proposal.notice,
        hire=hire,
        materials=(hire.report_materials if hire else settings.report_materials),
        can_give_up=proposal.status in (Proposal.Status.ACTIVE, Proposal.Status.PENDING_TIE),
    )
