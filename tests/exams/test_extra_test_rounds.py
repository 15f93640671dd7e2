"""加试 rounds: a 加试 that ties is followed by another round for the still tied, and the
earlier round is kept (exams.ExtraTestResult, one row per application and round). The rule
of which round an entry is (exams.services.extra_test.extra_test_round), hand-worked; the
reviewer's example end to end through hiring and a later ranking run; a ranking-stage 加试
that ties then a second round; a correction within a round still replaces; the migration
keeps existing rows as round 1."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from exams.models_ranking import ExtraTestResult, RankingRow
from exams.selectors import ranking as selectors
from exams.services import extra_test
from exams.services import ranking as services
from exams.services.ranking_inputs import extra_test_subscore, latest_extra_test
from exams.views.ranking import breakers_text
from hiring import selectors as hiring_selectors
from hiring.models import Proposal
from hiring.services import proposals
from tests.exams.ranking_helpers import interviewed, seven
from tests.factories import UserFactory

D = Decimal


def stored(**filters):
    return set(ExtraTestResult.objects.filter(**filters).values_list("application_id", "round", "score"))


def rows_of(version):
    return {r.application_id: r for r in RankingRow.objects.filter(version=version)}


# ------------------------------------------------------------------ the rule, no database


def test_the_first_entry_is_round_1():
    assert extra_test_round_of({"b": {}, "c": {}}) == 1


def test_a_tied_round_makes_the_next_entry_the_next_round():
    # b 85 = c 85 in round 1: the 加试 tied → the still tied sit round 2.
    assert extra_test_round_of({"b": {1: D("85")}, "c": {1: D("85.00")}}) == 2
    # Tied in rounds 1 and 2 (85/85, 70/70) → round 3.
    assert extra_test_round_of({"b": {1: D("85"), 2: D("70")}, "c": {1: D("85"), 2: D("70")}}) == 3


def test_an_untied_round_is_corrected_in_place():
    # b 85, c 86: round 1 decided → a new entry corrects round 1.
    assert extra_test_round_of({"b": {1: D("85")}, "c": {1: D("86")}}) == 1
    # Round 2 decided (70 / 60) → a new entry corrects round 2.
    assert extra_test_round_of({"b": {1: D("85"), 2: D("70")}, "c": {1: D("85"), 2: D("60")}}) == 2


def test_a_member_missing_from_the_latest_round_completes_it():
    # c's round-2 score not entered yet: the entry is round 2 (not 3).
    assert extra_test_round_of({"b": {1: D("85"), 2: D("70")}, "c": {1: D("85")}}) == 2
    # c never entered: round 1.
    assert extra_test_round_of({"b": {1: D("85")}, "c": {}}) == 1


def test_a_tie_not_seen_by_the_version_is_a_correction():
    # The version predates the tied scores (entered 85/85 against it, then corrected): round 1.
    assert extra_test_round_of({"b": {1: D("85")}, "c": {1: D("85")}}, tie_seen=False) == 1


def extra_test_round_of(recorded, **kwargs):
    return extra_test.extra_test_round(recorded, **kwargs)


def test_the_subscores_of_the_rounds():
    assert [extra_test_subscore(k) for k in (1, 2, 3)] == ["extra_test", "extra_test_2", "extra_test_3"]
    assert latest_extra_test({}) is None
    assert latest_extra_test({"extra_test": D("85")}) == D("85")
    assert latest_extra_test({"extra_test": D("85"), "extra_test_2": D("70"), "笔试": D("1")}) == D("70")


# ------------------------------------------------------------------ with the database


@pytest.fixture
def four_equal(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 2; A, B, C, D all written 80, interview 80 (7 × 80) → composite (80 + 80) / 2 =
    80.00 each, same written, interview, education, no birth date: equal after every
    breaker → all four rank 1, a group of four straddling the last post (加试)."""
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80", "80", "80", "80"],
        interview=[seven(80)] * 4,
    )
    position = apps[0].position
    position.quota = position.original_quota = 2
    position.save(update_fields=["quota", "original_quota"])
    return announcement, apps


