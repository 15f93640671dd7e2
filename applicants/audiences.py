"""Audiences of applicants for reminders and mass notices (notifications.audiences).
Registered in ApplicantsConfig.ready(); notifications imports nothing from here."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from recruitment.models import Announcement, Position

from .models import NOT_SUBMITTED_STAGES, STAGES_AT_OR_AFTER_APPROVED, Application, Stage


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


def announcement_approved(*, announcement_id):
    """Applicants of the announcement whose application passed the eligibility review (and
    has moved on from there: ticket, exam…)."""
    return User.objects.filter(
        pk__in=Application.objects.filter(
            announcement_id=announcement_id, stage__in=STAGES_AT_OR_AFTER_APPROVED
        ).values("applicant_id")
    )


def announcement_returned(*, announcement_id):
    """Applicants of the announcement whose application is returned for correction now."""
    return User.objects.filter(
        pk__in=Application.objects.filter(announcement_id=announcement_id, stage=Stage.RETURNED).values(
            "applicant_id"
        )
    )


def announcement_pending(*, announcement_id):
    """Applicants of the announcement whose application awaits review (submitted)."""
    return User.objects.filter(
        pk__in=Application.objects.filter(announcement_id=announcement_id, stage=Stage.SUBMITTED).values(
            "applicant_id"
        )
    )


# --- Choices and words for the mass-notice page (notifications.audiences.AudienceParam) ---


def announcement_choices() -> list[tuple[int, str]]:
    """Announcements a notice can be about: every one published so far, newest first."""
    return list(
        Announcement.objects.exclude(status=Announcement.Status.DRAFT)
        .order_by("-registration_opens_at", "-pk")
        .values_list("pk", "title")
    )


def position_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Positions grouped by announcement (newest first), each as "code name"."""
    groups: dict[int, tuple[str, list]] = {}
    positions = (
        Position.objects.exclude(announcement__status=Announcement.Status.DRAFT)
        .order_by("-announcement__registration_opens_at", "-announcement_id", "code")
        .values_list("pk", "code", "name", "announcement_id", "announcement__title")
    )
    for pk, code, name, announcement_id, title in positions:
        groups.setdefault(announcement_id, (title, []))[1].append((pk, f"{code} {name}"))
    return list(groups.values())


def _announcement_words(template):
    def describe(*, announcement_id):
        title = Announcement.objects.values_list("title", flat=True).get(pk=announcement_id)
        return template % {"title": title}

    return describe


def _position_words(*, position_id):
    code, name, title = Position.objects.values_list("code", "name", "announcement__title").get(
        pk=position_id
    )
    return _("“%(title)s”岗位 %(code)s %(name)s 的全部报考人员") % {
        "title": title,
        "code": code,
        "name": name,
    }


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
    from notifications.audiences import AudienceParam

    announcement = AudienceParam("announcement_id", _("招聘公告"), announcement_choices)
    position = AudienceParam("position_id", _("岗位"), position_choices)
    for name, func, label, words in (
        (
            "announcement_applicants",
            announcement_applicants,
            _("招聘公告的全部报考人员"),
            _("“%(title)s”的全部报考人员"),
        ),
        (
            "announcement_approved",
            announcement_approved,
            _("招聘公告中审核通过的报考人员"),
            _("“%(title)s”中审核通过的报考人员"),
        ),
        (
            "announcement_pending",
            announcement_pending,
            _("招聘公告中待审核的报考人员"),
            _("“%(title)s”中待审核的报考人员"),
        ),
        (
            "announcement_returned",
            announcement_returned,
            _("招聘公告中被退回修改的报考人员"),
            _("“%(title)s”中被退回修改的报考人员"),
        ),
    ):
        register_audience(
            name, func, label=label, params=(announcement,), mass=True, describe=_announcement_words(words)
        )
    register_audience(
        "position_applicants",
        position_applicants,
        label=_("某岗位的全部报考人员"),
        params=(position,),
        mass=True,
        describe=_position_words,
    )
