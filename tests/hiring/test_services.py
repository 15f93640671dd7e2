"""Hiring services: each step's happy path and refusals, the backfill chain on a confirmed
ranking (hand-worked), the notice period, objections and the hire."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applicants.models import ApplicationEvent, Stage
from exams.models_ranking import ExtraTestResult, RankingVersion
from exams.models_rules import RankingSettings
from hiring.models import CheckResult, Hire, HiringSettings, Objection, Proposal
from hiring.services import checks, hire, notice, proposals
from hiring.services.common import Conflict
from hiring.signals import hire_confirmed
from notifications.models import Notification
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

# Two posts: a 90, b 85, c 80 under the interview line, d 78, e 75, f 75.
ROWS = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True), ("75", 5, True), ("75", 5, True)]


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


@pytest.fixture
def setup(admin):
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    return position, apps, made


def by_app(app):
    return Proposal.objects.get(application=app)


def stage(app):
    app.refresh_from_db()
    return app.stage


def pass_medical(proposal, admin, on=None):
    on = on or timezone.localdate()
    check = checks.schedule_medical(proposal=proposal, on_date=on, place="区人民医院体检中心", actor=admin)
    return checks.record_medical(check=check, result="passed", result_on=on, actor=admin, expected_version=1)


def test_propose_from_the_confirmed_ranking(setup):
    position, apps, made = setup
    assert [p.application_id for p in made] == [apps[0].pk, apps[1].pk]
    assert {p.status for p in made} == {Proposal.Status.ACTIVE}
    assert stage(apps[0]) == Stage.PROPOSED and stage(apps[3]) == Stage.RANKED
    assert Notification.objects.filter(recipient=apps[0].applicant, event="proposed").count() == 1
    assert ApplicationEvent.objects.filter(application=apps[0], to_stage=Stage.PROPOSED).exists()


def test_propose_twice_is_refused(setup, admin):
    position, _apps, _made = setup
    with pytest.raises(ValidationError, match="已经确定"):
        proposals.propose_position(announcement=position.announcement, position=position, actor=admin)


def test_propose_from_an_unconfirmed_ranking_is_refused(admin):
    position, _apps = ranked_position(ROWS, admin=admin, confirmed=False)
    with pytest.raises(ValidationError, match="尚未确认"):
        proposals.propose_position(announcement=position.announcement, position=position, actor=admin)


def test_tie_at_the_last_post_waits_for_the_extra_test(admin):
    position, apps = ranked_position(
        [("90", 1, True), ("80", 2, True), ("80", 2, True)], quota=2, admin=admin
    )
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    assert [p.status for p in made] == ["active", "pending_tie", "pending_tie"]
    assert stage(apps[1]) == Stage.RANKED
    pending = [p for p in made if p.status == "pending_tie"]
    with pytest.raises(ValidationError, match="每一位"):
        proposals.record_extra_test(position=position, scores={pending[0].pk: D("70")}, actor=admin)
    # 71.5 < 88: the second wins the one place the group holds.
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={pending[0].pk: D("71.5"), pending[1].pk: D("88")}, actor=admin
    )
    assert [p.pk for p in won] == [pending[1].pk] and [p.pk for p in lost] == [pending[0].pk] and tied == []
    assert stage(apps[2]) == Stage.PROPOSED and stage(apps[1]) == Stage.RANKED
    assert ExtraTestResult.objects.get(application=apps[1]).score == D("71.50")
    # The loser is first in line: a removal backfills them.
    proposals.remove(proposal=by_app(apps[0]), event="gave_up", actor=admin)
    assert by_app(apps[1]).status == "active" and by_app(apps[1]).source == "backfill"


def test_tie_with_all_advance_proposes_everyone(admin):
    position, _apps = ranked_position(
        [("90", 1, True), ("80", 2, True), ("80", 2, True)],
        quota=2,
        admin=admin,
        unresolved_tie="all_advance",
    )
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    assert [p.status for p in made] == ["active"] * 3


def test_medical_failure_after_recheck_backfills_past_the_interview_line(setup, admin):
    position, apps, _made = setup
    b = by_app(apps[1])
    today = timezone.localdate()
    first = checks.schedule_medical(proposal=b, on_date=today, place="区人民医院", actor=admin)
    checks.record_medical(check=first, result="failed", result_on=today, actor=admin, expected_version=1)
    assert by_app(apps[1]).status == "active"  # the re-check window is open
    with pytest.raises(ValidationError, match="期满后"):
        checks.confirm_medical_failure(check=first, actor=admin)
    second = checks.schedule_recheck(check=first, on_date=today, place="市人民医院", actor=admin)
    with pytest.raises(ValidationError, match="只能复检一次"):
        checks.schedule_recheck(check=first, on_date=today, place="市人民医院", actor=admin)
    checks.record_medical(check=second, result="failed", result_on=today, actor=admin, expected_version=1)
    b.refresh_from_db()
    assert b.status == "removed" and b.removal_event == "medical_fail" and b.backfill == "filled"
    assert stage(apps[1]) == Stage.FAILED_CHECK
    # c (80) is under the interview line: d (78) is next, never c.
    assert not Proposal.objects.filter(application=apps[2]).exists()
    d = by_app(apps[3])
    assert d.status == "active" and d.replaces_id == b.pk and stage(apps[3]) == Stage.PROPOSED


def test_confirmed_medical_failure_after_the_window(setup, admin):
    _position, apps, _made = setup
    b = by_app(apps[1])
    past = timezone.localdate() - timedelta(days=10)
    first = checks.schedule_medical(proposal=b, on_date=past, place="区人民医院", actor=admin)
    checks.record_medical(check=first, result="failed", result_on=past, actor=admin, expected_version=1)
    with pytest.raises(ValidationError, match="届满"):
        checks.schedule_recheck(check=first, on_date=timezone.localdate(), place="市人民医院", actor=admin)
    checks.confirm_medical_failure(check=first, actor=admin)
    assert by_app(apps[1]).status == "removed" and by_app(apps[3]).status == "active"


def test_not_attending_the_medical_is_giving_up(setup, admin):
    _position, apps, _made = setup
    a = by_app(apps[0])
    today = timezone.localdate()
    check = checks.schedule_medical(proposal=a, on_date=today, place="区人民医院", actor=admin)
    checks.record_medical(check=check, result="absent", result_on=today, actor=admin, expected_version=1)
    a.refresh_from_db()
    assert a.removal_event == "gave_up" and stage(apps[0]) == Stage.DECLINED
    assert by_app(apps[3]).status == "active"


def test_a_check_for_someone_not_proposed_is_refused(setup, admin):
    _position, apps, _made = setup
    proposals.remove(proposal=by_app(apps[0]), event="gave_up", actor=admin)
    with pytest.raises(ValidationError, match="不是拟录用人员"):
        checks.schedule_medical(
            proposal=by_app(apps[0]), on_date=timezone.localdate(), place="医院", actor=admin
        )
    with pytest.raises(ValidationError, match="不是拟录用人员"):
        checks.record_background(
            proposal=by_app(apps[0]),
            result="passed",
            summary="表现良好",
            on_date=timezone.localdate(),
            actor=admin,
        )


def test_check_order_is_a_setting(setup, admin):
    position, apps, _made = setup
    a = by_app(apps[0])
    with pytest.raises(ValidationError, match="先体检后考察"):
        checks.record_background(
            proposal=a, result="passed", summary="良好", on_date=timezone.localdate(), actor=admin
        )
    HiringSettings.objects.create(announcement=position.announcement, check_order="background_first")
    a = by_app(apps[0])
    with pytest.raises(ValidationError, match="先考察后体检"):
        checks.schedule_medical(proposal=a, on_date=timezone.localdate(), place="医院", actor=admin)
    checks.record_background(
        proposal=a, result="passed", summary="政治立场坚定", on_date=timezone.localdate(), actor=admin
    )
    pass_medical(a, admin)


def test_background_failure_not_backfilled_when_the_setting_says_so(setup, admin):
    position, apps, _made = setup
    RankingSettings.objects.create(
        announcement=position.announcement, backfill_events=["medical_fail", "gave_up"]
    )
    a = by_app(apps[0])
    pass_medical(a, admin)
    checks.record_background(
        proposal=a, result="failed", summary="有不良记录", on_date=timezone.localdate(), actor=admin
    )
    a.refresh_from_db()
    assert a.backfill == "not_backfilled" and not Proposal.objects.filter(application=apps[3]).exists()


def test_no_backfill_after_the_deadline(setup, admin):
    position, apps, _made = setup
    RankingSettings.objects.create(
        announcement=position.announcement, backfill_until=timezone.localdate() - timedelta(days=1)
    )
    proposals.remove(proposal=by_app(apps[0]), event="gave_up", actor=admin)
    assert by_app(apps[0]).backfill == "past_deadline"
    assert not Proposal.objects.filter(application=apps[3]).exists()


def test_disqualification_is_never_backfilled(setup, admin):
    _position, apps, _made = setup
    proposals.remove(proposal=by_app(apps[0]), event="disqualified", actor=admin)
    assert by_app(apps[0]).backfill == "not_backfilled" and stage(apps[0]) == Stage.DISQUALIFIED


def test_the_pool_runs_dry(admin):
    position, apps = ranked_position(
        [("90", 1, True), ("85", 2, True), ("59", 3, False)], quota=2, admin=admin
    )
    proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    proposals.remove(proposal=by_app(apps[1]), event="gave_up", actor=admin)
    assert by_app(apps[1]).backfill == "pool_empty"
    assert Proposal.objects.filter(position=position).count() == 2


def test_removed_twice_is_refused_and_never_proposed_again(setup, admin):
    _position, apps, _made = setup
    a = by_app(apps[0])
    proposals.remove(proposal=a, event="gave_up", actor=admin)
    with pytest.raises(Conflict):
        proposals.remove(proposal=a, event="gave_up", actor=admin)
    # Three more removals walk the chain: d, then e and f tied for one place (加试).
    proposals.remove(proposal=by_app(apps[3]), event="gave_up", actor=admin)
    assert {by_app(apps[4]).status, by_app(apps[5]).status} == {"pending_tie"}
    assert Proposal.objects.filter(application=apps[0]).count() == 1


def publish(position, admin, proposal_list, starts_on=None):
    return notice.publish_notice(
        announcement=position.announcement,
        proposal_ids=[p.pk for p in proposal_list],
        starts_on=starts_on or timezone.localdate(),
        actor=admin,
    )


def test_notice_period_in_calendar_days(setup, admin):
    position, apps, made = setup
    start = timezone.localdate()
    published = publish(position, admin, made, start)
    assert published.ends_on == start + timedelta(days=6) and published.days == 7
    assert stage(apps[0]) == Stage.PUBLIC_NOTICE
    assert Notification.objects.filter(recipient=apps[1].applicant, event="public_notice").count() == 1
    with pytest.raises(ValidationError):
        publish(position, admin, made, start)  # already on notice


def test_notice_in_working_days_without_holiday_data_needs_the_end_date(setup, admin, monkeypatch):
    position, _apps, made = setup
    HiringSettings.objects.create(announcement=position.announcement, notice_day_kind="working")
    monkeypatch.setattr("hiring.periods._library_is_workday", lambda day: (True, False))
    with pytest.raises(ValidationError) as caught:
        publish(position, admin, made)
    assert "ends_on" in caught.value.message_dict
    start = timezone.localdate()
    published = notice.publish_notice(
        announcement=position.announcement,
        proposal_ids=[p.pk for p in made],
        starts_on=start,
        ends_on=start + timedelta(days=8),
        end_note="按国办发明电〔2026〕X号放假安排计算",
        actor=admin,
    )
    assert published.end_entered and published.ends_on == start + timedelta(days=8)


def test_notice_cannot_start_in_the_past(setup, admin):
    position, _apps, made = setup
    with pytest.raises(ValidationError, match="早于今天"):
        publish(position, admin, made, timezone.localdate() - timedelta(days=1))


def test_upheld_objection_removes_and_backfills(setup, admin):
    position, apps, made = setup
    published = publish(position, admin, made)
    b = by_app(apps[1])
    objection = notice.record_objection(
        proposal=b, received_on=published.starts_on, summary="学历造假举报", actor=admin
    )
    with pytest.raises(ValidationError):
        notice.decide_objection(objection=objection, outcome="upheld", note="", actor=admin)
    notice.decide_objection(objection=objection, outcome="upheld", note="经核实学历证书系伪造", actor=admin)
    assert by_app(apps[1]).removal_event == "objection_upheld" and stage(apps[1]) == Stage.FAILED_CHECK
    assert by_app(apps[3]).status == "active" and by_app(apps[3]).notice_id is None  # a notice of its own
    with pytest.raises(Conflict):
        notice.decide_objection(objection=objection, outcome="dismissed", note="x", actor=admin)


def test_objection_outside_the_period_is_refused(setup, admin):
    position, apps, made = setup
    publish(position, admin, made)
    with pytest.raises(ValidationError) as caught:
        notice.record_objection(
            proposal=by_app(apps[0]),
            received_on=timezone.localdate() - timedelta(days=1),
            summary="x",
            actor=admin,
        )
    assert "received_on" in caught.value.message_dict


def end_notice(published):
    type(published).objects.filter(pk=published.pk).update(
        starts_on=timezone.localdate() - timedelta(days=8), ends_on=timezone.localdate() - timedelta(days=1)
    )


def test_hire_after_the_notice_and_both_checks(setup, admin, django_capture_on_commit_callbacks):
    position, apps, made = setup
    a = made[0]
    pass_medical(a, admin)
    checks.record_background(
        proposal=a, result="passed", summary="表现良好", on_date=timezone.localdate(), actor=admin
    )
    published = publish(position, admin, made)
    start = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError, match="公示期满后"):
        hire.confirm_hire(
            proposal=by_app(apps[0]), start_date=start, contract_years=3, report_place="区民政局", actor=admin
        )
    end_notice(published)
    with pytest.raises(ValidationError, match="体检尚未合格"):
        hire.confirm_hire(
            proposal=by_app(apps[1]), start_date=start, contract_years=3, report_place="区民政局", actor=admin
        )
    received = []

    def receiver(sender, hire, **kwargs):
        received.append(hire.pk)

    hire_confirmed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            made_hire = hire.confirm_hire(
                proposal=by_app(apps[0]),
                start_date=start,
                contract_years="3",
                report_place="区民政局",
                actor=admin,
            )
    finally:
        hire_confirmed.disconnect(receiver)
    assert received == [made_hire.pk]
    assert made_hire.contract_years == D("3") and made_hire.application_id == apps[0].pk
    assert stage(apps[0]) == Stage.HIRED and by_app(apps[0]).status == "hired"
    hired_message = Notification.objects.get(recipient=apps[0].applicant, event="hired")
    assert "身份证" in hired_message.body
    with pytest.raises(Conflict):
        hire.confirm_hire(
            proposal=by_app(apps[0]), start_date=start, contract_years=3, report_place="区民政局", actor=admin
        )
    assert Hire.objects.count() == 1


def test_hire_refused_with_a_pending_objection(setup, admin):
    position, apps, made = setup
    a = made[0]
    pass_medical(a, admin)
    checks.record_background(
        proposal=a, result="passed", summary="良好", on_date=timezone.localdate(), actor=admin
    )
    published = publish(position, admin, made)
    notice.record_objection(
        proposal=by_app(apps[0]), received_on=published.starts_on, summary="举报", actor=admin
    )
    end_notice(published)
    assert any("异议" in reason for reason in hire.hire_blockers(by_app(apps[0])))


@pytest.mark.parametrize("after_notice_backfilled", [True, False])
def test_withdrawal_after_the_notice(setup, admin, after_notice_backfilled):
    position, apps, made = setup
    events = ["medical_fail", "background_fail", "gave_up", "objection_upheld"]
    if after_notice_backfilled:
        events.append("withdrew_after_notice")
    RankingSettings.objects.create(announcement=position.announcement, backfill_events=events)
    published = publish(position, admin, made)
    end_notice(published)
    assert proposals.give_up_event(by_app(apps[0])) == "withdrew_after_notice"
    proposals.remove(proposal=by_app(apps[0]), event="withdrew_after_notice", actor=admin)
    assert Proposal.objects.filter(application=apps[3]).exists() is after_notice_backfilled
    assert stage(apps[0]) == Stage.DECLINED


def test_medical_result_validation(setup, admin):
    _position, apps, _made = setup
    today = timezone.localdate()
    check = checks.schedule_medical(proposal=by_app(apps[0]), on_date=today, place="医院", actor=admin)
    with pytest.raises(ValidationError) as caught:
        checks.record_medical(check=check, result="", result_on=today, actor=admin, expected_version=1)
    assert "result" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        checks.record_medical(
            check=check, result="passed", result_on=today + timedelta(days=1), actor=admin, expected_version=1
        )
    assert "result_on" in caught.value.message_dict
    checks.record_medical(check=check, result="passed", result_on=today, actor=admin, expected_version=1)
    with pytest.raises(Conflict):  # a second administrator working from the same page
        checks.record_medical(check=check, result="failed", result_on=today, actor=admin, expected_version=1)
    assert check.result == CheckResult.PASSED


def test_objection_model_requires_a_note_when_decided():
    assert Objection.Outcome.UPHELD == "upheld"


def test_propose_announcement_skips_done_positions(admin):
    position, _apps = ranked_position(ROWS, admin=admin)
    ranked_position(ROWS, admin=admin, announcement=position.announcement)
    count, skipped = proposals.propose_announcement(announcement=position.announcement, actor=admin)
    assert count == 4 and skipped == []
    assert RankingVersion.objects.filter(announcement=position.announcement).count() == 1
    count, _skipped = proposals.propose_announcement(announcement=position.announcement, actor=admin)
    assert count == 0


def test_backfill_never_takes_from_another_position(admin):
    # Position A: a 90, b 85 for two posts, nobody else above the line; position B has plenty.
    a_position, a_apps = ranked_position([("90", 1, True), ("85", 2, True), ("70", 3, False)], admin=admin)
    b_position, b_apps = ranked_position(ROWS, admin=admin, announcement=a_position.announcement)
    proposals.propose_position(announcement=a_position.announcement, position=a_position, actor=admin)
    proposals.remove(proposal=by_app(a_apps[1]), event="gave_up", actor=admin)
    assert by_app(a_apps[1]).backfill == "pool_empty"
    assert not Proposal.objects.filter(position=b_position).exists()
    with pytest.raises(ValidationError, match="不属于该公告"):
        other, _ = ranked_position(ROWS, admin=admin)
        proposals.propose_position(announcement=a_position.announcement, position=other, actor=admin)
