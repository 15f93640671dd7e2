"""Demo hiring on the announcement whose ranking exams' demo confirmed: one position fully
hired, one with a backfill after a failed medical check, one in its public notice period.
Idempotent: a position that already has proposals is left as it is. Without a confirmed
ranking it prints a note and does nothing."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role


def _admin():
    return User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()


def seed(stdout):
    from exams.models_ranking import RankingVersion
    from recruitment.models import Position

    from .models import HiringSettings, Proposal
    from .services import checks, hire, notice, proposals

    version = (
        RankingVersion.objects.filter(status=RankingVersion.Status.CONFIRMED)
        .select_related("announcement")
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if version is None:
        stdout.write("hiring demo: skipped (no confirmed ranking; the exams demo confirms one)")
        return
    admin = _admin()
    if admin is None:
        stdout.write("hiring demo: skipped (no administrator)")
        return
    announcement = version.announcement
    HiringSettings.objects.get_or_create(
        announcement=announcement,
        defaults={
            "supervision_phone": "024-12345678",
            "objection_address": "区民政局社区建设科（区政务服务中心三楼312室）",
        },
    )
    positions = list(Position.objects.filter(pk__in=[int(k) for k in version.quotas]).order_by("code", "pk"))
    today = timezone.localdate()
    done = []
    for index, position in enumerate(positions[:3]):
        if Proposal.objects.filter(position=position).exists():
            continue
        try:
            made = proposals.propose_position(announcement=announcement, position=position, actor=admin)
        except Exception as error:  # noqa: BLE001 - a demo keeps going and says why
            stdout.write(f"hiring demo: {position.code} skipped ({error})")
            continue
        active = [p for p in made if p.status == Proposal.Status.ACTIVE]
        if not active:
            continue
        if index == 1:
            # A failed medical whose re-check window has passed: confirmed, backfilled.
            first = active[-1]
            day = today - timedelta(days=12)
            check = checks.schedule_medical(
                proposal=first, on_date=day, place="区人民医院体检中心", actor=admin
            )
            checks.record_medical(
                check=check, result="failed", result_on=day, actor=admin, expected_version=1
            )
            checks.confirm_medical_failure(check=check, actor=admin)
            active = list(
                Proposal.objects.filter(position=position, status=Proposal.Status.ACTIVE).order_by(
                    "rank", "pk"
                )
            )
        for proposal in active:
            checks.schedule_medical(
                proposal=proposal, on_date=today - timedelta(days=5), place="区人民医院体检中心", actor=admin
            )
            proposal.refresh_from_db()
            check = proposal.medical_checks.get(attempt=1)
            checks.record_medical(
                check=check,
                result="passed",
                result_on=today - timedelta(days=4),
                actor=admin,
                expected_version=1,
            )
            checks.record_background(
                proposal=proposal,
                result="passed",
                summary="政治立场坚定，遵纪守法，无不良记录，群众评价良好。",
                on_date=today - timedelta(days=3),
                actor=admin,
            )
        # The first position's notice ran from ten days ago to last week (its hires are
        # confirmed): it is published as on its first day, so the applicants' 公示
        # notifications carry the same dates as the notice (a notice cannot start in the past).
        starts_on = today - timedelta(days=10) if index == 0 else today
        with mock.patch("hiring.services.notice.today", return_value=starts_on):
            notice.publish_notice(
                announcement=announcement,
                proposal_ids=[p.pk for p in active],
                starts_on=starts_on,
                title=f"{position.name}拟录用人员公示",
                actor=admin,
            )
        if index == 0:
            for proposal in active:
                proposal.refresh_from_db()
                hire.confirm_hire(
                    proposal=proposal,
                    start_date=today + timedelta(days=14),
                    contract_years=3,
                    report_place="区民政局社区建设科",
                    actor=admin,
                )
        done.append(position.code)
    stdout.write(f"hiring demo: {announcement.title}: positions {', '.join(done) or 'already done'}")
