"""The dashboard's tables, and the charts drawn from them.

Each chart is drawn from its table and nothing else (`chart_of`), so the chart, the table
beside it, its Excel download and its JSON endpoint always show the same numbers.
Labels are translated when the table is built (the reader's language).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from recruitment.models import Position

from . import funnel

# A message context: without it the applicants, exams and hiring catalogues (earlier in
# INSTALLED_APPS) translated these as actions ("Submit application", "Hiring").
STEP_LABELS = {
    "registered": pgettext_lazy("漏斗环节", "报名（含草稿）"),
    "submitted": pgettext_lazy("漏斗环节", "提交报名"),
    "approved": pgettext_lazy("漏斗环节", "资格审核通过"),
    "ticket_printed": pgettext_lazy("漏斗环节", "打印准考证"),
    "sat": pgettext_lazy("漏斗环节", "参加笔试"),
    "passed": pgettext_lazy("漏斗环节", "笔试合格"),
    "shortlisted": pgettext_lazy("漏斗环节", "入围面试"),
    "interviewed": pgettext_lazy("漏斗环节", "参加面试"),
    "proposed": pgettext_lazy("漏斗环节", "拟录用"),
    "hired": pgettext_lazy("漏斗环节", "录用"),
}

CHARTS = ("funnel", "daily", "positions", "histogram", "throughput")


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # How the chart reads the table: the label column, the value columns, the chart type.
    label_column: int = 0
    value_columns: tuple[int, ...] = (1,)
    chart_type: str = "bar"
    horizontal: bool = False
    stacked: bool = False
    line_columns: tuple[int, ...] = ()
    note: str = ""


def _show(value) -> str | int:
    if value is None:
        return "—"
    return value


def funnel_table(data: dict) -> Table:
    table = Table(
        "funnel",
        _("招聘漏斗"),
        [_("环节"), _("人数"), _("较上一环节减少"), _("保留比例（%）")],
        horizontal=True,
        note=_(
            "每个环节统计到达该环节或其后任一环节的人数（依据报名记录和考试记录，不是当前状态），"
            "因此后一环节不会多于前一环节。"
        ),
    )
    for step in funnel.steps(data["funnel"]):
        table.rows.append(
            [str(STEP_LABELS[step.key]), step.count, _show(step.lost), _show(step.kept_percent)]
        )
    return table


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%m-%d")


def daily_table(data: dict) -> Table:
    table = Table(
        "daily",
        _("每日报名人数"),
        [_("日期"), _("当日首次提交"), _("累计")],
        line_columns=(2,),
        note=_("按每份报名第一次提交的日期（北京时间）统计。"),
    )
    counts = [n for _day_, n in data["daily"]]
    for (day, n), total in zip(data["daily"], funnel.cumulative(counts), strict=True):
        table.rows.append([day, n, total])
    return table


def positions_table(data: dict) -> Table:
    statuses = dict(Position.Status.choices)
    table = Table(
        "positions",
        _("各岗位情况"),
        [
            _("岗位代码"),
            _("岗位名称"),
            _("状态"),
            _("招聘人数"),
            _("报名人数"),
            _("审核通过"),
            _("开考比例（通过人数∶招聘人数）"),
            _("参加笔试"),
            _("笔试合格线"),
            _("入围面试最低分"),
            _("录用最低分"),
            _("录用"),
        ],
        value_columns=(3, 4, 5),
    )
    for row in data["positions"]:
        ratio = funnel.ratio(row["approved"], row["quota"])
        table.rows.append(
            [
                row["code"],
                row["name"],
                str(statuses.get(row["status"], row["status"])),
                row["quota"],
                row["applicants"],
                row["approved"],
                _show(ratio),
                row["funnel"]["sat"],
                _show(row["pass_line"]),
                _show(row["shortlist_cut"]),
                _show(row["hire_cut"]),
                row["funnel"]["hired"],
            ]
        )
    return table


def histogram_table(data: dict) -> Table:
    bins = funnel.bin_labels()
    table = Table(
        "histogram",
        _("笔试成绩分布"),
        [_("岗位代码"), _("岗位名称"), *bins, _("合计")],
        value_columns=tuple(range(2, 2 + len(bins))),
        note=_("按得分占满分的百分比分段（笔试原始成绩，不含加分；缺考、违纪不计）。"),
    )
    for row in data["positions"]:
        table.rows.append([row["code"], row["name"], *row["histogram"], sum(row["histogram"])])
    return table


def throughput_table(data: dict) -> Table:
    table = Table(
        "throughput",
        _("审核人员每日审核量"),
        [_("日期"), _("审核人员"), _("审核决定数")],
        note=_("审核通过、不通过和退回修改各计一次。"),
    )
    for row in data["throughput"]:
        table.rows.append([row["day"], row["reviewer"], row["n"]])
    return table


BUILDERS = {
    "funnel": funnel_table,
    "daily": daily_table,
    "positions": positions_table,
    "histogram": histogram_table,
    "throughput": throughput_table,
}


def table_of(key: str, data: dict) -> Table:
    return BUILDERS[key](data)


# Up to this many columns a table fits a 390 px phone once its headings wrap; a wider
# one stacks there (each row a block, each cell labelled with its column: portal.css).
PHONE_COLUMNS = 4
# A heading this short stays on one line (人数, People: wrapped, they broke inside the word).
SHORT_HEADING = 6
WRAP = ' class="text-wrap"'


def table_html(table: Table) -> str:
    """The table as HTML, built in Python: a 200-position table has thousands of cells, and
    the template language spent ~50 µs on each. Every value is escaped. Headings wrap (the
    portal keeps headings in a .table-responsive on one line, which cut the last column at
    390 px); a table wider than PHONE_COLUMNS stacks on a phone."""
    stack = len(table.columns) > PHONE_COLUMNS
    head = "".join(
        f'<th scope="col"{WRAP if len(str(column)) > SHORT_HEADING else ""}>{escape(column)}</th>'
        for column in table.columns
    )
    labels = [escape(column) for column in table.columns]
    row_head = (
        '<th scope="row" class="text-wrap d-block d-sm-table-cell">'
        if stack
        else '<th scope="row" class="text-wrap">'
    )
    body = []
    for row in table.rows:
        cells = [f"{row_head}{escape(row[0])}</th>"]
        if stack:
            cells += [
                f'<td data-label="{label}">{escape(value)}</td>'
                for label, value in zip(labels[1:], row[1:], strict=False)
            ]
        else:
            cells += [f"<td>{escape(value)}</td>" for value in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    classes = "table table-sm table-striped align-middle small mb-0 reports-table" + (
        " table-responsive-stack" if stack else ""
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<table class="{classes}">'
        f'<caption class="visually-hidden">{escape(table.title)}</caption>'
        f'<thead class="table-light sticky-top"><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _number(value) -> float | int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def chart_of(table: Table) -> dict:
    """The Chart.js configuration of a table (static/js/reports.js draws it)."""
    if table.key == "histogram":
        return _histogram_chart(table)
    if table.key == "throughput":
        return _throughput_chart(table)
    labels = [str(row[table.label_column]) for row in table.rows]
    if table.key == "positions":
        labels = [f"{row[0]} {row[1]}" for row in table.rows]
    datasets = []
    for column in table.value_columns + table.line_columns:
        datasets.append(
            {
                "label": table.columns[column],
                "data": [_number(row[column]) for row in table.rows],
                "type": "line" if column in table.line_columns else "bar",
                "yAxisID": "y1" if column in table.line_columns else "y",
            }
        )
    return {
        "type": table.chart_type,
        "labels": labels,
        "datasets": datasets,
        "horizontal": table.horizontal,
        "stacked": table.stacked,
        "secondAxis": bool(table.line_columns),
    }


def _histogram_chart(table: Table) -> dict:
    """One dataset per position (the page offers a choice), and all positions together."""
    bins = [table.columns[c] for c in table.value_columns]
    series = [
        {"label": _("全部岗位"), "data": [sum(row[c] for row in table.rows) for c in table.value_columns]}
    ]
    for row in table.rows:
        series.append({"label": f"{row[0]} {row[1]}", "data": [row[c] for c in table.value_columns]})
    return {
        "type": "bar",
        "labels": bins,
        "datasets": [{"label": series[0]["label"], "data": series[0]["data"], "type": "bar", "yAxisID": "y"}],
        "series": series,
        "horizontal": False,
        "stacked": False,
        "secondAxis": False,
    }


def _throughput_chart(table: Table) -> dict:
    """Days on the axis, one stacked series per reviewer."""
    days = sorted({row[0] for row in table.rows})
    reviewers = sorted({row[1] for row in table.rows})
    counts = {(row[0], row[1]): row[2] for row in table.rows}
    return {
        "type": "bar",
        "labels": days,
        "datasets": [
            {
                "label": name,
                "data": [counts.get((day, name), 0) for day in days],
                "type": "bar",
                "yAxisID": "y",
            }
            for name in reviewers
        ],
        "horizontal": False,
        "stacked": True,
        "secondAxis": False,
    }
