"""Ranking versions (issue 17 item 6): hand-worked rows, idempotency by fingerprint, a crash
halfway, confirmation (stage RANKED, superseding), a correction after confirmation, the
differences, the 加试 flow, the job, and the selectors hiring builds on."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applicants.models import Application, Stage
from exams import scoring
from exams.models import WrittenScore
from exams.models_ranking import ExtraTestResult, RankingRow, RankingVersion
from exams.models_rules import RankingSettings
from exams.selectors import ranking as selectors
from exams.services import extra_test, ranking_inputs, ranking_write
from exams.services import ranking as services
from portal.models import BackgroundJob
from tests.exams.ranking_helpers import interviewed, seven
from tests.factories import UserFactory

D = Decimal


@pytest.fixture
def four(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """One position (quota 1 by the factory? set below) with four candidates:
    A written 80, interview 70 (7 × 70)            → composite (80 + 70) / 2 = 75.00
    B written 70, interview 80 (7 × 80)            → composite (70 + 80) / 2 = 75.00
    C written 60, interview 90 50 70 70 70 70 70   → drop 90 and 50, 70 → (60 + 70) / 2 = 65.00
    D written 90, absent at the interview           → not ranked
    A and B tie on the composite; the first breaker (written) puts A first."""
    announcement, apps, stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80", "70", "60", "90"],
        interview=[seven(70), seven(80), ("90", "50", "70", "70", "70", "70", "70"), None],
    )
    position = apps[0].position
    position.quota = position.original_quota = 1
    position.save(update_fields=["quota", "original_quota"])
    return announcement, apps, stand_in


def test_a_run_writes_a_version_with_the_hand_worked_rows(four, administrator):
    announcement, (a, b, c, d), _stand_in = four
    written = services.rank_now(announcement, actor=administrator)
    assert written.created
    version = written.version
    assert (version.number, version.status, version.candidates) == (1, "draft", 4)
    rows = {row.application_id: row for row in RankingRow.objects.filter(version=version)}
    assert (rows[a.pk].composite, rows[a.pk].rank, rows[a.pk].proposed) == (D("75.00"), 1, True)
    assert (rows[b.pk].composite, rows[b.pk].rank, rows[b.pk].proposed) == (D("75.00"), 2, False)
    assert (rows[c.pk].interview_raw, rows[c.pk].composite, rows[c.pk].rank) == (D("70"), D("65.00"), 3)
    assert rows[d.pk].absent and rows[d.pk].rank is None
    assert [r.application_id for r in selectors.rows_for(version, a.position)] == [a.pk, b.pk, c.pk, d.pk]
    assert rows[a.pk].masked_name.endswith("*") or "*" in rows[a.pk].masked_name
    assert rows[a.pk].ticket_number


def test_position_ranking_rebuilt_from_rows_equals_scoring_rank(four, administrator):
    announcement, apps, _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    inputs = services.assemble(announcement)
    position_id = apps[0].position_id
    expected = scoring.rank(inputs.candidates[position_id], inputs.rules, 1)
    assert selectors.position_ranking(version, apps[0].position) == expected
    assert selectors.rules_of(version) == inputs.rules
    # exams.scoring.backfill takes the rebuilt ranking as is: A gives up → B, the next.
    rebuilt = selectors.position_ranking(version.pk, apps[0].position_id)
    assert scoring.backfill(rebuilt, [(str(apps[0].pk), "gave_up")], inputs.rules) == (
        (str(apps[0].pk), "gave_up", (str(apps[1].pk),)),
    )


def test_same_inputs_give_the_same_version_and_no_new_one(four, administrator):
    announcement, _apps, _stand_in = four
    first = services.rank_now(announcement, actor=administrator)
    again = services.rank_now(announcement, actor=UserFactory(role="administrator"))
    assert not again.created and again.version.pk == first.version.pk
    assert RankingVersion.objects.filter(announcement=announcement).count() == 1
    assert RankingRow.objects.filter(version=first.version).count() == 4


def test_the_fingerprint_ignores_input_order_and_trailing_zeros(four, administrator):
    announcement, apps, stand_in = four
    digest = services.fingerprint(services.assemble(announcement))
    code, scores = stand_in.data[apps[2].pk]
    stand_in.data[apps[2].pk] = (
        code,
        tuple(reversed([D(str(s) + "0") if "." in str(s) else D(f"{s}.00") for s in scores])),
    )
    assert services.fingerprint(services.assemble(announcement)) == digest
    stand_in.data[apps[2].pk] = (code, (D("71"),) * 7)
    assert services.fingerprint(services.assemble(announcement)) != digest


def test_a_crash_halfway_leaves_no_version_and_the_rerun_gives_the_same(four, administrator, monkeypatch):
    announcement, _apps, _stand_in = four
    real_copy = services._copy_rows

    def dies_halfway(rows):
        rows = list(rows)
        real_copy(rows[:2])
        raise RuntimeError("worker killed")

    monkeypatch.setattr(ranking_write, "_copy_rows", dies_halfway)
    with pytest.raises(RuntimeError):
        services.rank_now(announcement, actor=administrator)
    assert not RankingVersion.objects.exists() and not RankingRow.objects.exists()
    monkeypatch.setattr(ranking_write, "_copy_rows", real_copy)
    version = services.rank_now(announcement, actor=administrator).version
    assert version.number == 1
    assert version.fingerprint == services.fingerprint(services.assemble(announcement))
    assert RankingRow.objects.filter(version=version).count() == 4


def test_the_job_runs_with_progress_and_records_the_version(
    four, administrator, django_capture_on_commit_callbacks
):
    announcement, _apps, _stand_in = four
    with django_capture_on_commit_callbacks(execute=True):
        job = services.ranking_job_create(announcement=announcement, actor=administrator)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total) == (2, 2)  # one position, then the write
    version = RankingVersion.objects.get(pk=job.params["version"])
    assert job.params["created"] is True and version.number == 1
    with django_capture_on_commit_callbacks(execute=True):
        second = services.ranking_job_create(announcement=announcement, actor=administrator)
    second.refresh_from_db()
    assert second.params == {"version": version.pk, "created": False}


def test_a_run_refuses_while_an_interview_is_not_signed_off(four, administrator, monkeypatch):
    announcement, apps, stand_in = four
    monkeypatch.setattr(
        ranking_inputs, "pool_ids", lambda a, interview, rows=None: ({x.pk for x in apps}, {apps[3].pk})
    )
    with pytest.raises(ValidationError, match="未签字确认"):
        services.rank_now(announcement, actor=administrator)
    assert not RankingVersion.objects.exists()


def test_only_administrators_run_and_confirm(four, administrator, reviewer, examiner):
    announcement, _apps, _stand_in = four
    for user in (reviewer, examiner):
        with pytest.raises(PermissionDenied):
            services.ranking_job_create(announcement=announcement, actor=user)
    version = services.rank_now(announcement, actor=administrator).version
    for user in (reviewer, examiner):
        with pytest.raises(PermissionDenied):
            services.ranking_confirm(version=version, actor=user, seen_confirmed=None)
    assert RankingVersion.objects.get().status == "draft"


def test_confirming_freezes_moves_stages_and_a_second_confirm_is_told(four, administrator):
    announcement, (a, b, c, d), _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)
    version.refresh_from_db()
    assert version.status == "confirmed" and version.confirmed_by == administrator
    assert selectors.confirmed_version(announcement) == version
    stages = dict(Application.objects.filter(announcement=announcement).values_list("pk", "stage"))
    assert [stages[x.pk] for x in (a, b, c)] == [Stage.RANKED] * 3
    assert stages[d.pk] == Stage.INTERVIEWED  # absent: not ranked (its stage is the interview's business)
    other = UserFactory(role="administrator")
    with pytest.raises(services.RankingConflict, match="无需重复确认"):
        services.ranking_confirm(version=version, actor=other, seen_confirmed=None)


def test_a_correction_after_confirmation_makes_a_new_version_to_confirm(four, administrator):
    announcement, (a, b, c, d), _stand_in = four
    first = services.rank_now(announcement, actor=administrator).version
    services.ranking_confirm(version=first, actor=administrator, seen_confirmed=None)
    # B's written score is corrected 70 → 90: B (90 + 80) / 2 = 85.00 now leads.
    WrittenScore.objects.filter(ticket__application=b).update(raw=D("90"))
    assert services.is_outdated(first)
    second = services.rank_now(announcement, actor=administrator).version
    first.refresh_from_db()
    assert second.number == 2 and second.previous_id == first.pk and second.status == "draft"
    assert first.status == "confirmed" and first.outdated_at is not None  # still the one hiring reads
    # Rows of the confirmed version were never edited.
    assert RankingRow.objects.get(version=first, application=b).composite == D("75.00")
    assert RankingRow.objects.get(version=second, application=b).composite == D("85.00")
    changes = {
        c.application_id: {f: (x, y) for f, x, y in c.fields} for c in selectors.differences(second, first)
    }
    assert changes[b.pk]["composite"] == (D("75.00"), D("85.00"))
    assert changes[b.pk]["rank"] == (2, 1) and changes[a.pk]["rank"] == (1, 2)
    assert changes[a.pk]["proposed"] == (True, False)
    assert c.pk not in changes and d.pk not in changes
    # Confirming the new one needs the confirmed one the administrator saw.
    with pytest.raises(services.RankingConflict, match="确认了第 1 版"):
        services.ranking_confirm(version=second, actor=administrator, seen_confirmed=None)
    services.ranking_confirm(version=second, actor=administrator, seen_confirmed=first.pk)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert selectors.confirmed_version(announcement) == second


def test_a_version_whose_inputs_changed_cannot_be_confirmed(four, administrator):
    announcement, (_a, b, _c, _d), _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    WrittenScore.objects.filter(ticket__application=b).update(raw=D("71"))
    with pytest.raises(ValidationError, match="请重新排名"):
        services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)
    version.refresh_from_db()
    assert version.status == "draft"


@pytest.fixture
def tied(administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Quota 1; A and B written 80, interview 70 → 75.00 each, same education, no birth date:
    equal after every breaker → rank 1, 1 and a 加试; C 60/70 → 65.00, rank 3."""
    announcement, apps, stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["80", "80", "60"],
        interview=[seven(70), seven(70), seven(70)],
    )
    position = apps[0].position
    position.quota = position.original_quota = 1
    position.save(update_fields=["quota", "original_quota"])
    return announcement, apps


