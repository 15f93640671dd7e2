"""Every change to announcements and positions: one function each, keyword-only arguments,
in a transaction, with a RecruitmentEvent audit row (who, what, from → to, why)."""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role

from . import hooks, page_cache
from .age_rules import birth_range
from .models import (
    Announcement,
    AnnouncementAttachment,
    BonusCategory,
    Position,
    RecruitmentEvent,
    ReviewerAssignment,
)
from .selectors import position_counts_invalidate
from .signals import ACTION_CANCELLED, ACTION_REDUCED, position_changed

PDF_MAX_BYTES = 10 * 1024 * 1024


def _event(*, announcement, actor, action, position=None, from_value="", to_value="", reason=""):
    # Every audited change also renews the public page (page_cache), once committed, so a
    # reduced or cancelled position shows at once.
    transaction.on_commit(partial(page_cache.bump_version, announcement.pk))
    return RecruitmentEvent.objects.create(
        announcement=announcement,
        position=position,
        actor=actor,
        action=action,
        from_value=str(from_value)[:100],
        to_value=str(to_value)[:100],
        reason=reason,
    )


def _lock(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


def _require_draft(announcement: Announcement):
    if announcement.status != Announcement.Status.DRAFT:
        raise ValidationError(_("公告已发布，只能通过发布更正公告或补充公告修改。"))


# --- Announcements ------------------------------------------------------------------------

ANNOUNCEMENT_FIELDS = {
    f.name
    for f in Announcement._meta.concrete_fields
    if f.name not in {"id", "status", "created_by", "created_at", "updated_at", "published_at"}
}


def _set_bonus_categories(announcement, categories: Iterable[dict] | None):
    """Edit the categories in place: an item with the `id` of a row (or, without one, the
    name of a row) updates that row, so bonus claims (exams.BonusClaim) stay attached to it;
    rows left out are deleted (PROTECT refuses while a claim points at one); the rest are new."""
    if categories is None:
        return
    categories = list(categories)
    existing = {category.pk: category for category in announcement.bonus_categories.all()}
    by_name = {category.name: category for category in existing.values()}
    matched = []
    for item in categories:
        category = existing.get(item.get("id")) or by_name.get(item["name"])
        if category is not None and category.pk in {c.pk for c in matched if c is not None}:
            category = None
        matched.append(category)
    kept = {category.pk for category in matched if category is not None}
    announcement.bonus_categories.exclude(pk__in=kept).delete()
    for item, category in zip(categories, matched, strict=True):
        category = category or BonusCategory(announcement=announcement)
        if category.pk and (category.name, category.points) == (item["name"], item["points"]):
            continue
        category.name, category.points = item["name"], item["points"]
        category.full_clean()
        category.save()


@transaction.atomic
def announcement_create(
    *, actor, fields: dict, bonus_categories: Iterable[dict] | None = None
) -> Announcement:
    unknown = set(fields) - ANNOUNCEMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown announcement fields: {sorted(unknown)}")
    announcement = Announcement(created_by=actor, status=Announcement.Status.DRAFT, **fields)
    announcement.full_clean()
    announcement.save()
    _set_bonus_categories(announcement, bonus_categories)
    _event(announcement=announcement, actor=actor, action="created", to_value=announcement.status)
    return announcement


@transaction.atomic
def announcement_update(
    *, actor, announcement: Announcement, fields: dict, bonus_categories: Iterable[dict] | None = None
) -> Announcement:
    announcement = _lock(announcement)
    _require_draft(announcement)
    unknown = set(fields) - ANNOUNCEMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown announcement fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(announcement, name) != value]
    reference_date = announcement.reference_date
    for name, value in fields.items():
        setattr(announcement, name, value)
    announcement.full_clean()
    announcement.save()
    _set_bonus_categories(announcement, bonus_categories)
    if announcement.reference_date != reference_date:
        refresh_birth_ranges(announcement)
    _event(announcement=announcement, actor=actor, action="updated", to_value=",".join(changed))
    return announcement


