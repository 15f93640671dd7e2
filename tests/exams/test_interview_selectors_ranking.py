"""exams.selectors.interview.interview_inputs, the ranking's read of the examiners' scores:
the PostgreSQL path (one query, scores joined per candidate) and the portable path (SQLite,
two queries) give the same, by hand.

`interview_inputs` runs here on whichever database the suite uses; the portable path is
also called directly, so both are tested on PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from exams.models_interview import InterviewCandidate, InterviewScore
from exams.selectors import interview as selectors
from tests.exams.interview_factories import make_interview

pytestmark = pytest.mark.django_db
D = Decimal


def sign_off(candidate, seats, totals):
    """The scores in reverse seat order (the read must order them by examiner), then the
    chief's sign-off (the score column is not what the ranking reads)."""
    for seat, total in reversed(list(zip(seats, totals, strict=True))):
        InterviewScore.objects.create(candidate=candidate, examiner=seat, total=D(total))
    InterviewCandidate.objects.filter(pk=candidate.pk).update(signed_off_at=timezone.now(), score=D("0"))


@pytest.fixture
def world():
    """Group A of 5 examiners and 5 candidates: the first signed off with 5 scores, the second
    signed off after the third examiner was replaced (inactive: their scores are not read, the
    first candidate's neither), the
    third absent, the fourth scored but not signed off, the fifth signed off with no score of
    an active examiner. Another announcement's signed-off candidate must not appear."""
    world = make_interview(panel=5, candidates=5)
    first, second, third, fourth, fifth = world.candidates
    sign_off(first, world.seats, ["80.50", "81", "79.25", "90", "70.05"])
    seats = world.seats
    seats[2].active = False
    seats[2].save(update_fields=["active"])
    sign_off(second, seats, ["88", "87.5", "60", "86", "85"])
    InterviewCandidate.objects.filter(pk=third.pk).update(
        attendance=InterviewCandidate.Attendance.ABSENT, order=None
    )
    InterviewScore.objects.create(candidate=fourth, examiner=seats[0], total=D("75"))
    InterviewCandidate.objects.filter(pk=fifth.pk).update(signed_off_at=timezone.now(), score=D("0"))
    InterviewScore.objects.create(candidate=fifth, examiner=seats[2], total=D("66"))  # inactive seat
    other = make_interview(panel=3, candidates=1, code="Z")
    sign_off(other.candidates[0], other.seats, ["50", "60", "70"])
    return world


def expected(world):
    first, second, third, _fourth, fifth = world.candidates
    return {
        # the third examiner's 79.25 is not read: replaced (inactive) since
        first.application_id: ("A", (D("80.50"), D("81.00"), D("90.00"), D("70.05"))),
        second.application_id: ("A", (D("88.00"), D("87.50"), D("86.00"), D("85.00"))),
        third.application_id: ("A", None),
        fifth.application_id: ("A", ()),
    }


def as_text(inputs):
    """The values with their scale: 81 read back from the column is 81.00 on both paths."""
    return {
        key: (code, None if scores is None else tuple(map(str, scores)))
        for key, (code, scores) in inputs.items()
    }


def test_interview_inputs_by_hand_on_this_database(world):
    inputs = selectors.interview_inputs(world.group.announcement)
    assert inputs == expected(world)
    assert all(type(s) is Decimal for _, scores in inputs.values() for s in scores or ())


def test_the_portable_path_by_hand_and_equal_to_the_default_path(world):
    portable = selectors.interview_inputs_portable(world.group.announcement)
    assert portable == expected(world)
    assert as_text(portable) == as_text(selectors.interview_inputs(world.group.announcement))


def test_query_budget_one_on_postgresql_two_elsewhere(world, django_assert_num_queries):
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        selectors.interview_inputs(world.group.announcement)
    with django_assert_num_queries(2):
        selectors.interview_inputs_portable(world.group.announcement)


def test_nothing_signed_off_gives_nothing():
    world = make_interview(panel=3, candidates=2)
    assert selectors.interview_inputs(world.group.announcement) == {}
    assert selectors.interview_inputs_portable(world.group.announcement) == {}
