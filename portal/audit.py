"""Audit records for changes that have no event table of their own (profiles, files,
the rejection-reason catalogue, message wording): Django's admin LogEntry, so each object's
history shows under "History" in Django admin with who, when and which fields.

Stage changes have their own tables (applicants.ApplicationEvent, recruitment.RecruitmentEvent).
Call inside the transaction of the change. Shared by every app, like portal.navigation.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation

__all__ = ["ADDITION", "CHANGE", "DELETION", "record"]


def record(actor, obj, action: int, *, fields=(), note: str = "") -> LogEntry | None:
    """`actor` is a user or a user id; `fields` are field names (shown by their verbose
    names in the admin history); `note` says why, where there is a reason worth keeping."""
    actor_id = actor if isinstance(actor, int) else getattr(actor, "pk", None)
    if actor_id is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):  # the record in the portal's language
        message = _message(obj, action, fields)
        if note:
            message.append(note)
        text = _text(message) if note else json.dumps(message, ensure_ascii=False)
        return LogEntry.objects.log_actions(actor_id, [obj], action, change_message=text, single_object=True)


def _message(obj, action: int, fields) -> list:
    message = []
    if action == ADDITION:
        message.append({"added": {}})
    elif action == CHANGE and fields:
        names = []
        for name in fields:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            # A related list (education, work…) has no verbose name: named as given.
            names.append(str(getattr(field, "verbose_name", name)))
        message.append({"changed": {"fields": names}})
    elif action == DELETION:
        message.append({"deleted": {}})
    return message


def _text(message: list) -> str:
    """LogEntry shows a JSON list as structured and anything else as text: with a note, text."""
    parts = []
    for item in message:
        if isinstance(item, dict):
            for verb, detail in item.items():
                fields = detail.get("fields") if isinstance(detail, dict) else None
                parts.append(f"{verb}: {', '.join(fields)}" if fields else verb)
        else:
            parts.append(str(item))
    return "; ".join(parts)
