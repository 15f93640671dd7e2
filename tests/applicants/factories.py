"""Shared factories of applicants and their applications: applicants', review and later
stages' tests build on these (an announcement in its review phase, applications awaiting
review, rejection reasons, reviewer assignments)."""

import io
from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from applicants.id_numbers import make_id_number
from applicants.models import ApplicantProfile, Application, Document, EducationRecord, Stage, WorkRecord
from recruitment.choices import Education
from recruitment.models import ReviewerAssignment
from review.models import RejectionReason
from tests.factories import UserFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory


def jpeg_bytes(width=295, height=413, quality=85, color=(200, 180, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png_bytes(width=100, height=100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role="applicant")
    real_name = "张三"
    id_number = factory.Sequence(lambda n: make_id_number("210302", date(1995, 5, 1), n % 1000))
    birth_date = date(1995, 5, 1)
    sex = factory.LazyAttribute(lambda o: "male" if int(o.id_number[16]) % 2 else "female")
    household_province = "辽宁省"
    household_city = "鞍山市"
    household_district = "铁东区"
    address = "鞍山市铁东区园林街1号"
    photo = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))

    @factory.post_generation
    def education(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EducationRecord.objects.create(
                profile=self,
                level=Education.BACHELOR,
                school="辽宁大学",
                major="社会工作",
                graduated_on=date(2017, 7, 1),
            )


def add_work(profile, start, end=None, community=False, employer="铁东区站前街道园林社区"):
    return WorkRecord.objects.create(
        profile=profile,
        employer=employer,
        role="网格员",
        started_on=start,
        ended_on=end,
        community_work=community,
    )


# The review phase (formerly tests/review/factories.py).


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


class NamedProfileFactory(ProfileFactory):
    """A distinct name per applicant (the queue is read by name), no photo."""

    real_name = factory.Sequence(lambda n: f"报考人{n}")
    photo = ""


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application awaiting review (stage submitted) with its snapshot."""

    class Meta:
        model = Application

    position = factory.SubFactory(ReviewPositionFactory)
    announcement = factory.LazyAttribute(lambda o: o.position.announcement)
    applicant = factory.LazyAttribute(lambda o: NamedProfileFactory().user)
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

    profile = factory.SubFactory(NamedProfileFactory)
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
