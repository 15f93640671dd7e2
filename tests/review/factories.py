"""Factories for the review console's tests (self-contained: the recruitment and
applicant factories are being written in parallel)."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from applicants.models import ApplicantProfile, Application, Document, RejectionReason, Stage
from recruitment.models import Announcement, Position, ReviewerAssignment
from tests.factories import UserFactory


class ReviewAnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"审核测试市2026年公开招聘社区工作者公告（{n}）")
    organiser = "测试市民政局"
    body = "见岗位表。"
    status = Announcement.Status.PUBLISHED
    created_by = factory.SubFactory(UserFactory)
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    review_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))


class ReviewPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    announcement = factory.SubFactory(ReviewAnnouncementFactory)
    code = factory.Sequence(lambda n: f"R{n:04d}")
    name = "社区工作者"
    district = "铁东区"
    quota = 2
    original_quota = factory.LazyAttribute(lambda o: o.quota)


def _id_number(n: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 MOD 11-2) for Beijing Chaoyang."""
    birth = date(1995, 1, 1) + timedelta(days=n % 3000)
    body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory, role="applicant")
    real_name = factory.Sequence(lambda n: f"报考人{n}")
    id_number = factory.Sequence(lambda n: _id_number(n + 1))
    birth_date = factory.LazyAttribute(
        lambda o: date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    sex = factory.LazyAttribute(lambda o: "male" if int(o.id_number[16]) % 2 else "female")
    household_province = "辽宁省"
    household_city = "鞍山市"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application awaiting review (stage submitted) with its snapshot."""

    class Meta:
        model = Application

    position = factory.SubFactory(ReviewPositionFactory)
    announcement = factory.LazyAttribute(lambda o: o.position.announcement)
    applicant = factory.LazyAttribute(lambda o: ProfileFactory().user)
    stage = Stage.SUBMITTED
    eligibility_outcome = "passed"
    eligibility = factory.LazyFunction(
        lambda: [
            {"rule": "年龄", "outcome": "passed", "message": "28 周岁，符合 18–35 周岁"},
            {"rule": "学历", "outcome": "passed", "message": "本科，符合大专及以上"},
        ]
    )
    submitted_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=3) + timedelta(minutes=n))

    @factory.lazy_attribute
    def snapshot(self):
        profile = self.applicant.profile
        return {
            "real_name": profile.real_name,
            "id_number": profile.id_number,
            "sex": profile.sex,
            "phone": self.applicant.phone,
            "education": [{"level": 30, "school": "辽宁大学", "major": "社会工作"}],
        }


class ReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RejectionReason
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"reason-{n}")
    label = "学历不符合岗位要求"
    label_en = "Education does not meet the requirement"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    profile = factory.SubFactory(ProfileFactory)
    kind = Document.Kind.DIPLOMA
    file = factory.django.FileField(filename="diploma.pdf", data=b"%PDF-1.4\n%fake\n")
    original_name = "毕业证.pdf"
    content_type = "application/pdf"
    size = 15


def assign(reviewer, announcement, by=None):
    return ReviewerAssignment.objects.create(
        announcement=announcement, reviewer=reviewer, assigned_by=by or announcement.created_by
    )
