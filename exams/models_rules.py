"""The interview, ranking and backfill settings of an announcement that recruitment does not
hold (issue 17, item 2).

Homes of the rules after the written exam — each rule has exactly one:
- recruitment.Announcement: written_pass_mode, written_pass_line, written_pass_on_total,
  bonus_mode, bonus_cap, interview_ratio (the shortlist ratio), interview_pass_line,
  written_weight, tie_breakers, public_notice_days;
- exams.RankingSettings (here): everything else. A missing row means every default.

Defaults are exams.scoring.Rules' own (read from `RULES` below, never retyped); the settings
scoring does not know (panel size, dimensions, attendance confirmation, deadlines, the
late-arrival cut-off) have their default here, once. exams.rules.rules_for maps a row to
scoring.Rules. The settings are locked once a ranking is confirmed
(exams.services.settings.settings_locked).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scoring import BACKFILL_EVENTS, Rules

__all__ = ["RankingSettings"]

RULES = Rules()  # the defaults of every scoring setting, stated once in exams.scoring
PANEL_MIN, PANEL_MAX, PANEL_DEFAULT = 3, 9, 7  # 面试考官 3–9 人，通常 7 人 [fangzi2022]
LATE_CUTOFF_DEFAULT = 20  # 面试开始 20 分钟后未到视为放弃 [xunyang2015]


def default_backfill_events() -> list[str]:
    return sorted(RULES.backfill_events)


def default_dimensions() -> list:
    return []


class RankingSettings(models.Model):
    class BonusTo(models.TextChoices):
        WRITTEN = "written", _("加在笔试成绩上")
        COMPOSITE = "composite", _("加在综合成绩上")

    class RoomCorrection(models.TextChoices):
        NONE = "none", _("不修正")
        POOLED = "pooled_mean", _("按全部考生平均分修正")
        ROOM_MEANS = "mean_of_room_means", _("按各考场平均分的平均数修正（二次平均法）")

    class RoomScope(models.TextChoices):
        """Which candidates share one 修正系数 calculation (exams.services.ranking.scopes)."""

        LINKED = "linked", _("同一面试组面试的各岗位合并计算")
        POSITION = "position", _("每个岗位单独计算")
        ANNOUNCEMENT = "announcement", _("本公告全部面试组合并计算")

    class Rounding(models.TextChoices):
        FINAL = "final", _("合计后四舍五入")
        EACH_PART = "each_part", _("笔试、面试折算后各自四舍五入再相加")

    class UnresolvedTie(models.TextChoices):
        EXTRA_TEST = "extra_test", _("组织加试决定")
        ALL_ADVANCE = "all_advance", _("并列者全部进入下一环节")

    class BackfillEvent(models.TextChoices):
        MEDICAL_FAIL = "medical_fail", _("体检不合格")
        BACKGROUND_FAIL = "background_fail", _("考察不合格")
        GAVE_UP = "gave_up", _("本人放弃")
        OBJECTION_UPHELD = "objection_upheld", _("公示期间反映问题查实")
        WITHDREW_AFTER_NOTICE = "withdrew_after_notice", _("公示结束后放弃")

    announcement = models.OneToOneField(
        "recruitment.Announcement", on_delete=models.CASCADE, related_name="ranking_settings"
    )
    # --- bonus and shortlist
    bonus_to = models.CharField(_("加分计入"), max_length=10, choices=BonusTo.choices, default=RULES.bonus_to)
    ratio_below_posts = models.PositiveSmallIntegerField(
        _("招聘人数少于（人）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(999)],
    )
    ratio_below = models.DecimalField(
        _("时的入围比例"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
    )
    # --- interview score
    panel_size = models.PositiveSmallIntegerField(
        _("每组考官人数"),
        default=PANEL_DEFAULT,
        validators=[MinValueValidator(PANEL_MIN), MaxValueValidator(PANEL_MAX)],
    )
    drop_extremes = models.BooleanField(_("去掉一个最高分和一个最低分"), default=RULES.drop_extremes)
    interview_places = models.PositiveSmallIntegerField(
        _("面试成绩保留小数位数"),
        null=True,
        blank=True,
        default=RULES.interview_places,
        validators=[MaxValueValidator(4)],
    )
    by_dimensions = models.BooleanField(_("按评分要素打分"), default=False)
    dimensions = models.JSONField(_("评分要素"), default=default_dimensions, blank=True)
    late_cutoff_minutes = models.PositiveSmallIntegerField(
        _("面试迟到截止时间（分钟）"),
        default=LATE_CUTOFF_DEFAULT,
        validators=[MaxValueValidator(120)],
    )
    # --- room correction (修正系数)
    room_correction = models.CharField(
        _("考场修正系数"), max_length=20, choices=RoomCorrection.choices, default=RULES.room_correction
    )
    room_scope = models.CharField(
        _("修正系数的计算范围"), max_length=12, choices=RoomScope.choices, default=RoomScope.LINKED
    )
    room_mean_places = models.PositiveSmallIntegerField(
        _("考场平均分保留小数位数"),
        null=True,
        blank=True,
        default=RULES.room_mean_places,
        validators=[MaxValueValidator(4)],
    )
    coefficient_places = models.PositiveSmallIntegerField(
        _("修正系数保留小数位数"),
        null=True,
        blank=True,
        default=RULES.coefficient_places,
        validators=[MaxValueValidator(6)],
    )
    corrected_places = models.PositiveSmallIntegerField(
        _("修正后面试成绩保留小数位数"),
        null=True,
        blank=True,
        default=RULES.corrected_places,
        validators=[MaxValueValidator(4)],
    )
    # --- composite and ranking
    composite_sum = models.BooleanField(
        _("笔试成绩与面试成绩直接相加"),
        default=False,
        help_text=_("勾选后不按权重折算：综合成绩 = 笔试成绩 + 面试成绩（满分200分）。"),
    )
    composite_pass_line = models.DecimalField(
        _("综合成绩合格线"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        default=RULES.composite_pass_line,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )
    composite_rounding = models.CharField(
        _("综合成绩的四舍五入"),
        max_length=10,
        choices=Rounding.choices,
        default=RULES.composite_rounding,
    )
    unresolved_tie = models.CharField(
        _("排名仍然并列时"), max_length=12, choices=UnresolvedTie.choices, default=RULES.unresolved_tie
    )
    # --- backfill (递补)
    backfill_events = models.JSONField(_("哪些情形递补"), default=default_backfill_events, blank=True)
    backfill_until = models.DateField(_("递补截止日期"), null=True, blank=True)
    shortlist_backfill_rounds = models.PositiveSmallIntegerField(
        _("面试递补最多轮数"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
        help_text=_("留空表示不限；填 1 表示只递补一次。"),
    )
    # --- attendance confirmation (确认参加面试)
    confirm_deadline = models.DateTimeField(_("确认参加面试截止时间"), null=True, blank=True)
    unconfirmed_gives_up = models.BooleanField(_("逾期未确认视为放弃"), default=False)

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("面试和排名规则")
        verbose_name_plural = _("面试和排名规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(panel_size__gte=PANEL_MIN) & Q(panel_size__lte=PANEL_MAX),
                name="exam_settings_panel_3_9",
            ),
            models.CheckConstraint(
                condition=(Q(ratio_below_posts__isnull=True) & Q(ratio_below__isnull=True))
                | (Q(ratio_below_posts__gte=2) & Q(ratio_below__gte=1)),
                name="exam_settings_ratio_below_pair",
            ),
            models.CheckConstraint(
                condition=Q(composite_pass_line__isnull=True)
                | (Q(composite_pass_line__gte=0) & Q(composite_pass_line__lte=200)),
                name="exam_settings_composite_line_0_200",
            ),
            models.CheckConstraint(
                condition=Q(unconfirmed_gives_up=False) | Q(confirm_deadline__isnull=False),
                name="exam_settings_gives_up_needs_deadline",
            ),
        ]

    def __str__(self):
        return str(self.announcement_id)

    @property
    def backfill_after_notice(self) -> bool:
        """Whether a withdrawal after the public notice (公示) is backfilled (hiring reads it):
        one home, the "withdrew_after_notice" member of backfill_events."""
        return "withdrew_after_notice" in (self.backfill_events or ())


BACKFILL_EVENT_CODES = BACKFILL_EVENTS  # re-exported for forms
