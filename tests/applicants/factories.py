"""Factories for applicants' tests (the review console's tests may import these too)."""

import io
from datetime import date

import factory
from django.core.files.base import ContentFile
from PIL import Image

from applicants.id_numbers import make_id_number
from applicants.models import ApplicantProfile, EducationRecord, WorkRecord
from recruitment.choices import Education
from tests.factories import UserFactory


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
