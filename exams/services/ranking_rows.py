"""Ranking (综合成绩排名, issue 17 item 6), the rows of a version: ROW_COLUMNS, the tuples
written for each position's ranking (`row_tuples`), and how they are written (`_copy_rows`:
COPY on PostgreSQL, bulk_create elsewhere).

Split from exams.services.ranking, which re-exports these names; its write_version calls
_copy_rows through its own module globals (tests patch services._copy_rows there).
"""

from __future__ import annotations

import io

from django.db import connection

from .. import scoring
from ..models_ranking import RankingRow
from .ranking_inputs import Inputs, latest_extra_test

ROW_COLUMNS = (
    "version_id",
    "position_id",
    "application_id",
    "order",
    "ticket_number",
    "masked_name",
    "room",
    "absent",
    "written_total",
    "interview_raw",
    "coefficient",
    "interview",
    "composite",
    "rank",
    "eligible",
    "proposed",
    "extra_test",
    "tie_group",
    "extra_test_score",
)


def row_tuples(version_id: int, inputs: Inputs, results: dict[int, scoring.Ranking]):
    """The rows of a version, as tuples in ROW_COLUMNS order."""
    for position_id in sorted(results):
        ranking = results[position_id]
        rooms = {c.key: c for c in inputs.candidates[position_id]}
        proposed, extra = set(ranking.proposed), set(ranking.extra_test)
        groups = {key: index for index, keys in enumerate(ranking.unresolved_ties, 1) for key in keys}
        order = 0
        for row in ranking.rows:
            order += 1
            app_id = int(row.key)
            ticket, name = inputs.labels.get(app_id, ("", ""))
            c = rooms[row.key]
            yield (
                version_id,
                position_id,
                app_id,
                order,
                ticket,
                name,
                c.room,
                False,
                row.written_total,
                row.interview_raw,
                row.coefficient,
                row.interview,
                row.composite,
                row.rank,
                row.eligible,
                row.key in proposed,
                row.key in extra,
                groups.get(row.key),
                latest_extra_test(c.subscores),
            )
        for key in ranking.absent:
            order += 1
            app_id = int(key)
            ticket, name = inputs.labels.get(app_id, ("", ""))
            c = rooms[key]
            yield (
                version_id,
                position_id,
                app_id,
                order,
                ticket,
                name,
                c.room,
                True,
                *(None,) * 6,  # written_total … rank
                False,
                False,
                False,
                None,
                latest_extra_test(c.subscores),
            )


_TEXT_INDEXES = tuple(ROW_COLUMNS.index(name) for name in ("ticket_number", "masked_name", "room"))


def _copy_rows(rows) -> None:
    """COPY on PostgreSQL (100,000 rows in about a second), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        RankingRow.objects.bulk_create(
            [RankingRow(**dict(zip(ROW_COLUMNS, values, strict=True))) for values in rows], batch_size=2000
        )
        return
    with connection.cursor() as cursor:
        copy_into(cursor, copy_text(rows))


def copy_text(rows) -> str:
    """Rows (tuples in ROW_COLUMNS order) in COPY's text format, one line each."""
    lines = []
    append = lines.append
    for values in rows:
        # Numbers and booleans need no escaping (COPY reads True/False as booleans); only the
        # text columns can hold a tab, a newline or a backslash. One call per value for 1.9
        # million values was most of the write's Python time.
        line = ["\\N" if value is None else str(value) for value in values]
        for index in _TEXT_INDEXES:
            if values[index] is not None:
                line[index] = _copy_text(values[index])
        append("\t".join(line))
    lines.append("")
    return "\n".join(lines)


def copy_into(cursor, text: str) -> None:
    """COPY `text` (copy_text's) into the rows' table through a Django cursor on PostgreSQL.
    The whole text is handed over in one read: a COPY fed 8 KB at a time from a thread waits
    for the GIL between pieces while the main thread computes."""
    table = connection.ops.quote_name(RankingRow._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ROW_COLUMNS)
    cursor.cursor.copy_expert(
        f"COPY {table} ({columns}) FROM STDIN",  # noqa: S608 - names only
        io.StringIO(text),
        size=max(len(text), 8192),
    )


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