def test_the_extra_test_flow(tied, administrator):
    announcement, (a, b, c) = tied
    first = services.rank_now(announcement, actor=administrator).version
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=first)}
    assert (rows[a.pk].rank, rows[b.pk].rank, rows[c.pk].rank) == (1, 1, 3)
    assert rows[a.pk].extra_test and rows[b.pk].extra_test and not rows[a.pk].proposed
    assert rows[a.pk].tie_group == rows[b.pk].tie_group == 1
    assert selectors.position_ranking(first, a.position).extra_test == tuple(sorted([str(a.pk), str(b.pk)]))
    with pytest.raises(ValidationError):  # C was not flagged
        extra_test.extra_test_record(version=first, actor=administrator, scores={c.pk: D("90")})
    with pytest.raises(ValidationError):  # three decimals
        extra_test.extra_test_record(version=first, actor=administrator, scores={a.pk: "85.555"})
    extra_test.extra_test_record(version=first, actor=administrator, scores={a.pk: D("78"), b.pk: D("85.5")})
    assert ExtraTestResult.objects.count() == 2
    second = services.rank_now(announcement, actor=administrator).version
    assert second.number == 2
    assert second.rules["tie_breakers"][-1] == "subscore:extra_test"
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=second)}
    assert (rows[b.pk].rank, rows[b.pk].proposed, rows[b.pk].extra_test_score) == (1, True, D("85.50"))
    assert (rows[a.pk].rank, rows[a.pk].proposed, rows[a.pk].tie_group) == (2, False, None)


