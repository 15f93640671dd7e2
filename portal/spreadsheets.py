"""Reading uploaded Excel sheets (.xlsx) safely, for every import of the portal.

An .xlsx file is a zip of XML files, and a small upload can unpack into gigabytes: a 336 KB
sheet with 3,000,000 header cells took 54 s and 2.6 GB in openpyxl. So, before openpyxl
reads anything:

1. the file must be a zip whose every entry declares an uncompressed size within
   ``max_entry_bytes`` (and all of them within ``max_total_bytes``); Python's zipfile never
   inflates an entry past its declared size (it stops there and fails the CRC), so the
   declaration is a real bound;
2. every worksheet is streamed once through defusedxml (no DTD, no entities), counting the
   rows and the columns that hold a value, and refused as soon as either passes
   ``max_rows`` / ``max_cols``.

Only then is the workbook opened by openpyxl (read-only, values only).

``cell_text(cell)`` reads a cell as the person saw it: a number shown with leading zeros
by its number format (``1`` formatted ``000``) is ``"001"``; a number whose format adds
other characters around zero padding (``"TD"000``) is refused with LeadingZeroNumber,
asking for a text column — never silently ``1``.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

ZIP_SIGNATURE = b"PK\x03\x04"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_PADDED = re.compile(r"^(0{2,})(\.0+)?$")  # 000, 000000, 00.00
_PADDING_INSIDE = re.compile(r"(?<![#0-9.])00")  # two zeros opening a digit group


class SpreadsheetError(ValueError):
    """The upload cannot be read safely; ``message`` says why, in the reader's language."""

    def __init__(self, message: str, *, code: str = "unreadable", row: int | None = None):
        super().__init__(message)
        self.message, self.code, self.row = message, code, row


