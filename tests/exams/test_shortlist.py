"""The interview shortlist through its services: hand-worked cuts (tie at the cut, fewer
qualifying), the job rerun, publication, attendance confirmation and its deadline sweep, the
document re-check, giving up by SMS code or signed paper, disqualification, backfill rounds,
a written-score correction after publication, and interview_pool."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applicants.models import ApplicationEvent, Stage
from exams import declarations
from exams.models import Declaration, RankingSettings, ShortlistEntry, ShortlistRound, WrittenScore
from exams.selectors.shortlist import interview_pool
from exams.services import shortlist as services
from exams.services import written
from notifications.models import Notification
from notifications.sms import LocmemSmsBackend
from portal.models import BackgroundJob
from tests.exams.shortlist_factories import run, scored

pytestmark = pytest.mark.django_db
D = Decimal
State = ShortlistEntry.State

# quota 2, ratio 1:3 → target ceil(2 × 3) = 6. Fixed line 60.
# Sat: 90 85 80 75 70 65 65 60 50; absent: one. Qualified (≥ 60): the first 8 (60 exactly on
# the line qualifies). The 6th best is 65 and the 7th is 65 too: both enter → 7 shortlisted,
# cut 65. Not shortlisted: 60 (qualified, below the cut) and 50 (under the line).
TIE_VALUES = ["90", "85", "80", "75", "70", "65", "65", "60", "50", "absent"]


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    return LocmemSmsBackend.outbox


@pytest.fixture
def tie(administrator, django_capture_on_commit_callbacks):
    announcement, position, tickets = scored(administrator, django_capture_on_commit_callbacks, TIE_VALUES)
    job = run(announcement, administrator, django_capture_on_commit_callbacks)
    assert job.status == BackgroundJob.Status.DONE, job.error
    return announcement, position, tickets


def code_sent(sms, phone) -> str:
    """The last declaration code texted to `phone` (notices go through the same backend)."""
    texts = [text for to, text in sms if to == phone and "验证码" in text]
    assert texts, sms
    return "".join(ch for ch in texts[-1].split("验证码")[1] if ch.isdigit())[:6]


def stage(ticket):
    ticket.application.refresh_from_db()
    return ticket.application.stage


def published(announcement, actor, capture):
    with capture(execute=True):
        return services.publish(shortlist=announcement.shortlist, actor=actor)


def test_tie_at_the_cut_enters_together(tie):
    announcement, position, tickets = tie
    entries = {e.application_id: e for e in ShortlistEntry.objects.filter(position=position)}
    assert {t.application_id for t in tickets[:7]} == set(entries)
    assert [stage(t) for t in tickets] == [Stage.SHORTLISTED] * 7 + [Stage.NOT_SHORTLISTED] * 2 + [
        Stage.ABSENT
    ]
    cut = announcement.shortlist.cuts.get()
    assert (cut.line, cut.target, cut.cut, cut.qualified, cut.entered) == (D("60"), 6, D("65"), 8, 7)
    assert entries[tickets[0].application_id].written_total == D("90")


def test_fewer_qualifying_all_enter(administrator, django_capture_on_commit_callbacks):
    # quota 2 → target 6; only 80 and 70 reach 60 (59.99 misses by 0.01): both enter, no more.
    announcement, position, tickets = scored(
        administrator, django_capture_on_commit_callbacks, ["80", "70", "59.99", "40"]
    )
    run(announcement, administrator, django_capture_on_commit_callbacks)
    assert [stage(t) for t in tickets] == [Stage.SHORTLISTED] * 2 + [Stage.NOT_SHORTLISTED] * 2
    cut = announcement.shortlist.cuts.get()
    assert (cut.target, cut.entered, cut.qualified, cut.cut) == (6, 2, 2, D("70"))


def test_bonus_to_written_moves_the_cut(administrator, django_capture_on_commit_callbacks):
    # quota 1, ratio 1:3 → target 3. Raw 80 70 68 66; the 66 holds a confirmed 5-point bonus.
    # bonus_to "written": totals 80 70 68 71 → 80, 71, 70 enter (68 out). bonus_to "composite":
    # raw only → 80, 70, 68 enter (66 out).
    from exams.models import BonusClaim
    from recruitment.models import BonusCategory

    announcement, position, tickets = scored(
        administrator, django_capture_on_commit_callbacks, ["80", "70", "68", "66"], quota=1
    )
    category = BonusCategory.objects.create(announcement=announcement, name="社会工作师", points=D("5"))
    BonusClaim.objects.create(
        application=tickets[3].application, category=category, status="confirmed", reviewed_by=administrator
    )
    RankingSettings.objects.create(announcement=announcement, bonus_to="composite")
    announcement.refresh_from_db()
    run(announcement, administrator, django_capture_on_commit_callbacks)
    assert [stage(t) for t in tickets] == [Stage.SHORTLISTED] * 3 + [Stage.NOT_SHORTLISTED]
    RankingSettings.objects.filter(announcement=announcement).update(bonus_to="written")
    announcement.refresh_from_db()
    run(announcement, administrator, django_capture_on_commit_callbacks)
    assert [stage(t) for t in tickets] == [
        Stage.SHORTLISTED,
        Stage.SHORTLISTED,
        Stage.NOT_SHORTLISTED,
        Stage.SHORTLISTED,
    ]
    assert ShortlistEntry.objects.get(application=tickets[3].application).written_total == D("71")


def test_rerun_gives_the_same_list_and_no_new_events(tie, administrator, django_capture_on_commit_callbacks):
    announcement, position, _tickets = tie
    before = sorted(ShortlistEntry.objects.values_list("application_id", "written_total", "state"))
    events = ApplicationEvent.objects.count()
    job = run(announcement, administrator, django_capture_on_commit_callbacks)
    assert job.status == BackgroundJob.Status.DONE
    assert sorted(ShortlistEntry.objects.values_list("application_id", "written_total", "state")) == before
    assert ApplicationEvent.objects.count() == events


def test_compute_refused_before_results_and_for_applicant(tie, applicant, django_capture_on_commit_callbacks):
    announcement, _position, _tickets = tie
    with pytest.raises(PermissionDenied):
        services.compute_job_create(announcement=announcement, actor=applicant)


def test_publish_notifies_once(tie, administrator, django_capture_on_commit_callbacks):
    announcement, _position, _tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(event="shortlisted").count() == 7
    published(announcement, administrator, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(event="shortlisted").count() == 7
    with pytest.raises(ValidationError):  # published: never recomputed
        services.compute_job_create(announcement=announcement, actor=administrator)


def test_interview_pool(tie, administrator, django_capture_on_commit_callbacks):
    announcement, _position, tickets = tie
    assert set(interview_pool(announcement).values_list("pk", flat=True)) == {
        t.application_id for t in tickets[:7]
    }
    # the written exam's absentee (stage ABSENT, no entry) is not in the pool
    assert tickets[9].application_id not in set(interview_pool(announcement.pk).values_list("pk", flat=True))


def test_confirm_attendance_and_deadline(tie, administrator, django_capture_on_commit_callbacks):
    announcement, _position, tickets = tie
    entry = ShortlistEntry.objects.get(application=tickets[0].application)
    with pytest.raises(PermissionDenied):  # not published yet
        services.confirm_attendance(entry=entry, actor=tickets[0].application.applicant)
    published(announcement, administrator, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):  # someone else's
        services.confirm_attendance(entry=entry, actor=tickets[1].application.applicant)
    services.confirm_attendance(entry=entry, actor=tickets[0].application.applicant)
    entry.refresh_from_db()
    assert entry.state == State.CONFIRMED and entry.confirmed_at
    RankingSettings.objects.create(
        announcement=announcement, confirm_deadline=timezone.now() - timedelta(minutes=1)
    )
    late = ShortlistEntry.objects.get(application=tickets[1].application)
    with pytest.raises(PermissionDenied):
        services.confirm_attendance(entry=late, actor=tickets[1].application.applicant)


def test_sweep_no_confirmation_gives_up_and_backfills(tie, administrator, django_capture_on_commit_callbacks):
    announcement, position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    for ticket in tickets[:6]:
        services.confirm_attendance(
            entry=ShortlistEntry.objects.get(application=ticket.application),
            actor=ticket.application.applicant,
        )
    deadline = timezone.now() + timedelta(minutes=1)
    RankingSettings.objects.create(
        announcement=announcement, confirm_deadline=deadline, unconfirmed_gives_up=True
    )
    assert services.unconfirmed_sweep() == 0  # before the deadline: nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.unconfirmed_sweep(now=deadline + timedelta(minutes=1)) == 1
        )  # the 7th (65) never confirmed
    assert stage(tickets[6]) == Stage.DECLINED
    # one place vacated: the next qualified never shortlisted (60) is backfilled
    assert stage(tickets[7]) == Stage.SHORTLISTED
    added = ShortlistEntry.objects.get(application=tickets[7].application)
    assert (added.state, added.round) == (State.ADDED_BY_BACKFILL, 1)
    # added after the deadline: the sweep spares them
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unconfirmed_sweep(now=deadline + timedelta(minutes=2)) == 0


def test_give_up_by_sms_code(tie, administrator, sms, django_capture_on_commit_callbacks):
    announcement, position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    me = tickets[0].application.applicant
    entry = ShortlistEntry.objects.select_related("application", "position").get(
        application=tickets[0].application
    )
    with pytest.raises(PermissionDenied):  # another applicant cannot start it
        services.give_up_start(entry=entry, actor=tickets[1].application.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.give_up_start(entry=entry, actor=me, reason="已找到工作")
    code = code_sent(sms, me.phone)
    assert Declaration.objects.get().code_hash and code not in Declaration.objects.get().code_hash
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError) as error:
        services.give_up_confirm(entry=entry, actor=me, code=wrong)
    assert "还可以再试4次" in str(error.value)
    assert Declaration.objects.get().attempts == 1
    with pytest.raises(ValidationError) as error:  # expired: 11 minutes later
        services.give_up_confirm(entry=entry, actor=me, code=code, now=timezone.now() + timedelta(minutes=11))
    assert "过期" in str(error.value)
    with pytest.raises(PermissionDenied):  # the right code typed by someone else
        services.give_up_confirm(entry=entry, actor=tickets[1].application.applicant, code=code)
    with django_capture_on_commit_callbacks(execute=True):
        services.give_up_confirm(entry=entry, actor=me, code=code)
    entry.refresh_from_db()
    assert (entry.state, stage(tickets[0])) == (State.GAVE_UP, Stage.DECLINED)
    assert Declaration.objects.get().status == Declaration.Status.CONFIRMED
    assert Notification.objects.filter(event="shortlist_gave_up", recipient=me).count() == 1
    # backfill round 1: 60 enters, is told
    round_ = ShortlistRound.objects.get(position=position)
    assert (round_.number, round_.vacated, round_.added) == (
        1,
        [tickets[0].application_id],
        [tickets[7].application_id],
    )
    assert (
        Notification.objects.filter(
            event="shortlist_backfilled", recipient=tickets[7].application.applicant
        ).count()
        == 1
    )


def test_too_many_wrong_codes(tie, administrator, sms, django_capture_on_commit_callbacks):
    announcement, _position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    me = tickets[0].application.applicant
    entry = ShortlistEntry.objects.select_related("application", "position").get(
        application=tickets[0].application
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.give_up_start(entry=entry, actor=me)
    code = code_sent(sms, me.phone)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(declarations.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.give_up_confirm(entry=entry, actor=me, code=wrong)
    with pytest.raises(ValidationError) as error:  # even the right code is now refused
        services.give_up_confirm(entry=entry, actor=me, code=code)
    assert "次数过多" in str(error.value)
    with pytest.raises(ValidationError):  # a new code only after a minute
        services.give_up_start(entry=entry, actor=me)


def test_give_up_signed_paper(tie, administrator, reviewer, django_capture_on_commit_callbacks):
    announcement, _position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    entry = ShortlistEntry.objects.select_related("application", "position", "shortlist").get(
        application=tickets[2].application
    )
    pdf = SimpleUploadedFile("声明.pdf", b"%PDF-1.4\n%signed\n", content_type="application/pdf")
    with pytest.raises(PermissionDenied):  # a reviewer not assigned to the announcement
        services.give_up_signed(entry=entry, actor=reviewer, reason="本人书面放弃", upload=pdf)
    text = SimpleUploadedFile("声明.pdf", b"just text", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.give_up_signed(entry=entry, actor=administrator, reason="本人书面放弃", upload=text)
    pdf.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        services.give_up_signed(entry=entry, actor=administrator, reason="本人书面放弃", upload=pdf)
    assert stage(tickets[2]) == Stage.DECLINED
    declaration = Declaration.objects.get(application=tickets[2].application)
    assert (declaration.method, declaration.status) == ("signed", "confirmed")
    assert stage(tickets[7]) == Stage.SHORTLISTED  # backfilled


def test_recheck_pass_fail_and_empty_pool(tie, administrator, django_capture_on_commit_callbacks):
    announcement, position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    first = ShortlistEntry.objects.get(application=tickets[0].application)
    services.recheck_record(entry=first, actor=administrator, passed=True)
    first.refresh_from_db()
    assert first.state == State.RECHECK_PASSED
    second = ShortlistEntry.objects.get(application=tickets[1].application)
    with pytest.raises(ValidationError):  # a failure needs a reason
        services.recheck_record(entry=second, actor=administrator, passed=False, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.recheck_record(
            entry=second, actor=administrator, passed=False, reason="学历证书与报名信息不符"
        )
    assert stage(tickets[1]) == Stage.FAILED_CHECK
    assert stage(tickets[7]) == Stage.SHORTLISTED  # round 1 took 60
    third = ShortlistEntry.objects.get(application=tickets[2].application)
    with django_capture_on_commit_callbacks(execute=True):
        services.recheck_record(entry=third, actor=administrator, passed=False, reason="未携带原件")
    # round 2: nobody left who qualifies (50 is under the line): recorded, nobody added
    last = ShortlistRound.objects.get(position=position, number=2)
    assert last.added == [] and stage(tickets[8]) == Stage.NOT_SHORTLISTED
    assert Notification.objects.filter(event="recheck_result").count() == 3


def test_round_limit_and_deadline(tie, administrator, django_capture_on_commit_callbacks):
    announcement, position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    RankingSettings.objects.create(
        announcement=announcement, backfill_until=timezone.localdate() - timedelta(days=1)
    )
    announcement.refresh_from_db()
    entry = ShortlistEntry.objects.get(application=tickets[0].application)
    with django_capture_on_commit_callbacks(execute=True):
        services.recheck_record(entry=entry, actor=administrator, passed=False, reason="未到场复审")
    assert not ShortlistRound.objects.exists()  # past the backfill deadline
    assert stage(tickets[7]) == Stage.NOT_SHORTLISTED


def test_disqualify_at_any_stage(tie, administrator, reviewer, django_capture_on_commit_callbacks):
    announcement, _position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):  # reviewers cannot disqualify
        services.disqualify(application=tickets[3].application, actor=reviewer, reason="学历造假")
    with pytest.raises(ValidationError):
        services.disqualify(application=tickets[3].application, actor=administrator, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.disqualify(application=tickets[3].application, actor=administrator, reason="学历造假")
    assert stage(tickets[3]) == Stage.DISQUALIFIED
    assert ShortlistEntry.objects.get(application=tickets[3].application).state == State.DISQUALIFIED
    assert stage(tickets[7]) == Stage.SHORTLISTED  # before the interview: backfilled
    # someone never shortlisted can be disqualified too
    with django_capture_on_commit_callbacks(execute=True):
        services.disqualify(application=tickets[8].application, actor=administrator, reason="身份信息不实")
    assert stage(tickets[8]) == Stage.DISQUALIFIED
    assert Notification.objects.filter(event="application_disqualified").count() == 2


def test_correction_after_publication_adds_the_wronged_and_removes_nobody(
    tie, administrator, django_capture_on_commit_callbacks
):
    announcement, position, tickets = tie
    published(announcement, administrator, django_capture_on_commit_callbacks)
    # the 50 was mis-marked: 88 in truth. Recomputed list: 90 88 85 80 75 70 → the cut is now
    # 70 and the two 65s would be out — but they were notified: they stay. 88 is added.
    score = WrittenScore.objects.get(ticket=tickets[8])
    with django_capture_on_commit_callbacks(execute=True):
        written.written_score_correct(
            score=score,
            actor=administrator,
            status="scored",
            raw=D("88"),
            reason="阅卷漏计一题",
            expected_version=score.version,
        )
    added = ShortlistEntry.objects.get(application=tickets[8].application)
    assert (added.state, added.written_total) == (State.ADDED_BY_CORRECTION, D("88"))
    assert stage(tickets[8]) == Stage.SHORTLISTED
    assert ShortlistEntry.objects.filter(state__in=ShortlistEntry.IN).count() == 8  # 7 + 1, nobody removed
    assert (
        Notification.objects.filter(event="shortlisted", recipient=tickets[8].application.applicant).count()
        == 1
    )
    # a correction of a shortlisted candidate's score updates the figure shown
    score = WrittenScore.objects.get(ticket=tickets[0])
    written.written_score_correct(
        score=score,
        actor=administrator,
        status="scored",
        raw=D("91"),
        reason="合分错误",
        expected_version=score.version,
    )
    assert ShortlistEntry.objects.get(application=tickets[0].application).written_total == D("91")


def test_correction_before_publication_refuses_a_stale_publish(
    tie, administrator, django_capture_on_commit_callbacks
):
    announcement, _position, tickets = tie
    score = WrittenScore.objects.get(ticket=tickets[8])
    written.written_score_correct(
        score=score,
        actor=administrator,
        status="scored",
        raw=D("88"),
        reason="阅卷漏计一题",
        expected_version=score.version,
    )
    with pytest.raises(ValidationError):
        services.publish(shortlist=announcement.shortlist, actor=administrator)


def test_recompute_after_a_departure_before_publication(
    tie, administrator, django_capture_on_commit_callbacks
):
    announcement, position, tickets = tie
    # disqualified before publication: 60 is backfilled (round 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.disqualify(application=tickets[0].application, actor=administrator, reason="学历造假")
    assert stage(tickets[7]) == Stage.SHORTLISTED
    # A correction (50 → 88) makes the list stale; generated again from scratch: the first list
    # is 90 88 85 80 75 70 (target 6, cut 70); 90 is out (kept as disqualified), so round 1
    # refills one place from the best never listed: 65 and 65 tie → both enter; 60 stays out.
    score = WrittenScore.objects.get(ticket=tickets[8])
    written.written_score_correct(
        score=score,
        actor=administrator,
        status="scored",
        raw=D("88"),
        reason="漏计一题",
        expected_version=score.version,
    )
    with django_capture_on_commit_callbacks(execute=True):
        written.results_compute(announcement=announcement, actor=administrator)
    run(announcement, administrator, django_capture_on_commit_callbacks)
    assert stage(tickets[0]) == Stage.DISQUALIFIED
    assert [stage(t) for t in tickets[1:9]] == [Stage.SHORTLISTED] * 6 + [
        Stage.NOT_SHORTLISTED,
        Stage.SHORTLISTED,
    ]
    round_ = ShortlistRound.objects.get(position=position)
    assert round_.number == 1 and sorted(round_.added) == sorted(
        [tickets[5].application_id, tickets[6].application_id]
    )
    published(announcement, administrator, django_capture_on_commit_callbacks)
