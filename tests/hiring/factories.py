"""Hiring test data: a position with a confirmed ranking (exams.RankingVersion and rows) of
hand-given composites, its applications at stage RANKED."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from applicants.models import Stage
from exams.models_ranking import RankingRow, RankingVersion
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory
from tests.factories import UserFactory


def _flags(rows, quota, unresolved_tie):
    """proposed / extra_test as exams.scoring.rank sets them: the eligible in rank order up to
    the quota; equals straddling the last post wait for a 加试 (or all advance)."""
    proposed, extra = set(), set()
    groups = []
    for index, (_composite, rank, eligible) in enumerate(rows):
        if not eligible:
            continue
        if groups and groups[-1][0] == rank:
            groups[-1][1].append(index)
        else:
            groups.append((rank, [index]))
    for _rank, members in groups:
        places = quota - len(proposed)
        if places <= 0:
            break
        if len(members) <= places or unresolved_tie == "all_advance":
            proposed.update(members)
        else:
            extra.update(members)
            break
    return proposed, extra


def ranked_position(
    rows,
    *,
    quota=2,
    announcement=None,
    unresolved_tie="extra_test",
    admin=None,
    confirmed=True,
    first_applicant=None,
):
    """rows: [(composite, rank, eligible)], best first. Returns (position, [applications])."""
    position = (
        ReviewPositionFactory(quota=quota)
        if announcement is None
        else ReviewPositionFactory(announcement=announcement, quota=quota)
    )
    announcement = position.announcement
    admin = admin or UserFactory(role="administrator")
    apps = [
        ApplicationFactory(position=position, stage=Stage.RANKED) for _ in rows[1 if first_applicant else 0 :]
    ]
    if first_applicant is not None:
        apps.insert(0, ApplicationFactory(position=position, stage=Stage.RANKED, applicant=first_applicant))
    version = RankingVersion.objects.filter(announcement=announcement).first()
    if version is None:
        version = RankingVersion.objects.create(
            announcement=announcement,
            number=1,
            fingerprint="f" * 64,
            rules={"unresolved_tie": unresolved_tie},
            quotas={},
            status=RankingVersion.Status.CONFIRMED if confirmed else RankingVersion.Status.DRAFT,
            created_by=admin,
            confirmed_by=admin if confirmed else None,
            confirmed_at=timezone.now() if confirmed else None,
        )
    version.quotas[str(position.pk)] = quota
    version.save(update_fields=["quotas"])
    proposed, extra = _flags(rows, quota, unresolved_tie)
    for index, ((composite, rank, eligible), app) in enumerate(zip(rows, apps, strict=True)):
        value = Decimal(composite)
        RankingRow.objects.create(
            version=version,
            position=position,
            application=app,
            order=index + 1,
            ticket_number=f"2026{app.pk:06d}",
            masked_name="张*",
            written_total=value,
            interview_raw=value,
            coefficient=Decimal(1),
            interview=value,
            composite=value,
            rank=rank,
            eligible=eligible,
            proposed=index in proposed,
            extra_test=index in extra,
        )
    return position, apps


def hiring_world(admin, applicant=None):
    """For the frame and permission tests: a position proposed from its confirmed ranking,
    the first candidate `applicant`'s (proposed, not yet on notice: their give-up page
    opens), the second removed and backfilled by the fourth (the third is under the interview
    line), the backfilled one on a public notice open today. Returns what the URLs need."""
    from django.utils import timezone

    from hiring.services import notice, proposals

    rows = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True)]
    position, apps = ranked_position(rows, quota=2, admin=admin, first_applicant=applicant)
    announcement = position.announcement
    made = proposals.propose_position(announcement=announcement, position=position, actor=admin)
    proposals.remove(proposal=made[1], event="gave_up", actor=admin, note="个人原因")
    backfilled = made[1].replacements.get()
    published = notice.publish_notice(
        announcement=announcement, proposal_ids=[backfilled.pk], starts_on=timezone.localdate(), actor=admin
    )
    return {
        "announcement": announcement,
        "position": position,
        "proposal": made[0],
        "notice": published,
        "application": apps[0],
    }
