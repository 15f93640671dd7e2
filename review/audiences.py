"""Audiences of the review console for reminders (notifications.audiences), registered in
ReviewConfig.ready(); notifications imports nothing from here."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applicants.models import Stage
from recruitment.models import ReviewerAssignment


def reviewers_with_pending_queue():
    """Active reviewers with submitted applications waiting in an assigned announcement:
    one aggregate query, one member per reviewer with the total pending."""
    from notifications.audiences import AudienceMember

    rows = (
        ReviewerAssignment.objects.filter(
            reviewer__is_active=True, announcement__applications__stage=Stage.SUBMITTED
        )
        .values("reviewer_id")
        .annotate(pending=Count("announcement__applications"))
        .order_by("reviewer_id")
    )
    pending_by_reviewer = {row["reviewer_id"]: row["pending"] for row in rows}
    reviewers = User.objects.in_bulk(list(pending_by_reviewer))
    url = reverse("review:queue")
    for reviewer_id, pending in pending_by_reviewer.items():
        yield AudienceMember(
            user=reviewers[reviewer_id], context={"pending_count": pending, "url": url}, key="queue"
        )


def register() -> None:
    from notifications.audiences import register_audience

    register_audience(
        "reviewers_with_pending_queue", reviewers_with_pending_queue, label=_("有待审核报名的审核人员")
    )
