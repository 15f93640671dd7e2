"""The ranking's compute and write at once (exams.services.ranking_write.compute_and_write: a
writer thread COPYs each chunk of rows on a second connection while the next positions are
ranked) and the examiners' scores read on a second connection (portal.db_threads), on
PostgreSQL with committed data (transaction=True): a second connection sees nothing else.

Each is held to the serial path (DB_THREADS off): the same version, row for row. A crash of
either thread leaves nothing and hangs nothing; the rerun gives version 1 again."""

import threading
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from exams import scoring
from exams.models_ranking import RankingRow, RankingVersion
from exams.selectors import interview as interview_selectors
from exams.services import ranking as services
from exams.services import ranking_inputs, ranking_write
from portal import db_threads
from portal.models import BackgroundJob
from tests.exams.interview_factories import make_interview
from tests.exams.ranking_helpers import interviewed, seven
from tests.exams.test_interview_selectors_ranking import sign_off

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = Decimal
COLUMNS = services.ROW_COLUMNS[1:]  # all but the version


@pytest.fixture
def three_positions(needs_postgres, administrator, django_capture_on_commit_callbacks, monkeypatch):
    """Three positions (quota 1) of four candidates each, spread in turn (candidate i sits
    for position i mod 3), each position in a room of its own:
    position 1: 80/70 → 75, 75/60 → 67.5, 90/absent → not ranked, 70/80 → 75 (the written
                score puts 80 first);
    position 2: 70/80 → 75, 80/70 → 75, 55/75 → 65, 85/66 → 75.5;
    position 3: 60/90 → 75, 65/59 → under the interview line (60), 70/80 → 75, 62/71 → 66.5.
    CHUNK_ROWS 2: every position is a COPY of its own."""
    written = ["80", "70", "60", "75", "80", "65", "90", "55", "70", "70", "85", "62"]
    interview = [
        seven(70),
        seven(80),
        seven(90),
        seven(60),
        seven(70),
        seven(59),
        None,
        seven(75),
        seven(80),
        seven(80),
        seven(66),
        seven(71),
    ]
    announcement, apps, stand_in = interviewed(
        administrator,
        django_capture_on_commit_callbacks,
        monkeypatch,
        written=written,
        interview=interview,
        positions=3,
        rooms=[f"R{i % 3}" for i in range(12)],  # a room per position: three scopes
    )
    for app in apps:
        position = app.position
        position.quota = position.original_quota = 1
        position.save(update_fields=["quota", "original_quota"])
    monkeypatch.setattr(ranking_write, "CHUNK_ROWS", 2)
    return announcement, apps


def rows_of(version) -> list[tuple]:
    return sorted(RankingRow.objects.filter(version=version).values_list(*COLUMNS))


def versions_audited() -> int:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(RankingVersion)).count()


def forget(version) -> None:
    RankingRow.objects.filter(version=version).delete()
    version.delete()


@pytest.fixture
def copies(monkeypatch):
    """Which thread each COPY ran on."""
    threads = []
    real = ranking_write.copy_into

    def spy(cursor, text):
        threads.append(threading.current_thread().name)
        return real(cursor, text)

    monkeypatch.setattr(ranking_write, "copy_into", spy)
    return threads


def test_at_once_gives_the_serial_version_row_for_row(three_positions, administrator, copies):
    announcement, _apps = three_positions
    assert db_threads.available()
    streamed = services.rank_now(announcement, actor=administrator)
    assert streamed.created
    # Three positions of four rows, two rows a chunk: one COPY per position, all on the writer.
    assert copies == ["ranking-writer"] * 3
    rows = rows_of(streamed.version)
    assert len(rows) == 12
    fingerprint, number = streamed.version.fingerprint, streamed.version.number
    forget(streamed.version)
    with override_settings(DB_THREADS=False):
        assert not db_threads.available()
        serial = services.rank_now(announcement, actor=administrator)
    assert copies == ["ranking-writer"] * 3  # the serial COPY is ranking_rows._copy_rows'
    assert rows_of(serial.version) == rows
    assert (serial.version.fingerprint, serial.version.number) == (fingerprint, number)
    assert versions_audited() == 2  # each run, once


def test_the_same_inputs_again_return_the_stored_version_and_write_nothing(three_positions, administrator):
    announcement, _apps = three_positions
    first = services.rank_now(announcement, actor=administrator)
    inputs = services.assemble(announcement)
    again = ranking_write.compute_and_write(
        announcement, inputs, services.fingerprint(inputs), actor=administrator
    )
    assert (again.created, again.version.pk) == (False, first.version.pk)
    assert RankingVersion.objects.count() == 1 and RankingRow.objects.count() == 12


