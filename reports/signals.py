"""What moves the reports' figures, and the receivers that mark them stale.

Every receiver bumps the announcement's version after the commit (reports.selectors):
the next dashboard view recomputes. Connected in ReportsConfig.ready.
"""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from . import selectors

_local = threading.local()


def _later(announcement_id) -> None:
    """Invalidate after the commit, once per announcement and transaction: an import of
    50,000 scores saves 50,000 rows and bumps the version once. The pending set belongs to
    the connection's current list of commit hooks (a new list after a commit or rollback)
    and is done with once its hook ran."""
    if announcement_id is None:
        return
    if not connection.in_atomic_block:
        _invalidate(announcement_id)
        return
    pending = getattr(_local, "pending", None)
    if pending is None or pending["hooks"] is not connection.run_on_commit or pending["ran"]:
        pending = {"hooks": None, "keys": set(), "ran": False}
        transaction.on_commit(lambda state=pending: _flush(state))
        pending["hooks"] = connection.run_on_commit
        _local.pending = pending
    pending["keys"].add(announcement_id)


WORKFORCE = "workforce"


def _invalidate(key) -> None:
    if key == WORKFORCE:
        from . import workforce_stats as workforce  # noqa: PLC0415

        workforce.invalidate()
    else:
        selectors.invalidate(key)


def _flush(state: dict) -> None:
    state["ran"] = True
    for key in state["keys"]:
        _invalidate(key)


def on_stage_changed(sender, *, announcement_id, **kwargs) -> None:
    """applicants.transitions.stage_changed is sent after the commit already."""
    selectors.invalidate(announcement_id)


def on_position_changed(sender, *, position, **kwargs) -> None:
    _later(position.announcement_id)


def on_announcement_saved(sender, *, instance, **kwargs) -> None:
    """A saved score, result, ticket or position: its announcement's figures move."""
    _later(getattr(instance, "announcement_id", None))


def on_attendance_saved(sender, *, instance, **kwargs) -> None:
    ticket = instance.ticket if sender.ticket.is_cached(instance) else None
    if ticket is not None:
        _later(ticket.announcement_id)
        return
    from exams.models import Ticket  # noqa: PLC0415

    _later(Ticket.objects.filter(pk=instance.ticket_id).values_list("announcement_id", flat=True).first())


def on_workforce_saved(sender, **kwargs) -> None:
    """Any saved worker, assessment, side job or training record moves the workforce reports."""
    _later(WORKFORCE)


def connect() -> None:
    from applicants.transitions import stage_changed
    from exams.models import Attendance, Ticket
    from exams.models_written import PositionResult, WrittenScore
    from recruitment.models import Position
    from recruitment.signals import position_changed

    stage_changed.connect(on_stage_changed, dispatch_uid="reports.stage_changed")
    position_changed.connect(on_position_changed, dispatch_uid="reports.position_changed")
    for model in (WrittenScore, PositionResult, Ticket, Position):
        for signal in (post_save, post_delete):
            signal.connect(
                on_announcement_saved, sender=model, dispatch_uid=f"reports.{model.__name__}.{signal}"
            )
    for signal in (post_save, post_delete):
        signal.connect(on_attendance_saved, sender=Attendance, dispatch_uid=f"reports.attendance.{signal}")
    from workforce import models as workforce_models

    for name in (
        "Worker",
        "Assessment",
        "AssessmentRound",
        "SideJob",
        "TrainingAttendance",
        "TrainingSession",
        "WorkforceSettings",
    ):
        model = getattr(workforce_models, name)
        for signal in (post_save, post_delete):
            signal.connect(
                on_workforce_saved, sender=model, dispatch_uid=f"reports.workforce.{name}.{signal}"
            )
