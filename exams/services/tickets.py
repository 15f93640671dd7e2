"""Seating and admission tickets (准考证): the issue job, the later free-seat seating, the
first print, and the not-printed = gave-up sweep.

Issuing is a portal.BackgroundJob (kind "exam_tickets", registered in exams.apps) run by
Celery in batches, each batch one transaction holding the plan's row lock:

* the first run shuffles every approved candidate with a recorded seed
  (exams.numbering.seat_candidates) — reproducible and auditable;
* anyone approved later (appeal, correction), or left over by a run that died, takes the
  first free seat (exams.numbering.first_free_seats); nobody holding a ticket is moved;
* the stage moves APPROVED → TICKET_ISSUED through applicants.transitions.transition_many
  (one UPDATE and one bulk insert of audit rows per batch), and only the applications that
  moved get a ticket, so one approved while the job runs is seated now or by the next run,
  never twice (Ticket.application is one-to-one, (room, seat) and (announcement, number)
  are unique in the database).
"""

from __future__ import annotations

import contextlib
import secrets
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import Application, Stage
from applicants.services import record_text
from applicants.transitions import transition_many
from portal import audit, jobs
from portal.models import BackgroundJob

from ..models import ExamPlan, Room, Ticket
from ..numbering import (
    Candidate,
    NotEnoughSeats,
    RoomIn,
    RoomSeats,
    VenueIn,
    first_free_seats,
    format_number,
    room_codes,
    seat_candidates,
)
from ..selectors import plan as plan_selectors

JOB_KIND = "exam_tickets"
JOB_LABEL = gettext_lazy("编排考场并发放准考证")
NOTICE_KIND = "exam_ticket_notices"
NOTICE_LABEL = gettext_lazy("通知考生打印准考证")
RENDER_KIND = "exam_ticket_pdfs"
RENDER_LABEL = gettext_lazy("预先生成准考证 PDF")
BATCH_SIZE = 5000
NOTICE_BATCH_SIZE = 2000
RENDER_BATCH_SIZE = 200
FORFEIT_REASON = gettext_lazy("未在规定时间内打印准考证")


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def _number_format(plan: ExamPlan) -> str:
    return plan.number_format or getattr(settings, "EXAMS_TICKET_NUMBER_FORMAT", "") or plan.number_format


# --- Starting the job ------------------------------------------------------------------------


def issue_check(plan: ExamPlan) -> None:
    """Refuse issuing a plan that cannot seat its candidates (ValidationError keyed by the
    plan page's fields): no session, no window, too few seats."""
    errors = {}
    if not plan.sessions.exists():
        errors["sessions"] = _("请先添加至少一个考试场次。")
    if not plan.print_starts_at or not plan.print_ends_at:
        errors["print_ends_at"] = _("请先设置准考证打印时间。")
    needed = plan_selectors.candidates_count(plan)
    seats = plan_selectors.seat_count(plan)
    if needed > seats:
        errors["capacity"] = _(
            "座位不足：共有 %(needed)s 名审核通过的考生，只有 %(seats)s 个座位，请增加考场。"
        ) % {
            "needed": needed,
            "seats": seats,
        }
    elif not plan_selectors.unseated_queryset(plan).exists():
        errors["capacity"] = _("没有需要编排考场的考生（审核通过的考生均已有准考证）。")
    if errors:
        raise ValidationError(errors)


def issue_job_create(*, plan: ExamPlan, actor) -> BackgroundJob:
    """Queue the seating of every approved candidate without a ticket. A job of this plan
    already waiting or running is returned instead of a second one."""
    issue_check(plan)
    with transaction.atomic():
        ExamPlan.objects.select_for_update().filter(pk=plan.pk).first()
        running = (
            BackgroundJob.objects.filter(
                kind=JOB_KIND,
                announcement_id=plan.announcement_id,
                status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
            )
            .order_by("pk")
            .first()
        )
        if running is not None:
            return running
        job = BackgroundJob.objects.create(
            kind=JOB_KIND,
            created_by=actor,
            announcement_id=plan.announcement_id,
            params={"plan": plan.pk},
            total=plan_selectors.unseated_queryset(plan).count(),
        )
        jobs.start_on_commit(job)
    return job


