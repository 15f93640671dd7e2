"""Factories for recruitment; other apps' tests import these. Keep them simple and stable."""

from datetime import timedelta

import factory
from django.utils import timezone

from recruitment.models import Announcement, Position
from tests.factories import UserFactory


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """A published announcement taking registrations now (opened yesterday, closes in 5 days)."""

    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"测试市2026年公开招聘社区工作者公告（{n}）")
    organiser = "测试市民政局"
    body = "## 报名条件\n\n见岗位表。"
    status = Announcement.Status.PUBLISHED
    created_by = factory.SubFactory(UserFactory)
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    review_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    published_at = factory.LazyFunction(timezone.now)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    announcement = factory.SubFactory(AnnouncementFactory)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = "社区工作者"
    district = "铁东区"
    street = "站前街道"
    community = "园林社区"
    quota = 2
    original_quota = factory.LazyAttribute(lambda o: o.quota)
