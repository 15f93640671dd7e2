"""The signed-in applicant's own state on the public announcement page, registered with
recruitment.hooks in ApplicantsConfig.ready() (recruitment never imports applicants)."""

from django.urls import reverse

from recruitment.hooks import AppliedPosition

from .eligibility import FAILED, check
from .models import Application
from .selectors import profile_for_user
from .snapshot import build_snapshot


def applied_position(user, announcement) -> AppliedPosition | None:
    """The user's application to the announcement (one per announcement): one query."""
    application = (
        Application.objects.filter(applicant=user, announcement_id=announcement.pk)
        .only("pk", "position_id", "stage")
        .first()
    )
    if application is None:
        return None
    return AppliedPosition(
        position_id=application.position_id,
        stage=application.stage,
        label=str(application.get_stage_display()),
        url=reverse("applicants:application", args=[application.pk]),
    )


def qualifying_position_ids(user, announcement, positions) -> set[int] | None:
    """Positions whose automatic check has no failed rule for the user's current profile
    (manual rules count as possible); None when the user has no profile yet."""
    profile = profile_for_user(user)
    if profile is None:
        return None
    data = build_snapshot(profile)
    reference_date = announcement.reference_date
    return {position.pk for position in positions if check(data, position, reference_date).outcome != FAILED}
