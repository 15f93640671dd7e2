"""The one way an application's stage changes: a conditional UPDATE plus an audit row.

The UPDATE matches the expected stage(s) and, when given, the version the user saw, so
two reviewers (or a double-click) can never both move the same application: the second
finds no row to update and gets StaleApplication. Call inside transaction.atomic().
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Application, ApplicationEvent

# Sent after the commit of every stage change, with announcement_id, from_stage and
# to_stage: higher apps (the review console's counters, later the exams and reports) keep
# what they derive from stages fresh without applicants importing them.
stage_changed = Signal()


class StaleApplication(Exception):
    """The application changed since the caller read it (other reviewer, other tab)."""

    message = _("该报名信息已被他人处理或已更新，请刷新页面后查看最新状态再操作。")


def transition(
    application: Application,
    *,
    to_stage: str,
    actor,
    from_stages: Iterable[str],
    reason: str = "",
    expected_version: int | None = None,
    **fields,
) -> Application:
    """Move `application` to `to_stage` if it is still in one of `from_stages` (and at
    `expected_version`), setting `fields` too; write the audit row; return it refreshed."""
    from_stages = list(from_stages)
    matching = Application.objects.filter(pk=application.pk, stage__in=from_stages)
    if expected_version is not None:
        matching = matching.filter(version=expected_version)
    previous_stage = application.stage
    updated = matching.update(stage=to_stage, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise StaleApplication(StaleApplication.message)
    ApplicationEvent.objects.create(
        application=application, actor=actor, from_stage=previous_stage, to_stage=to_stage, reason=reason
    )
    announcement_id = application.announcement_id
    transaction.on_commit(
        lambda: stage_changed.send(
            sender=Application, announcement_id=announcement_id, from_stage=previous_stage, to_stage=to_stage
        )
    )
    _refresh_keeping_relations(application)
    return application


def _refresh_keeping_relations(application: Application) -> None:
    """refresh_from_db() forgets every related object loaded with the application (its
    applicant, announcement…), and the caller's notification then fetched each again: keep
    those whose foreign key did not change."""
    loaded = [
        (field, field.get_cached_value(application))
        for field in Application._meta.concrete_fields
        if field.is_relation and field.is_cached(application)
    ]
    application.refresh_from_db()
    for field, related in loaded:
        if related is not None and getattr(application, field.attname) == related.pk:
            field.set_cached_value(application, related)


def transition_many(
    application_ids: Iterable[int],
    *,
    to_stage: str,
    actor,
    from_stages: Iterable[str],
    reason: str = "",
    **fields,
) -> list[int]:
    """Move many applications at once (seating 50,000 candidates, marking a room absent):
    the rows still in one of `from_stages` are locked in primary-key order (no deadlock with
    another bulk move), moved by one UPDATE, and audited by one bulk insert of
    ApplicationEvent rows; `stage_changed` is sent after commit once per (announcement,
    from_stage) pair with `count`. Rows no longer in `from_stages` are skipped, not an
    error. Call inside transaction.atomic(). Returns the ids moved, ascending."""
    ids = sorted(set(application_ids))
    if not ids:
        return []
    from_stages = list(from_stages)
    if fields or connection.vendor != "postgresql":
        rows = list(
            Application.objects.filter(pk__in=ids, stage__in=from_stages)
            .order_by("pk")
            .select_for_update(of=("self",))
            .values_list("pk", "stage", "announcement_id")
        )
        if not rows:
            return []
        Application.objects.filter(pk__in=[pk for pk, _stage, _announcement in rows]).update(
            stage=to_stage, version=F("version") + 1, updated_at=timezone.now(), **fields
        )
    else:
        rows = _lock_and_move(ids, from_stages=from_stages, to_stage=to_stage)
        if not rows:
            return []
    moved = [pk for pk, _stage, _announcement in rows]
    actor_id = getattr(actor, "pk", actor)
    _insert_events(rows, actor_id=actor_id, to_stage=to_stage, reason=reason)
    pairs: dict[tuple[int, str], int] = {}
    for _pk, stage, announcement_id in rows:
        pairs[(announcement_id, stage)] = pairs.get((announcement_id, stage), 0) + 1

    def send():
        for (announcement_id, from_stage), count in pairs.items():
            stage_changed.send(
                sender=Application,
                announcement_id=announcement_id,
                from_stage=from_stage,
                to_stage=to_stage,
                count=count,
            )

    transaction.on_commit(send)
    return moved


def _insert_events(rows, *, actor_id, to_stage: str, reason: str) -> None:
    """The audit rows of transition_many. On PostgreSQL one INSERT … SELECT FROM unnest(…)
    of arrays (50,000 rows: Django's bulk_create spent seconds building model instances and
    parameters); elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=pk, actor_id=actor_id, from_stage=stage, to_stage=to_stage, reason=reason
                )
                for pk, stage, _announcement in rows
            ],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(ApplicationEvent._meta.db_table)
    sql = (
        f"INSERT INTO {table} (application_id, actor_id, from_stage, to_stage, reason, at)"  # noqa: S608 - table name only
        " SELECT a, %s, f, %s, %s, %s FROM unnest(%s::bigint[], %s::varchar[]) AS u(a, f)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                actor_id,
                to_stage,
                reason,
                timezone.now(),
                [pk for pk, _s, _a in rows],
                [s for _p, s, _a in rows],
            ],
        )


def _lock_and_move(ids: list[int], *, from_stages: list[str], to_stage: str) -> list[tuple[int, str, int]]:
    """PostgreSQL: lock the rows still in `from_stages` in primary-key order and move them
    in one statement, returning (id, previous stage, announcement id) sorted by id."""
    table = connection.ops.quote_name(Application._meta.db_table)
    sql = (
        f"UPDATE {table} AS a SET stage = %s, version = a.version + 1, updated_at = %s"  # noqa: S608 - table name only
        f" FROM (SELECT id, stage FROM {table} WHERE id = ANY(%s) AND stage = ANY(%s) ORDER BY id FOR UPDATE) AS o"
        " WHERE a.id = o.id RETURNING a.id, o.stage, a.announcement_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [to_stage, timezone.now(), ids, [str(stage) for stage in from_stages]])
        return sorted(cursor.fetchall())
