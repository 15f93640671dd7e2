"""Import a position table (岗位表) from an Excel sheet, the way announcements publish it.

Every row is validated with a form; errors are collected per row (row number, column,
message) and nothing is saved unless every row is valid.
"""

import io
import re
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import spreadsheets

from .choices import Education, PoliticalRequirement

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # data rows, the header not counted
MAX_COLS = 40  # the template has 14 columns; room for a few notes
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # unpacked size of one part of the .xlsx

# Column header → form field. The header text is matched with spaces removed and
# half-width brackets turned into full-width ones.
COLUMNS = [
    ("岗位代码", "code", True),
    ("岗位名称", "name", True),
    ("区（县）", "district", True),
    ("街道（乡镇）", "street", False),
    ("社区", "community", False),
    ("招聘人数", "quota", True),
    ("最低年龄", "min_age", False),
    ("最高年龄", "max_age", False),
    ("最低学历", "min_education", False),
    ("专业要求", "majors", False),
    ("户籍要求", "household_regions", False),
    ("政治面貌", "political_requirement", False),
    ("工作年限", "min_experience_years", False),
    ("其他条件", "other_conditions", False),
]
HEADER_ALIASES = {
    "区县": "区（县）",
    "区": "区（县）",
    "街道": "街道（乡镇）",
    "岗位编码": "岗位代码",
    "招聘名额": "招聘人数",
}
EXAMPLE_ROW = [
    "TD001", "社区工作者", "铁东区", "站前街道", "园林社区", 2, 18, 35, "大专",
    "不限", "辽宁省鞍山市", "不限", 0, "具有社会工作者职业资格证书者优先",
]  # fmt: skip

EDUCATION_WORDS = {
    "高中": Education.HIGH_SCHOOL,
    "中专": Education.HIGH_SCHOOL,
    "高中/中专": Education.HIGH_SCHOOL,
    "高中及以上": Education.HIGH_SCHOOL,
    "中专及以上": Education.HIGH_SCHOOL,
    "大专": Education.JUNIOR_COLLEGE,
    "专科": Education.JUNIOR_COLLEGE,
    "大专及以上": Education.JUNIOR_COLLEGE,
    "本科": Education.BACHELOR,
    "本科及以上": Education.BACHELOR,
    "硕士": Education.MASTER,
    "硕士研究生": Education.MASTER,
    "研究生": Education.MASTER,
    "硕士研究生及以上": Education.MASTER,
    "博士": Education.DOCTOR,
    "博士研究生": Education.DOCTOR,
}
UNRESTRICTED = {"", "不限", "无", "无要求"}
LIST_SEPARATORS = re.compile(r"[、，,;；/\s]+")


def _normalise_header(text) -> str:
    text = re.sub(r"\s+", "", str(text or ""))
    text = text.replace("(", "（").replace(")", "）")
    return HEADER_ALIASES.get(text, text)


def _split(value: str) -> list[str]:
    value = (value or "").strip()
    if value in UNRESTRICTED:
        return []
    return [part for part in LIST_SEPARATORS.split(value) if part and part not in UNRESTRICTED]


class PositionRowForm(forms.Form):
    """One row of the sheet. Error messages are Chinese, shown with the column name."""

    code = forms.CharField(max_length=20)
    name = forms.CharField(max_length=100)
    district = forms.CharField(max_length=50)
    street = forms.CharField(max_length=50, required=False)
    community = forms.CharField(max_length=50, required=False)
    quota = forms.IntegerField(min_value=1, max_value=1000)
    min_age = forms.IntegerField(min_value=16, max_value=70, required=False)
    max_age = forms.IntegerField(min_value=16, max_value=70, required=False)
    min_education = forms.CharField(required=False)
    majors = forms.CharField(required=False)
    household_regions = forms.CharField(required=False)
    political_requirement = forms.CharField(required=False)
    min_experience_years = forms.IntegerField(min_value=0, max_value=50, required=False)
    other_conditions = forms.CharField(max_length=2000, required=False)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"[A-Za-z0-9\-_]+", code):
            raise forms.ValidationError(_("岗位代码只能包含字母、数字、连字符和下划线。"))
        return code

    def clean_min_education(self):
        value = re.sub(r"\s+", "", self.cleaned_data["min_education"] or "")
        if value in UNRESTRICTED:
            return Education.HIGH_SCHOOL
        if value not in EDUCATION_WORDS:
            raise forms.ValidationError(
                _("无法识别的学历“%(value)s”，应为 高中/中专、大专、本科、硕士研究生 或 博士研究生。")
                % {"value": value}
            )
        return EDUCATION_WORDS[value]

    def clean_majors(self):
        return _split(self.cleaned_data["majors"])

    def clean_household_regions(self):
        return _split(self.cleaned_data["household_regions"])

    def clean_political_requirement(self):
        value = re.sub(r"\s+", "", self.cleaned_data["political_requirement"] or "")
        if value in UNRESTRICTED:
            return PoliticalRequirement.ANY
        if value in {"中共党员", "党员", "中共党员（含预备党员）", "中共党员(含预备党员)"}:
            return PoliticalRequirement.PARTY_MEMBER
        raise forms.ValidationError(_("政治面貌应为“不限”或“中共党员”。"))

    def clean(self):
        data = super().clean()
        min_age = data.get("min_age") or 18
        max_age = data.get("max_age") or 35
        if "min_age" in data and "max_age" in data and max_age < min_age:
            self.add_error("max_age", _("最高年龄不能小于最低年龄。"))
        data["min_age"], data["max_age"] = min_age, max_age
        if data.get("min_experience_years") is None:
            data["min_experience_years"] = 0
        return data


