"""Two staff entering the same ticket at the same moment (双人录入), on PostgreSQL: the
ticket row lock serialises them, so they become entries 1 and 2 and, agreeing, one final
score — never two first entries, never two scores."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from exams.models import ScoreEntry, WrittenScore
from exams.services import tickets as ticket_services
from exams.services import written
from tests.exams.factories import make_exam
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_become_entries_1_and_2_and_one_score(needs_postgres):
    admin = UserFactory(role="administrator")
    plan, _apps = make_exam(candidates=1, positions=1, rooms=(("01", 1, 30),))
    ticket_services.issue_run(ticket_services.issue_job_create(plan=plan, actor=admin))
    ticket = plan.venues.get().rooms.get().tickets.select_related("application").get()
    staff = [UserFactory(role="administrator") for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def enter(user):
        try:
            barrier.wait(timeout=10)
            written.entry_record(ticket=ticket, actor=user, status="scored", raw=Decimal("66.5"))
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(ScoreEntry.objects.values_list("entry_no", flat=True)) == [1, 2]
    assert list(WrittenScore.objects.values_list("raw", flat=True)) == [Decimal("66.50")]
