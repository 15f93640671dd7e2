"""The 加试通知 (extra test notice) of a confirmed ranking (issue 17): the candidates of a group
of equals straddling the last post (RankingRow.extra_test) are told that they must sit an
extra test, with the date, time and place the administrator gives (notifications event
"extra_test_notice"). The 加试 scores are then entered (exams.services.extra_test) and the
next ranking run decides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import Event
from notifications.models import Notification
from portal import audit

from ..models_ranking import RankingRow, RankingVersion
from .ranking import _check_admin
from .ranking_publish import notify_untold

# The administrator's words, kept as typed (outer spaces and a final full stop aside: the
# message adds its own). Lengths in characters.
FIELD_LIMITS = {"test_date": 40, "test_time": 40, "test_place": 100}
_TRAILING = " \t\r\n\u3000。．.；;，,、"


def dedupe_key(version_id: int, application_id: int) -> str:
    return f"extra_test_notice:{version_id}:{application_id}"


def notice_sent(version: RankingVersion) -> bool:
    """Whether the 加试通知 of `version` went out (to at least one candidate; one query)."""
    return Notification.objects.filter(dedupe_key__startswith=f"extra_test_notice:{version.pk}:").exists()


def _clean(values: dict) -> dict[str, str]:
    cleaned, errors = {}, {}
    for name, limit in FIELD_LIMITS.items():
        text = str(values.get(name) or "").strip().rstrip(_TRAILING)
        if len(text) > limit:
            errors[name] = _("最多 %(n)s 个字。") % {"n": limit}
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def extra_test_notice_send(
    *, version: RankingVersion, actor, test_date: str = "", test_time: str = "", test_place: str = ""
) -> int:
    """Tell every candidate flagged for the 加试 in the confirmed `version` (administrators)
    that they must sit it: announcement, position, and the date, time and place as typed
    (each optional; the message says what is still to be announced). The notifications are
    written in this transaction under the version's row lock and sent after commit; the
    dedupe key per version and application makes a second send (a double click, a second
    administrator) write nothing. Audited on the version with what was sent.
    Returns how many candidates were told now (0 when all had been told already).
    Raises PermissionDenied (not an administrator), ValidationError (a field too long; the
    version not confirmed; nobody flagged)."""
    _check_admin(actor)
    values = _clean({"test_date": test_date, "test_time": test_time, "test_place": test_place})
    with transaction.atomic():
        fresh = RankingVersion.objects.select_for_update().select_related("announcement").get(pk=version.pk)
        if fresh.status != RankingVersion.Status.CONFIRMED:
            raise ValidationError(_("排名版本确认后才能发送加试通知。"))
        rows = list(
            RankingRow.objects.filter(version=fresh, extra_test=True)
            .select_related("application__applicant", "position")
            .order_by("pk")
        )
        if not rows:
            raise ValidationError(_("本版排名没有需要加试的考生。"))
        told = notify_untold(
            (
                (
                    row.application.applicant,
                    {
                        "announcement_title": fresh.announcement.title,
                        "position_name": row.position.name,
                        "url": reverse("applicants:application", args=[row.application_id]),
                        **values,
                    },
                    dedupe_key(fresh.pk, row.application_id),
                )
                for row in rows
            ),
            event=Event.EXTRA_TEST_NOTICE,
        )
        if told:
            audit.record(
                actor,
                fresh,
                audit.CHANGE,
                note=_("发送加试通知 %(n)s 人；时间：%(when)s；地点：%(where)s")
                % {
                    "n": told,
                    "when": " ".join(v for v in (values["test_date"], values["test_time"]) if v)
                    or _("另行通知"),
                    "where": values["test_place"] or _("另行通知"),
                },
            )
    return told
