"""Factories for the review console's tests, built on the recruitment and applicant
factories: an announcement in its review phase, and applications awaiting review."""

from datetime import timedelta

import factory
from django.utils import timezone

from applicants.models import Application, Document, RejectionReason, Stage
from recruitment.models import ReviewerAssignment
from tests.applicants.factories import ProfileFactory as ApplicantProfileFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory


class ReviewAnnouncementFactory(AnnouncementFactory):
    """Registration closed yesterday; the review deadline is in five days."""

    title = factory.Sequence(lambda n: f"审核测试市2026年公开招聘社区工作者公告（{n}）")
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    review_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))


class ReviewPositionFactory(PositionFactory):
    announcement = factory.SubFactory(ReviewAnnouncementFactory)
    code = factory.Sequence(lambda n: f"R{n:04d}")


class ProfileFactory(ApplicantProfileFactory):
    """A distinct name per applicant (the queue is read by name), no photo."""

    real_name = factory.Sequence(lambda n: f"报考人{n}")
    photo = ""


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


def submitted_document(application, **kwargs) -> Document:
    """A document uploaded before submission: it is in the application's snapshot."""
    document = DocumentFactory(profile=application.applicant.profile, **kwargs)
    application.snapshot = {
        **application.snapshot,
        "documents": [
            *application.snapshot.get("documents", []),
            {
                "id": document.pk,
                "uuid": str(document.uuid),
                "kind": document.kind,
                "name": document.original_name,
            },
        ],
    }
    application.save(update_fields=["snapshot"])
    return document


def assign(reviewer, announcement, by=None):
    return ReviewerAssignment.objects.create(
        announcement=announcement, reviewer=reviewer, assigned_by=by or announcement.created_by
    )
