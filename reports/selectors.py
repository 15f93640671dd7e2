"""Reads of the reports: every aggregate is one grouped SQL query, cached per announcement.

What is counted
- The funnel counts everyone who ever reached a step, from the audit trail and the exam's
  records, not from today's stage: registered = every application (a draft too);
  submitted, approved, shortlisted, interviewed, proposed, hired = an ApplicationEvent
  moving the application to that stage; ticket printed = the ticket's first print;
  sat = a written score (not absent, not disqualified) or a "present" check-in; passed =
  the written result says passed.
- Per position, "applicants" is today's figure (the public position table's: submitted
  and not withdrawn); "approved" is everyone ever approved (the opening ratio is judged
  on approval; a candidate later not shortlisted, or who declined, still was approved).
- Registrations per day: each application's first submission, on the day it happened
  (Beijing time, settings.TIME_ZONE).
- Review throughput: decisions (approve, reject, return) per deciding user per day.

Cache: one dictionary per announcement under a version that every committed stage change
of the announcement (applicants.transitions.stage_changed), every position change and
every saved written score, result or check-in moves (reports.apps). Ticket prints are
recorded by an UPDATE that sends no signal: the dashboard's figures are at most
DASHBOARD_SECONDS old for them, and the page says when they were computed.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from applicants.models import NOT_SUBMITTED_STAGES, Stage
from recruitment.models import Announcement, Position
from review.selectors import announcements_for_reviewer

from . import funnel

DASHBOARD_SECONDS = 300
PUBLIC_HISTORY_SECONDS = 60
DECISION_STAGES = (Stage.APPROVED, Stage.REJECTED, Stage.RETURNED)
EVER_STAGES = ("approved", "shortlisted", "interviewed", "proposed", "hired")


# --- scope -------------------------------------------------------------------------------


def announcements_for(user) -> QuerySet[Announcement]:
    """Administrators: every announcement; reviewers: those assigned to them (as review)."""
    return announcements_for_reviewer(user)


def announcement_for(user, pk) -> Announcement:
    return get_object_or_404(announcements_for(user), pk=pk)


# --- cache versions ----------------------------------------------------------------------


def _version_key(announcement_id) -> str:
    return f"reports:version:{announcement_id}"


def version(announcement_id) -> int:
    """The announcement's figures' version; a lost key yields a new one, never an old one."""
    key = _version_key(announcement_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key) or 0
    return value


def invalidate(announcement_id) -> None:
    """Every cached figure of the announcement is stale (called after commit)."""
    cache.set(_version_key(announcement_id), time.time_ns(), None)


# --- the aggregates ----------------------------------------------------------------------

_APP = "applicants_application"
_EVENT = "applicants_applicationevent"

# One pass over the announcement's applications: per position and day of first submission,
# how many ever reached each step (a bit per stage the audit trail shows), today's figures
# and the shortlist's lowest score. The days are summed per position in Python (a few
# hundred grouped rows, never the applications).
_STAGE_BITS = {"submitted": 1, "approved": 2, "shortlisted": 4, "interviewed": 8, "proposed": 16, "hired": 32}
_MASK = " ".join(f"WHEN '{stage}' THEN {bit}" for stage, bit in _STAGE_BITS.items())


def _ever(stage: str) -> str:
    return f"COUNT(*) FILTER (WHERE ev.mask & {_STAGE_BITS[stage]} > 0)"


_POSITION_SQL = f"""
WITH ev AS (
  SELECT e.application_id,
         BIT_OR(CASE e.to_stage {_MASK} ELSE 0 END) AS mask,
         MIN(e.at) FILTER (WHERE e.to_stage = 'submitted') AS first_submitted
  FROM {_EVENT} e JOIN {_APP} a0 ON a0.id = e.application_id
  WHERE a0.announcement_id = %(a)s
  GROUP BY e.application_id
), present AS (
  SELECT DISTINCT att.ticket_id
  FROM exams_attendance att JOIN exams_ticket t0 ON t0.id = att.ticket_id
  WHERE t0.announcement_id = %(a)s AND att.status = 'present'
)
SELECT a.position_id,
       (ev.first_submitted AT TIME ZONE %(tz)s)::date AS day,
       COUNT(*) AS registered,
       {_ever("submitted")} AS submitted,
       {_ever("approved")} AS approved,
       COUNT(t.first_printed_at) AS ticket_printed,
       COUNT(*) FILTER (WHERE w.status = 'scored' OR p.ticket_id IS NOT NULL) AS sat,
       COUNT(*) FILTER (WHERE w.passed) AS passed,
       {_ever("shortlisted")} AS shortlisted,
       {_ever("interviewed")} AS interviewed,
       {_ever("proposed")} AS proposed,
       {_ever("hired")} AS hired,
       COUNT(*) FILTER (WHERE NOT (a.stage = ANY(%(not_submitted)s))) AS applicants_now,
       MIN(COALESCE(w.total, w.raw)) FILTER (WHERE ev.mask & {_STAGE_BITS["shortlisted"]} > 0) AS shortlist_cut
