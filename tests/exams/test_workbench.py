"""The proctor's workbench block: today's sessions at their venues with one click to
check-in; a proctor of no venue, or on a day without an exam, is told so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import ExamSession
from exams.services import tickets as ticket_services
from tests.exams.factories import make_exam, proctor_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(administrator, django_capture_on_commit_callbacks):
    plan, _apps = make_exam(candidates=2, positions=1)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.issue_job_create(plan=plan, actor=administrator)
    return plan.sessions.get()


def _block(client, user):
    client.force_login(user)
    html = client.get(reverse("workbench")).content.decode()
    start = html.index('data-block="proctor-today"')
    return html[start : html.index("</section>", start)]


def test_a_proctor_sees_todays_session_with_its_check_in_link(client, session):
    # Later today, whatever the hour of Beijing time (never past midnight).
    now = timezone.localtime()
    starts = min(now + timedelta(minutes=30), now.replace(hour=23, minute=58, second=0, microsecond=0))
    ExamSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    proctor = UserFactory(role="proctor")
    proctor_of(session.plan.venues.first(), proctor)
    block = _block(client, proctor)
    assert reverse("exams:checkin", args=[session.pk]) in block
    assert session.subject in block


def test_a_session_next_week_is_upcoming_not_today(client, session):
    starts = timezone.now() + timedelta(days=3)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    proctor = UserFactory(role="proctor")
    proctor_of(session.plan.venues.first(), proctor)
    block = _block(client, proctor)
    assert "今天没有安排您监考的考场" in block
    assert reverse("exams:checkin", args=[session.pk]) not in block
    assert reverse("exams:checkin_index") in block


def test_a_proctor_of_another_plan_sees_nothing_of_it(client, session):
    block = _block(client, UserFactory(role="proctor"))
    assert "今天没有安排您监考的考场" in block
    assert session.subject not in block


# --- The administrator's exams ------------------------------------------------------------------


def test_exam_phase_rule_by_example():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from exams.workbench import SessionTimes, exam_phase

    bj = ZoneInfo("Asia/Shanghai")
    exam = SessionTimes(
        datetime(2026, 12, 12, 9, tzinfo=bj), datetime(2026, 12, 12, 11, tzinfo=bj), date(2026, 12, 12)
    )
    window = {
        "print_starts_at": datetime(2026, 12, 5, 9, tzinfo=bj),
        "print_ends_at": datetime(2026, 12, 11, 17, tzinfo=bj),
    }

    def phase(now, issued=True, sessions=(exam,)):
        return exam_phase(now=now, today=now.date(), issued=issued, sessions=list(sessions), **window)

    assert phase(datetime(2026, 12, 6, 10, tzinfo=bj), issued=False) == "planning"
    assert phase(datetime(2026, 12, 5, 8, 59, tzinfo=bj)) == "waiting"  # issued, window not yet open
    assert phase(datetime(2026, 12, 5, 9, tzinfo=bj)) == "printing"  # the window opens
    assert phase(datetime(2026, 12, 11, 17, tzinfo=bj)) == "waiting"  # the window has closed
    assert phase(datetime(2026, 12, 12, 7, tzinfo=bj)) == "exam_day"  # the morning of the exam
    assert phase(datetime(2026, 12, 12, 11, 30, tzinfo=bj)) == "exam_day"  # still that day
    assert phase(datetime(2026, 12, 13, 9, tzinfo=bj)) == "after"
    assert phase(datetime(2026, 12, 13, 9, tzinfo=bj), sessions=()) == "waiting"  # no session yet


def _admin_block(client, user):
    client.force_login(user)
    html = client.get(reverse("workbench")).content.decode()
    start = html.index('data-block="administrator-exams"')
    return html[start : html.index("</section>", start)]


def test_administrator_sees_tickets_issued_and_printed_with_the_plans_link(client, administrator, session):
    from exams.models import Ticket

    plan = session.plan
    first = Ticket.objects.filter(announcement_id=plan.announcement_id).order_by("pk").first()
    Ticket.objects.filter(pk=first.pk).update(first_printed_at=timezone.now(), print_count=1)
    block = _admin_block(client, administrator)
    assert plan.announcement.title in block
    assert "准考证打印中" in block  # the factory's window is open now
    assert "已发准考证 2 张，已打印 1 张（50%）" in block
    assert reverse("exams:plan", args=[plan.announcement_id]) in block
    assert reverse("exams:checkin_index") not in block  # not exam day


def test_on_exam_day_the_block_shows_check_in_progress(client, administrator, session):
    from exams.models import Attendance, Ticket

    starts = timezone.now() + timedelta(minutes=1)
    if timezone.localtime(starts).date() != timezone.localdate():  # just before midnight
        starts = timezone.now() - timedelta(minutes=1)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=starts, ends_at=starts + timedelta(minutes=1))
    ticket = Ticket.objects.filter(announcement_id=session.plan.announcement_id).first()
    Attendance.objects.create(
        ticket=ticket, session=session, status=Attendance.Status.PRESENT, via=Attendance.Via.TYPED
    )
    block = _admin_block(client, administrator)
    assert "考试日" in block
    assert "已签到 1 / 2，缺考 0" in block
    assert reverse("exams:checkin_index") in block


def test_an_exam_long_over_or_an_announcement_without_plan_is_not_listed(client, administrator, session):
    long_ago = timezone.now() - timedelta(days=30)
    ExamSession.objects.filter(pk=session.pk).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)
    )
    block = _admin_block(client, administrator)
    assert session.plan.announcement.title not in block
    assert "目前没有处于笔试阶段的招聘公告" in block


def test_the_exam_block_is_for_administrators_only_and_cheap(
    client, administrator, session, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    assert 'data-block="administrator-exams"' not in client.get(reverse("workbench")).content.decode()
    from exams.workbench import admin_exams

    with django_assert_max_num_queries(5):
        rows = admin_exams(administrator)["rows"]
    assert len(rows) == 1
    with django_assert_max_num_queries(0):  # the same for every administrator, 30 s
        assert admin_exams(administrator)["rows"] == rows


def test_the_announcements_block_says_written_exam_once_there_is_a_plan(client, administrator, session):
    from recruitment.models import Announcement

    announcement = session.plan.announcement
    Announcement.objects.filter(pk=announcement.pk).update(review_deadline=timezone.now() - timedelta(days=1))
    client.force_login(administrator)
    html = client.get(reverse("workbench")).content.decode()
    start = html.index('data-block="administrator-announcements"')
    block = html[start : html.index("</section>", start)]
    assert "笔试阶段" in block and reverse("exams:plan", args=[announcement.pk]) in block


# --- QA: the check-in index lists only sessions the proctor can open ---------------------------


def test_the_check_in_index_lists_only_sessions_the_proctor_can_open(client, session, administrator):
    """A session of the proctor's venue a month away is not listed (its page answers 404
    until the day before); tomorrow's is; the administrator sees both."""
    from exams.models import ExamSession as Session

    tomorrow = timezone.now() + timedelta(days=1)
    ExamSession.objects.filter(pk=session.pk).update(
        starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2)
    )
    far = timezone.now() + timedelta(days=30)
    later = Session.objects.create(
        plan=session.plan, subject="综合知识（补考）", starts_at=far, ends_at=far + timedelta(hours=2)
    )
    proctor = UserFactory(role="proctor")
    proctor_of(session.plan.venues.first(), proctor)
    client.force_login(proctor)
    html = client.get(reverse("exams:checkin_index")).content.decode()
    assert reverse("exams:checkin", args=[session.pk]) in html
    assert reverse("exams:checkin", args=[later.pk]) not in html
    assert "综合知识（补考）" in html and "签到页面在考试前一天开放" in html
    assert client.get(reverse("exams:checkin", args=[session.pk])).status_code == 200
    assert client.get(reverse("exams:checkin", args=[later.pk])).status_code == 404
    client.force_login(administrator)
    html = client.get(reverse("exams:checkin_index")).content.decode()
    assert reverse("exams:checkin", args=[later.pk]) in html


