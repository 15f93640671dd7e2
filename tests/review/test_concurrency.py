"""Two reviewers deciding the same application at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from applicants.models import ApplicationEvent, Stage
from applicants.transitions import StaleApplication
from review import services
from tests.applicants.factories import ApplicationFactory, ReasonFactory, assign
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_one_wins_one_is_told(needs_postgres):
    application = ApplicationFactory()
    first, second = UserFactory(role=Role.REVIEWER), UserFactory(role=Role.REVIEWER)
    for reviewer in (first, second):
        assign(reviewer, application.announcement)
    reason = ReasonFactory(code="review-race")
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "ok"
        except StaleApplication as error:
            outcomes[name] = str(error)
        finally:
            connection.close()

    approve = threading.Thread(
        target=decide,
        args=(
            "approve",
            lambda: services.application_approve(application=application, actor=first, expected_version=1),
        ),
    )
    reject = threading.Thread(
        target=decide,
        args=(
            "reject",
            lambda: services.application_reject(
                application=application, actor=second, expected_version=1, reason=reason, note="材料不全"
            ),
        ),
    )
    approve.start()
    reject.start()
    approve.join(30)
    reject.join(30)

    assert sorted(outcomes) == ["approve", "reject"]
    winners = [name for name, result in outcomes.items() if result == "ok"]
    losers = [result for result in outcomes.values() if result != "ok"]
    assert len(winners) == 1
    assert "已被他人处理" in losers[0]
    application.refresh_from_db()
    assert application.stage == (Stage.APPROVED if winners == ["approve"] else Stage.REJECTED)
    assert application.version == 2
    assert ApplicationEvent.objects.filter(application=application).count() == 1
