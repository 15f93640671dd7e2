"""The workbench blocks of the written exam (portal.workbench).

- The proctor's day (``proctor-today``): today's exam sessions at the venues the proctor is
  assigned to, each with one click to its check-in page; nothing today says so and points to
  the upcoming ones. One query (the proctor's sessions of issued plans).
- The administrator's exams (``administrator-exams``): every announcement in its exam phase
  (an exam plan whose last session ended less than EXAM_PHASE_DAYS_AFTER days ago, or has no
  session yet), with the phase (``exam_phase``: planning, printing, waiting, exam day, after),
  tickets issued and printed, and on exam day each session's check-in progress, with links
  to the plan, check-in and written scores. At most five grouped queries, whatever the
  number of candidates (the plans, their sessions, ticket counts, and on exam day the
  attendance and the sessions' positions), once per ADMIN_CACHE_SECONDS for all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from portal.workbench import Block, register

from .selectors.checkin import sessions_for_proctor

# How long after its last session an announcement stays in the block (scores come then).
EXAM_PHASE_DAYS_AFTER = 7
MAX_ROWS = 20


def proctor_today(user) -> dict:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    sessions = list(
        sessions_for_proctor(user)
        .filter(ends_at__gte=start, starts_at__lt=start + timedelta(days=8))
        .order_by("starts_at")[:20]
    )
    rows = [
        {
            "subject": session.subject,
            "announcement": session.plan.announcement.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "today": timezone.localtime(session.starts_at).date() == today,
            "url": reverse("exams:checkin", args=[session.pk]),
        }
        for session in sessions
    ]
    return {
        "today": [row for row in rows if row["today"]],
        "upcoming": [row for row in rows if not row["today"]],
        "index_url": reverse("exams:checkin_index"),
    }


register(
    Block(
        key="proctor-today",
        title=_("今日考务"),
        roles=(Role.PROCTOR,),
        template="exams/workbench_proctor.html",
        context=proctor_today,
        order=40,
        icon="door-open",
    )
)


# --- The examiner's day ---------------------------------------------------------------------------


def examiner_today(user) -> dict:
    """Today's interview groups the examiner sits on (active seat), each with its scoring
    page and, for the chief, the board; then the next ones. One query."""
    from .selectors.interview import seats_of

    today = timezone.localdate()
    seats = list(seats_of(user).filter(active=True, group__date__gte=today)[:MAX_ROWS])
    rows = [
        {
            "code": seat.group.code,
            "name": seat.group.name,
            "place": seat.group.place,
            "date": seat.group.date,
            "starts_at": seat.group.starts_at,
            "announcement": seat.group.announcement.title,
            "chief": seat.chief,
            "score_url": reverse("exams:interview_score", args=[seat.group_id]),
            "chief_url": reverse("exams:interview_chief", args=[seat.group_id]) if seat.chief else "",
        }
        for seat in seats
    ]
    return {
        "today": [row for row in rows if row["date"] == today],
        "upcoming": [row for row in rows if row["date"] > today][:5],
        "index_url": reverse("exams:interview_mine"),
    }


register(
    Block(
        key="examiner-today",
        title=_("今日面试"),
        roles=(Role.EXAMINER,),
        template="exams/workbench_examiner.html",
        context=examiner_today,
        order=30,
        icon="people",
    )
)


# --- The administrator's exams ------------------------------------------------------------------


@dataclass(frozen=True)
class SessionTimes:
    starts_at: datetime
    ends_at: datetime
    local_day: date


PLANNING, PRINTING, WAITING, EXAM_DAY, AFTER = "planning", "printing", "waiting", "exam_day", "after"
PHASE_LABELS = {
    PLANNING: _("编排考场"),
    PRINTING: _("准考证打印中"),
    WAITING: _("待考"),
    EXAM_DAY: _("考试日"),
    AFTER: _("考试结束"),
}


def exam_phase(
    *, now: datetime, today: date, issued: bool, print_starts_at, print_ends_at, sessions: list[SessionTimes]
) -> str:
    """The exam phase of one plan at ``now`` (aware) and ``today`` (its local date). Pure.

    No tickets issued yet: planning. A session today (local date): exam day. Every session
    over: after. The printing window open: printing. Otherwise (issued, window not open, the
    exam still to come): waiting."""
    if not issued:
        return PLANNING
    if any(s.local_day == today for s in sessions):
        return EXAM_DAY
    if sessions and all(s.ends_at <= now for s in sessions):
        return AFTER
    if print_starts_at and print_ends_at and print_starts_at <= now < print_ends_at:
        return PRINTING
    return WAITING


def _written_url(announcement_id: int) -> str:
    try:
        return reverse("exams:written_results", args=[announcement_id])
    except NoReverseMatch:
        return ""


ADMIN_CACHE_KEY = "exams:workbench:administrator"
ADMIN_CACHE_SECONDS = 30  # counts (printed, checked in) at most this stale; every admin alike


def admin_exams(user) -> dict:
    """{"rows": [...]} of the announcements in their exam phase, exam day first. The same
    for every administrator: kept ADMIN_CACHE_SECONDS in the shared cache, so the workbench
    (shown after every login) costs no query here while it is fresh."""
    rows = cache.get(ADMIN_CACHE_KEY)
    if rows is None:
        rows = _admin_exam_rows()
        cache.set(ADMIN_CACHE_KEY, rows, ADMIN_CACHE_SECONDS)
    return {"rows": [{**row, "phase_label": PHASE_LABELS[row["phase"]]} for row in rows]}


def _admin_exam_rows() -> list[dict]:
    from recruitment.models import Announcement

    from .models import Attendance, ExamPlan, ExamSession, Ticket

    now = timezone.now()
    today = timezone.localdate()
    plans = list(
        ExamPlan.objects.filter(
            announcement__status__in=[Announcement.Status.PUBLISHED, Announcement.Status.CLOSED]
        )
        .annotate(last_end=Max("sessions__ends_at"))
        .filter(Q(last_end__isnull=True) | Q(last_end__gte=now - timedelta(days=EXAM_PHASE_DAYS_AFTER)))
        .select_related("announcement")
        .only(
            "pk",
            "announcement_id",
            "announcement__title",
            "print_starts_at",
            "print_ends_at",
            "tickets_issued_at",
        )
        .order_by("-announcement__registration_opens_at", "-pk")[:MAX_ROWS]
    )
    if not plans:
        return []
    ids = [plan.announcement_id for plan in plans]
    sessions = defaultdict(list)
    for session in ExamSession.objects.filter(plan__in=plans).only(
        "pk", "plan_id", "subject", "starts_at", "ends_at"
    ):
        sessions[session.plan_id].append(session)
    counts = {
        row["announcement_id"]: row
        for row in Ticket.objects.filter(announcement_id__in=ids)
        .order_by()
        .values("announcement_id")
        .annotate(issued=Count("pk"), printed=Count("pk", filter=Q(first_printed_at__isnull=False)))
    }
    todays = [
        s for plan in plans for s in sessions[plan.pk] if timezone.localtime(s.starts_at).date() == today
    ]
    attendance, expected = _checkin_progress(todays, Attendance, Ticket, ExamSession)

    rows = []
    for plan in plans:
        plan_sessions = sorted(sessions[plan.pk], key=lambda s: s.starts_at)
        times = [
            SessionTimes(s.starts_at, s.ends_at, timezone.localtime(s.starts_at).date())
            for s in plan_sessions
        ]
        count = counts.get(plan.announcement_id, {"issued": 0, "printed": 0})
        phase = exam_phase(
            now=now,
            today=today,
            issued=plan.tickets_issued_at is not None,
            print_starts_at=plan.print_starts_at,
            print_ends_at=plan.print_ends_at,
            sessions=times,
        )
        upcoming = next((s for s in plan_sessions if s.ends_at > now), None)
        rows.append(
            {
                "announcement_id": plan.announcement_id,
                "title": plan.announcement.title,
                "phase": phase,
                "issued": count["issued"],
                "printed": count["printed"],
                "printed_percent": round(100 * count["printed"] / count["issued"]) if count["issued"] else 0,
                "print_starts_at": plan.print_starts_at,
                "print_ends_at": plan.print_ends_at,
                "next_session_at": upcoming.starts_at if upcoming else None,
                "today": [
                    {
                        "subject": s.subject,
                        "starts_at": s.starts_at,
                        "ends_at": s.ends_at,
                        "present": attendance[s.pk].get(Attendance.Status.PRESENT, 0),
                        "absent": attendance[s.pk].get(Attendance.Status.ABSENT, 0),
                        "expected": expected.get(s.pk, 0),
                    }
                    for s in plan_sessions
                    if s in todays
                ],
                "plan_url": reverse("exams:plan", args=[plan.announcement_id]),
                "checkin_url": reverse("exams:checkin_index"),
                "written_url": _written_url(plan.announcement_id) if phase == AFTER else "",
            }
        )
    order = {EXAM_DAY: 0, PRINTING: 1, WAITING: 2, PLANNING: 3, AFTER: 4}
    rows.sort(key=lambda row: order[row["phase"]])  # stable: keeps the newest first within a phase
    return rows


def _checkin_progress(todays, attendance_model, ticket_model, session_model):
    """({session id: {status: count}}, {session id: tickets expected}) for today's sessions:
    the candidates of the positions sitting each (all of the plan's for a session naming none).
    Two grouped queries, none without a session today."""
    attendance: dict[int, dict[str, int]] = defaultdict(dict)
    expected: dict[int, int] = {}
    if not todays:
        return attendance, expected
    for row in (
        attendance_model.objects.filter(session__in=todays)
        .order_by()
        .values("session_id", "status")
        .annotate(n=Count("pk"))
    ):
        attendance[row["session_id"]][row["status"]] = row["n"]
    positions = defaultdict(set)
    for session_id, position_id in session_model.positions.through.objects.filter(
        examsession_id__in=[s.pk for s in todays]
    ).values_list("examsession_id", "position_id"):
        positions[session_id].add(position_id)
    by_position = defaultdict(dict)
    for row in (
        ticket_model.objects.filter(room__venue__plan_id__in={s.plan_id for s in todays})
        .order_by()
        .values("room__venue__plan_id", "application__position_id")
        .annotate(n=Count("pk"))
    ):
        by_position[row["room__venue__plan_id"]][row["application__position_id"]] = row["n"]
    for session in todays:
        counts = by_position[session.plan_id]
        wanted = positions.get(session.pk)
        expected[session.pk] = sum(n for pk, n in counts.items() if not wanted or pk in wanted)
    return attendance, expected


register(
    Block(
        key="administrator-exams",
        title=_("笔试进度"),
        roles=(Role.ADMINISTRATOR,),
        template="exams/workbench_admin.html",
        context=admin_exams,
        order=15,
        icon="pencil-square",
    )
)
