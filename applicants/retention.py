"""Personal data of applicants never hired is removed after the retention period
(《个人信息保护法》 art. 19 and 47; the period is in the personal-information notice the
applicant agreed to: accounts.privacy.retention_days, settings.PERSONAL_DATA_RETENTION_DAYS).

The rules, each in one function:

- never hired: no application of the person ever reached a hired stage (HIRED_STAGES),
  neither now nor in its event history (`ever_hired_ids`);
- due: every announcement the person applied to has ended (status closed or archived),
  and the retention period has passed since the end of the last of them; a person who
  registered but never applied is due that long after their last sign-in (`due_on`);
- removed (`personal_data_remove`): the profile (name, ID number, household, address,
  education, work, certificates), the photo and document files, the submitted snapshots,
  reviewers' free-text notes about the person, the inbox, and the account's phone,
  e-mail and name. Kept: the account row (inactive, unusable password) and every
  application row with its stage, position, announcement and dates, so counts per
  position and stage stay right.

Run daily by the beat task `applicants.purge_personal_data` (applicants/tasks.py); safe to
run again (a person whose data is removed is skipped).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.privacy import retention_days
from accounts.roles import Role
from notifications.models import Notification
from recruitment.hooks import exam_schedule, exam_schedules
from recruitment.models import Announcement

from .models import ApplicantProfile, Application, ApplicationEvent, Document, Stage

logger = logging.getLogger(__name__)

# The stage that means "hired". The hiring app comes later; whatever stage it adds for a
# hire goes here, and nothing else decides who counts as hired.
HIRED_STAGES = frozenset({Stage.HIRED})
ENDED_STATUSES = (Announcement.Status.CLOSED, Announcement.Status.ARCHIVED)
# Milestones of an announcement; its end is the latest one it has, its exam plan's dates
# (printing window, sessions; read through recruitment.hooks, exams registers them) included.
_MILESTONES = (
    "registration_closes_at",
    "review_deadline",
    "interview_at",
)
REMOVED_TEXT = "—"  # stands for words removed where the database requires some
BATCH_SIZE = 200


def ever_hired_ids(user_ids) -> set[int]:
    """Ids among `user_ids` (iterable of int) with an application in a hired stage now or
    at any time in its history (ApplicationEvent.to_stage)."""
    ids = list(user_ids)
    now = Application.objects.filter(applicant_id__in=ids, stage__in=HIRED_STAGES).values_list(
        "applicant_id", flat=True
    )
    before = ApplicationEvent.objects.filter(
        application__applicant_id__in=ids, to_stage__in=HIRED_STAGES
    ).values_list("application__applicant_id", flat=True)
    return set(now) | set(before)


def announcement_end(announcement: Announcement, exam=None) -> datetime | None:
    """The latest milestone of an ended announcement (an aware datetime), or None while it
    has not ended (status other than closed or archived). `exam`: its
    recruitment.hooks.ExamSchedule, if any (read here when not given)."""
    if announcement.status not in ENDED_STATUSES:
        return None
    if exam is None:
        exam = exam_schedule(announcement)
    dates = [getattr(announcement, name) for name in _MILESTONES if getattr(announcement, name)]
    dates += exam.milestones if exam else []
    return max(dates) if dates else None


def due_on(*, announcement_ends: list[datetime | None], last_seen: datetime | None, days: int) -> date | None:
    """The local date from which a never-hired person's data is due for removal.

    `announcement_ends`: announcement_end() of every announcement the person applied to
    (None for one not ended); `last_seen`: last sign-in, else the sign-up time, for a person
    with no application; `days`: the retention period. Returns None when not due ever yet
    (an announcement is still running). Pure: no database, no clock.

    Example: last announcement ended 2026-03-31 18:00 (+08:00), 180 days → 2026-09-27.
    """
    if announcement_ends:
        if any(end is None for end in announcement_ends):
            return None
        start = max(announcement_ends)
    elif last_seen is not None:
        start = last_seen
    else:
        return None
    return timezone.localtime(start).date() + timedelta(days=days)


def _candidates():
    """Applicants whose data is still there: people with a profile or an application who
    hold no staff flag; staff accounts are never touched here."""
    User = get_user_model()  # noqa: N806
    return (
        User.objects.filter(personal_data_removed_at__isnull=True, is_staff=False, is_superuser=False)
        .filter(Q(profile__isnull=False) | Q(applications__isnull=False) | Q(groups__name=Role.APPLICANT))
        .distinct()
        .order_by("pk")
    )


def due_user_ids(*, today: date | None = None, days: int | None = None) -> list[int]:
    """Ids of never-hired applicants whose retention period has passed by `today` (local
    date; default today), with `days` (default accounts.privacy.retention_days())."""
    today = today or timezone.localdate()
    days = retention_days() if days is None else days
    due: list[int] = []
    last = 0
    while True:
        users = list(_candidates().filter(pk__gt=last).only("pk", "last_login", "date_joined")[:BATCH_SIZE])
        if not users:
            return due
        last = users[-1].pk
        ids = [user.pk for user in users]
        hired = ever_hired_ids(ids)
        ends: dict[int, list] = {pk: [] for pk in ids}
        applications = Application.objects.filter(applicant_id__in=ids).select_related("announcement")
        fields = ["applicant_id", "announcement__status", *[f"announcement__{n}" for n in _MILESTONES]]
        applications = list(applications.only(*fields))
        exams = exam_schedules({application.announcement_id for application in applications})
        for application in applications:
            exam = exams.get(application.announcement_id, False)  # False: none, do not look again
            ends[application.applicant_id].append(announcement_end(application.announcement, exam))
        for user in users:
            if user.pk in hired:
                continue
            when = due_on(
                announcement_ends=ends[user.pk], last_seen=user.last_login or user.date_joined, days=days
            )
            if when is not None and when <= today:
                due.append(user.pk)


@transaction.atomic
def personal_data_remove(*, user_id: int) -> bool:
    """Remove one person's personal data (see the module docstring). Returns False when the
    person was hired at some time, is staff, or was already handled; raises nothing else.
    The files go after the commit, so a rolled-back run leaves them in place."""
    User = get_user_model()  # noqa: N806
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.personal_data_removed_at or user.is_staff or user.is_superuser:
        return False
    if ever_hired_ids([user.pk]):
        return False
    profile = ApplicantProfile.objects.filter(user=user).first()
    if profile is not None:
        # The files are deleted once the rows are gone for good.
        photo = profile.photo.name if profile.photo else ""
        documents = list(
            Document.objects.filter(profile=profile).exclude(file="").values_list("file", flat=True)
        )
        storage = profile.photo.storage
        profile_type = ContentType.objects.get_for_model(ApplicantProfile)
        LogEntry.objects.filter(content_type=profile_type, object_id=str(profile.pk)).update(
            object_repr=REMOVED_TEXT
        )
        profile.delete()  # education, work, certificates, documents go with it (CASCADE)
        names = [name for name in [photo, *documents] if name]
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    applications = Application.objects.filter(applicant=user)
    # Admin history names objects by their str(): an application's is "<name> → <position>".
    for model, ids in (
        (Application, [str(pk) for pk in applications.values_list("pk", flat=True)]),
        (User, [str(user.pk)]),
    ):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).update(object_repr=REMOVED_TEXT)
    applications.update(snapshot={}, eligibility=[], rejection_note="")
    applications.exclude(return_instructions="").update(return_instructions=REMOVED_TEXT)

    Notification.objects.filter(recipient=user).delete()  # the inbox holds names and reasons
    EmailAddress.objects.filter(user=user).delete()
    user.name = ""
    user.phone = None
    user.phone_verified = False
    user.email = f"removed-{user.pk}@invalid.invalid"
    user.is_active = False
    user.set_unusable_password()
    user.personal_data_removed_at = timezone.now()
    user.save()
    logger.info("applicants.retention: personal data of user %s removed", user.pk)
    return True


def personal_data_purge_due(*, today: date | None = None) -> int:
    """Remove the data of everyone due by `today`; one transaction per person. Returns how
    many people were handled this run."""
    return sum(personal_data_remove(user_id=pk) for pk in due_user_ids(today=today))
