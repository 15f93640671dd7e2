import pytest

from tests.applicants.factories import ProfileFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory


@pytest.fixture
def announcement(db):
    return AnnouncementFactory()


@pytest.fixture
def position(announcement):
    return PositionFactory(announcement=announcement, household_regions=["辽宁省鞍山市"])


@pytest.fixture
def other_position(announcement):
    return PositionFactory(announcement=announcement)


@pytest.fixture
def profile(db):
    return ProfileFactory()


@pytest.fixture
def applicant_user(profile):
    return profile.user