def on_stage_changed(sender, *, announcement_id, from_stage, to_stage, **kwargs) -> None:
    """Receiver of applicants' stage_changed (after commit): an application approved after
    tickets were issued (an appeal, a correction) is seated by a job started here."""
    if to_stage != Stage.APPROVED:
        return
    plan = ExamPlan.objects.filter(announcement_id=announcement_id, tickets_issued_at__isnull=False).first()
    if plan is None or plan.issued_by_id is None:
        return
    # Too few seats: the plan page shows the unseated count and asks for rooms.
    with contextlib.suppress(ValidationError):
        issue_job_create(plan=plan, actor=plan.issued_by)


# --- The job ---------------------------------------------------------------------------------


def _ensure_room_codes(plan: ExamPlan) -> dict[int, Room]:
    """Give every room its ticket codes (kept once set). Returns rooms by id, in fill order."""
    rooms = plan_selectors.rooms_in_order(plan)
    by_venue: dict[int, list[Room]] = defaultdict(list)
    venues = {}
    for room in rooms:
        by_venue[room.venue_id].append(room)
        venues[room.venue_id] = room.venue
    codes = room_codes(
        [
            VenueIn(
                code=venues[venue_id].code,
                rooms=tuple(RoomIn(r.pk, r.ticket_venue_code, r.ticket_room_code) for r in venue_rooms),
            )
            for venue_id, venue_rooms in by_venue.items()
        ]
    )
    changed = []
    for room in rooms:
        code = codes[room.pk]
        if (room.ticket_venue_code, room.ticket_room_code) != code:
            room.ticket_venue_code, room.ticket_room_code = code
            changed.append(room)
    _save_room_codes(changed)
    return {room.pk: room for room in rooms}


def _save_room_codes(rooms: list[Room]) -> None:
    """One UPDATE … FROM (VALUES …) per 1,000 rooms on PostgreSQL (bulk_update's CASE over
    1,680 rooms of a 50,000-candidate exam took seconds); bulk_update elsewhere."""
    if not rooms:
        return
    if connection.vendor != "postgresql":
        Room.objects.bulk_update(rooms, ["ticket_venue_code", "ticket_room_code"])
        return
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rooms), 1000):
            chunk = rooms[start : start + 1000]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [
                value for room in chunk for value in (room.pk, room.ticket_venue_code, room.ticket_room_code)
            ]
            # Only placeholders and the quoted table name go into the text.
            sql = (
                f"UPDATE {table} SET ticket_venue_code = v.venue_code, ticket_room_code = v.room_code"  # noqa: S608
                f" FROM (VALUES {values}) AS v(id, venue_code, room_code) WHERE {table}.id = v.id"
            )
            cursor.execute(sql, params)


def _candidates(plan: ExamPlan) -> list[Candidate]:
    return [
        Candidate(pk, position_id)
        for pk, position_id in plan_selectors.unseated_queryset(plan)
        .order_by("pk")
        .values_list("pk", "position_id")
    ]


def _initial_assignment(plan: ExamPlan, rooms: dict[int, Room], waiting: list[Candidate]):
    """The seed's seating of everyone, when it still applies: no ticket yet, or the tickets
    of a run that died are exactly the seed's (then the rest follow the same seating)."""
    initial = list(
        Ticket.objects.filter(announcement_id=plan.announcement_id).values_list(
            "application_id", "application__position_id", "room_id", "seat", "initial"
        )
    )
    if any(not row[4] for row in initial):
        return None
    everyone = waiting + [Candidate(app, position) for app, position, *_rest in initial]
    seats = [RoomSeats(room.pk, room.capacity) for room in rooms.values()]
    assignment = seat_candidates(everyone, seats, seed=plan.seating_seed)
    by_app = {seat.application_id: seat for seat in assignment}
    for app, _position, room_id, seat, _initial in initial:
        if (by_app[app].room_id, by_app[app].seat) != (room_id, seat):
            return None
    return by_app


