"""Corrections (更正公告) and supplements (补充公告): the only way a published announcement
or its positions change.

``correction_publish`` applies the changed fields, records each one as before → after on
the Correction (shown on the public page as a history), audits it, and notifies the
applicants concerned through the audiences the applicants app registers with
notifications (``announcement_applicants`` / ``position_applicants``): recruitment never
imports applicants.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Announcement, Correction, Position
from .services import (
    ANNOUNCEMENT_FIELDS,
    _event,
    _lock,
    fill_birth_range,
    refresh_birth_ranges,
    schedule_problems,
)

# What a correction may change. Quotas change by reduction or cancellation (their own
# services and notices); the position code identifies applications and stays.
CORRECTABLE_ANNOUNCEMENT_FIELDS = ANNOUNCEMENT_FIELDS - {"tie_breakers"}
CORRECTABLE_POSITION_FIELDS = {
    "name",
    "district",
    "street",
    "community",
    "min_age",
    "max_age",
    "max_age_experienced",
    "experienced_years",
    "born_on_or_after",
    "born_on_or_before",
    "min_education",
    "majors",
    "household_regions",
    "household_settled_before",
    "political_requirement",
    "min_experience_years",
    "other_conditions",
}
OPEN_STATUSES = (Announcement.Status.PUBLISHED, Announcement.Status.CLOSED)


def display_value(instance, name: str) -> str:
    """A field's value as the public reads it (choice labels, local times with seconds)."""
    value = getattr(instance, name)
    field = instance._meta.get_field(name)
    if value is None or value == "" or value == []:
        return "—"
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _diff(instance, fields: dict, *, obj: str, position=None) -> list[dict]:
    changes = []
    for name, value in fields.items():
        if getattr(instance, name) == value:
            continue
        before = display_value(instance, name)
        setattr(instance, name, value)
        change = {"object": obj, "field": name, "before": before, "after": display_value(instance, name)}
        if position is not None:
            change.update(position_id=position.pk, position_code=position.code)
        changes.append(change)
    return changes


def _check_deadline(announcement: Announcement, fields: dict, now) -> None:
    """Once registration is open, its deadline may be extended, never brought forward, and
    its opening time no longer moves (people have applied under it)."""
    if announcement.registration_opens_at > now:
        return
    errors = {}
    closes = fields.get("registration_closes_at")
    if closes is not None and closes < announcement.registration_closes_at:
        errors["registration_closes_at"] = _(
            "报名已开始，报名截止时间只能延长，不能提前（现为 %(current)s）。"
        ) % {"current": display_value(announcement, "registration_closes_at")}
    opens = fields.get("registration_opens_at")
    if opens is not None and opens != announcement.registration_opens_at:
        errors["registration_opens_at"] = _("报名已开始，报名开始时间不能再修改。")
    if errors:
        raise ValidationError(errors)


def _audience(announcement: Announcement, positions: list[Position], whole_announcement: bool):
    """The applicants concerned, from the audiences applicants registers (none when no app
    registered them, e.g. recruitment alone)."""
    from notifications.audiences import UnknownAudience, get_audience

    try:
        if whole_announcement or not positions:
            return list(get_audience("announcement_applicants").func(announcement_id=announcement.pk))
        func = get_audience("position_applicants").func
    except UnknownAudience:
        return []
    people = {}
    for position in positions:
        for user in func(position_id=position.pk):
            people[user.pk] = user
    return list(people.values())


