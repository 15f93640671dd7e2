"""Two administrators at the same moment, on PostgreSQL: recording a medical result on the
same check, removing the same candidate (filling the same vacancy), and removing two
candidates of one position (each vacancy filled by a different next candidate). One wins,
the other is told; the chain never proposes anybody twice."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from hiring.models import MedicalCheck, Proposal
from hiring.services import checks, proposals
from hiring.services.common import Conflict
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

ROWS = [("90", 1, True), ("85", 2, True), ("80", 3, False), ("78", 4, True), ("77", 5, True)]


def race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # noqa: BLE001 - any other failure is the test's finding
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def staff():
    return [UserFactory(role="administrator") for _ in range(2)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_record_one_medical_result(needs_postgres, staff):
    position, apps = ranked_position(ROWS, quota=2, admin=staff[0])
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=staff[0])
    today = timezone.localdate()
    check = checks.schedule_medical(proposal=made[0], on_date=today, place="医院", actor=staff[0])
    outcomes = race(
        [
            lambda user=user, result=result: checks.record_medical(
                check=MedicalCheck.objects.get(pk=check.pk),
                result=result,
                result_on=today,
                actor=user,
                expected_version=1,
            )
            for user, result in zip(staff, ["passed", "absent"], strict=True)
        ]
    )
    assert outcomes == ["conflict", "ok"]
    check.refresh_from_db()
    assert check.version == 2 and check.result in ("passed", "absent")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_fill_the_same_vacancy(needs_postgres, staff):
    position, apps = ranked_position(ROWS, quota=2, admin=staff[0])
    proposals.propose_position(announcement=position.announcement, position=position, actor=staff[0])
    b = Proposal.objects.get(application=apps[1])
    outcomes = race(
        [lambda user=user: proposals.remove(proposal=b, event="gave_up", actor=user) for user in staff]
    )
    assert outcomes == ["conflict", "ok"]
    assert list(
        Proposal.objects.filter(position=position, status="active")
        .order_by("rank")
        .values_list("application_id", flat=True)
    ) == [apps[0].pk, apps[3].pk]
    assert Proposal.objects.filter(position=position).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_vacancies_at_once_go_to_the_next_two(needs_postgres, staff):
    position, apps = ranked_position(ROWS, quota=2, admin=staff[0])
    proposals.propose_position(announcement=position.announcement, position=position, actor=staff[0])
    a, b = (Proposal.objects.get(application=app) for app in apps[:2])
    outcomes = race(
        [
            lambda: proposals.remove(proposal=a, event="gave_up", actor=staff[0]),
            lambda: proposals.remove(proposal=b, event="medical_fail", actor=staff[1]),
        ]
    )
    assert outcomes == ["ok", "ok"]
    # c is under the interview line: d and e fill the two vacancies, one each.
    active = set(
        Proposal.objects.filter(position=position, status="active").values_list("application_id", flat=True)
    )
    assert active == {apps[3].pk, apps[4].pk}