def issue_run(job: BackgroundJob) -> BackgroundJob:
    """Seat and number every approved candidate of the job's plan who has no ticket yet.
    Safe to run again (portal.jobs.claim; tickets already issued are never touched)."""
    if not jobs.claim(job):
        return job
    actor = job.created_by
    plan = ExamPlan.objects.select_related("announcement").get(pk=job.params["plan"])
    try:
        with transaction.atomic():
            plan = ExamPlan.objects.select_for_update().select_related("announcement").get(pk=plan.pk)
            if plan.seating_seed is None:
                plan.seating_seed = secrets.randbits(48)
                plan.save(update_fields=["seating_seed"])
            rooms = _ensure_room_codes(plan)
        waiting = _candidates(plan)
        # A rerun resumes the count: what earlier runs did plus what is left.
        BackgroundJob.objects.filter(pk=job.pk).update(total=F("done") + len(waiting))
        job.refresh_from_db(fields=["total", "done"])
        # The seed decides seats only in the first issue (or a resumed first issue whose
        # tickets so far are the seed's); anyone later takes the first free seat.
        first_run = plan.tickets_issued_at is None
        assignment = _initial_assignment(plan, rooms, waiting) if waiting and first_run else None
        first_run = first_run and assignment is not None
        for start in range(0, len(waiting), BATCH_SIZE):
            batch = waiting[start : start + BATCH_SIZE]
            with transaction.atomic():
                _issue_batch(plan, rooms, batch, assignment, actor=actor)
                jobs.add_done(job, len(batch))
        with transaction.atomic():
            plan = ExamPlan.objects.select_for_update().get(pk=plan.pk)
            if plan.tickets_issued_at is None:
                plan.tickets_issued_at = timezone.now()
                plan.issued_by = actor
                plan.seated_count = len(waiting) if first_run else plan.seated_count
                plan.save(update_fields=["tickets_issued_at", "issued_by", "seated_count"])
                audit.record(actor, plan, audit.CHANGE, fields=["tickets_issued_at", "seating_seed"])
            notices_job_create(plan=plan, actor=actor)  # nobody left untold: no job
            pdfs_job_create(plan=plan, actor=actor)  # the PDFs made before the window opens
        return jobs.finish(job, params={**job.params, "seed": plan.seating_seed, "seated": len(waiting)})
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except NotEnoughSeats as error:
        jobs.fail(
            job, ValidationError(_("座位不足：还需 %(n)s 个座位。") % {"n": error.needed - error.seats})
        )
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def _issue_batch(plan: ExamPlan, rooms: dict[int, Room], batch: list[Candidate], assignment, *, actor) -> int:
    ExamPlan.objects.select_for_update().filter(pk=plan.pk).first()
    moved = transition_many(
        [c.application_id for c in batch],
        to_stage=Stage.TICKET_ISSUED,
        actor=actor,
        from_stages=[Stage.APPROVED],
        reason=record_text(gettext_lazy("准考证已发放")),
    )
    if not moved:
        return 0
    seats: dict[int, tuple[int, int]] = {}
    if assignment is not None:
        seats = {app: (assignment[app].room_id, assignment[app].seat) for app in moved if app in assignment}
    later = [app for app in moved if app not in seats]
    if later:
        taken = set(Ticket.objects.filter(room__venue__plan=plan).values_list("room_id", "seat"))
        free = first_free_seats(len(later), [RoomSeats(r.pk, r.capacity) for r in rooms.values()], taken)
        seats.update(zip(later, free, strict=True))
    pattern = _number_format(plan)
    rows = []
    for app in moved:
        room_id, seat = seats[app]
        room = rooms[room_id]
        number = format_number(
            pattern,
            exam=plan.exam_code,
            district=plan.district_code,
            venue=room.ticket_venue_code,
            room=room.ticket_room_code,
            seat=seat,
        )
        rows.append((app, room_id, seat, number, assignment is not None and app in assignment))
    _insert_tickets(plan, rows)
    return len(moved)