def test_all_advance_proposes_the_whole_group(tied, administrator):
    announcement, (a, b, c) = tied
    RankingSettings.objects.create(announcement=announcement, unresolved_tie="all_advance")
    announcement.refresh_from_db()
    version = services.rank_now(announcement, actor=administrator).version
    proposed = set(
        RankingRow.objects.filter(version=version, proposed=True).values_list("application_id", flat=True)
    )
    assert proposed == {a.pk, b.pk}


def test_room_correction_pooled_mean_hand_worked(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    """Rooms A (80, 70) and B (60), written 70 for all, quota 1, pooled mean:
    room means A 75.00, B 60.00; overall (80 + 70 + 60) / 3 = 70.00;
    coefficients A 70 / 75 = 0.9333 → 0.933, B 70 / 60 = 1.1667 → 1.167;
    corrected A1 80 × 0.933 = 74.64, A2 70 × 0.933 = 65.31, B1 60 × 1.167 = 70.02;
    composites A1 (70 + 74.64) / 2 = 72.32, B1 (70 + 70.02) / 2 = 70.01, A2 135.31 / 2 = 67.655 → 67.66."""
    announcement, (a1, a2, b1), _stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=["70", "70", "70"],
        interview=[seven(80), seven(70), seven(60)],
        rooms=["A", "A", "B"],
    )
    RankingSettings.objects.create(announcement=announcement, room_correction="pooled_mean")
    announcement.refresh_from_db()
    version = services.rank_now(announcement, actor=administrator).version
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=version)}
    assert (rows[a1.pk].coefficient, rows[b1.pk].coefficient) == (D("0.933"), D("1.167"))
    assert [rows[x.pk].interview for x in (a1, a2, b1)] == [D("74.64"), D("65.31"), D("70.02")]
    assert [rows[x.pk].composite for x in (a1, a2, b1)] == [D("72.32"), D("67.66"), D("70.01")]
    assert [rows[x.pk].rank for x in (a1, a2, b1)] == [1, 3, 2]
    assert version.rules["room_scope"] == "linked"