def publish_problems(announcement: Announcement, now=None) -> list[str]:
    """Every reason why the announcement cannot be published yet (empty: it can)."""
    now = now or timezone.now()
    a = announcement
    problems = []
    if not a.title.strip() or not a.body.strip():
        problems.append(_("公告标题和正文不能为空。"))
    if a.registration_closes_at <= now:
        problems.append(_("报名截止时间已过，不能发布。"))
    problems += schedule_problems(a)
    positions = list(a.positions.all())
    if not positions:
        problems.append(_("公告还没有岗位。"))
    for position in positions:
        if position.quota <= 0:
            problems.append(_("岗位 %(code)s 的招聘人数必须大于 0。") % {"code": position.code})
        if position.max_age < position.min_age:
            problems.append(_("岗位 %(code)s 的年龄范围有误。") % {"code": position.code})
    return problems


def schedule_problems(a: Announcement) -> list[str]:
    """Every inconsistency of the schedule (empty: none); also checked by corrections."""
    problems = []
    if a.registration_closes_at <= a.registration_opens_at:
        problems.append(_("报名截止时间必须晚于报名开始时间。"))
    if a.review_deadline < a.registration_closes_at:
        problems.append(_("资格审核截止时间不能早于报名截止时间。"))
    if a.interview_at:
        if a.interview_at <= a.review_deadline:
            problems.append(_("面试时间必须晚于资格审核截止时间。"))
        # The written exam's times live in its exam plan (exams), read through the hook.
        exam = hooks.exam_schedule(a) if a.pk else None
        if exam and exam.last_ends_at and a.interview_at <= exam.last_ends_at:
            problems.append(_("面试时间必须晚于笔试时间。"))
    return problems


def publish_summary(announcement: Announcement) -> dict:
    """What the administrator confirms before publishing: positions, quotas, the window."""
    positions = list(announcement.positions.all())
    return {
        "position_count": len(positions),
        "total_quota": sum(position.quota for position in positions),
        "districts": sorted({position.district for position in positions}),
        "registration_opens_at": announcement.registration_opens_at,
        "registration_closes_at": announcement.registration_closes_at,
        "review_deadline": announcement.review_deadline,
        "reference_date": announcement.reference_date,
    }


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement) -> Announcement:
    announcement = _lock(announcement)
    if announcement.status != Announcement.Status.DRAFT:
        raise ValidationError(_("只有草稿状态的公告可以发布。"))
    problems = publish_problems(announcement)
    if problems:
        raise ValidationError(problems)
    announcement.status = Announcement.Status.PUBLISHED
    announcement.published_at = timezone.now()
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    _event(
        announcement=announcement, actor=actor, action="published", from_value="draft", to_value="published"
    )
    return announcement


@transaction.atomic
def announcement_close(*, actor, announcement: Announcement, reason: str = "") -> Announcement:
    announcement = _lock(announcement)
    if announcement.status != Announcement.Status.PUBLISHED:
        raise ValidationError(_("只有已发布的公告可以结束。"))
    announcement.status = Announcement.Status.CLOSED
    announcement.save(update_fields=["status", "updated_at"])
    _event(
        announcement=announcement,
        actor=actor,
        action="closed",
        from_value="published",
        to_value="closed",
        reason=reason,
    )
    return announcement


@transaction.atomic
def announcement_archive(*, actor, announcement: Announcement) -> Announcement:
    announcement = _lock(announcement)
    if announcement.status != Announcement.Status.CLOSED:
        raise ValidationError(_("只有已结束的公告可以归档。"))
    announcement.status = Announcement.Status.ARCHIVED
    announcement.save(update_fields=["status", "updated_at"])
    _event(
        announcement=announcement, actor=actor, action="archived", from_value="closed", to_value="archived"
    )
    return announcement


# --- Attachments --------------------------------------------------------------------------


def validate_pdf(upload) -> None:
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(_("PDF 文件不能超过 10 MB。"))
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        raise ValidationError(_("只能上传 PDF 文件。"))


