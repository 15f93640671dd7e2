"""Workforce reports (issue 19's records): workers per unit and post, grade distribution,
annual assessment results per year with the 优秀 share, training hours against the
requirement, side jobs per unit and kind.

Scope is workforce's own (workforce.selectors): administrators every unit, a unit manager
the units assigned to them and their communities. Every figure is a grouped query; the
few hundred grouped rows are pivoted in Python. Cached per scope under one version that
any saved workforce record moves (reports.signals).
"""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce import selectors as workforce_selectors
from workforce.models import (
    Assessment,
    AssessmentRound,
    Outcome,
    Post,
    SideJob,
    TrainingAttendance,
    Worker,
    WorkforceSettings,
)

from . import funnel
from .tables import Table

CHARTS = ("units", "grades", "assessments", "training", "side_jobs")
WORKFORCE_SECONDS = 600
_VERSION_KEY = "reports:workforce-version"


def version() -> int:
    value = cache.get(_VERSION_KEY)
    if value is None:
        cache.add(_VERSION_KEY, time.time_ns(), None)
        value = cache.get(_VERSION_KEY) or 0
    return value


def invalidate() -> None:
    cache.set(_VERSION_KEY, time.time_ns(), None)


def may_read(user) -> bool:
    from accounts.roles import Role

    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR, Role.UNIT_MANAGER)


def _scope(user) -> tuple[str, Q]:
    """(cache scope, the filter on a worker's unit) for the user."""
    if workforce_selectors.is_admin(user):
        return "all", Q()
    units = sorted(workforce_selectors.managed_unit_ids(user))
    return "units:" + ",".join(map(str, units)), Q(unit_id__in=units) | Q(unit__parent_id__in=units)


def _prefixed(q: Q, prefix: str) -> Q:
    """The worker filter `q` seen from a model that reaches the worker through `prefix`."""
    if not q.children:
        return Q()
    out = Q()
    for child in q.children:
        key, value = child
        out |= Q(**{f"{prefix}__{key}": value})
    return out


def _unit_label(parent, name) -> str:
    return f"{parent} {name}".strip() if parent else (name or _("未分配单位"))


def compute(user) -> dict:
    _scope_key, q = _scope(user)
    active = Worker.objects.filter(q).exclude(status=Worker.Status.LEFT)
    settings = WorkforceSettings.current()

    units: dict[tuple, dict] = {}
    for row in (
        active.order_by().values("unit_id", "unit__name", "unit__parent__name", "post").annotate(n=Count("*"))
    ):
        key = (row["unit__parent__name"] or "", row["unit__name"] or "", row["unit_id"])
        units.setdefault(key, {})[row["post"]] = row["n"]

    grades: dict[int | None, dict] = {}
    for row in active.order_by().values("grade", "post").annotate(n=Count("*")):
        grades.setdefault(row["grade"], {})[row["post"]] = row["n"]

    assessments: dict[int, dict] = {}
    confirmed = Assessment.objects.filter(
        _prefixed(q, "worker"), round__status=AssessmentRound.Status.CONFIRMED
    )
    for row in confirmed.order_by().values("round__year", "outcome").annotate(n=Count("*")):
        assessments.setdefault(row["round__year"], {})[row["outcome"]] = row["n"]

    since = timezone.now() - timedelta(days=365 * settings.training_period_years)
    required = settings.training_hours_required
    # Each worker's hours in the period (a correlated sum), then per unit: workers, those
    # who met the requirement, the hours in all. One query.
    worker_hours = (
        TrainingAttendance.objects.filter(worker=OuterRef("pk"), session__starts_at__gte=since)
        .order_by()
        .values("worker")
        .annotate(h=Sum("session__hours"))
        .values("h")
    )
    training = {
        (row["unit__parent__name"] or "", row["unit__name"] or ""): row
        for row in active.annotate(
            hours=Coalesce(Subquery(worker_hours, output_field=DecimalField()), Value(Decimal(0)))
        )
        .order_by()
        .values("unit__name", "unit__parent__name")
        .annotate(workers=Count("*"), met=Count("pk", filter=Q(hours__gte=required)), total=Sum("hours"))
    }

    side_jobs: dict[tuple, dict] = {}
    declared = SideJob.objects.filter(_prefixed(q, "worker")).exclude(status=SideJob.Status.WITHDRAWN)
    for row in (
        declared.order_by()
        .values("worker__unit__name", "worker__unit__parent__name", "kind", "status")
        .annotate(n=Count("*"))
    ):
        key = (row["worker__unit__parent__name"] or "", row["worker__unit__name"] or "")
        entry = side_jobs.setdefault(key, {"approved": 0})
        entry[row["kind"]] = entry.get(row["kind"], 0) + row["n"]
        if row["status"] == SideJob.Status.APPROVED:
            entry["approved"] += row["n"]

    return {
        "computed_at": timezone.now().isoformat(),
        "required_hours": str(required),
        "period_years": settings.training_period_years,
        "units": [[parent, name, posts] for (parent, name, _pk), posts in sorted(units.items())],
        "grades": sorted(
            ([grade, posts] for grade, posts in grades.items()),
            key=lambda item: (item[0] is None, item[0] or 0),
        ),
        "assessments": sorted([year, outcomes] for year, outcomes in assessments.items()),
        "training": [
            [parent, name, entry["workers"], entry["met"], str(entry["total"] or 0)]
            for (parent, name), entry in sorted(training.items())
        ],
        "side_jobs": [[parent, name, kinds] for (parent, name), kinds in sorted(side_jobs.items())],
    }