def test_text_with_tabs_quotes_and_commas_and_empty_text_are_stored_as_given(
    four, administrator, monkeypatch
):
    """The rows go in as COPY's text on PostgreSQL: a name or room holding a tab, a newline, a
    quote, a backslash or a comma is data, an empty room stays empty and a room called "None"
    stays that word (not NULL), and the empty numbers of an absent candidate are NULL."""
    announcement, (a, b, c, d), stand_in = four
    odd = 'a\tb\n"c\\,d'
    monkeypatch.setattr(
        ranking_inputs, "mask_name", lambda name: odd if name == a.snapshot["real_name"] else ""
    )
    stand_in.data[a.pk] = ('R,1"x', stand_in.data[a.pk][1])
    stand_in.data[b.pk] = ("", stand_in.data[b.pk][1])
    stand_in.data[c.pk] = ("None", stand_in.data[c.pk][1])  # the word, not a null
    version = services.rank_now(announcement, actor=administrator).version
    rows = {r.application_id: r for r in RankingRow.objects.filter(version=version)}
    assert rows[c.pk].room == "None" and rows[c.pk].tie_group is None
    assert (rows[a.pk].masked_name, rows[a.pk].room) == (odd, 'R,1"x')
    assert (rows[b.pk].masked_name, rows[b.pk].room) == ("", "")
    assert rows[a.pk].composite == D("75.00") and rows[a.pk].tie_group is None
    absent = rows[d.pk]
    assert absent.absent and absent.eligible is False
    assert [absent.written_total, absent.composite, absent.rank, absent.extra_test_score] == [None] * 4


