"""The unit tree: kinds in order, names unique among siblings, positions linked by their words."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recruitment.units import Unit, unit_get_or_create
from tests.recruitment.factories import PositionFactory

pytestmark = pytest.mark.django_db


def test_get_or_create_builds_the_path_once_with_codes():
    community = unit_get_or_create("铁东区", "站前街道", "园林社区")
    again = unit_get_or_create(" 铁东区", "站前街道 ", "园林社区")
    assert community == again
    assert community.kind == Unit.Kind.COMMUNITY and community.code == "D01.S01.C01"
    assert community.parent.kind == Unit.Kind.STREET and community.parent.parent.kind == Unit.Kind.DISTRICT
    assert community.path == "铁东区 站前街道 园林社区"
    other = unit_get_or_create("铁东区", "站前街道", "胜利社区")
    assert other.code == "D01.S01.C02" and Unit.objects.count() == 4
    assert unit_get_or_create("铁东区").kind == Unit.Kind.DISTRICT
    assert unit_get_or_create("") is None


def test_a_position_points_at_the_unit_its_words_name():
    position = PositionFactory(district="铁西区", street="兴盛街道", community="永乐社区")
    position.refresh_from_db()
    assert position.unit.path == "铁西区 兴盛街道 永乐社区"
    # A correction of the words moves the link.
    position.community = "新华社区"
    position.save(update_fields=["community"])
    position.refresh_from_db()
    assert position.unit.name == "新华社区"
    without_community = PositionFactory(district="铁西区", street="兴盛街道", community="")
    without_community.refresh_from_db()
    assert without_community.unit.kind == Unit.Kind.STREET


def test_the_database_keeps_the_tree_sound():
    district = Unit.objects.create(kind=Unit.Kind.DISTRICT, name="立山区", code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind=Unit.Kind.STREET, name="无上级街道", code="X2")  # a street needs a parent
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind=Unit.Kind.DISTRICT, name="立山区", code="X3")  # district names unique
    Unit.objects.create(kind=Unit.Kind.STREET, name="曙光街道", code="X4", parent=district)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind=Unit.Kind.STREET, name="曙光街道", code="X5", parent=district)


def test_clean_refuses_a_community_under_a_district():
    district = Unit.objects.create(kind=Unit.Kind.DISTRICT, name="千山区", code="Y1")
    with pytest.raises(ValidationError):
        Unit(kind=Unit.Kind.COMMUNITY, name="某社区", code="Y2", parent=district).clean()
