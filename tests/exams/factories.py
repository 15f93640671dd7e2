"""Factories of the written exam: an announcement past its review with approved
applications, a plan with its window open, sessions, venues and rooms."""

from datetime import timedelta

import factory
from django.utils import timezone

from applicants.models import Stage
from exams.models import ExamPlan, ExamSession, ProctorAssignment, Room, Venue
from tests.applicants.factories import ApplicationFactory, ReviewPositionFactory


class PlanFactory(factory.django.DjangoModelFactory):
    """Window open now (opened an hour ago, closes in two days); exam in three days."""

    class Meta:
        model = ExamPlan

    announcement = factory.LazyAttribute(lambda o: ReviewPositionFactory().announcement)
    exam_code = "0"
    district_code = "2103"
    print_starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    print_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    rules_text = "1. 凭准考证和身份证入场。\n2. 开考30分钟后不得入场。"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamSession

    plan = factory.SubFactory(PlanFactory)
    subject = "综合知识"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}考点（鞍山市第{n + 1}中学）")
    address = "鞍山市铁东区园林路1号"
    directions = "乘2路公交车至园林路站"
    code = factory.Sequence(lambda n: f"{n % 99 + 1:02d}")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    number = factory.Sequence(lambda n: n + 1)
    capacity = 30


def add_rooms(venue, count, capacity=30):
    start = (venue.rooms.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return [Room.objects.create(venue=venue, number=start + i, capacity=capacity) for i in range(count)]


def approved(position, count=1, **kwargs):
    return [ApplicationFactory(position=position, stage=Stage.APPROVED, **kwargs) for _ in range(count)]


def make_exam(*, candidates=6, positions=2, rooms=(("01", 2, 30),), session=True):
    """A plan with `positions` positions, `candidates` approved applications spread over
    them, one session for all, and venues (code, rooms, capacity). Returns (plan, apps)."""
    first = ReviewPositionFactory()
    announcement = first.announcement
    all_positions = [first] + [ReviewPositionFactory(announcement=announcement) for _ in range(positions - 1)]
    plan = PlanFactory(announcement=announcement)
    if session:
        SessionFactory(plan=plan)
    for code, count, capacity in rooms:
        venue = VenueFactory(plan=plan, code=code)
        add_rooms(venue, count, capacity)
    apps = []
    for index in range(candidates):
        apps += approved(all_positions[index % positions])
    return plan, apps


def proctor_of(venue, user, *, chief=False):
    return ProctorAssignment.objects.create(venue=venue, proctor=user, chief=chief, assigned_by=user)
