"""Two tabs (or a double-click) submitting at the same moment: exactly one application."""

import threading

import pytest
from django.db import connection

from applicants import services
from applicants.models import Application, ApplicationEvent, Stage
from recruitment.models import Position
from tests.applicants.factories import ProfileFactory
from tests.recruitment.factories import AnnouncementFactory, PositionFactory


def _race(user, positions):
    barrier = threading.Barrier(len(positions))
    outcomes = []

    def run(position_id):
        try:
            position = Position.objects.select_related("announcement").get(pk=position_id)
            barrier.wait()
            services.application_submit(user=user, position=position, declaration_accepted=True)
            outcomes.append("ok")
        except services.AlreadyApplied:
            outcomes.append("already")
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(position.pk,)) for position in positions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_draft", [False, True], ids=["fresh", "from-draft"])
def test_two_concurrent_submits_make_exactly_one_application(needs_postgres, with_draft):
    announcement = AnnouncementFactory()
    first, second = PositionFactory(announcement=announcement), PositionFactory(announcement=announcement)
    user = ProfileFactory().user
    if with_draft:
        services.application_save_draft(user=user, position=first)
    outcomes = _race(user, [first, second])
    assert outcomes == ["already", "ok"]
    application = Application.objects.get(applicant=user)
    assert application.stage == Stage.SUBMITTED
    assert ApplicationEvent.objects.filter(application=application, to_stage=Stage.SUBMITTED).count() == 1
