"""The 加试 of a tie in hiring (after a backfill, 递补, or at the proposal of a position): its
score has one home, exams.ExtraTestResult, written through exams.services.extra_test; the
winners are decided by exams.scoring.extra_test_decide; a later ranking run reads the same
score. Hand-worked; refusals write nothing; permissions; the pages show the score."""

from decimal import Decimal as D

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applicants.models import Application, Stage
from exams.models_ranking import ExtraTestResult, RankingRow
from exams.services import extra_test as exam_extra_test
from exams.services import ranking as ranking_services
from hiring.models import Proposal
from hiring.services import proposals
from notifications.models import Notification
from tests.exams.ranking_helpers import interviewed, seven
from tests.factories import UserFactory
from tests.hiring.factories import ranked_position

pytestmark = pytest.mark.django_db

# Two posts: a 90 (1), b 85 (2), c 78 and d 78 equal after every breaker (3, 3), e 70 (5).
ROWS = [("90", 1, True), ("85", 2, True), ("78", 3, True), ("78", 3, True), ("70", 5, True)]


@pytest.fixture
def admin():
    return UserFactory(role="administrator")


def by_app(app):
    return Proposal.objects.get(application=app)


def stage(app):
    app.refresh_from_db()
    return app.stage


@pytest.fixture
def backfill_tie(admin):
    """b gives up: the place goes to c and d, equal for it → both wait for a 加试 (1 place)."""
    position, apps = ranked_position(ROWS, quota=2, admin=admin)
    proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    proposals.remove(proposal=by_app(apps[1]), event="gave_up", actor=admin)
    c, d = by_app(apps[2]), by_app(apps[3])
    assert (c.status, c.tie_places, d.status, d.tie_places) == ("pending_tie", 1, "pending_tie", 1)
    return position, apps, c, d


def test_the_backfill_ties_extra_test_writes_extra_test_results(backfill_tie, admin):
    position, apps, c, d = backfill_tie
    # c 71.5 < d 88: d takes the one place.
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={c.pk: D("71.5"), d.pk: D("88")}, actor=admin
    )
    assert ([p.pk for p in won], [p.pk for p in lost], tied) == ([d.pk], [c.pk], [])
    results = {r.application_id: r for r in ExtraTestResult.objects.all()}
    assert set(results) == {apps[2].pk, apps[3].pk}
    assert (results[apps[2].pk].score, results[apps[3].pk].score) == (D("71.50"), D("88.00"))
    assert results[apps[3].pk].announcement_id == position.announcement_id
    assert results[apps[3].pk].entered_by == admin
    assert (by_app(apps[3]).status, by_app(apps[2]).status) == ("active", "lost_tie")
    assert stage(apps[3]) == Stage.PROPOSED and stage(apps[2]) == Stage.RANKED
    # Audited: each result (exams) and each proposal's outcome (hiring).
    result_type = ContentType.objects.get_for_model(ExtraTestResult)
    assert LogEntry.objects.filter(content_type=result_type, user=admin).count() == 2
    proposal_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Proposal), object_id=str(d.pk)
    ).latest("pk")
    assert "88.00" in proposal_log.change_message
    # Told: the winner as proposed, the other with their score.
    assert Notification.objects.filter(recipient=apps[3].applicant, event="proposed").count() == 1
    lost_note = Notification.objects.get(dedupe_key=f"hiring_lost_tie:{c.pk}")
    assert lost_note.recipient == apps[2].applicant and "71.50" in str(lost_note.context)