def test_the_reviewers_example_hiring_two_rounds_then_a_ranking_run(four_equal, administrator):
    announcement, (a, b, c, d) = four_equal
    position = a.position
    first = services.rank_now(announcement, actor=administrator).version
    services.ranking_confirm(version=first, actor=administrator, seen_confirmed=None)
    rows = rows_of(first)
    assert {rows[x.pk].rank for x in (a, b, c, d)} == {1}
    assert all(rows[x.pk].extra_test for x in (a, b, c, d))
    proposals.propose_position(announcement=announcement, position=position, actor=administrator)
    waiting = {p.application_id: p for p in Proposal.objects.filter(position=position)}
    assert {(p.status, p.tie_places) for p in waiting.values()} == {("pending_tie", 2)}

    # Round 1 (2 places): A 90 > B 85 = C 85 > D 80 → A wins; B, C tie for the last place
    # (1 left); D below it loses.
    won, lost, tied = proposals.record_extra_test(
        position=position,
        scores={
            waiting[a.pk].pk: D("90"),
            waiting[b.pk].pk: D("85"),
            waiting[c.pk].pk: D("85"),
            waiting[d.pk].pk: D("80"),
        },
        actor=administrator,
    )
    assert [p.application_id for p in won] == [a.pk]
    assert [p.application_id for p in lost] == [d.pk]
    assert sorted(p.application_id for p in tied) == sorted([b.pk, c.pk])

    # Round 2, of B and C only (1 place): B 70 > C 60 → B wins. Round 1 is kept.
    won, lost, tied = proposals.record_extra_test(
        position=position, scores={waiting[b.pk].pk: D("70"), waiting[c.pk].pk: D("60")}, actor=administrator
    )
    assert ([p.application_id for p in won], [p.application_id for p in lost], tied) == ([b.pk], [c.pk], [])
    assert stored() == {
        (a.pk, 1, D("90.00")),
        (b.pk, 1, D("85.00")),
        (c.pk, 1, D("85.00")),
        (d.pk, 1, D("80.00")),
        (b.pk, 2, D("70.00")),
        (c.pk, 2, D("60.00")),
    }
    # The pages show the latest round.
    assert hiring_selectors.extra_test_scores([a.pk, b.pk, c.pk, d.pk]) == {
        a.pk: D("90.00"),
        b.pk: D("70.00"),
        c.pk: D("60.00"),
        d.pk: D("80.00"),
    }
    assert selectors.extra_test_scores(announcement)[b.pk] == D("70.00")
    assert selectors.extra_test_rounds(announcement)[b.pk] == {1: D("85.00"), 2: D("70.00")}
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtraTestResult.objects.create(
            announcement=announcement, application=b, round=2, score=D("71"), entered_by=administrator
        )

    # A later ranking run: all four are 80.00 and equal on every rule breaker; then
    # "subscore:extra_test" (round 1): A 90 | B 85 = C 85 | D 80; then "subscore:extra_test_2"
    # (round 2), which only B and C still need: B 70 | C 60. Order A, B, C, D — not A, D, B, C
    # (what one overwritten score per candidate gave: A 90, D 80, B 70, C 60).
    second = services.rank_now(announcement, actor=administrator).version
    assert second.rules["tie_breakers"][-2:] == ["subscore:extra_test", "subscore:extra_test_2"]
    rows = rows_of(second)
    assert [(rows[x.pk].rank, rows[x.pk].proposed) for x in (a, b, c, d)] == [
        (1, True),
        (2, True),
        (3, False),
        (4, False),
    ]
    # RankingRow.extra_test_score keeps the latest round.
    assert [rows[x.pk].extra_test_score for x in (a, b, c, d)] == [D("90"), D("70"), D("60"), D("80")]


