"""Annual assessment: the 优秀 cap (rounded down) in the service and at confirmation, the
administrator's confirmation with notices, and the grade job (twice: no double step)."""

from datetime import date
from decimal import Decimal

import pytest

from notifications.models import Notification
from tests.factories import UserFactory
from workforce.models import Assessment, AssessmentRound, GradeChange, Outcome, WorkforceSettings
from workforce.services import assessments as services
from workforce.services.common import WorkforceError

from .factories import community, make_worker

pytestmark = pytest.mark.django_db


def _round(n, share="0.15", year=2024):
    unit = community()
    for i in range(n):
        make_worker(unit, name=f"工作者{i:02d}", start=date(2020, 7, 1))
    settings = WorkforceSettings.current()
    settings.excellent_share = Decimal(share)
    settings.save()
    admin = UserFactory(role="administrator")
    return services.round_open(actor=admin, unit=unit.parent, year=year), admin


def _outcomes(assessment_round, excellent):
    rows = list(assessment_round.assessments.order_by("pk"))
    return {row.pk: Outcome.EXCELLENT if i < excellent else Outcome.PASS for i, row in enumerate(rows)}


def test_fifteen_percent_of_thirteen_is_one():
    assessment_round, admin = _round(13)
    with pytest.raises(WorkforceError) as refused:
        services.results_save(
            actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 2)
        )
    assert "最多1人评为优秀" in str(refused.value.message) and "13人参加考核" in str(refused.value.message)
    assert not Assessment.objects.exclude(outcome="").exists()  # nothing saved
    services.results_save(
        actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 1)
    )
    assert Assessment.objects.filter(outcome=Outcome.EXCELLENT).count() == 1


def test_twenty_percent_of_thirteen_is_two():
    assessment_round, admin = _round(13, share="0.20")
    services.results_save(
        actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 2)
    )
    with pytest.raises(WorkforceError) as refused:
        services.results_save(
            actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 3)
        )
    assert "最多2人" in str(refused.value.message)


def test_the_share_can_never_exceed_twenty_percent():
    from django.db import IntegrityError, transaction

    settings = WorkforceSettings.current()
    settings.excellent_share = Decimal("0.25")
    with pytest.raises(IntegrityError), transaction.atomic():
        settings.save()


def test_confirmation_checks_the_cap_again_and_notifies(django_capture_on_commit_callbacks):
    assessment_round, admin = _round(7)  # 15 % of 7 = 1.05 → 1
    services.results_save(
        actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 1)
    )
    services.round_submit(actor=admin, assessment_round=assessment_round)
    # A second 优秀 written behind the service's back (or a share lowered) is caught here.
    row = Assessment.objects.filter(round=assessment_round, outcome=Outcome.PASS).order_by("pk").first()
    Assessment.objects.filter(pk=row.pk).update(outcome=Outcome.EXCELLENT)
    with pytest.raises(WorkforceError):
        services.round_confirm(actor=admin, assessment_round=assessment_round)
    Assessment.objects.filter(pk=row.pk).update(outcome=Outcome.PASS)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_confirm(actor=admin, assessment_round=assessment_round)
    assessment_round.refresh_from_db()
    assert assessment_round.status == AssessmentRound.Status.CONFIRMED
    assert Notification.objects.filter(event="assessment_confirmed").count() == 7


def test_submit_needs_every_outcome():
    assessment_round, admin = _round(3)
    with pytest.raises(WorkforceError):
        services.round_submit(actor=admin, assessment_round=assessment_round)


def _confirm_year(unit_street, year, outcome_for, admin):
    r = services.round_open(actor=admin, unit=unit_street, year=year)
    services.results_save(
        actor=admin, assessment_round=r, outcomes={a.pk: outcome_for for a in r.assessments.all()}
    )
    services.round_submit(actor=admin, assessment_round=r)
    services.round_confirm(actor=admin, assessment_round=r)


def test_grade_job_steps_once_after_three_confirmed_years(django_capture_on_commit_callbacks):
    """Hired 2020-07-01 with 本科: entry 2; 2021–2023 合格 → 3 from 2024-01-01. Running the
    job again adds nothing."""
    admin = UserFactory(role="administrator")
    unit = community()
    worker = make_worker(unit, start=date(2020, 7, 1), education=30)
    for year in (2021, 2022):
        _confirm_year(unit.parent, year, Outcome.PASS, admin)
    assert services.apply_grades(today=date(2023, 1, 5)) == 0
    _confirm_year(unit.parent, 2023, Outcome.PASS, admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_grades(today=date(2024, 1, 2)) == 1
    assert services.apply_grades(today=date(2024, 1, 2)) == 0  # twice: no double step
    worker.refresh_from_db()
    assert worker.grade == 3
    step = GradeChange.objects.get(worker=worker, kind=GradeChange.Kind.STEP)
    assert (step.effective, step.grade_from, step.grade_to, step.year) == (date(2024, 1, 1), 2, 3, 2023)
    assert Notification.objects.filter(recipient=worker.user, event="grade_changed").count() == 1


def test_grade_job_query_budget(django_assert_max_num_queries):
    admin = UserFactory(role="administrator")
    unit = community()
    for i in range(5):
        make_worker(unit, name=f"人员{i}", start=date(2020, 1, 1))
    with django_assert_max_num_queries(12):
        assert services.apply_grades(today=date(2021, 1, 2)) == 0
    del admin


def test_submit_and_return_read_the_status_under_the_lock():
    """Two pages loaded the same draft round: the second submission, acting on its stale
    copy, is refused; so is a return of a round already returned."""
    assessment_round, admin = _round(3)
    services.results_save(
        actor=admin, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 0)
    )
    stale = AssessmentRound.objects.get(pk=assessment_round.pk)
    services.round_submit(actor=admin, assessment_round=assessment_round)
    with pytest.raises(WorkforceError, match="考核结果已提交"):
        services.round_submit(actor=admin, assessment_round=stale)
    stale = AssessmentRound.objects.get(pk=assessment_round.pk)
    services.round_return(actor=admin, assessment_round=assessment_round, reason="优秀人选需重新研究")
    with pytest.raises(WorkforceError, match="只有待确认的考核可以退回"):
        services.round_return(actor=admin, assessment_round=stale, reason="再次退回")
    assert AssessmentRound.objects.get(pk=assessment_round.pk).status == AssessmentRound.Status.DRAFT


def test_submission_tells_the_administrators_and_a_return_the_unit_managers(
    django_capture_on_commit_callbacks,
):
    from .factories import manager_of

    assessment_round, admin = _round(3)
    manager = UserFactory(role="unit_manager")
    manager_of(assessment_round.unit, manager)
    services.results_save(
        actor=manager, assessment_round=assessment_round, outcomes=_outcomes(assessment_round, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_submit(actor=manager, assessment_round=assessment_round)
    submitted = Notification.objects.filter(event="assessment_submitted")
    recipients = {n.recipient_id for n in submitted}
    assert admin.pk in recipients and manager.pk not in recipients  # every administrator
    assert all(str(assessment_round.year) in n.subject for n in submitted)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_return(actor=admin, assessment_round=assessment_round, reason="优秀人选需重新研究")
    returned = Notification.objects.get(event="assessment_returned")
    assert returned.recipient == manager and "优秀人选需重新研究" in returned.body
