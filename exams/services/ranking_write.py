"""Ranking (综合成绩排名, issue 17 item 6), the compute and write phases.

Split from exams.services.ranking, which re-exports these names and runs the job:

* `ranked_scopes`: exams.scoring.rank_scope over each group of positions whose rooms are
  corrected together (`scopes`, the announcement's room scope);
* `write_version`: one transaction under the announcement's row lock: a new RankingVersion
  and all its rows, or nothing (the stored version when the inputs match one);
* `compute_and_write`: both at once. A writer thread holds that same transaction on a second
  connection and COPYs each chunk of rows while the next positions are ranked, each chunk's
  foreign keys checked as it lands rather than all at commit. Serial, PostgreSQL sat idle
  while Python ranked, then Python while PostgreSQL inserted, indexed and checked 100,000
  rows. Where portal.db_threads is not available it is compute, then write_version.

Both paths give the same version, row for row (tests/exams/test_ranking_write.py). A run
that dies halfway, in either, leaves no version; the rerun computes the same inputs again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit, db_threads
from recruitment.models import Announcement

from .. import scoring
from ..models_ranking import RankingVersion
from ..selectors import ranking as selectors
from .ranking_inputs import Inputs, fingerprint, rules_snapshot
from .ranking_rows import _copy_rows, copy_into, copy_text, row_tuples

# Rows per COPY on the streamed path: small enough that the last chunk's insert (the part
# nothing overlaps) is short, large enough that the statements' overhead is not.
CHUNK_ROWS = 5000


# ------------------------------------------------------------------ compute


def _present(c: scoring.Candidate) -> bool:
    return c.written is not None and c.interview is not None


def scopes(inputs: Inputs) -> list[list[int]]:
    """Groups of positions whose rooms are corrected together (see ranking_inputs.ROOM_SCOPES)."""
    positions = sorted(inputs.candidates)
    if inputs.room_scope == "announcement":
        return [positions] if positions else []
    if inputs.room_scope == "position":
        return [[p] for p in positions]
    parent: dict[object, object] = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for position_id in positions:
        find(("p", position_id))
        for c in inputs.candidates[position_id]:
            if _present(c):
                parent[find(("r", c.room))] = find(("p", position_id))
    groups: dict[object, list[int]] = defaultdict(list)
    for position_id in positions:
        groups[find(("p", position_id))].append(position_id)
    return list(groups.values())


def ranked_scopes(inputs: Inputs):
    """For each scope (scopes), position id → exams.scoring.Ranking of its positions: the
    coefficients (修正系数) over the scope's rooms, then each position's ranking. Nothing here
    computes a score itself. Raises exams.scoring.ScoringError."""
    for group in scopes(inputs):
        yield scoring.rank_scope({p: (inputs.candidates[p], inputs.quotas[p]) for p in group}, inputs.rules)


class _Progress:
    """Tells `progress(n)` the positions done about every 2 % of them and at the end (each
    call is a write)."""

    def __init__(self, inputs: Inputs, progress):
        self.progress = progress
        self.step = max(1, len(inputs.candidates) // 50)
        self.pending = 0

    def add(self, positions: int) -> None:
        self.pending += positions
        if self.progress is not None and self.pending >= self.step:
            self.progress(self.pending)
            self.pending = 0

    def end(self) -> None:
        if self.progress is not None and self.pending:
            self.progress(self.pending)
            self.pending = 0


def compute(inputs: Inputs, progress=None) -> dict[int, scoring.Ranking]:
    """position id → exams.scoring.Ranking for every position (ranked_scopes), `progress(n)`
    told the positions done (see _Progress). Raises exams.scoring.ScoringError."""
    results: dict[int, scoring.Ranking] = {}
    counter = _Progress(inputs, progress)
    for scope in ranked_scopes(inputs):
        results.update(scope)
        counter.add(len(scope))
    counter.end()
    return results


# ------------------------------------------------------------------ write


class VersionWritten:
    """What write_version did: the version, and whether it is new."""

    def __init__(self, version: RankingVersion, created: bool):
        self.version = version
        self.created = created


def _open_version(announcement, inputs: Inputs, digest: str, actor):
    """Inside the caller's transaction: lock the announcement, then (VersionWritten of the
    stored version with these inputs, None) — marked current again if it is the confirmed
    one — or (VersionWritten of a new version row, the confirmed version or None)."""
    Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
    existing = RankingVersion.objects.filter(announcement=announcement, fingerprint=digest).first()
    confirmed = selectors.confirmed_version(announcement)
    if existing is not None:
        if existing.status == RankingVersion.Status.CONFIRMED and existing.outdated_at:
            existing.outdated_at = None
            existing.save(update_fields=["outdated_at"])
        return VersionWritten(existing, False), None
    number = (
        RankingVersion.objects.filter(announcement=announcement).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = RankingVersion.objects.create(
        announcement=announcement,
        number=number,
        fingerprint=digest,
        rules=rules_snapshot(inputs),
        quotas={str(k): v for k, v in inputs.quotas.items()},
        previous=confirmed or selectors.latest_version(announcement),
        candidates=sum(len(c) for c in inputs.candidates.values()),
        created_by=actor,
    )
    return VersionWritten(version, True), confirmed


def _close_version(version: RankingVersion, confirmed: RankingVersion | None, actor) -> None:
    """Inside the same transaction, once the rows are in: a confirmed version with other
    inputs is marked out of date (it stays the one hiring reads until another is confirmed);
    the audit record."""
    if confirmed is not None and confirmed.outdated_at is None:
        confirmed.outdated_at = timezone.now()
        confirmed.save(update_fields=["outdated_at"])
    with translation.override(settings.LANGUAGE_CODE):  # as audit.record's own words, on either thread
        note = _("第 %(n)s 版排名") % {"n": version.number}
    audit.record(actor, version, audit.ADDITION, note=note)


def write_version(
    announcement, inputs: Inputs, results: dict[int, scoring.Ranking], *, actor, digest: str | None = None
) -> VersionWritten:
    """Store the results as a new version, all or nothing, under the announcement's row lock.
    Inputs matching a stored version (same fingerprint) return it, writing nothing; a new
    version marks a confirmed one with other inputs out of date."""
    digest = digest or fingerprint(inputs)
    with transaction.atomic():
        written, confirmed = _open_version(announcement, inputs, digest, actor)
        if written.created:
            _copy_rows(row_tuples(written.version.pk, inputs, results))
            _close_version(written.version, confirmed, actor)
    return written


# ------------------------------------------------------------------ both at once

_END = object()  # the last text was sent: commit
_ABORT = object()  # the computing thread failed: roll back


class _Abort(Exception):
    pass


class _Writer(threading.Thread):
    """write_version's transaction on this thread's own connection, fed COPY texts through
    a queue. `ready` is set once the version row exists (or the stored one was found, or the
    transaction failed): the rows' text needs the version's id."""

    def __init__(self, announcement, inputs: Inputs, digest: str, actor):
        super().__init__(name="ranking-writer", daemon=True)
        self.args_ = (announcement, inputs, digest, actor)
        self.texts: queue.Queue = queue.Queue(maxsize=4)
        self.ready = threading.Event()
        self.written: VersionWritten | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        announcement, inputs, digest, actor = self.args_
        try:
            with transaction.atomic():
                self.written, confirmed = _open_version(announcement, inputs, digest, actor)
                self.ready.set()
                if self.written.created:
                    with connection.cursor() as cursor:
                        # Each COPY's foreign keys checked as it ends, beside the computing
                        # thread, instead of 300,000 checks queued for the commit.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        while (text := self.texts.get()) is not _END:
                            if text is _ABORT:
                                raise _Abort
                            copy_into(cursor, text)
                    _close_version(self.written.version, confirmed, actor)
        except _Abort:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the computing thread
            self.error = error
        finally:
            self.ready.set()
            db_threads.close_thread_connections()
            self._drain()

    def _drain(self) -> None:
        """Empty the queue so that a computing thread blocked on put() goes on (and learns of
        the error at its next send)."""
        while True:
            try:
                self.texts.get_nowait()
            except queue.Empty:
                return

    def put(self, item) -> None:
        """Queue `item` unless the writer has stopped (then its error is raised here)."""
        while True:
            if not self.is_alive():
                self.check()
                return
            try:
                self.texts.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def version_id(self) -> int:
        self.ready.wait()
        self.check()
        return self.written.version.pk

    def check(self) -> None:
        if self.error is not None:
            raise self.error


def compute_and_write(announcement, inputs: Inputs, digest: str, *, actor, progress=None) -> VersionWritten:
    """compute then write_version, at once where portal.db_threads is available (see the
    module's docstring), else one after the other; the same version either way. `progress(n)`
    is told the positions ranked. Raises exams.scoring.ScoringError (nothing written) and
    whatever the write raised."""
    if not db_threads.available():
        results = compute(inputs, progress)
        return write_version(announcement, inputs, results, actor=actor, digest=digest)
    writer = _Writer(announcement, inputs, digest, actor)
    writer.start()
    counter = _Progress(inputs, progress)
    try:
        chunk: dict[int, scoring.Ranking] = {}
        rows = 0
        for scope in ranked_scopes(inputs):
            counter.add(len(scope))
            if writer.ready.is_set() and writer.written is not None and not writer.written.created:
                break  # the stored version has these inputs: nothing to write
            chunk.update(scope)
            rows += sum(len(inputs.candidates[p]) for p in scope)
            if rows >= CHUNK_ROWS:
                writer.put(copy_text(row_tuples(writer.version_id(), inputs, chunk)))
                chunk, rows = {}, 0
        if chunk:
            writer.put(copy_text(row_tuples(writer.version_id(), inputs, chunk)))
        counter.end()
    except BaseException as error:
        # The writer rolls back; this error, not one the writer may have met first, is raised
        # (a ScoringError must reach ranking_run as itself).
        with contextlib.suppress(BaseException):
            writer.put(_ABORT)
        writer.join()
        raise error
    # From here the writer commits whatever happens to this thread (a time limit raised
    # while it joins): the version is complete, and a rerun returns it by its fingerprint.
    writer.put(_END)
    writer.join()
    writer.check()
    return writer.written