class LeadingZeroNumber(ValueError):
    """A number displayed with zero padding mixed with other text (e.g. ``"TD"000``):
    what the person saw cannot be known for sure. ``shown`` is the raw value."""

    def __init__(self, coordinate: str, number_format: str, value):
        super().__init__(f"{coordinate}: {value!r} formatted {number_format!r}")
        self.coordinate, self.number_format, self.value = coordinate, number_format, value


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def _check_entries(archive: zipfile.ZipFile, max_entry_bytes: int, max_total_bytes: int) -> None:
    total = 0
    for info in archive.infolist():
        if info.file_size > max_entry_bytes:
            raise SpreadsheetError(
                _("文件中的“%(name)s”解压后超过 %(mb)d MB，可能不是正常的表格，未读取。")
                % {"name": info.filename, "mb": max_entry_bytes // (1024 * 1024)}
            )
        total += info.file_size
        if total > max_total_bytes:
            raise SpreadsheetError(
                _("文件解压后超过 %(mb)d MB，可能不是正常的表格，未读取。")
                % {"mb": max_total_bytes // (1024 * 1024)}
            )


def _check_sheet(stream, name: str, max_rows: int, max_cols: int) -> None:
    """Stream one worksheet's XML and stop at the first row or column over the limits.
    Only cells holding a value count (Excel writes styled empty cells far to the right)."""
    row_number, row_has_value, column = 0, False, 0
    for _event, element in iterparse(stream, events=("end",)):
        tag = element.tag
        if tag == f"{MAIN_NS}c":
            # A cell without "r" follows the one before it.
            match = _CELL_REF.match(element.get("r", ""))
            column = _column_index(match.group(1)) if match else column + 1
            if len(element):  # has <v>, <is> or <f>
                row_has_value = True
                if column > max_cols:
                    cell_row = int(match.group(2)) if match else row_number + 1
                    raise SpreadsheetError(
                        _(
                            "表格最多 %(max)d 列，第 %(row)d 行第 %(column)d 列有内容，请删除多余的列后重新上传。"
                        )
                        % {"max": max_cols, "row": cell_row, "column": column},
                        code="too_many_columns",
                        row=cell_row,
                    )
            element.clear()
        elif tag == f"{MAIN_NS}row":
            row_number = int(element.get("r") or row_number + 1)
            if row_number > max_rows and row_has_value:
                raise SpreadsheetError(
                    _("表格最多 %(max)d 行（含表头），第 %(row)d 行仍有内容，请分批上传。")
                    % {"max": max_rows, "row": row_number},
                    code="too_many_rows",
                    row=row_number,
                )
            row_has_value, column = False, 0
            element.clear()


def open_workbook_safely(
    upload,
    *,
    max_rows: int,
    max_cols: int,
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
):
    """Check an uploaded .xlsx (a Django UploadedFile or any binary file object) and open it.

    ``max_rows`` counts every row, the header too; ``max_cols`` the columns holding a value;
    ``max_entry_bytes`` / ``max_total_bytes`` bound the unpacked size of one zip entry / all.
    Returns an openpyxl Workbook opened read-only with values only (close it when done).
    Raises SpreadsheetError with a message for the person who uploaded it."""
    from openpyxl import load_workbook

    upload.seek(0)
    content = upload.read()
    if not content.startswith(ZIP_SIGNATURE):
        raise SpreadsheetError(_("只能上传 Excel（.xlsx）文件。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        _check_entries(archive, max_entry_bytes, max_total_bytes)
        sheets = [
            name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ]
        if not sheets:
            raise SpreadsheetError(_("文件无法读取，请使用平台提供的模板（.xlsx）。"))
        for name in sheets:
            with archive.open(name) as stream:
                _check_sheet(stream, name, max_rows, max_cols)
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SpreadsheetError:
        raise
    except Exception as error:  # damaged or disguised: zipfile, XML and openpyxl raise many kinds
        raise SpreadsheetError(_("文件无法读取，请使用平台提供的模板（.xlsx）。")) from error


def cell_text(cell) -> str:
    """The text a person saw in the cell: strings stripped; whole numbers without ".0";
    numbers padded with zeros as their number format shows them (1 with "000" → "001");
    dates as YYYY-MM-DD. Raises LeadingZeroNumber for zero padding mixed with other text."""
    value = getattr(cell, "value", cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        number = int(value) if float(value).is_integer() else value
        number_format = (getattr(cell, "number_format", None) or "General").strip()
        padded = _PADDED.match(number_format)
        if padded and number >= 0:
            digits = len(padded.group(1))
            if not padded.group(2):
                return str(round(number)).zfill(digits)
            decimals = len(padded.group(2)) - 1
            return f"{float(number):0{digits + 1 + decimals}.{decimals}f}"
        if _PADDING_INSIDE.search(number_format.split(";")[0]):
            raise LeadingZeroNumber(getattr(cell, "coordinate", "?"), number_format, value)
        return str(number)
    return str(value).strip()


def read_first_sheet(
    upload,
    *,
    max_rows: int,
    max_cols: int,
    max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
):
    """The first worksheet of an uploaded .xlsx in ONE pass (for large imports: 50,000 rows
    read once instead of a bounds pass, a dimensions pass and openpyxl's own pass).

    The zip entries are checked as in open_workbook_safely; openpyxl (read-only) reads the
    workbook, its styles and shared strings but not the sheet, whose XML is then streamed
    once through defusedxml, each cell converted by openpyxl's own cell parser (numbers,
    shared strings, inline strings, dates), and the limits enforced as it goes: a cell with
    a value beyond ``max_cols`` or a row with a value beyond ``max_rows`` stops the read
    with SpreadsheetError at once (a row of millions of cells is never held in memory).

    Yields (row number, [cell or None by column, 0-based]) for each row holding a value;
    cells are openpyxl ReadOnlyCells, so ``cell_text`` reads them as the person saw them.
    Call it as a generator and consume it fully (or close it)."""
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    upload.seek(0)
    content = upload.read()
    if not content.startswith(ZIP_SIGNATURE):
        raise SpreadsheetError(_("只能上传 Excel（.xlsx）文件。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        _check_entries(archive, max_entry_bytes, max_total_bytes)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        stream = archive.open(sheet._worksheet_path)
    except SpreadsheetError:
        raise
    except Exception as error:  # damaged or disguised
        raise SpreadsheetError(_("文件无法读取，请使用平台提供的模板（.xlsx）。")) from error
    parser = WorkSheetParser(
        None,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    row_number, cells = 0, {}
    try:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{MAIN_NS}row":
                    row_number = int(element.get("r") or row_number + 1)
                    parser.row_counter, parser.col_counter, cells = row_number, 0, {}
                continue
            if tag == f"{MAIN_NS}c":
                if len(element):  # has <v>, <is> or <f>
                    data = parser.parse_cell(element)
                    column = data["column"]
                    if column > max_cols:
                        raise SpreadsheetError(
                            _(
                                "表格最多 %(max)d 列，第 %(row)d 行第 %(column)d 列有内容，请删除多余的列后重新上传。"
                            )
                            % {"max": max_cols, "row": row_number, "column": column},
                            code="too_many_columns",
                            row=row_number,
                        )
                    if data["value"] is not None:
                        cells[column] = ReadOnlyCell(
                            sheet, row_number, column, data["value"], data["data_type"], data["style_id"]
                        )
                else:
                    parser.col_counter += 1  # an empty styled cell without "r"
                    if element.get("r"):
                        parser.col_counter = _column_index(_CELL_REF.match(element.get("r")).group(1))
                element.clear()
            elif tag == f"{MAIN_NS}row":
                element.clear()
                if cells:
                    if row_number > max_rows:
                        raise SpreadsheetError(
                            _("表格最多 %(max)d 行（含表头），第 %(row)d 行仍有内容，请分批上传。")
                            % {"max": max_rows, "row": row_number},
                            code="too_many_rows",
                            row=row_number,
                        )
                    row = [None] * max(cells)
                    for column, cell in cells.items():
                        row[column - 1] = cell
                    yield row_number, row
                cells = {}
    except SpreadsheetError:
        raise
    except Exception as error:  # broken XML
        raise SpreadsheetError(_("文件无法读取，请使用平台提供的模板（.xlsx）。")) from error
    finally:
        stream.close()
        workbook.close()