@transaction.atomic
def attachment_add(*, actor, announcement: Announcement, title: str, upload) -> AnnouncementAttachment:
    announcement = _lock(announcement)
    if announcement.status == Announcement.Status.ARCHIVED:
        raise ValidationError(_("已归档的公告不能添加附件。"))
    validate_pdf(upload)
    upload.name = "attachment.pdf"  # the stored name is ours; the title is what people see
    attachment = AnnouncementAttachment(announcement=announcement, title=title)
    attachment.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{announcement.pk}.pdf", upload, save=False)
    attachment.save()
    _event(announcement=announcement, actor=actor, action="attachment_added", to_value=title)
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: AnnouncementAttachment) -> None:
    announcement = _lock(attachment.announcement)
    if announcement.status == Announcement.Status.ARCHIVED:
        raise ValidationError(_("已归档的公告不能删除附件。"))
    title = attachment.title
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _event(announcement=announcement, actor=actor, action="attachment_removed", from_value=title)


# --- Positions ----------------------------------------------------------------------------

POSITION_FIELDS = {
    f.name
    for f in Position._meta.concrete_fields
    if f.name not in {"id", "announcement", "original_quota", "status", "status_reason", "birth_range_custom"}
}


def fill_birth_range(position: Position, reference_date) -> None:
    """State the age bounds as birth dates (recruitment.age_rules): a date left empty is
    derived from the ages and the reference date; a date the administrator wrote that
    differs from the derived one is kept, and marks the range as custom."""
    derived = birth_range(position.min_age, position.max_age, reference_date)
    after, before = position.born_on_or_after, position.born_on_or_before
    position.birth_range_custom = bool(
        (after and after != derived.earliest) or (before and before != derived.latest)
    )
    position.born_on_or_after = after or derived.earliest
    position.born_on_or_before = before or derived.latest


def refresh_birth_ranges(announcement: Announcement) -> list[dict]:
    """Re-derive the birth-date ranges of the positions whose range was not written by an
    administrator, after the reference date moved. Returns what changed, one dict per
    position and date: {"position": Position, "field": name, "before": date, "after": date}."""
    reference_date = announcement.reference_date
    changed, changes = [], []
    for position in announcement.positions.filter(birth_range_custom=False).order_by("code"):
        derived = birth_range(position.min_age, position.max_age, reference_date)
        for name, value in (("born_on_or_after", derived.earliest), ("born_on_or_before", derived.latest)):
            if getattr(position, name) != value:
                changes.append(
                    {"position": position, "field": name, "before": getattr(position, name), "after": value}
                )
                setattr(position, name, value)
        if changes and changes[-1]["position"] is position:
            changed.append(position)
    Position.objects.bulk_update(changed, ["born_on_or_after", "born_on_or_before"])
    return changes


def _position_with(position: Position, fields: dict) -> Position:
    unknown = set(fields) - POSITION_FIELDS
    if unknown:
        raise ValueError(f"unknown position fields: {sorted(unknown)}")
    if not position.birth_range_custom:
        # Derived dates follow the ages: re-derive unless new dates were given.
        for name in ("born_on_or_after", "born_on_or_before"):
            if name not in fields:
                setattr(position, name, None)
    for name, value in fields.items():
        setattr(position, name, value)
    position.original_quota = position.quota
    fill_birth_range(position, position.announcement.reference_date)
    position.full_clean()
    return position


@transaction.atomic
def position_create(*, actor, announcement: Announcement, fields: dict) -> Position:
    announcement = _lock(announcement)
    _require_draft(announcement)
    position = _position_with(Position(announcement=announcement), fields)
    position.save()
    _event(
        announcement=announcement,
        position=position,
        actor=actor,
        action="position_created",
        to_value=position.code,
    )
    return position


@transaction.atomic
def position_update(*, actor, position: Position, fields: dict) -> Position:
    announcement = _lock(position.announcement)
    _require_draft(announcement)
    position = _position_with(Position.objects.get(pk=position.pk), fields)
    position.save()
    _event(
        announcement=announcement,
        position=position,
        actor=actor,
        action="position_updated",
        to_value=position.code,
    )
    return position


@transaction.atomic
def position_delete(*, actor, position: Position) -> None:
    announcement = _lock(position.announcement)
    _require_draft(announcement)
    code = position.code
    position.delete()
    _event(announcement=announcement, actor=actor, action="position_deleted", from_value=code)