def test_a_tie_in_the_extra_test_keeps_the_tied_waiting_for_another(admin):
    # One post left by b for c, d and f, all 78 and equal. 加试: c 80, d 80, f 70 → f is below
    # the place (lost); c and d are still equal across it → both wait, 1 place, another 加试.
    rows = [("90", 1, True), ("85", 2, True), ("78", 3, True), ("78", 3, True), ("78", 3, True)]
    position, apps = ranked_position(rows, quota=2, admin=admin)
    proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    proposals.remove(proposal=by_app(apps[1]), event="gave_up", actor=admin)
    c, d, f = by_app(apps[2]), by_app(apps[3]), by_app(apps[4])
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={c.pk: D("80"), d.pk: D("80"), f.pk: D("70")}, actor=admin
    )
    assert (won, [p.pk for p in lost], [p.pk for p in tied]) == ([], [f.pk], [c.pk, d.pk])
    assert [(by_app(a).status, by_app(a).tie_places) for a in apps[2:]] == [
        ("pending_tie", 1),
        ("pending_tie", 1),
        ("lost_tie", 0),
    ]
    assert Notification.objects.filter(dedupe_key__startswith="hiring_tied_again:").count() == 2
    # The second 加试, of c and d only: c 85 > d 75 → c proposed. It is round 2: round 1 is
    # kept for everyone (c 80, d 80, f 70), so a later ranking still puts f below c and d.
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={c.pk: D("85"), d.pk: D("75")}, actor=admin
    )
    assert ([p.pk for p in won], [p.pk for p in lost], tied) == ([c.pk], [d.pk], [])
    stored = set(ExtraTestResult.objects.values_list("application_id", "round", "score"))
    assert stored == {
        (apps[2].pk, 1, D("80.00")),
        (apps[3].pk, 1, D("80.00")),
        (apps[4].pk, 1, D("70.00")),
        (apps[2].pk, 2, D("85.00")),
        (apps[3].pk, 2, D("75.00")),
    }
    added = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ExtraTestResult), action_flag=1
    ).latest("pk")
    assert "第 2 轮加试成绩" in added.change_message


def test_a_partial_win_at_the_last_post(admin):
    # Three posts: a 90 holds one; b, c, d are equal at 80 for the other two (propose_position).
    # 加试 b 90, c 80, d 80: b wins one place; c and d equal across the last → 1 place left.
    rows = [("90", 1, True), ("80", 2, True), ("80", 2, True), ("80", 2, True)]
    position, apps = ranked_position(rows, quota=3, admin=admin)
    made = proposals.propose_position(announcement=position.announcement, position=position, actor=admin)
    b, c, d = made[1:]
    assert {p.tie_places for p in (b, c, d)} == {2}
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={b.pk: D("90"), c.pk: D("80"), d.pk: D("80")}, actor=admin
    )
    assert ([p.pk for p in won], lost, [p.pk for p in tied]) == ([b.pk], [], [c.pk, d.pk])
    assert stage(apps[1]) == Stage.PROPOSED
    assert {by_app(a).tie_places for a in apps[2:]} == {1}


@pytest.mark.parametrize("bad", [D("101"), D("-1"), D("85.555")])
def test_a_bad_score_is_refused_and_nothing_written(backfill_tie, admin, bad):
    position, _apps, c, d = backfill_tie
    with pytest.raises(ValidationError):
        proposals.record_extra_test(position=position, scores={c.pk: bad, d.pk: D("80")}, actor=admin)
    assert not ExtraTestResult.objects.exists()
    assert {by_app(a).status for a in _apps[2:4]} == {"pending_tie"}


def test_a_missing_score_is_refused(backfill_tie, admin):
    position, _apps, c, _d = backfill_tie
    with pytest.raises(ValidationError, match="每一位"):
        proposals.record_extra_test(position=position, scores={c.pk: D("80")}, actor=admin)
    assert not ExtraTestResult.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "examiner", "applicant"])
def test_only_an_administrator_records_it(backfill_tie, role):
    position, apps, c, d = backfill_tie
    with pytest.raises(PermissionDenied):
        proposals.record_extra_test(
            position=position, scores={c.pk: D("70"), d.pk: D("80")}, actor=UserFactory(role=role)
        )
    assert not ExtraTestResult.objects.exists()
    assert {by_app(a).status for a in apps[2:4]} == {"pending_tie"}


def test_the_exams_service_refuses_candidates_that_are_not_equals(backfill_tie, admin):
    position, apps, _c, _d = backfill_tie
    from exams.selectors.ranking import confirmed_version

    version = confirmed_version(position.announcement)
    with pytest.raises(ValidationError, match="名次相同"):  # a (rank 1) and c (rank 3)
        exam_extra_test.extra_test_record_group(
            version=version, actor=admin, scores={apps[0].pk: D("80"), apps[2].pk: D("70")}, places=1
        )
    with pytest.raises(ValidationError, match="名次相同"):  # places must leave someone out
        exam_extra_test.extra_test_record_group(
            version=version, actor=admin, scores={apps[2].pk: D("80"), apps[3].pk: D("70")}, places=2
        )
    assert not ExtraTestResult.objects.exists()