def data_for(user) -> dict:
    scope, _q = _scope(user)
    key = f"reports:workforce:{version()}:{scope}"
    data = cache.get(key)
    if data is None:
        data = compute(user)
        cache.set(key, data, WORKFORCE_SECONDS)
    return data


# --- tables ------------------------------------------------------------------------------

POSTS = [Post.HEAD, Post.DEPUTY, Post.OTHER]
OUTCOMES = [Outcome.EXCELLENT, Outcome.PASS, Outcome.BASIC, Outcome.FAIL]


def units_table(data: dict) -> Table:
    table = Table(
        "units",
        _("各单位在岗人数"),
        [_("单位"), *[str(post.label) for post in POSTS], _("合计")],
        value_columns=(1, 2, 3),
        stacked=True,
        note=_("在岗和试用期人员，不含已离岗人员。"),
    )
    for parent, name, posts in data["units"]:
        counts = [posts.get(str(post), 0) for post in POSTS]
        table.rows.append([_unit_label(parent, name), *counts, sum(counts)])
    return table


def grades_table(data: dict) -> Table:
    table = Table(
        "grades",
        _("等级分布（三岗十八级）"),
        [_("等级"), *[str(post.label) for post in POSTS], _("合计")],
        value_columns=(1, 2, 3),
        stacked=True,
    )
    for grade, posts in data["grades"]:
        counts = [posts.get(str(post), 0) for post in POSTS]
        label = _("%(grade)s 级") % {"grade": grade} if grade is not None else _("未定级")
        table.rows.append([label, *counts, sum(counts)])
    return table


def _share(part: int, whole: int):
    value = funnel.percent(part, whole)
    return "—" if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def assessments_table(data: dict) -> Table:
    table = Table(
        "assessments",
        _("年度考核结果"),
        [
            _("年度"),
            *[str(outcome.label) for outcome in OUTCOMES],
            _("未评定"),
            _("合计"),
            _("优秀比例（%）"),
        ],
        value_columns=(1, 2, 3, 4),
        stacked=True,
        note=_("只统计已确认的考核；优秀比例 = 优秀人数 ÷ 参加考核人数。"),
    )
    for year, outcomes in data["assessments"]:
        counts = [outcomes.get(str(outcome), 0) for outcome in OUTCOMES]
        pending = outcomes.get("", 0)
        total = sum(counts) + pending
        table.rows.append([str(year), *counts, pending, total, _share(counts[0], total)])
    return table


def training_table(data: dict) -> Table:
    table = Table(
        "training",
        _("培训学时达标情况"),
        [_("单位"), _("在岗人数"), _("达到学时要求"), _("达标比例（%）"), _("人均学时")],
        value_columns=(1, 2),
        note=_("要求：每 %(years)s 年不少于 %(hours)s 学时（按签到的培训课时计算）。")
        % {"years": data["period_years"], "hours": data["required_hours"]},
    )
    for parent, name, workers, met, hours in data["training"]:
        average = (
            (Decimal(hours) / workers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if workers else "—"
        )
        table.rows.append([_unit_label(parent, name), workers, met, _share(met, workers), average])
    return table


def side_jobs_table(data: dict) -> Table:
    kinds = list(SideJob.Kind)
    table = Table(
        "side_jobs",
        _("兼职报备（按单位和类别）"),
        [_("单位"), *[str(kind.label) for kind in kinds], _("合计"), _("其中已批准")],
        value_columns=tuple(range(1, 1 + len(kinds))),
        stacked=True,
        note=_("统计已报备的兼职（不含本人撤回的）。"),
    )
    for parent, name, counts in data["side_jobs"]:
        values = [counts.get(str(kind), 0) for kind in kinds]
        table.rows.append([_unit_label(parent, name), *values, sum(values), counts.get("approved", 0)])
    return table


BUILDERS = {
    "units": units_table,
    "grades": grades_table,
    "assessments": assessments_table,
    "training": training_table,
    "side_jobs": side_jobs_table,
}


def table_of(key: str, data: dict) -> Table:
    return BUILDERS[key](data)