def dies_after_two_positions(monkeypatch, detail: str):
    """ranked_scopes that yields two scopes (positions), then raises a ScoringError."""
    real = ranking_write.ranked_scopes

    def dying(inputs):
        scopes = real(inputs)
        yield next(scopes)
        yield next(scopes)
        raise scoring.ScoringError("not_a_number", detail)

    monkeypatch.setattr(ranking_write, "ranked_scopes", dying)
    return real


def test_a_crash_while_ranking_after_rows_were_copied_leaves_nothing(
    three_positions, administrator, copies, monkeypatch
):
    announcement, _apps = three_positions
    real = dies_after_two_positions(monkeypatch, "worker killed")
    with pytest.raises(scoring.ScoringError):
        services.rank_now(announcement, actor=administrator)
    assert copies  # a chunk had reached the database before the crash
    assert not RankingVersion.objects.exists() and not RankingRow.objects.exists()
    assert versions_audited() == 0
    monkeypatch.setattr(ranking_write, "ranked_scopes", real)
    again = services.rank_now(announcement, actor=administrator)
    assert again.created and again.version.number == 1 and RankingRow.objects.count() == 12


def test_a_failed_copy_stops_the_run_and_leaves_nothing(three_positions, administrator, monkeypatch):
    announcement, _apps = three_positions
    real = ranking_write.copy_into
    calls = []

    def fails_second(cursor, text):
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(cursor, text)

    monkeypatch.setattr(ranking_write, "copy_into", fails_second)
    outcome = []

    def run():
        try:
            services.rank_now(announcement, actor=administrator)
            outcome.append("written")
        except RuntimeError as error:
            outcome.append(str(error))
        finally:
            db_threads.close_thread_connections()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the computing thread hung after the writer failed"
    assert outcome == ["disk full"]
    assert not RankingVersion.objects.exists() and not RankingRow.objects.exists()


def test_a_ranking_error_after_the_writer_failed_is_the_error_raised(
    three_positions, administrator, monkeypatch
):
    """The writer dies on its first COPY, then the ranking meets bad input: the caller (the
    job, which turns a ScoringError into its message) gets the ScoringError, not the writer's."""
    announcement, _apps = three_positions

    def fails(cursor, text):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ranking_write, "copy_into", fails)
    dies_after_two_positions(monkeypatch, "written: 'abc'")
    with pytest.raises(scoring.ScoringError):
        services.rank_now(announcement, actor=administrator)
    assert not RankingVersion.objects.exists() and not RankingRow.objects.exists()


def test_the_job_reports_progress_and_the_version_on_the_streamed_path(
    three_positions, administrator, django_capture_on_commit_callbacks
):
    announcement, _apps = three_positions
    with django_capture_on_commit_callbacks(execute=True):
        job = services.ranking_job_create(announcement=announcement, actor=administrator)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert (job.done, job.total) == (4, 4)  # three positions, then the write
    assert RankingRow.objects.filter(version_id=job.params["version"]).count() == 12


def test_the_examiners_scores_read_on_a_second_connection_equal_the_serial_read(needs_postgres, monkeypatch):
    """The real selector (no stand-in): interview_inputs in a thread gives what it gives
    here, and assemble's fingerprint is the same with DB_THREADS on and off."""
    world = make_interview(panel=5, candidates=3)
    first, second, third = world.candidates
    sign_off(first, world.seats, ["80.50", "81", "79.25", "90", "70.05"])
    sign_off(second, world.seats, ["88", "87.5", "60", "86", "85"])
    announcement = world.group.announcement
    names = []
    real = interview_selectors.interview_inputs

    def spy(announcement):
        names.append(threading.current_thread().name)
        return real(announcement)

    monkeypatch.setattr(ranking_inputs, "interview_inputs", spy)
    on = services.assemble(announcement)
    with override_settings(DB_THREADS=False):
        off = services.assemble(announcement)
    assert names == ["db-background", "MainThread"]
    assert services.fingerprint(on) == services.fingerprint(off)
    got = {int(c.key): c.interview for cs in on.candidates.values() for c in cs}
    assert got[first.application_id] == (D("80.50"), D("81.00"), D("79.25"), D("90.00"), D("70.05"))
    assert third.application_id in on.waiting  # checked in, not signed off: waiting