# ------------------------------------------------------------------ pages


def test_the_pages_show_the_score_from_extra_test_results(client, backfill_tie, admin):
    position, apps, c, d = backfill_tie
    client.force_login(admin)
    url = reverse("hiring:extra_test", args=[position.announcement_id, position.pk])
    response = client.post(url, {f"score_{c.pk}": "80", f"score_{d.pk}": "80"})  # tied again
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "80.00" in page  # the last 加试 score beside each name
    response = client.post(url, {f"score_{c.pk}": "71.5", f"score_{d.pk}": "88"}, follow=True)
    assert response.status_code == 200
    proposal_url = reverse("hiring:proposal", args=[position.announcement_id, d.pk])
    assert "加试 88.00 分" in client.get(proposal_url).content.decode()
    # A 加试 of the ranking (exams' flow) shows the same way: one home.
    ExtraTestResult.objects.filter(application=apps[3]).update(score=D("90.25"))
    assert "加试 90.25 分" in client.get(proposal_url).content.decode()


def test_a_reviewer_cannot_post_the_form(client, backfill_tie):
    position, _apps, c, d = backfill_tie
    client.force_login(UserFactory(role="reviewer"))
    url = reverse("hiring:extra_test", args=[position.announcement_id, position.pk])
    assert client.post(url, {f"score_{c.pk}": "80", f"score_{d.pk}": "70"}).status_code == 403
    assert not ExtraTestResult.objects.exists()


def test_the_bad_score_stays_at_the_field(client, backfill_tie, admin):
    position, _apps, c, d = backfill_tie
    client.force_login(admin)
    url = reverse("hiring:extra_test", args=[position.announcement_id, position.pk])
    response = client.post(url, {f"score_{c.pk}": "101", f"score_{d.pk}": "80"})
    assert response.status_code == 200 and not response.context["form"].is_valid()
    assert f"score_{c.pk}" in response.context["form"].errors
    assert not ExtraTestResult.objects.exists()


# ------------------------------------------------------------------ one home


def test_a_later_ranking_run_reads_the_score_hiring_recorded(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    # Quota 2. Written/interview (seven equal examiners):
    #   A 90/90 → 90.00 (1); B 85/85 → 85.00 (2); C 70/80 and D 70/80 → 75.00 each, same
    #   written, interview, education, no birth date → equal (3, 3); E 60/70 → 65.00 (5).
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["90", "85", "70", "70", "60"],
        interview=[seven(90), seven(85), seven(80), seven(80), seven(70)],
    )
    a, b, c, d, _e = apps
    position = a.position
    position.quota = position.original_quota = 2
    position.save(update_fields=["quota", "original_quota"])
    first = ranking_services.rank_now(announcement, actor=administrator).version
    ranking_services.ranking_confirm(version=first, actor=administrator, seen_confirmed=None)
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=first)}
    assert (rows[c.pk].rank, rows[d.pk].rank, rows[c.pk].composite) == (3, 3, D("75.00"))
    proposals.propose_position(announcement=announcement, position=position, actor=administrator)
    proposals.remove(proposal=by_app(b), event="gave_up", actor=administrator)
    pc, pd = by_app(c), by_app(d)
    assert {pc.status, pd.status} == {"pending_tie"}
    # Hiring's 加试: C 71.5, D 88 → D proposed.
    won, _lost, _tied = proposals.record_extra_test(
        position=position, scores={pc.pk: D("71.5"), pd.pk: D("88")}, actor=administrator
    )
    assert [p.application_id for p in won] == [d.pk]
    # The next ranking run reads the same scores: "subscore:extra_test" appended, D above C.
    second = ranking_services.rank_now(announcement, actor=administrator).version
    assert second.number == 2 and second.rules["tie_breakers"][-1] == "subscore:extra_test"
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=second)}
    assert (rows[d.pk].rank, rows[d.pk].extra_test_score) == (3, D("88.00"))
    assert (rows[c.pk].rank, rows[c.pk].extra_test_score) == (4, D("71.50"))
    assert Application.objects.get(pk=d.pk).stage == Stage.PROPOSED
