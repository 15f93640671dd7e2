"""Excel downloads (openpyxl) of the reports' tables: the same rows the page shows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from review.exports import XLSX, safe_cell

from .tables import Table

__all__ = ["XLSX", "workbook", "workbook_of"]


def _write(sheet, table: Table, *, caption: str = "") -> None:
    if caption:
        sheet.append([caption])
        sheet.cell(row=1, column=1).font = Font(bold=True)
    sheet.append(table.columns)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([safe_cell(value) for value in row])
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    for index, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(row[index - 1])) for row in table.rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.6), 40)


def _sheet_title(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31] or "Sheet"


def workbook(table: Table, *, caption: str = "") -> bytes:
    """One table, one sheet (caption: the announcement's title above the header)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(table.title)
    _write(sheet, table, caption=caption)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_of(tables: list[Table], *, caption: str = "") -> bytes:
    """Several tables, a sheet each."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title))
        _write(sheet, table, caption=caption)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
