"""Reads of the reports: every aggregate is one grouped SQL query, cached per announcement.

What is counted
- The funnel counts everyone who ever reached a step, from the audit trail and the exam's
  records, not from today's stage: registered = every application (a draft too);
  submitted, approved, shortlisted, interviewed, proposed, hired = an ApplicationEvent
  moving the application to that stage; ticket printed = the ticket's first print;
  sat = a written score (not absent, not disqualified) or a "present" check-in; passed =
  the written result says passed. A step counts those who reached it OR any later step
  (funnel.reached): a candidate who sat was issued a ticket even when no print was
  recorded, so no step ever exceeds the one before it.
- Per position, "applicants" is today's figure (the public position table's: submitted
  and not withdrawn); "approved" is everyone ever approved (the opening ratio is judged
  on approval; a candidate later not shortlisted, or who declined, still was approved).
- Registrations per day: each application's first submission (the one that leaves the
  draft; a resubmission after a return, a rejection or a withdrawal is not a registration),
  on the day it happened (Beijing time, settings.TIME_ZONE).
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

EVER = ("submitted", "approved", "shortlisted", "interviewed", "proposed", "hired")

# One scan of the announcement's audit rows (first submissions and decisions) for two
# answers: first submissions per position and day (a first submission leaves a draft: a
# resubmission after a return, rejection or withdrawal does not); and decisions per deciding
# user and day. The funnel is _REACH_SQL's.
_EVENTS_SQL = f"""
WITH j AS MATERIALIZED (
  SELECT a.position_id, e.application_id, e.to_stage, e.from_stage, e.actor_id, e.at
  FROM {_EVENT} e JOIN {_APP} a ON a.id = e.application_id
  WHERE a.announcement_id = %(a)s AND e.to_stage = ANY(%(wanted)s)
)
SELECT 'day', position_id, NULL, (at AT TIME ZONE %(tz)s)::date, NULL, COUNT(*)
FROM j WHERE to_stage = 'submitted' AND from_stage IN ('draft', '') GROUP BY 2, 4
UNION ALL
SELECT 'review', NULL, NULL, (at AT TIME ZONE %(tz)s)::date, actor_id, COUNT(*)
FROM j WHERE to_stage = ANY(%(decisions)s) AND actor_id IS NOT NULL GROUP BY 4, 5
"""  # noqa: S608 - table names only

# Applications per position, all and today's applicants: the (position, stage) index alone.
_APPLICATIONS_SQL = f"""
SELECT position_id, COUNT(*), COUNT(*) FILTER (WHERE NOT (stage = ANY(%(not_submitted)s)))
FROM {_APP} WHERE position_id = ANY(%(positions)s)
GROUP BY 1
"""  # noqa: S608 - table names only

# The funnel per position in one scan: each application's furthest step (its index in
# reports.funnel.STEPS: 1 submitted, 2 approved, 6 shortlisted, 7 interviewed, 8 proposed,
# 9 hired from the audit trail; 3 ticket printed, 4 sat = a written score or a "present"
# check-in, 5 passed from the exam's records; 0 = registered only), counted per position
# and furthest step (funnel.reached turns that into "reached this step or a later one"); and
# the lowest written score among those ever shortlisted.
_REACH_SQL = f"""
WITH ev AS (
  SELECT e.application_id,
         MAX(CASE e.to_stage WHEN 'submitted' THEN 1 WHEN 'approved' THEN 2 WHEN 'shortlisted' THEN 6
             WHEN 'interviewed' THEN 7 WHEN 'proposed' THEN 8 WHEN 'hired' THEN 9 END) AS reach,
         BOOL_OR(e.to_stage = 'shortlisted') AS shortlisted
  FROM {_EVENT} e JOIN {_APP} a0 ON a0.id = e.application_id
  WHERE a0.announcement_id = %(a)s AND e.to_stage = ANY(%(ever)s)
  GROUP BY 1
), present AS (
  SELECT DISTINCT att.ticket_id
  FROM exams_attendance att JOIN exams_ticket t0 ON t0.id = att.ticket_id
  WHERE t0.announcement_id = %(a)s AND att.status = 'present'
), ex AS (
  SELECT t.application_id,
         GREATEST(CASE WHEN t.first_printed_at IS NOT NULL THEN 3 END,
                  CASE WHEN w.status = 'scored' OR p.ticket_id IS NOT NULL THEN 4 END,
                  CASE WHEN w.passed THEN 5 END) AS reach,
         COALESCE(w.total, w.raw) AS score
  FROM exams_ticket t
  LEFT JOIN exams_writtenscore w ON w.ticket_id = t.id
  LEFT JOIN present p ON p.ticket_id = t.id
  WHERE t.announcement_id = %(a)s
)
SELECT a.position_id, COALESCE(GREATEST(ev.reach, ex.reach), 0), COUNT(*),
       MIN(ex.score) FILTER (WHERE ev.shortlisted)
FROM {_APP} a
LEFT JOIN ev ON ev.application_id = a.id
LEFT JOIN ex ON ex.application_id = a.id
WHERE a.announcement_id = %(a)s
GROUP BY 1, 2
"""  # noqa: S608 - table names only

# The public page's history alone: first submissions per position and day.
_FIRST_SUBMISSION_SQL = f"""
SELECT a.position_id, (e.at AT TIME ZONE %(tz)s)::date AS day, COUNT(*)
FROM {_EVENT} e JOIN {_APP} a ON a.id = e.application_id
WHERE a.announcement_id = %(a)s AND e.to_stage = 'submitted' AND e.from_stage IN ('draft', '')
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
        "ever": list(EVER),
        # The audit scan of _EVENTS_SQL: first submissions and decisions only (the funnel is _REACH_SQL).
        "wanted": ["submitted", *(str(s) for s in DECISION_STAGES)],
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
    params["positions"] = [position["pk"] for position in positions]
    by_position: dict[int, dict] = {}

    def figures_of(position_id) -> dict:
        return by_position.setdefault(position_id, {"applicants_now": 0, "shortlist_cut": None})

    days: dict[str, int] = {}
    by_position_day: dict[int, dict[str, int]] = {}
    throughput_rows = []
    for kind, position_id, _stage, day, actor_id, count in _rows(_EVENTS_SQL, params):
        if kind == "day":
            key = day.isoformat()
            days[key] = days.get(key, 0) + count
            by_position_day.setdefault(position_id, {})[key] = count
        else:
            throughput_rows.append((actor_id, day, count))
    throughput_rows.sort(key=lambda row: (row[1], row[0]))
    for position_id, _registered, applicants_now in _rows(_APPLICATIONS_SQL, params):
        figures_of(position_id)["applicants_now"] = applicants_now
    furthest: dict[int, dict[int, int]] = {}
    for position_id, reach, count, shortlist_score in _rows(_REACH_SQL, params):
        furthest.setdefault(position_id, {})[reach] = count
        cut = figures_of(position_id)["shortlist_cut"]
        if shortlist_score is not None and (cut is None or shortlist_score < cut):
            figures_of(position_id)["shortlist_cut"] = shortlist_score
    for position_id, by_reach in furthest.items():
        figures_of(position_id).update(funnel.reached(by_reach))
    histogram: dict[int, list[int]] = {}
    for position_id, bucket, count in _rows(_HISTOGRAM_SQL, params):
        histogram.setdefault(position_id, [0] * funnel.HISTOGRAM_BINS)[bucket] = count
    lines = _pass_lines(announcement.pk)
    hire_cuts = _hire_cuts(announcement.pk)

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