# --- QA: the examiner's day ---------------------------------------------------------------------


def _examiner_block(client, user):
    client.force_login(user)
    html = client.get(reverse("workbench")).content.decode()
    start = html.index('data-block="examiner-today"')
    return html[start : html.index("</section>", start)]


def test_the_examiner_block_shows_todays_group_with_scoring_and_the_chiefs_board(client):
    from tests.exams.interview_factories import make_interview

    world = make_interview(panel=3, candidates=2)
    chief, member = world.seats[0], world.seats[1]
    block = _examiner_block(client, chief.user)
    assert "今天没有需要您评分的面试分组" not in block
    assert reverse("exams:interview_score", args=[world.group.pk]) in block
    assert reverse("exams:interview_chief", args=[world.group.pk]) in block
    block = _examiner_block(client, member.user)
    assert reverse("exams:interview_score", args=[world.group.pk]) in block
    assert reverse("exams:interview_chief", args=[world.group.pk]) not in block


def test_the_examiner_block_is_empty_for_another_examiner_a_replaced_seat_and_another_day(
    client, django_assert_max_num_queries
):
    from tests.exams.interview_factories import make_interview

    world = make_interview(panel=2, candidates=1)
    block = _examiner_block(client, UserFactory(role="examiner"))
    assert "今天没有需要您评分的面试分组" in block
    assert reverse("exams:interview_score", args=[world.group.pk]) not in block
    replaced = world.seats[1]
    replaced.active = False
    replaced.save(update_fields=["active"])
    block = _examiner_block(client, replaced.user)
    assert reverse("exams:interview_score", args=[world.group.pk]) not in block
    later = make_interview(panel=1, candidates=1, date=timezone.localdate() + timedelta(days=2), code="B")
    block = _examiner_block(client, later.seats[0].user)
    assert "今天没有需要您评分的面试分组" in block and later.group.name in block
    from exams.workbench import examiner_today

    with django_assert_max_num_queries(1):
        examiner_today(later.seats[0].user)