def test_the_fingerprint_is_the_canonical_json_built_plainly():
    """services.fingerprint builds its JSON through caches and C-level maps; it must stay the
    plain canonical JSON, byte for byte, or every stored version would look out of date."""
    import hashlib
    import json
    from datetime import date

    def plain(value):
        return None if value is None else services._number(value)

    candidates = {
        7: [
            scoring.Candidate(
                key="12",
                written=D("78.50"),
                bonus=(D("3"), D("2.0")),
                interview=(D("80.00"), D("79.5"), D("81")),
                room="B",
                education=40,
                birth_date=date(1995, 3, 1),
                flags=frozenset({"community_work", "01"}),
                subscores={"extra_test_2": D("88.0"), "extra_test": D("90")},
            ),
            scoring.Candidate(key="3", written=None, interview=None, room="A"),
        ],
        2: [scoring.Candidate(key="5", written=D("60"), interview=(), education=30)],
    }
    inputs = services.Inputs(
        announcement_id=1,
        rules=scoring.Rules(),
        room_scope="linked",
        quotas={7: 2, 2: 1},
        candidates=candidates,
    )
    payload = {
        "rules": services.rules_snapshot(inputs),
        "quotas": {"2": 1, "7": 2},
        "candidates": [
            [
                position,
                c.key,
                plain(c.written),
                sorted(plain(b) for b in c.bonus),
                None if c.interview is None else sorted(plain(s) for s in c.interview),
                c.room,
                c.education,
                c.birth_date.isoformat() if c.birth_date else None,
                sorted(c.flags),
                {name: plain(value) for name, value in sorted(c.subscores.items())},
            ]
            for position in (2, 7)
            for c in sorted(candidates[position], key=lambda c: c.key)
        ],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert '"78.5"' in text and '["2","3"]' in text and '"12",' in text  # the values as written
    assert services.fingerprint(inputs) == hashlib.sha256(text.encode()).hexdigest()


def test_linked_scope_joins_positions_that_share_a_room():
    def cand(key, room):
        return scoring.Candidate(key=key, written=D(70), interview=(D(70),), room=room)

    inputs = services.Inputs(
        announcement_id=1,
        rules=scoring.Rules(room_correction="pooled_mean"),
        room_scope="linked",
        quotas={1: 1, 2: 1, 3: 1},
        candidates={1: [cand("1", "A"), cand("2", "B")], 2: [cand("3", "B")], 3: [cand("4", "C")]},
    )
    assert sorted(sorted(g) for g in services.scopes(inputs)) == [[1, 2], [3]]
    inputs.room_scope = "position"
    assert sorted(services.scopes(inputs)) == [[1], [2], [3]]
    inputs.room_scope = "announcement"
    assert services.scopes(inputs) == [[1, 2, 3]]


def test_database_refuses_two_confirmed_versions_and_a_repeated_fingerprint(four, administrator):
    from django.db import IntegrityError, transaction

    announcement, _apps, _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RankingVersion.objects.create(
            announcement=announcement,
            number=2,
            fingerprint="x",
            status="confirmed",
            created_by=administrator,
            confirmed_by=administrator,
            confirmed_at=version.confirmed_at,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RankingVersion.objects.create(
            announcement=announcement, number=3, fingerprint=version.fingerprint, created_by=administrator
        )


@pytest.mark.postgres
def test_database_refuses_a_row_whose_position_is_not_its_applications(needs_postgres, four, administrator):
    """One composite foreign key (application, position) → the application's (id, position)
    (migration exams 0015): a row of another position, or of no application, is refused at
    commit (deferred, as Django's keys); SET CONSTRAINTS … IMMEDIATE checks it here."""
    from django.db import IntegrityError, connection, transaction

    from tests.recruitment.factories import PositionFactory

    announcement, (a, *_rest), _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    row = RankingRow.objects.get(version=version, application=a)
    other = PositionFactory(announcement=announcement)
    for change in ({"position_id": other.pk}, {"application_id": a.pk + 10_000}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RankingRow.objects.filter(pk=row.pk).update(**change)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    row.refresh_from_db()
    assert (row.application_id, row.position_id) == (a.pk, a.position_id)


def test_the_fingerprint_is_the_same_for_an_announcement_read_back_from_the_database(four, administrator):
    """A setting typed as 0.5 is read back as 0.50 (the column's scale): one version, not two."""
    from recruitment.models import Announcement

    announcement, _apps, _stand_in = four
    announcement.written_weight = D("0.5")
    version = services.rank_now(announcement, actor=administrator).version
    fresh = Announcement.objects.get(pk=announcement.pk)
    assert services.fingerprint(services.assemble(fresh)) == version.fingerprint
    assert not services.is_outdated(RankingVersion.objects.get(pk=version.pk))
    assert services._number(D("60.00")) == "60" and services._number(D("0.50")) == "0.5"


def test_settings_saved_through_another_instance_count(four, administrator):
    """The demo saved 40/60 through one Announcement instance and ranked with another that
    still said 50/50: the ranking reads the announcement again."""
    from recruitment.models import Announcement

    announcement, (a, _b, _c, _d), _stand_in = four
    Announcement.objects.filter(pk=announcement.pk).update(written_weight=D("0.40"))
    version = services.rank_now(announcement, actor=administrator).version  # a stale instance
    # A: 80 × 0.4 + 70 × 0.6 = 32 + 42 = 74.00
    assert RankingRow.objects.get(version=version, application=a).composite == D("74.00")
    assert version.rules["written_weight"] == "0.4"
    services.ranking_confirm(version=version, actor=administrator, seen_confirmed=None)


def test_is_outdated_is_cached_under_a_signature_of_the_inputs(four, administrator, monkeypatch):
    """Reading 100,000 candidates on every page view is too slow: the current fingerprint is
    cached under when (and how much) the inputs last changed; any change recomputes it."""
    announcement, (_a, b, _c, _d), _stand_in = four
    version = services.rank_now(announcement, actor=administrator).version
    assert not services.is_outdated(version)
    real = services.assemble
    monkeypatch.setattr(services, "assemble", lambda *a, **k: pytest.fail("read again"))
    assert not services.is_outdated(version)  # cached: nothing read
    monkeypatch.setattr(services, "assemble", real)
    WrittenScore.objects.filter(ticket__application=b).update(raw=D("71"))  # no timestamp bump
    assert services.is_outdated(version)
