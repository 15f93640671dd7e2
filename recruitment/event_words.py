"""The recruitment audit trail (RecruitmentEvent) in words, for the pages that show it.

Services store an action code and the values before → after as they are ("published",
"draft" → "published"; "position_cancelled", "2" → "0"; "updated", "title,body"); pages
show "发布公告：草稿 → 已发布", "取消岗位：招聘人数 2 → 0", "修改公告：公告标题、公告正文",
never the codes (issue 13, kind 11).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import Announcement

ACTIONS = {
    "created": pgettext_lazy("audit", "创建公告"),
    "updated": pgettext_lazy("audit", "修改公告"),
    "published": pgettext_lazy("audit", "发布公告"),
    "closed": pgettext_lazy("audit", "结束招聘"),
    "archived": pgettext_lazy("audit", "归档"),
    "attachment_added": pgettext_lazy("audit", "上传附件"),
    "attachment_removed": pgettext_lazy("audit", "删除附件"),
    "position_created": pgettext_lazy("audit", "新增岗位"),
    "position_updated": pgettext_lazy("audit", "修改岗位"),
    "position_deleted": pgettext_lazy("audit", "删除岗位"),
    "positions_imported": pgettext_lazy("audit", "导入岗位"),
    "position_reduced": pgettext_lazy("audit", "核减招聘人数"),
    "position_cancelled": pgettext_lazy("audit", "取消岗位"),
    "reviewer_assigned": pgettext_lazy("audit", "指派审核人员"),
    "reviewer_unassigned": pgettext_lazy("audit", "取消指派审核人员"),
    "correction_published": pgettext_lazy("audit", "发布更正（补充）公告"),
}
# Actions whose values are a number of posts.
QUOTA_ACTIONS = ("position_reduced", "position_cancelled")


def action_label(action: str) -> str:
    """The action in words; an action this module does not know is shown as 其他操作 (a
    code never reaches a page)."""
    return str(ACTIONS.get(action, pgettext_lazy("audit", "其他操作")))


def _value(value: str) -> str:
    statuses = dict(Announcement.Status.choices)
    return str(statuses[value]) if value in statuses else value


def _field_names(value: str) -> str:
    names = []
    for name in filter(None, value.split(",")):
        try:
            names.append(str(Announcement._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            names.append(name)
    return _("、").join(names)


def describe(event) -> str:
    """One line for a RecruitmentEvent: the action, then what changed in words. `event` has
    `action`, `from_value`, `to_value` (strings, possibly empty)."""
    text = action_label(event.action)
    old, new = event.from_value or "", event.to_value or ""
    if event.action in QUOTA_ACTIONS:
        return text + _("：招聘人数 %(old)s → %(new)s") % {"old": old or "—", "new": new or "—"}
    if event.action == "updated":
        return text + (_("：%(fields)s") % {"fields": _field_names(new)} if new else "")
    if old and new:
        return text + _("：%(old)s → %(new)s") % {"old": _value(old), "new": _value(new)}
    if old or new:
        return text + _("：%(value)s") % {"value": _value(old or new)}
    return text