def _insert_tickets(plan: ExamPlan, rows: list[tuple[int, int, int, str, bool]]) -> None:
    """(application id, room id, seat, number, initial) rows as tickets: one INSERT … SELECT
    FROM unnest(…) on PostgreSQL (bulk_create built 50,000 model instances and their
    parameters in Python for seconds), bulk_create elsewhere. The database's unique
    constraints still refuse any second ticket, seat or number."""
    if connection.vendor != "postgresql":
        Ticket.objects.bulk_create(
            [
                Ticket(
                    application_id=app,
                    announcement_id=plan.announcement_id,
                    room_id=room_id,
                    seat=seat,
                    number=number,
                    initial=initial,
                )
                for app, room_id, seat, number, initial in rows
            ],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(Ticket._meta.db_table)
    sql = (
        f"INSERT INTO {table} (application_id, announcement_id, number, room_id, seat, issued_at, initial,"  # noqa: S608
        " print_count) SELECT a, %s, n, r, s, %s, i, 0"
        " FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[], %s::smallint[], %s::boolean[]) AS u(a, n, r, s, i)"
    )
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                plan.announcement_id,
                timezone.now(),
                list(columns[0]),
                list(columns[3]),
                list(columns[1]),
                list(columns[2]),
                list(columns[4]),
            ],
        )


def notices_job_create(*, plan: ExamPlan, actor) -> BackgroundJob | None:
    """Queue the 准考证可打印 notices of every ticket holder not yet told (a job of its own:
    50,000 messages take minutes, seating must not wait for them). One waiting or running
    notice job per plan is enough."""
    running = BackgroundJob.objects.filter(
        kind=NOTICE_KIND,
        announcement_id=plan.announcement_id,
        status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
    ).first()
    if running is not None:
        return running
    untold = Ticket.objects.filter(
        announcement_id=plan.announcement_id, ready_notified_at__isnull=True
    ).count()
    if not untold:
        return None
    job = BackgroundJob.objects.create(
        kind=NOTICE_KIND,
        created_by=actor,
        announcement_id=plan.announcement_id,
        params={"plan": plan.pk},
        total=untold,
    )
    jobs.start_on_commit(job)
    return job


def notices_run(job: BackgroundJob) -> BackgroundJob:
    """Tell each ticket holder not yet told that the ticket is ready, with the window, in
    batches (one transaction each: the notices and Ticket.ready_notified_at together). A
    rerun tells nobody twice."""
    if not jobs.claim(job):
        return job
    plan = ExamPlan.objects.select_related("announcement").get(pk=job.params["plan"])
    try:
        while True:
            with transaction.atomic():
                batch = list(
                    Ticket.objects.filter(
                        announcement_id=plan.announcement_id, ready_notified_at__isnull=True
                    )
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("application__applicant", "application__position")
                    .order_by("pk")[:NOTICE_BATCH_SIZE]
                )
                if not batch:
                    break
                _notify_ready(plan, batch)
                Ticket.objects.filter(pk__in=[t.pk for t in batch]).update(ready_notified_at=timezone.now())
                jobs.add_done(job, len(batch))
        return jobs.finish(job)
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def pdfs_job_create(*, plan: ExamPlan, actor) -> BackgroundJob | None:
    """Queue the rendering of every ticket holder's PDF ahead of the window (a job of its
    own, ~0.1 s of CPU a ticket on the worker): the first download of each candidate then
    reads a stored file (exams.selectors.tickets.ticket_pdf) instead of rendering in the
    request. One waiting or running job per plan is enough; none without tickets."""
    running = BackgroundJob.objects.filter(
        kind=RENDER_KIND,
        announcement_id=plan.announcement_id,
        status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
    ).first()
    if running is not None:
        return running
    total = _printable(plan).count()
    if not total:
        return None
    job = BackgroundJob.objects.create(
        kind=RENDER_KIND,
        created_by=actor,
        announcement_id=plan.announcement_id,
        params={"plan": plan.pk},
        total=total,
    )
    jobs.start_on_commit(job)
    return job