@transaction.atomic
def positions_import(*, actor, announcement: Announcement, rows: list[dict], replace: bool) -> list[Position]:
    """Save validated rows (recruitment.importer) all at once: all or none."""
    announcement = _lock(announcement)
    _require_draft(announcement)
    if replace:
        announcement.positions.all().delete()
    created = []
    for fields in rows:
        position = _position_with(Position(announcement=announcement), fields)
        position.save()
        created.append(position)
    _event(
        announcement=announcement,
        actor=actor,
        action="positions_imported",
        to_value=_("%(count)d 个岗位") % {"count": len(created)},
        reason=_("替换原有岗位") if replace else "",
    )
    return created


def _lock_position(position: Position) -> Position:
    return Position.objects.select_for_update().select_related("announcement").get(pk=position.pk)


def _require_published(position: Position):
    if position.announcement.status != Announcement.Status.PUBLISHED:
        raise ValidationError(_("只有已发布公告的岗位可以核减或取消。"))
    if position.status == Position.Status.CANCELLED:
        raise ValidationError(_("该岗位已取消。"))


@transaction.atomic
def position_reduce(*, actor, position: Position, quota: int, reason: str) -> Position:
    """Reduce the quota (核减): 0 < quota < current. Sends recruitment.signals.position_changed."""
    position = _lock_position(position)
    _require_published(position)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写核减原因。")})
    if not 0 < quota < position.quota:
        raise ValidationError(
            {"quota": _("核减后的人数须大于 0 且小于现有人数 %(quota)d。") % {"quota": position.quota}}
        )
    old = position.quota
    position.quota = quota
    position.status = Position.Status.REDUCED
    position.status_reason = reason.strip()[:500]
    position.full_clean()
    position.save(update_fields=["quota", "status", "status_reason"])
    _event(
        announcement=position.announcement,
        position=position,
        actor=actor,
        action="position_reduced",
        from_value=old,
        to_value=quota,
        reason=reason,
    )
    position_changed.send(
        sender=Position, position=position, action=ACTION_REDUCED, reason=reason, actor=actor, old_quota=old
    )
    announcement_id = position.announcement_id
    transaction.on_commit(lambda: position_counts_invalidate(announcement_id))
    return position


@transaction.atomic
def position_cancel(*, actor, position: Position, reason: str) -> Position:
    """Cancel the position (取消): quota 0. Sends recruitment.signals.position_changed."""
    position = _lock_position(position)
    _require_published(position)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    old = position.quota
    position.quota = 0
    position.status = Position.Status.CANCELLED
    position.status_reason = reason.strip()[:500]
    position.full_clean()
    position.save(update_fields=["quota", "status", "status_reason"])
    _event(
        announcement=position.announcement,
        position=position,
        actor=actor,
        action="position_cancelled",
        from_value=old,
        to_value=0,
        reason=reason,
    )
    position_changed.send(
        sender=Position, position=position, action=ACTION_CANCELLED, reason=reason, actor=actor
    )
    announcement_id = position.announcement_id
    transaction.on_commit(lambda: position_counts_invalidate(announcement_id))
    return position


# --- Reviewers ----------------------------------------------------------------------------


@transaction.atomic
def reviewer_assign(*, actor, announcement: Announcement, reviewer) -> ReviewerAssignment:
    if not reviewer.has_role(Role.REVIEWER):
        raise ValidationError(_("只能分配资格审核人员。"))
    assignment, created = ReviewerAssignment.objects.get_or_create(
        announcement=announcement, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if created:
        _event(announcement=announcement, actor=actor, action="reviewer_assigned", to_value=str(reviewer))
    return assignment


@transaction.atomic
def reviewer_unassign(*, actor, announcement: Announcement, reviewer) -> None:
    deleted, _details = ReviewerAssignment.objects.filter(
        announcement=announcement, reviewer=reviewer
    ).delete()
    if deleted:
        _event(announcement=announcement, actor=actor, action="reviewer_unassigned", from_value=str(reviewer))
