"""What every workforce service shares: the audit row and the worker's group."""

from __future__ import annotations

from django.contrib.auth.models import Group

from ..models import WORKER_GROUP, Worker, WorkerEvent


def log(worker: Worker, actor, action: str, *, detail: dict | None = None, reason: str = "") -> WorkerEvent:
    """The audit row of a decision about `worker`; call inside the change's transaction."""
    return WorkerEvent.objects.create(
        worker=worker,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        detail={key: str(value) for key, value in (detail or {}).items()},
        reason=reason,
    )


def join_worker_group(user) -> None:
    group, _created = Group.objects.get_or_create(name=WORKER_GROUP)
    user.groups.add(group)


class WorkforceError(ValueError):
    """A refusal the person acting must read: `message` for the page, `field` where it belongs."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
