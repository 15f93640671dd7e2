"""portal.spreadsheets (kind 5 of issue 13): bounded reading of uploaded .xlsx files, and
cells read as displayed. Used by recruitment.importer (tested through it here too)."""

import io
import time
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from portal import spreadsheets
from recruitment import importer
from tests.recruitment.test_importer import GOOD_ROWS, HEADER


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_sheet_xml(sheet_xml: bytes) -> bytes:
    """A valid workbook whose first sheet is replaced by the given XML (deflated)."""
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def _sheet(rows_xml: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows_xml + b"</sheetData></worksheet>"
    )


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("岗位表.xlsx", content, content_type="application/octet-stream")


def test_the_issue_bomb_three_million_header_cells_is_refused_before_reading():
    # 3,000,000 cells of "<c><v>1</v></c>" (15 bytes each) = 45,000,000 bytes unpacked,
    # a few hundred KB packed: over the 16 MB cap per entry, refused from the zip's
    # directory without inflating it (it took 54 s and 2.6 GB in openpyxl).
    sheet = _sheet(b'<row r="1">' + b"<c><v>1</v></c>" * 3_000_000 + b"</row>")
    content = _with_sheet_xml(sheet)
    assert len(content) < 1_000_000
    started = time.monotonic()
    result = importer.read_positions(_upload(content))
    assert time.monotonic() - started < 2
    assert not result.ok
    assert "解压后超过 16 MB" in result.errors[0]["message"]


def test_too_many_columns_within_the_size_cap_is_refused_with_the_row():
    # 100 valued columns in row 1 (CV1 is column 100), MAX_COLS = 40: refused at column 41.
    cells = b"".join(
        f'<c r="{spreadsheets_column(i)}1" t="inlineStr"><is><t>h</t></is></c>'.encode()
        for i in range(1, 101)
    )
    result = importer.read_positions(_upload(_with_sheet_xml(_sheet(b'<row r="1">' + cells + b"</row>"))))
    assert not result.ok
    message = result.errors[0]["message"]
    assert "最多 40 列" in message and "第 1 行第 41 列" in message


def spreadsheets_column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_styled_empty_cells_far_right_do_not_count():
    # Excel writes formatted but empty cells (no <v>): they are not content.
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="XFD1" s="1"/></row>'
    workbook = spreadsheets.open_workbook_safely(
        io.BytesIO(_with_sheet_xml(_sheet(row))), max_rows=10, max_cols=5
    )
    workbook.close()


def test_a_row_far_below_the_limit_is_refused():
    # Row 5000 holds a value; the importer takes 2000 data rows + the header = 2001.
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="5000"><c r="A5000"><v>1</v></c></row>'
    result = importer.read_positions(_upload(_with_sheet_xml(_sheet(rows))))
    assert not result.ok
    assert "一次最多导入 2000 行" in result.errors[0]["message"]
    assert result.errors[0]["row"] == 5000


def test_xml_with_entities_is_refused_as_unreadable():
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c><v>&a;</v></c></row></sheetData></worksheet>"
    )
    result = importer.read_positions(_upload(_with_sheet_xml(sheet)))
    assert not result.ok and "无法读取" in result.errors[0]["message"]


def _cell(value, number_format="General"):
    sheet = Workbook().active
    cell = Cell(sheet, row=1, column=1, value=value)
    cell.number_format = number_format
    return cell


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1, "000", "001"),  # the issue's example
        (42, "000000", "000042"),
        (1234, "000", "1234"),  # wider than the padding: shown in full
        (12.5, "000.0", "012.5"),
        (3.0, "General", "3"),  # a whole float without ".0"
        (2.5, "0.00", "2.5"),  # decimals are not padding
        ("  TD001 ", "General", "TD001"),
        (date(2026, 12, 31), "yyyy-mm-dd", "2026-12-31"),
        (datetime(2026, 12, 31, 0, 0), "yyyy-mm-dd", "2026-12-31"),
        (None, "General", ""),
    ],
)
def test_cell_text_reads_what_the_person_saw(value, number_format, shown):
    assert spreadsheets.cell_text(_cell(value, number_format)) == shown


@pytest.mark.parametrize("number_format", ['"TD"000', "000-0000"])
def test_zero_padding_mixed_with_text_is_refused(number_format):
    with pytest.raises(spreadsheets.LeadingZeroNumber):
        spreadsheets.cell_text(_cell(7, number_format))


def _sheet_with_formats(code_value, code_format):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(GOOD_ROWS[0])
    sheet["A2"] = code_value
    sheet["A2"].number_format = code_format
    out = io.BytesIO()
    workbook.save(out)
    return _upload(out.getvalue())


@pytest.mark.django_db
def test_import_reads_a_zero_padded_code_as_displayed():
    # Position code 1 formatted "000" is shown as 001 in Excel: imported as "001", never "1".
    result = importer.read_positions(_sheet_with_formats(1, "000"))
    assert result.ok, result.errors
    assert result.rows[0]["code"] == "001"


@pytest.mark.django_db
def test_import_refuses_padding_mixed_with_text_asking_for_a_text_column():
    result = importer.read_positions(_sheet_with_formats(1, '"TD"000'))
    assert not result.ok
    error = result.errors[0]
    assert error["row"] == 2 and error["column"] == "岗位代码"
    assert "文本格式" in error["message"] and "A2" in error["message"]


def test_an_entry_that_lies_about_its_size_is_never_inflated_past_the_lie():
    # The bomb again (45,000,000 bytes unpacked) but its zip headers claim 1,000 bytes:
    # the 16 MB cap passes it, yet Python's zipfile stops inflating at the declared size and
    # the CRC then fails, so the upload is refused as unreadable, never read in full.
    sheet = _sheet(b'<row r="1">' + b"<c><v>1</v></c>" * 3_000_000 + b"</row>")
    content = bytearray(_with_sheet_xml(sheet))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    lie = (1000).to_bytes(4, "little")
    assert content.count(real) == 2  # the local header and the central directory
    content = bytearray(bytes(content).replace(real, lie))
    started = time.monotonic()
    result = importer.read_positions(_upload(bytes(content)))
    assert time.monotonic() - started < 2
    assert not result.ok and "无法读取" in result.errors[0]["message"]