def _printable(plan: ExamPlan):
    return Ticket.objects.filter(announcement_id=plan.announcement_id, application__stage=Stage.TICKET_ISSUED)


def pdfs_run(job: BackgroundJob) -> BackgroundJob:
    """Render and store the PDF of every ticket holder of the plan, in batches. Idempotent:
    a ticket already stored with the same content is a cheap hit, so a rerun (or a run after
    a correction) renders only what changed. Without a CJK font the job fails with the
    font's message; the downloads then say the same."""
    from portal.pdf import FontMissing

    from ..selectors import tickets as ticket_selectors

    if not jobs.claim(job):
        return job
    plan = ExamPlan.objects.select_related("announcement").get(pk=job.params["plan"])
    try:
        BackgroundJob.objects.filter(pk=job.pk).update(done=0)
        last = 0
        while True:
            batch = list(
                _printable(plan)
                .filter(pk__gt=last)
                .select_related("application__position", "application__announcement", "room__venue__plan")
                .order_by("pk")[:RENDER_BATCH_SIZE]
            )
            if not batch:
                break
            for ticket in batch:
                ticket_selectors.ticket_pdf(ticket)
            last = batch[-1].pk
            jobs.add_done(job, len(batch))
        return jobs.finish(job)
    except jobs.JobLost:
        job.refresh_from_db()
        return job
    except FontMissing as error:
        jobs.fail(job, ValidationError(str(error)))
        return job
    except Exception as error:
        jobs.fail(job, error)
        raise


def _notify_ready(plan: ExamPlan, tickets: list[Ticket]) -> None:
    """准考证可打印 with the window, one message per candidate (bulk, per position)."""
    from notifications.events import Event
    from notifications.services import notify_many

    by_position = defaultdict(list)
    for ticket in tickets:
        by_position[ticket.application.position].append(ticket.application.applicant)
    for position, users in by_position.items():
        notify_many(
            recipients=users,
            event=Event.TICKET_READY,
            context={
                "announcement_title": plan.announcement.title,
                "position_name": f"{position.code} {position.name}",
                "print_from": _local(plan.print_starts_at),
                "print_until": _local(plan.print_ends_at),
                "url": reverse("applicants:applications"),
            },
            dedupe_prefix=f"exam-plan:{plan.pk}:ticket-ready",
        )


# --- Printing --------------------------------------------------------------------------------


def ticket_record_print(*, ticket: Ticket, now=None, refresh: bool = True) -> Ticket:
    """Count a download; the first one is kept (it decides 'printed in the window'). One
    UPDATE; ``refresh`` reads the counts back into ``ticket`` (the download view needs not)."""
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(
        print_count=F("print_count") + 1, first_printed_at=Coalesce(F("first_printed_at"), now)
    )
    if refresh:
        ticket.refresh_from_db(fields=["print_count", "first_printed_at"])
    return ticket


# --- Not printed = gave up -------------------------------------------------------------------


