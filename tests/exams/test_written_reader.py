"""The score import's single-pass sheet reader (portal.spreadsheets.read_first_sheet):
values as a person saw them, the size limits enforced while reading, and the import's
all-or-nothing report when a limit is hit."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from portal.spreadsheets import SpreadsheetError, cell_text, read_first_sheet


def workbook_bytes(build) -> io.BytesIO:
    workbook = Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def rows_of(stream, **limits):
    limits = {"max_rows": 100, "max_cols": 10, **limits}
    return [
        (n, [cell_text(c) if c is not None else "" for c in cells])
        for n, cells in read_first_sheet(stream, **limits)
    ]


def test_values_read_as_shown_in_one_pass():
    def build(ws):
        ws.append(["准考证号", "分数", "日期"])
        ws.append([7, 82.5, date(2026, 1, 2)])
        ws["A2"].number_format = "00000"  # a ticket number typed as a number, shown 00007
        ws.append(["0210401", "违纪", None])
        ws["A5"] = "00099"  # a gap: row 4 is empty and skipped

    assert rows_of(workbook_bytes(build)) == [
        (1, ["准考证号", "分数", "日期"]),
        (2, ["00007", "82.5", "2026-01-02"]),
        (3, ["0210401", "违纪"]),
        (5, ["00099"]),
    ]


def test_too_many_columns_stops_at_the_cell():
    stream = workbook_bytes(lambda ws: ws.append(["a"] * 12))
    with pytest.raises(SpreadsheetError) as error:
        rows_of(stream)
    assert error.value.code == "too_many_columns"
    assert error.value.row == 1


def test_too_many_rows_stops_at_the_row():
    def build(ws):
        for i in range(5):
            ws.append([f"{i}"])

    with pytest.raises(SpreadsheetError) as error:
        rows_of(workbook_bytes(build), max_rows=3)
    assert (error.value.code, error.value.row) == ("too_many_rows", 4)


def test_not_a_workbook():
    with pytest.raises(SpreadsheetError):
        rows_of(io.BytesIO(b"PK\x03\x04not really a zip"))
    with pytest.raises(SpreadsheetError):
        rows_of(io.BytesIO(b"hello"))
