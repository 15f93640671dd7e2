"""The reviewer's workbench block (portal.workbench): for each announcement assigned to the
reviewer, the applications waiting for a decision, with one click to them in the queue;
the announcement whose oldest waiting application came in first comes first.

The counts are the review queue's own (selectors' per-announcement stage counters, moved
by every committed transition), so the workbench and the queue's tabs never disagree.
Queries: the reviewer's announcements (one, small); the counters (cache; one grouped
COUNT when cold, the same the queue would run); the oldest waiting submission per
announcement (one grouped MIN, cached like the queue's filtered counts: a few seconds,
dropped by the next stage change).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applicants.models import Application, Stage
from portal.workbench import Block, register

from . import selectors

WAITING = Stage.SUBMITTED


def _counts(announcement_ids: list[int]) -> dict[int, dict[str, int]]:
    """{announcement id: {stage: n}} from the queue's counters (selectors._counter_key),
    recounting the announcements whose keys are missing in one grouped query and storing
    them for the queue as well."""
    stages = selectors.REVIEWABLE_STAGES
    keys = {(pk, stage): selectors._counter_key(pk, stage) for pk in announcement_ids for stage in stages}
    found = cache.get_many(list(keys.values()))
    missing = sorted({pk for (pk, _stage), key in keys.items() if key not in found})
    if missing:
        fresh = {keys[(pk, stage)]: 0 for pk in missing for stage in stages}
        rows = (
            Application.objects.filter(announcement_id__in=missing, stage__in=stages)
            .order_by()
            .values("announcement_id", "stage")
            .annotate(n=Count("*"))
        )
        for row in rows:
            fresh[keys[(row["announcement_id"], row["stage"])]] = row["n"]
        cache.set_many(fresh, selectors.COUNTER_SECONDS)
        found.update(fresh)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in announcement_ids}
    for (pk, stage), key in keys.items():
        counts[pk][stage] = found.get(key) or 0
    return counts


def _oldest_waiting(announcement_ids: list[int]) -> dict[int, object]:
    """{announcement id: submitted_at of its oldest waiting application}, one grouped query
    cached for STAGE_COUNTS_SECONDS under the queue's counts version."""
    if not announcement_ids:
        return {}
    version = cache.get(selectors._COUNTS_VERSION_KEY, 0)
    key = f"review:workbench-oldest:{version}:{','.join(map(str, sorted(announcement_ids)))}"
    oldest = cache.get(key)
    if oldest is None:
        rows = (
            Application.objects.filter(announcement_id__in=announcement_ids, stage=WAITING)
            .order_by()
            .values("announcement_id")
            .annotate(oldest=Min("submitted_at"))
        )
        oldest = {row["announcement_id"]: row["oldest"] for row in rows}
        cache.set(key, oldest, selectors.STAGE_COUNTS_SECONDS)
    return oldest


def pending_by_announcement(user) -> dict:
    """{"rows": [{"pk", "title", "waiting", "returned", "oldest", "url"}…], "total": n}:
    the announcements with applications waiting, oldest waiting first, then the others."""
    announcements = list(
        selectors.announcements_for_reviewer(user).order_by("pk").values("pk", "title", "review_deadline")
    )
    ids = [row["pk"] for row in announcements]
    counts = _counts(ids)
    oldest = _oldest_waiting(ids)
    queue = reverse("review:queue")
    rows = []
    for announcement in announcements:
        pk = announcement["pk"]
        rows.append(
            {
                "pk": pk,
                "title": announcement["title"],
                "review_deadline": announcement["review_deadline"],
                "waiting": counts[pk].get(WAITING, 0),
                "returned": counts[pk].get(Stage.RETURNED, 0),
                "oldest": oldest.get(pk) if counts[pk].get(WAITING) else None,
                "url": f"{queue}?announcement={pk}&stage={WAITING}",
            }
        )
    rows.sort(key=lambda row: (row["oldest"] is None, row["oldest"] or 0, row["pk"]))
    return {"rows": rows, "total": sum(row["waiting"] for row in rows)}


register(
    Block(
        key="reviewer-pending",
        title=_("待审核的报名"),
        roles=(Role.REVIEWER,),
        template="portal/workbench/review_pending.html",
        context=pending_by_announcement,
        order=20,
        icon="clipboard-check",
    )
)