@pytest.fixture
def tied(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 2; A written 90, interview 90 → 90.00 (rank 1); B and C written 80, interview 70
    → 75.00 each and equal after every breaker (2, 2: a 加试 for the last place); D written
    60, interview 70 → 65.00 (rank 4)."""
    announcement, apps, _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["90", "80", "80", "60"],
        interview=[seven(90), seven(70), seven(70), seven(70)],
    )
    position = apps[0].position
    position.quota = position.original_quota = 2
    position.save(update_fields=["quota", "original_quota"])
    return announcement, apps


def test_a_ranking_extra_test_that_ties_then_a_second_round(tied, administrator):
    announcement, (a, b, c, d) = tied
    first = services.rank_now(announcement, actor=administrator).version
    rows = rows_of(first)
    assert [rows[x.pk].rank for x in (a, b, c, d)] == [1, 2, 2, 4]
    assert rows[b.pk].extra_test and rows[c.pk].extra_test
    # Round 1: B 85 = C 85 — the 加试 tied.
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("85"), c.pk: D("85")})
    second = services.rank_now(announcement, actor=administrator).version
    rows = rows_of(second)
    assert second.rules["tie_breakers"][-1] == "subscore:extra_test"
    assert [rows[x.pk].rank for x in (a, b, c, d)] == [1, 2, 2, 4]
    assert rows[b.pk].extra_test and rows[c.pk].extra_test_score == D("85.00")
    # The second version flags them again with their round-1 scores: the entry is round 2.
    # B 70 < C 72.
    extra_test.extra_test_record(version=second, actor=administrator, scores={b.pk: D("70"), c.pk: D("72")})
    assert stored() == {
        (b.pk, 1, D("85.00")),
        (c.pk, 1, D("85.00")),
        (b.pk, 2, D("70.00")),
        (c.pk, 2, D("72.00")),
    }
    # A typo in round 2 (C 72 → 62) against the same version: corrected in place.
    extra_test.extra_test_record(version=second, actor=administrator, scores={c.pk: D("62")})
    assert stored(application=c) == {(c.pk, 1, D("85.00")), (c.pk, 2, D("62.00"))}
    # Third run: 75.00 = 75.00, round 1 85 = 85, round 2 B 70 > C 62 → B 2nd (proposed), C 3rd.
    third = services.rank_now(announcement, actor=administrator).version
    assert third.rules["tie_breakers"][-2:] == ["subscore:extra_test", "subscore:extra_test_2"]
    rows = rows_of(third)
    assert [(rows[x.pk].rank, rows[x.pk].proposed) for x in (a, b, c, d)] == [
        (1, True),
        (2, True),
        (3, False),
        (4, False),
    ]
    assert (rows[b.pk].extra_test_score, rows[c.pk].extra_test_score) == (D("70.00"), D("62.00"))
    assert not any(row.extra_test for row in rows.values())


def test_a_correction_within_round_1_replaces_it(tied, administrator):
    announcement, (a, b, c, d) = tied
    first = services.rank_now(announcement, actor=administrator).version
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("78"), c.pk: D("85.5")})
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("80")})
    assert stored() == {(b.pk, 1, D("80.00")), (c.pk, 1, D("85.50"))}
    # Entered equal by mistake against the same version (which never saw these scores),
    # then corrected: still round 1, not a second round.
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("85.5")})
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("84")})
    assert stored() == {(b.pk, 1, D("84.00")), (c.pk, 1, D("85.50"))}
    # Next run: 75.00 = 75.00, then 加试 C 85.50 > B 84.00 → C proposed.
    second = services.rank_now(announcement, actor=administrator).version
    assert second.rules["tie_breakers"][-1] == "subscore:extra_test"
    assert "subscore:extra_test_2" not in second.rules["tie_breakers"]
    rows = rows_of(second)
    assert [(rows[x.pk].rank, rows[x.pk].proposed) for x in (c, b)] == [(2, True), (3, False)]


def test_refusals_write_no_round(tied, administrator):
    announcement, (a, b, c, d) = tied
    first = services.rank_now(announcement, actor=administrator).version
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("85"), c.pk: D("85")})
    second = services.rank_now(announcement, actor=administrator).version
    before = stored()
    with pytest.raises(ValidationError):  # a bad score among good ones: nothing written
        extra_test.extra_test_record(version=second, actor=administrator, scores={b.pk: D("70"), c.pk: "101"})
    with pytest.raises(ValidationError):  # D is not flagged
        extra_test.extra_test_record(version=second, actor=administrator, scores={d.pk: D("70")})
    with pytest.raises(PermissionDenied):
        extra_test.extra_test_record(
            version=second, actor=UserFactory(role="reviewer"), scores={b.pk: D("70"), c.pk: D("72")}
        )
    assert stored() == before


def test_the_migration_keeps_existing_rows_as_round_1(tied, administrator):
    if connection.vendor != "postgresql":
        pytest.skip("the schema is changed inside the test's transaction: PostgreSQL's transactional DDL")
    announcement, (a, b, c, d) = tied
    before, after = ("exams", "0012_bonus_claim_status_words"), ("exams", "0014_extra_test_round_db_default")
    # The fixture's rows are checked now, so the ALTER TABLEs below find no pending trigger.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([before])  # one row per application, no round
    OldResult = executor.loader.project_state([before]).apps.get_model("exams", "ExtraTestResult")  # noqa: N806
    OldResult.objects.create(
        announcement_id=announcement.pk, application_id=b.pk, score=D("85"), entered_by_id=administrator.pk
    )
    OldResult.objects.create(
        announcement_id=announcement.pk, application_id=c.pk, score=D("86.5"), entered_by_id=administrator.pk
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    assert stored() == {(b.pk, 1, D("85.00")), (c.pk, 1, D("86.50"))}
    # A second round now fits beside them; a second row for the same round does not.
    ExtraTestResult.objects.create(
        announcement=announcement, application=b, round=2, score=D("70"), entered_by=administrator
    )
    assert selectors.extra_test_rounds(announcement)[b.pk] == {1: D("85.00"), 2: D("70.00")}
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtraTestResult.objects.create(
            announcement=announcement, application=b, round=2, score=D("71"), entered_by=administrator
        )


def test_the_version_page_names_each_round_in_the_tie_breakers():
    text = breakers_text({"tie_breakers": ["written", "subscore:extra_test", "subscore:extra_test_2"]})
    assert text == "笔试成绩、加试成绩、第 2 轮加试成绩"
    assert breakers_text({"tie_breakers": ["subscore:extra_test_x"]}) == "“extra_test_x”得分"


def test_the_extra_test_page_offers_the_round_it_records(client, tied, administrator):
    announcement, (a, b, c, d) = tied
    first = services.rank_now(announcement, actor=administrator).version
    client.force_login(administrator)
    url = reverse("exams:ranking_extra_test", args=[announcement.pk, first.number])
    extra_test.extra_test_record(version=first, actor=administrator, scores={b.pk: D("85"), c.pk: D("0")})
    # Against the same version: a correction of round 1, the recorded scores offered (0 too).
    assert extra_test.extra_test_entry(first) == {b.pk: (1, D("85.00")), c.pk: (1, D("0.00"))}
    form = client.get(url).context["form"]
    assert (form[f"score_{b.pk}"].value(), form[f"score_{c.pk}"].value()) == (D("85.00"), D("0.00"))
    extra_test.extra_test_record(version=first, actor=administrator, scores={c.pk: D("85")})
    second = services.rank_now(announcement, actor=administrator).version
    # The second version flags B and C again with 85 = 85: round 2, which starts empty (a
    # score left in a field would be recorded as round 2).
    assert extra_test.extra_test_entry(second) == {b.pk: (2, None), c.pk: (2, None)}
    url = reverse("exams:ranking_extra_test", args=[announcement.pk, second.number])
    response = client.post(url, {f"score_{b.pk}": "70", f"score_{c.pk}": "72"})
    assert response.status_code == 302
    assert stored(round=2) == {(b.pk, 2, D("70.00")), (c.pk, 2, D("72.00"))}
    form = client.get(url).context["form"]
    assert (form[f"score_{b.pk}"].value(), form[f"score_{c.pk}"].value()) == (D("70.00"), D("72.00"))
