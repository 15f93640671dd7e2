"""Ranking (综合成绩排名, issue 17 item 6), the rows of a version: ROW_COLUMNS, the tuples
written for each position's ranking (`row_tuples`), and how they are written (`_copy_rows`:
COPY on PostgreSQL, bulk_create elsewhere).

Split from exams.services.ranking, which re-exports these names; its write_version calls
_copy_rows through its own module globals (tests patch services._copy_rows there).
"""

from __future__ import annotations

import csv
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


def _copy_rows(rows) -> None:
    """COPY on PostgreSQL (100,000 rows in about a second), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        RankingRow.objects.bulk_create(
            [RankingRow(**dict(zip(ROW_COLUMNS, values, strict=True))) for values in rows], batch_size=2000
        )
        return
    with connection.cursor() as cursor:
        copy_into(cursor, copy_text(rows))


# COPY's CSV format, written by the csv module in C (a Python call per value for 1.9 million
# values was most of the write's Python time). Strings are quoted (a tab, a newline, a quote
# or a comma in a name is data); numbers and booleans are not (PostgreSQL reads True/False);
# None is written "" and read as NULL only in the nullable columns (FORCE_NULL) — every one of
# them numeric — so an empty ticket number or room stays an empty string.
_NULLABLE = tuple(name for name in ROW_COLUMNS if RankingRow._meta.get_field(name.removesuffix("_id")).null)


def copy_text(rows) -> str:
    """Rows (tuples in ROW_COLUMNS order) in the CSV that copy_into reads, one line each."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def copy_into(cursor, text: str) -> None:
    """COPY `text` (copy_text's) into the rows' table through a Django cursor on PostgreSQL.
    The whole text is handed over in one read: a COPY fed 8 KB at a time from a thread waits
    for the GIL between pieces while the main thread computes."""
    quote = connection.ops.quote_name
    table = quote(RankingRow._meta.db_table)
    columns = ", ".join(quote(c) for c in ROW_COLUMNS)
    nullable = ", ".join(quote(c) for c in _NULLABLE)
    cursor.cursor.copy_expert(
        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NULL ({nullable}))",  # noqa: S608 - names only
        io.StringIO(text),
        size=max(len(text), 8192),
    )
