"""Demo data of the review console: reviewer@demo.cn assigned to the current Anshan
announcement, and a handful of the demo applications decided through the review services
(so their audit rows and notifications are the real ones). Idempotent.

seed_demo runs it after applicants.demo (INSTALLED_APPS order).
"""

from applicants.models import ApplicationEvent, Stage
from recruitment.models import Announcement, ReviewerAssignment

from . import services
from .models import RejectionReason

ANNOUNCEMENT_TITLE = "鞍山市2026年公开招聘社区工作者公告"
MARK = "审核控制台演示"
REJECT_NOTE = f"{MARK}：所学专业与岗位要求不符"
RETURN_TEXT = f"{MARK}：毕业证书照片不清晰，请重新上传清晰完整的毕业证书"


def seed(stdout):
    from accounts.demo import ensure_user

    announcement = Announcement.objects.filter(title=ANNOUNCEMENT_TITLE).first()
    if announcement is None:
        stdout.write("review: demo announcement missing, skipped")
        return
    admin = ensure_user("admin@demo.cn")
    reviewer = ensure_user("reviewer@demo.cn")
    ReviewerAssignment.objects.get_or_create(
        announcement=announcement, reviewer=reviewer, defaults={"assigned_by": admin}
    )
    if ApplicationEvent.objects.filter(
        application__announcement=announcement, reason__startswith=MARK
    ).exists():
        stdout.write("review: demo decisions already there")
        return
    reason = (
        RejectionReason.objects.filter(active=True, code="major").first()
        or RejectionReason.objects.filter(active=True).first()
    )
    pending = list(
        announcement.applications.filter(stage=Stage.SUBMITTED)
        .select_related("applicant", "applicant__profile", "announcement", "position")
        .order_by("submitted_at", "pk")[:5]
    )
    decided = 0
    for index, application in enumerate(pending):
        if index < 2:
            services.application_approve(
                application=application, actor=reviewer, expected_version=application.version
            )
        elif index == 2 and reason is not None:
            services.application_reject(
                application=application,
                actor=reviewer,
                expected_version=application.version,
                reason=reason,
                note=REJECT_NOTE,
            )
        elif index == 3:
            services.application_return(
                application=application,
                actor=reviewer,
                expected_version=application.version,
                instructions=RETURN_TEXT,
            )
        else:
            continue
        decided += 1
    stdout.write(
        f"review: reviewer@demo.cn assigned to “{ANNOUNCEMENT_TITLE}”; {decided} decisions through the console"
    )
