"""Demo data of the interview shortlist (issue 17): the scored demo announcement
(exams.demo_scores.seed_scored_announcement) shortlisted through the real services.

- the interview settings: 笔试40%+面试60%, 1:3, seven examiners dropping the extremes (the
  first preset), attendance to be confirmed by a deadline 15 days ago;
- the shortlist computed by the real job and published 18 days ago (notices sent once);
- everyone shortlisted confirmed attendance and passed the document re-check, except one
  candidate of TX01 who gave up by a signed paper declaration: their place went to the next
  qualified candidate in backfill round 1 (who also confirmed and passed).

Idempotent: each step is skipped when done. exams.demo_interview calls `seed(announcement,
stdout)` before the interviews.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import ensure_user
from portal.models import BackgroundJob

from .models_rules import RankingSettings
from .models_shortlist import Shortlist, ShortlistEntry
from .services import settings as settings_services
from .services import shortlist as services

DEMO_EMAIL = "applicant@demo.cn"
SIGNED_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% demo: signed declaration\n%%EOF\n"


def _settings(announcement, admin, now) -> None:
    if RankingSettings.objects.filter(announcement=announcement).exists():
        return
    preset = settings_services.PRESETS_BY_KEY["w40_i60_3_7"]
    settings_services.settings_save(
        announcement=announcement,
        actor=admin,
        announcement_values=preset.announcement,
        settings_values={**preset.settings, "confirm_deadline": now - timedelta(days=15)},
    )


def _compute(announcement, admin) -> Shortlist:
    shortlist = Shortlist.objects.filter(announcement=announcement).first()
    if shortlist is None or shortlist.computed_at is None:
        job = services.compute_job_create(announcement=announcement, actor=admin)
        services.compute_run(BackgroundJob.objects.select_related("created_by").get(pk=job.pk))
        shortlist = Shortlist.objects.get(announcement=announcement)
    return shortlist


def seed(announcement, stdout) -> Shortlist:
    now = timezone.now()
    admin = ensure_user("admin@demo.cn")
    _settings(announcement, admin, now)
    shortlist = _compute(announcement, admin)
    if shortlist.published_at is None:
        services.publish(shortlist=shortlist, actor=admin, now=now - timedelta(days=18))
        shortlist.refresh_from_db()
    entries = ShortlistEntry.objects.filter(shortlist=shortlist).select_related(
        "application__applicant", "position", "shortlist__announcement"
    )
    if not entries.filter(state=ShortlistEntry.State.GAVE_UP).exists():
        leaving = (
            entries.filter(position__code="TX01", round=0, state=ShortlistEntry.State.SHORTLISTED)
            .exclude(application__applicant__email=DEMO_EMAIL)
            .order_by("written_total", "application_id")
            .first()
        )
        if leaving is not None:
            upload = SimpleUploadedFile("signed.pdf", SIGNED_PDF, content_type="application/pdf")
            services.give_up_signed(
                entry=leaving, actor=admin, reason="本人因个人原因书面放弃面试资格", upload=upload
            )
    for entry in entries.filter(state__in=services.UNCONFIRMED):
        with transaction.atomic():
            ShortlistEntry.objects.filter(pk=entry.pk).update(
                state=ShortlistEntry.State.CONFIRMED, confirmed_at=now - timedelta(days=16)
            )
        entry.refresh_from_db()
        services.recheck_record(entry=entry, actor=admin, passed=True)
    count = ShortlistEntry.objects.filter(shortlist=shortlist, state__in=ShortlistEntry.IN).count()
    stdout.write(
        f"exams: “{announcement.title}” shortlist published, {count} in (one gave up, one backfilled)"
    )
    return shortlist