FIELD_LABELS = {field_name: header for header, field_name, _required in COLUMNS}


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"row": n, "column": "…", "message": "…"}

    @property
    def ok(self) -> bool:
        return not self.errors


def read_positions(upload, *, existing_codes=frozenset()) -> ImportResult:
    """Parse and validate the sheet; never saves. ``existing_codes``: codes a new row may not reuse."""
    result = ImportResult()

    def fail(message, row=None, column=""):
        result.errors.append({"row": row, "column": column, "message": message})
        return result

    if upload.size > MAX_BYTES:
        return fail(_("文件不能超过 2 MB。"))
    try:
        # Unpacked size, rows and columns are bounded before openpyxl reads a cell.
        workbook = spreadsheets.open_workbook_safely(
            upload, max_rows=MAX_ROWS + 1, max_cols=MAX_COLS, max_entry_bytes=MAX_ENTRY_BYTES
        )
    except spreadsheets.SpreadsheetError as error:
        if error.code == "too_many_rows":
            return fail(
                _("一次最多导入 %(max)d 行（不含表头），请分批导入。") % {"max": MAX_ROWS}, row=error.row
            )
        return fail(error.message, row=error.row)
    try:
        all_rows = list(workbook.worksheets[0].iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLS))
    except Exception:  # a damaged sheet: openpyxl raises many kinds
        return fail(_("文件无法读取，请使用平台提供的模板（.xlsx）。"))
    finally:
        workbook.close()
    if not all_rows:
        return fail(_("表格是空的。"))
    try:
        header = [_normalise_header(spreadsheets.cell_text(cell)) for cell in all_rows[0]]
    except spreadsheets.LeadingZeroNumber:
        header = []
    positions = {}
    for header_text, field_name, required in COLUMNS:
        if header_text in header:
            positions[field_name] = header.index(header_text)
        elif required:
            fail(_("缺少“%(column)s”列。") % {"column": header_text}, row=1, column=header_text)
    if result.errors:
        return result
    body = all_rows[1:]
    seen_codes = {}
    for offset, values in enumerate(body):
        row_number = offset + 2
        data, unreadable = {}, False
        for field_name, index in positions.items():
            try:
                data[field_name] = spreadsheets.cell_text(values[index]) if index < len(values) else ""
            except spreadsheets.LeadingZeroNumber as error:
                unreadable = True
                fail(
                    _(
                        "单元格 %(cell)s 是按格式“%(format)s”补零显示的数字，无法确定原文，"
                        "请把该列设为文本格式后重新填写。"
                    )
                    % {"cell": error.coordinate, "format": error.number_format},
                    row=row_number,
                    column=FIELD_LABELS.get(field_name, ""),
                )
        if unreadable:
            continue
        if all(value == "" for value in data.values()):
            continue
        form = PositionRowForm(data)
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                for message in messages:
                    fail(message, row=row_number, column=FIELD_LABELS.get(field_name, ""))
            continue
        cleaned = dict(form.cleaned_data)
        code = cleaned["code"]
        if code in seen_codes:
            fail(
                _("岗位代码 %(code)s 与第 %(row)d 行重复。") % {"code": code, "row": seen_codes[code]},
                row=row_number,
                column="岗位代码",
            )
            continue
        if code in existing_codes:
            fail(_("岗位代码 %(code)s 已存在于本公告。") % {"code": code}, row=row_number, column="岗位代码")
            continue
        seen_codes[code] = row_number
        result.rows.append(cleaned)
    if not result.rows and not result.errors:
        fail(_("表格中没有岗位数据。"))
    return result


def template_workbook() -> bytes:
    """The sheet to fill in: header row and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "岗位表"
    sheet.append([header for header, _field, _required in COLUMNS])
    sheet.append(EXAMPLE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Labels are source strings; makemessages picks them up here for the error page.
COLUMN_HELP = gettext_lazy(
    "第一行为表头：岗位代码、岗位名称、区（县）、招聘人数为必填列；学历写 高中/中专、大专、本科、硕士研究生 或 博士研究生；"
    "专业和户籍写“不限”或用顿号分隔；政治面貌写“不限”或“中共党员”。"
)
