"""Two administrators confirming at the same moment (PostgreSQL, threads): the announcement's
row lock serialises them; one wins, the other is told who confirmed, and the database holds
one confirmed version (its partial unique index is the last guard, tested in test_ranking)."""

import threading

import pytest
from django.db import connection

from exams.models_ranking import RankingVersion
from exams.services import ranking as services
from tests.exams.ranking_helpers import interviewed, seven
from tests.factories import UserFactory


def _race(versions, admins):
    barrier = threading.Barrier(len(admins))
    outcomes = []

    def confirm(version, user):
        try:
            barrier.wait(timeout=10)
            services.ranking_confirm(version=version, actor=user, seen_confirmed=None)
            outcomes.append(("won", user.pk))
        except services.RankingConflict as error:
            outcomes.append(("told", error.message))
        except Exception as error:  # noqa: BLE001 - any other failure is the test's finding
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(versions, admins, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.fixture
def version(administrator, django_capture_on_commit_callbacks, monkeypatch):
    announcement, _apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80", "70", "60"],
        interview=[seven(70), seven(80), seven(75)],
    )
    return services.rank_now(announcement, actor=administrator).version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_confirm_the_same_version_at_once(needs_postgres, version):
    admins = [UserFactory(role="administrator", name=f"管理员{n}") for n in "甲乙"]
    outcomes = _race([version, version], admins)
    kinds = sorted(kind for kind, _detail in outcomes)
    assert kinds == ["told", "won"], outcomes
    winner = next(detail for kind, detail in outcomes if kind == "won")
    told = next(detail for kind, detail in outcomes if kind == "told")
    name = next(a.name for a in admins if a.pk == winner)
    assert name in told and "无需重复确认" in told
    version.refresh_from_db()
    assert version.status == "confirmed" and version.confirmed_by_id == winner
    assert RankingVersion.objects.filter(status="confirmed").count() == 1
