"""Double entry (双人录入), corrections that are never silent, publication once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applicants.models import Application, Stage
from exams.models import ScoreCorrection, ScoreEntry, WrittenResults, WrittenScore
from exams.selectors import written as selectors
from exams.services import written
from notifications.models import Notification
from tests.exams.written_factories import assign, issued_exam
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal

PARTS = [{"name": "公共基础知识", "marks": "40"}, {"name": "社区工作知识", "marks": "60"}]


@pytest.fixture
def exam(administrator, django_capture_on_commit_callbacks):
    plan, tickets = issued_exam(
        administrator, django_capture_on_commit_callbacks, candidates=3, positions=1, parts=PARTS
    )
    first, second, third = (assign(UserFactory(), plan.announcement, administrator) for _ in range(3))
    from django.contrib.auth.models import Group

    reviewers = Group.objects.get(name="reviewer")
    for user in (first, second, third):
        user.groups.add(reviewers)
    return plan, tickets, (first, second, third)


def test_agreeing_entries_make_the_score_final(exam):
    plan, tickets, (first, second, _third) = exam
    written.entry_record(
        ticket=tickets[0], actor=first, status="scored", raw=None, parts=[D("30.5"), D("45")]
    )
    assert not WrittenScore.objects.exists()  # one entry counts nothing
    written.entry_record(
        ticket=tickets[0], actor=second, status="scored", raw=D("75.5"), parts=[D("30.50"), D("45")]
    )
    score = WrittenScore.objects.get()
    # 30.50 + 45.00 = 75.50, the same in both entries.
    assert (score.raw, score.source) == (D("75.50"), "double_entry")
    assert Application.objects.get(pk=tickets[0].application_id).stage == Stage.WRITTEN_SCORED


def test_the_same_person_cannot_enter_twice_and_a_mismatch_waits_for_a_third(exam):
    plan, tickets, (first, second, third) = exam
    written.entry_record(ticket=tickets[1], actor=first, status="scored", raw=None, parts=[D("30"), D("40")])
    with pytest.raises(PermissionDenied):
        written.entry_record(
            ticket=tickets[1], actor=first, status="scored", raw=None, parts=[D("30"), D("40")]
        )
    written.entry_record(ticket=tickets[1], actor=second, status="scored", raw=None, parts=[D("30"), D("41")])
    assert not WrittenScore.objects.exists()  # 70 ≠ 71: nothing counts
    listed = selectors.mismatches(plan.announcement_id)
    assert [m["ticket"].pk for m in listed] == [tickets[1].pk]
    with pytest.raises(PermissionDenied):  # one of the two who entered cannot settle it
        written.entry_resolve(
            ticket=tickets[1], actor=second, status="scored", raw=None, parts=[D("30"), D("41")]
        )
    score = written.entry_resolve(
        ticket=tickets[1], actor=third, status="scored", raw=None, parts=[D("30"), D("41")]
    )
    assert (score.raw, score.source) == (D("71.00"), "resolved")
    assert selectors.mismatches(plan.announcement_id) == []
    with pytest.raises(PermissionDenied):  # final: a further entry is refused
        written.entry_record(ticket=tickets[1], actor=third, status="scored", raw=D("70"), parts=None)


def test_entries_are_checked_and_staff_only(exam, reviewer):
    plan, tickets, (first, _second, _third) = exam
    with pytest.raises(ValidationError):  # 41 > 40 of the first part
        written.entry_record(
            ticket=tickets[2], actor=first, status="scored", raw=None, parts=[D("41"), D("40")]
        )
    with pytest.raises(ValidationError):  # a part missing
        written.entry_record(ticket=tickets[2], actor=first, status="scored", raw=None, parts=[D("30")])
    with pytest.raises(PermissionDenied):  # a reviewer not assigned to the announcement
        written.entry_record(ticket=tickets[2], actor=reviewer, status="scored", raw=D("60"), parts=None)
    assert not ScoreEntry.objects.exists()


def test_absence_by_double_entry_is_a_state(exam):
    plan, tickets, (first, second, _third) = exam
    written.entry_record(ticket=tickets[2], actor=first, status="absent", raw=None)
    written.entry_record(ticket=tickets[2], actor=second, status="absent", raw=None)
    assert (WrittenScore.objects.get().status, WrittenScore.objects.get().raw) == ("absent", None)


def test_a_correction_needs_a_reason_is_audited_notifies_and_marks_results_stale(exam, administrator):
    plan, tickets, (first, second, _third) = exam
    for actor in (first, second):
        written.entry_record(
            ticket=tickets[0], actor=actor, status="scored", raw=None, parts=[D("30"), D("40")]
        )
    written.results_compute(announcement=plan.announcement, actor=administrator)
    assert not WrittenResults.objects.get(announcement=plan.announcement).stale
    score = WrittenScore.objects.get()
    with pytest.raises(ValidationError):
        written.written_score_correct(
            score=score,
            actor=administrator,
            status="scored",
            raw=D("72"),
            reason=" ",
            expected_version=score.version,
        )
    parts = [("公共基础知识", D("32"), D("40")), ("社区工作知识", D("40"), D("60"))]
    written.written_score_correct(
        score=score,
        actor=administrator,
        status="scored",
        raw=D("72"),
        parts=parts,
        reason="复核发现第二部分漏计2分",
        expected_version=score.version,
    )
    score.refresh_from_db()
    assert (score.raw, score.version) == (D("72.00"), 2)
    correction = ScoreCorrection.objects.get()
    assert (correction.old_raw, correction.new_raw) == (D("70.00"), D("72.00"))
    note = Notification.objects.get(event="score_corrected")
    assert note.recipient_id == tickets[0].application.applicant_id and "72.00" in note.body
    assert WrittenResults.objects.get(announcement=plan.announcement).stale
    with pytest.raises(PermissionDenied):  # the version the user saw is gone
        written.written_score_correct(
            score=score, actor=administrator, status="scored", raw=D("73"), reason="再改", expected_version=1
        )


def test_publication_twice_sends_one_notice_each_and_a_scheduled_one_waits(exam, administrator):
    plan, tickets, (first, second, _third) = exam
    for ticket in tickets:
        for actor in (first, second):
            written.entry_record(
                ticket=ticket, actor=actor, status="scored", raw=None, parts=[D("30"), D("40")]
            )
    later = timezone.now() + timedelta(hours=2)
    results = written.results_publish(announcement=plan.announcement, actor=administrator, at=later)
    assert results.published_at is None and not selectors.is_published(results)
    assert written.publish_due() == 0
    assert written.publish_due(now=later + timedelta(minutes=1)) == 1
    assert written.publish_due(now=later + timedelta(minutes=2)) == 0
    written.results_publish(announcement=plan.announcement, actor=administrator)
    assert Notification.objects.filter(event="scores_published").count() == 3
    assert selectors.is_published(WrittenResults.objects.get(), now=later + timedelta(minutes=1))