@transaction.atomic
def correction_publish(
    *,
    actor,
    announcement: Announcement,
    kind: str,
    title: str,
    reason: str,
    body: str = "",
    fields: dict | None = None,
    position: Position | None = None,
    position_fields: dict | None = None,
    now: datetime.datetime | None = None,
) -> Correction:
    """Publish a correction or supplement, applying ``fields`` (announcement field name →
    new value) and ``position_fields`` (to ``position``) in the same transaction.

    Records every changed field as before → after (display values), audits it
    (RecruitmentEvent ``correction_published``), re-derives the positions' birth-date
    ranges when the age reference date moved, and notifies the applicants of the affected
    positions (all of the announcement's when an announcement field changed or nothing
    did) with Event.ANNOUNCEMENT_CORRECTED (inbox, e-mail, SMS).

    Raises ValidationError (a dict by field where it can) when the announcement is not
    published or closed, title or reason is empty, the registration deadline would come
    earlier once registration is open, or the schedule becomes inconsistent. ValueError
    for a field a correction may not change (a programming error)."""
    from notifications.events import Event
    from notifications.services import notify_many

    now = now or timezone.now()
    fields = dict(fields or {})
    position_fields = dict(position_fields or {})
    if kind not in Correction.Kind.values:
        raise ValueError(f"unknown correction kind: {kind!r}")
    unknown = (set(fields) - CORRECTABLE_ANNOUNCEMENT_FIELDS) | (
        set(position_fields) - CORRECTABLE_POSITION_FIELDS
    )
    if unknown:
        raise ValueError(f"fields a correction may not change: {sorted(unknown)}")
    if position_fields and position is None:
        raise ValueError("position_fields need a position")
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写标题。")
    if not (reason or "").strip():
        errors["reason"] = _("请填写更正或补充的原因。")
    if errors:
        raise ValidationError(errors)

    announcement = _lock(announcement)
    if announcement.status not in OPEN_STATUSES:
        raise ValidationError(_("只有已发布或已结束报名的公告可以发布更正公告或补充公告。"))
    _check_deadline(announcement, fields, now)
    reference_date = announcement.reference_date
    changes = _diff(announcement, fields, obj="announcement")
    if changes:
        announcement.full_clean()
        problems = schedule_problems(announcement)
        if problems:
            raise ValidationError(problems)
        announcement.save()

    affected = []
    if position is not None:
        position = Position.objects.select_for_update().get(pk=position.pk, announcement=announcement)
        position.announcement = announcement
        if not position.birth_range_custom:
            for name in ("born_on_or_after", "born_on_or_before"):
                position_fields.setdefault(name, None)
        before = {name: display_value(position, name) for name in ("born_on_or_after", "born_on_or_before")}
        position_changes = _diff(
            position,
            {k: v for k, v in position_fields.items() if k not in ("born_on_or_after", "born_on_or_before")},
            obj="position",
            position=position,
        )
        for name in ("born_on_or_after", "born_on_or_before"):
            setattr(position, name, position_fields.get(name, getattr(position, name)))
        fill_birth_range(position, announcement.reference_date)
        for name in ("born_on_or_after", "born_on_or_before"):
            after = display_value(position, name)
            if after != before[name]:
                position_changes.append(
                    {
                        "object": "position",
                        "position_id": position.pk,
                        "position_code": position.code,
                        "field": name,
                        "before": before[name],
                        "after": after,
                    }
                )
        if position_changes:
            position.full_clean()
            position.save()
            changes += position_changes
        affected.append(position)  # a notice about one position goes to its applicants
    if announcement.reference_date != reference_date:
        # The age reference date moved (it follows the registration deadline unless set):
        # the derived birth dates move with it, and are published as changes too.
        for item in refresh_birth_ranges(announcement):
            position_changed = item["position"]
            changes.append(
                {
                    "object": "position",
                    "position_id": position_changed.pk,
                    "position_code": position_changed.code,
                    "field": item["field"],
                    "before": item["before"].isoformat() if item["before"] else "—",
                    "after": item["after"].isoformat() if item["after"] else "—",
                }
            )

    correction = Correction.objects.create(
        announcement=announcement,
        kind=kind,
        title=title.strip(),
        body=body or "",
        reason=reason.strip(),
        changes=changes,
        published_at=now,
        published_by=actor,
    )
    whole = any(change["object"] == "announcement" for change in changes) or not affected
    recipients = _audience(announcement, affected, whole)
    correction.notified_count = notify_many(
        recipients=recipients,
        event=Event.ANNOUNCEMENT_CORRECTED,
        context={
            "announcement_title": announcement.title,
            "position_name": "、".join(f"{p.code} {p.name}" for p in affected),
            "correction_title": correction.title,
            "correction_kind": correction.get_kind_display(),
            "reason": correction.reason,
            "url": f"/announcements/{announcement.pk}/#correction-{correction.pk}",
        },
        dedupe_prefix=f"correction:{correction.pk}",
    )
    correction.save(update_fields=["notified_count"])
    _event(
        announcement=announcement,
        position=affected[0] if len(affected) == 1 else None,
        actor=actor,
        action="correction_published",
        to_value=correction.title,
        reason=correction.reason,
    )
    return correction
