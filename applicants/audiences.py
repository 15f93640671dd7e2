"""Audiences of applicants for reminders and mass notices (notifications.audiences).
Registered in ApplicantsConfig.ready(); notifications imports nothing from here."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import NOT_SUBMITTED_STAGES, Application, Stage


def _local(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _members(applications, deadline_of, **extra):
    from notifications.audiences import AudienceMember

    for application in applications:
        context = {
            "announcement_title": application.announcement.title,
            "position_name": f"{application.position.code} {application.position.name}",
            "deadline": _local(deadline_of(application)),
            "url": f"/me/applications/{application.pk}/",
        }
        context.update({key: getter(application) for key, getter in extra.items()})
        yield AudienceMember(user=application.applicant, context=context, key=f"application:{application.pk}")


def draft_unsubmitted(*, within_hours=48):
    """Drafts whose announcement closes registration within the next `within_hours`."""
    now = timezone.now()
    applications = Application.objects.filter(
        stage=Stage.DRAFT,
        announcement__registration_closes_at__gt=now,
        announcement__registration_closes_at__lte=now + timedelta(hours=int(within_hours)),
    ).select_related("applicant", "announcement", "position")
    return _members(applications.iterator(chunk_size=500), lambda a: a.announcement.registration_closes_at)


def returned_application(*, within_hours=48):
    """Returned applications not yet corrected, with the review deadline within the window."""
    now = timezone.now()
    applications = Application.objects.filter(
        stage=Stage.RETURNED,
        announcement__review_deadline__gt=now,
        announcement__review_deadline__lte=now + timedelta(hours=int(within_hours)),
    ).select_related("applicant", "announcement", "position")
    return _members(
        applications.iterator(chunk_size=500),
        lambda a: a.announcement.review_deadline,
        fix_instructions=lambda a: a.return_instructions,
    )


def announcement_applicants(*, announcement_id):
    """Everyone with a submitted (not draft, not withdrawn) application to the announcement."""
    return User.objects.filter(
        pk__in=Application.objects.filter(announcement_id=announcement_id)
        .exclude(stage__in=NOT_SUBMITTED_STAGES)
        .values("applicant_id")
    )


def position_applicants(*, position_id):
    return User.objects.filter(
        pk__in=Application.objects.filter(position_id=position_id)
        .exclude(stage__in=NOT_SUBMITTED_STAGES)
        .values("applicant_id")
    )


def register() -> None:
    try:
        from notifications.audiences import register_audience
    except ModuleNotFoundError:  # pragma: no cover - notifications not installed
        return
    register_audience(
        "draft_unsubmitted", draft_unsubmitted, label=_("草稿未提交的报考人员"), params=("within_hours",)
    )
    register_audience(
        "returned_application",
        returned_application,
        label=_("被退回尚未修改的报考人员"),
        params=("within_hours",),
    )
    register_audience(
        "announcement_applicants",
        announcement_applicants,
        label=_("某招聘公告的全部报考人员"),
        params=("announcement_id",),
    )
    register_audience(
        "position_applicants", position_applicants, label=_("某岗位的全部报考人员"), params=("position_id",)
    )
