"""The interview and ranking settings of an announcement, edited on one page with presets
(常用方案): the announcement's own rule fields (recruitment.Announcement) and
exams.RankingSettings together, locked once a ranking is confirmed.

`settings_locked` is also registered with recruitment.hooks (exams.apps) so the
announcement form refuses to change the locked fields (recruitment never imports exams).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from portal import audit
from recruitment import page_cache
from recruitment.models import Announcement

from .. import scoring
from ..models_rules import RankingSettings
from ..rules import rules_for

# The rule fields of recruitment.Announcement this page edits (their one home stays there).
ANNOUNCEMENT_FIELDS = (
    "written_pass_mode",
    "written_pass_line",
    "written_pass_on_total",
    "bonus_mode",
    "bonus_cap",
    "interview_ratio",
    "interview_pass_line",
    "written_weight",
    "tie_breakers",
    "public_notice_days",
)
SETTINGS_FIELDS = tuple(
    f.name
    for f in RankingSettings._meta.concrete_fields
    if f.name not in {"id", "announcement", "updated_at", "updated_by"}
)


def settings_locked(announcement) -> bool:
    """True once a ranking of the announcement has been confirmed (exams.RankingVersion with
    status "confirmed", or one confirmed before and since superseded). Tolerates the ranking
    model's absence (another issue's code)."""
    try:
        from ..models_ranking import RankingVersion
    except ImportError:  # pragma: no cover - while the ranking model is not there
        return False
    from django.db.models import Q

    pk = getattr(announcement, "pk", announcement)
    if not pk:
        return False
    query = Q(status="confirmed")
    if any(f.name == "confirmed_at" for f in RankingVersion._meta.concrete_fields):
        query |= Q(confirmed_at__isnull=False)
    return RankingVersion.objects.filter(query, announcement_id=pk).exists()


def settings_row(announcement) -> RankingSettings:
    """The stored row, or an unsaved one holding every default."""
    row = RankingSettings.objects.filter(announcement_id=announcement.pk).first()
    return row or RankingSettings(announcement=announcement)


# ------------------------------------------------------------------ presets (常用方案)


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    explanation: str
    announcement: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)


PRESETS = (
    Preset(
        "w40_i60_3_7",
        gettext_lazy("笔试40%+面试60%，1:3 入围，七位考官去高去低"),
        gettext_lazy(
            "综合成绩 = 笔试 × 40% + 面试 × 60%；每个岗位按招聘人数的3倍进入面试；"
            "每组7位考官，去掉一个最高分和一个最低分，取其余5位的平均分。"
        ),
        {"written_weight": Decimal("0.40"), "interview_ratio": Decimal("3")},
        {
            "panel_size": 7,
            "drop_extremes": True,
            "composite_sum": False,
            "ratio_below_posts": None,
            "ratio_below": None,
        },
    ),
    Preset(
        "w50_i50_3_5",
        gettext_lazy("笔试50%+面试50%，1:3 入围，五位考官去高去低"),
        gettext_lazy(
            "综合成绩 = 笔试 × 50% + 面试 × 50%；按招聘人数的3倍进入面试；"
            "每组5位考官，去掉一个最高分和一个最低分，取其余3位的平均分。"
        ),
        {"written_weight": Decimal("0.50"), "interview_ratio": Decimal("3")},
        {
            "panel_size": 5,
            "drop_extremes": True,
            "composite_sum": False,
            "ratio_below_posts": None,
            "ratio_below": None,
        },
    ),
    Preset(
        "w60_i40_3_7",
        gettext_lazy("笔试60%+面试40%，1:3 入围，七位考官去高去低"),
        gettext_lazy(
            "综合成绩 = 笔试 × 60% + 面试 × 40%；按招聘人数的3倍进入面试；每组7位考官，去高去低后平均。"
        ),
        {"written_weight": Decimal("0.60"), "interview_ratio": Decimal("3")},
        {
            "panel_size": 7,
            "drop_extremes": True,
            "composite_sum": False,
            "ratio_below_posts": None,
            "ratio_below": None,
        },
    ),
    Preset(
        "sum_3_7",
        gettext_lazy("笔试成绩加面试成绩直接相加"),
        gettext_lazy(
            "不按比例折算：综合成绩 = 笔试成绩 + 面试成绩（满分200分）；按招聘人数的3倍进入面试；"
            "每组7位考官，去高去低后平均。"
        ),
        {"interview_ratio": Decimal("3")},
        {
            "panel_size": 7,
            "drop_extremes": True,
            "composite_sum": True,
            "ratio_below_posts": None,
            "ratio_below": None,
        },
    ),
    Preset(
        "w50_i50_3under10_2",
        gettext_lazy("笔试50%+面试50%，招聘10人以下1:3、10人及以上1:2 入围"),
        gettext_lazy("岗位招聘人数少于10人的按3倍、10人及以上的按2倍进入面试；每组7位考官，去高去低后平均。"),
        {"written_weight": Decimal("0.50"), "interview_ratio": Decimal("2")},
        {
            "panel_size": 7,
            "drop_extremes": True,
            "composite_sum": False,
            "ratio_below_posts": 10,
            "ratio_below": Decimal("3"),
        },
    ),
)
PRESETS_BY_KEY = {preset.key: preset for preset in PRESETS}


# ------------------------------------------------------------------ saving


def _check_admin(actor) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied(_("只有管理员可以设置面试和排名规则。"))


def settings_save(
    *, announcement: Announcement, actor, announcement_values: dict, settings_values: dict
) -> RankingSettings:
    """Save both homes together: the announcement's rule fields and its RankingSettings row,
    audited; the combination is checked by exams.scoring.Rules before anything is saved.
    Raises PermissionDenied (not an administrator; locked), ValidationError (field errors
    keyed by field name, or a combination scoring refuses)."""
    _check_admin(actor)
    unknown = (set(announcement_values) - set(ANNOUNCEMENT_FIELDS)) | (
        set(settings_values) - set(SETTINGS_FIELDS)
    )
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    with transaction.atomic():
        locked_announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if settings_locked(locked_announcement):
            raise PermissionDenied(_("排名已确认，面试和排名规则已锁定，不能再修改。"))
        row = RankingSettings.objects.select_for_update().filter(announcement=locked_announcement).first()
        created = row is None
        row = row or RankingSettings(announcement=locked_announcement)
        changed_announcement = [
            name for name, value in announcement_values.items() if getattr(locked_announcement, name) != value
        ]
        changed_settings = [name for name, value in settings_values.items() if getattr(row, name) != value]
        for name, value in announcement_values.items():
            setattr(locked_announcement, name, value)
        for name, value in settings_values.items():
            setattr(row, name, value)
        row.updated_by = actor
        locked_announcement.full_clean()
        row.full_clean(exclude=["announcement"])
        locked_announcement.ranking_settings = row  # rules_for reads the unsaved values
        try:
            rules_for(locked_announcement)
        except scoring.ScoringError as error:
            raise ValidationError(_("这些规则不能同时使用（%(code)s），请检查。") % {"code": error.code})
        if changed_announcement:
            locked_announcement.save(update_fields=[*changed_announcement, "updated_at"])
            audit.record(actor, locked_announcement, audit.CHANGE, fields=changed_announcement)
            transaction.on_commit(partial(page_cache.bump_version, locked_announcement.pk))
        row.save()
        audit.record(actor, row, audit.ADDITION if created else audit.CHANGE, fields=changed_settings)
    return row