FROM {_APP} a
LEFT JOIN ev ON ev.application_id = a.id
LEFT JOIN exams_ticket t ON t.application_id = a.id
LEFT JOIN exams_writtenscore w ON w.ticket_id = t.id
LEFT JOIN present p ON p.ticket_id = t.id
WHERE a.announcement_id = %(a)s
GROUP BY 1, 2
"""  # noqa: S608 - table names and constants only

# The public page's history alone: first submissions per position and day.
_FIRST_SUBMISSION_SQL = f"""
SELECT f.position_id, (f.at AT TIME ZONE %(tz)s)::date AS day, COUNT(*)
FROM (
  SELECT a.position_id, MIN(e.at) AS at
  FROM {_EVENT} e JOIN {_APP} a ON a.id = e.application_id
  WHERE a.announcement_id = %(a)s AND e.to_stage = 'submitted'
  GROUP BY e.application_id, a.position_id
) f
GROUP BY 1, 2
ORDER BY 2, 1
"""  # noqa: S608 - table names only

_HISTOGRAM_SQL = f"""
SELECT position_id, LEAST(FLOOR(raw * {funnel.HISTOGRAM_BINS} / full_marks), {funnel.HISTOGRAM_BINS - 1})::int,
       COUNT(*)
FROM exams_writtenscore
WHERE announcement_id = %(a)s AND status = 'scored'
GROUP BY 1, 2
"""  # noqa: S608 - constants only

_THROUGHPUT_SQL = f"""
SELECT e.actor_id, (e.at AT TIME ZONE %(tz)s)::date AS day, COUNT(*)
FROM {_EVENT} e JOIN {_APP} a ON a.id = e.application_id
WHERE a.announcement_id = %(a)s AND e.to_stage = ANY(%(decisions)s) AND e.actor_id IS NOT NULL
GROUP BY 1, 2
ORDER BY 2, 1
"""  # noqa: S608 - table names only


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _params(announcement_id) -> dict:
    return {
        "a": announcement_id,
        "tz": settings.TIME_ZONE,
        "not_submitted": [str(s) for s in NOT_SUBMITTED_STAGES],
        "decisions": [str(s) for s in DECISION_STAGES],
    }


def _dec(value) -> str | None:
    return None if value is None else str(value)


def _hire_cuts(announcement_id) -> dict[int, str]:
    """The lowest composite score among the hires of each position (hiring.Hire → its
    proposal's composite): one grouped query. Empty until hiring has hires."""
    try:
        from hiring.models import Hire  # noqa: PLC0415 - optional until hiring lands
    except ImportError:
        return {}
    rows = (
        Hire.objects.filter(announcement_id=announcement_id, proposal__isnull=False)
        .order_by()
        .values("position_id")
        .annotate(cut=Min("proposal__composite"))
    )
    return {row["position_id"]: _dec(row["cut"]) for row in rows}


def _pass_lines(announcement_id) -> dict[int, str | None]:
    from exams.models_written import PositionResult  # noqa: PLC0415

    return {
        row["position_id"]: _dec(row["line"])
        for row in PositionResult.objects.filter(announcement_id=announcement_id).values(
            "position_id", "line"
        )
    }


def compute(announcement: Announcement) -> dict:
    """Every figure of the dashboard, in plain types (cacheable): a handful of grouped queries."""
    params = _params(announcement.pk)
    positions = list(
        Position.objects.filter(announcement=announcement)
        .order_by("code", "pk")
        .values("pk", "code", "name", "quota", "status", "district", "street", "community")
    )
    columns = ["registered", *funnel.STEPS[1:], "applicants_now", "shortlist_cut"]
    by_position: dict[int, dict] = {}
    days: dict[str, int] = {}
    by_position_day: dict[int, dict[str, int]] = {}
    for position_id, day, *values in _rows(_POSITION_SQL, params):
        figures = by_position.setdefault(
            position_id, dict.fromkeys(columns[:-1], 0) | {"shortlist_cut": None}
        )
        for column, value in zip(columns, values, strict=True):
            if column == "shortlist_cut":
                if value is not None and (figures[column] is None or value < figures[column]):
                    figures[column] = value
            else:
                figures[column] += value
        if day is not None:  # never submitted: no day
            key = day.isoformat()
            submitted = values[1]
            days[key] = days.get(key, 0) + submitted
            by_position_day.setdefault(position_id, {})[key] = submitted
    histogram: dict[int, list[int]] = {}
    for position_id, bucket, count in _rows(_HISTOGRAM_SQL, params):
        histogram.setdefault(position_id, [0] * funnel.HISTOGRAM_BINS)[bucket] = count
    lines = _pass_lines(announcement.pk)
    hire_cuts = _hire_cuts(announcement.pk)
    throughput_rows = _rows(_THROUGHPUT_SQL, params)

    totals = dict.fromkeys(funnel.STEPS, 0)
    out_positions = []
    for position in positions:
        figures = by_position.get(position["pk"], {})
        for step in funnel.STEPS:
            totals[step] += figures.get(step) or 0
        out_positions.append(
            {
                "id": position["pk"],
                "code": position["code"],
                "name": position["name"],
                "status": position["status"],
                "quota": position["quota"],
                "applicants": figures.get("applicants_now") or 0,
                # Ever approved: the opening ratio is judged on approval, and a candidate
                # not shortlisted or who declined later still was approved.
                "approved": figures.get("approved") or 0,
                "funnel": {step: figures.get(step) or 0 for step in funnel.STEPS},
                "histogram": histogram.get(position["pk"], [0] * funnel.HISTOGRAM_BINS),
                "pass_line": lines.get(position["pk"]),
                "shortlist_cut": _dec(figures.get("shortlist_cut")),
                "hire_cut": hire_cuts.get(position["pk"]),
            }
        )
    actor_ids = sorted({row[0] for row in throughput_rows})
    names = {
        row["pk"]: row["name"] or row["email"]
        for row in User.objects.filter(pk__in=actor_ids).values("pk", "name", "email")
    }
    return {
        "computed_at": timezone.now().isoformat(),
        "funnel": totals,
        "positions": out_positions,
        "daily": sorted(days.items()),
        "daily_by_position": {pid: sorted(d.items()) for pid, d in by_position_day.items()},
        "throughput": [
            {
                "reviewer": names.get(actor_id, str(actor_id)),
                "actor_id": actor_id,
                "day": day.isoformat(),
                "n": n,
            }
            for actor_id, day, n in throughput_rows
        ],
    }


def dashboard(announcement: Announcement) -> dict:
    """compute(), cached until the announcement's figures move (or DASHBOARD_SECONDS)."""
    key = f"reports:dashboard:{announcement.pk}:{version(announcement.pk)}"
    data = cache.get(key)
    if data is None:
        data = compute(announcement)
        cache.set(key, data, DASHBOARD_SECONDS)
    return data


# --- public registration statistics ------------------------------------------------------


def public_history(announcement: Announcement) -> dict:
    """First submissions per position per day (counts only), cached PUBLIC_HISTORY_SECONDS.
    Not invalidated per submission: during a surge every submission would recount."""
    key = f"reports:public-history:{announcement.pk}"
    data = cache.get(key)
    if data is None:
        rows = _rows(_FIRST_SUBMISSION_SQL, _params(announcement.pk))
        days: dict[str, int] = {}
        by_position: dict[int, dict[str, int]] = {}
        for position_id, day, count in rows:
            key_day = day.isoformat()
            days[key_day] = days.get(key_day, 0) + count
            by_position.setdefault(position_id, {})[key_day] = count
        data = {
            "computed_at": timezone.now().isoformat(),
            "days": sorted(days.items()),
            "by_position": {pid: sorted(d.items()) for pid, d in by_position.items()},
        }
        cache.set(key, data, PUBLIC_HISTORY_SECONDS)
    return data


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)