def unprinted_forfeit(*, plan: ExamPlan, now=None) -> int:
    """Where the plan says so, after the window: every candidate who never printed the
    ticket is absent (弃考, reason 未在规定时间内打印准考证), audited and notified. A rerun
    finds nobody left and changes nothing. Returns how many were marked."""
    from notifications.events import Event
    from notifications.services import notify_many

    now = now or timezone.now()
    if not plan.unprinted_forfeits or plan.print_ends_at is None or now < plan.print_ends_at:
        return 0
    with transaction.atomic():
        ExamPlan.objects.select_for_update().filter(pk=plan.pk).first()
        ids = list(
            Ticket.objects.filter(
                announcement_id=plan.announcement_id,
                first_printed_at__isnull=True,
                application__stage=Stage.TICKET_ISSUED,
            ).values_list("application_id", flat=True)
        )
        moved = transition_many(
            ids,
            to_stage=Stage.ABSENT,
            actor=None,
            from_stages=[Stage.TICKET_ISSUED],
            reason=record_text(FORFEIT_REASON),
        )
        rows = Application.objects.filter(pk__in=moved).select_related("applicant", "position")
        by_position = defaultdict(list)
        for application in rows:
            by_position[application.position].append(application.applicant)
        for position, users in by_position.items():
            notify_many(
                recipients=users,
                event=Event.TICKET_FORFEITED,
                context={
                    "announcement_title": plan.announcement.title,
                    "position_name": f"{position.code} {position.name}",
                    "print_until": _local(plan.print_ends_at),
                    "url": reverse("applicants:applications"),
                },
                dedupe_prefix=f"exam-plan:{plan.pk}:forfeit",
            )
        ExamPlan.objects.filter(pk=plan.pk).update(unprinted_swept_at=now)
    return len(moved)


def unprinted_forfeit_due(*, now=None) -> int:
    """The beat task's work: every plan whose window has closed and that forfeits."""
    now = now or timezone.now()
    total = 0
    plans = ExamPlan.objects.filter(
        unprinted_forfeits=True, tickets_issued_at__isnull=False, print_ends_at__lte=now
    ).select_related("announcement")
    for plan in plans:
        total += unprinted_forfeit(plan=plan, now=now)
    return total


def ticket_pdfs_purge_due(*, now=None) -> int:
    """Delete the stored ticket PDFs (they hold names, ID numbers and photos) of every plan
    whose printing window has closed: nobody may download a ticket then. Idempotent.
    Returns how many files went."""
    from ..selectors.tickets import ticket_pdfs_purge

    now = now or timezone.now()
    ids = ExamPlan.objects.filter(print_ends_at__lte=now).values_list("announcement_id", flat=True)
    return sum(ticket_pdfs_purge(announcement_id) for announcement_id in ids)


# --- Reminder the day before -----------------------------------------------------------------


def exam_reminders_send(*, now=None) -> int:
    """Remind each ticket holder the day before each of their sessions (local dates). The
    dedupe key makes a rerun on the same day send nothing more."""
    from notifications.events import Event
    from notifications.services import notify_many

    from ..models import ExamSession

    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timezone.timedelta(days=1)
    sent = 0
    sessions = (
        ExamSession.objects.filter(plan__tickets_issued_at__isnull=False, starts_at__date=tomorrow)
        .select_related("plan__announcement")
        .prefetch_related("positions")
    )
    for session in sessions:
        plan = session.plan
        tickets = Ticket.objects.filter(
            announcement_id=plan.announcement_id, application__stage=Stage.TICKET_ISSUED
        ).select_related("application__applicant", "application__position", "room__venue")
        position_ids = {p.pk for p in session.positions.all()}
        if position_ids:
            tickets = tickets.filter(application__position_id__in=position_ids)
        groups = defaultdict(list)
        for ticket in tickets:
            key = (ticket.application.position, ticket.room.venue)
            groups[key].append(ticket.application.applicant)
        for (position, venue), users in groups.items():
            sent += notify_many(
                recipients=users,
                event=Event.EXAM_REMINDER,
                context={
                    "announcement_title": plan.announcement.title,
                    "position_name": f"{position.code} {position.name}",
                    "subject": session.subject,
                    "starts_at": _local(session.starts_at),
                    "venue": f"{venue.name}（{venue.address}）",
                    "url": reverse("applicants:applications"),
                },
                dedupe_prefix=f"exam-session:{session.pk}:reminder",
            )
    return sent
