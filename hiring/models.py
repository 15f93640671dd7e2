"""Hiring (录用): proposed hires (拟录用), medical checks (体检), background checks (考察),
public notices (公示), objections (异议), the backfill chain (递补) and the hire (聘用).

Rules the database keeps whatever the code does:
- one Proposal per application, ever: a candidate removed is never proposed again, and no
  candidate is proposed twice (the backfill chain re-activates nobody it removed);
- one Hire per application;
- at most two medical checks per proposal: the first and one re-check (复检);
- a removed proposal names its event; a hired one has no removal.
Medical checks store the outcome and dates only, never medical details.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from recruitment.models import Announcement, Position

DEFAULT_MEDICAL_STANDARD = "《公务员录用体检通用标准（试行）》"


class CheckOrder(models.TextChoices):
    MEDICAL_FIRST = "medical_first", _("先体检，后考察")
    BACKGROUND_FIRST = "background_first", _("先考察，后体检")
    EITHER = "either", _("体检和考察不分先后")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


class HiringSettings(models.Model):
    """What hiring needs of an announcement beyond exams.RankingSettings (which holds the
    backfill events, deadline and the after-notice switch) and Announcement.public_notice_days."""

    announcement = models.OneToOneField(
        Announcement, on_delete=models.CASCADE, related_name="hiring_settings"
    )
    check_order = models.CharField(
        _("体检与考察顺序"), max_length=20, choices=CheckOrder.choices, default=CheckOrder.MEDICAL_FIRST
    )
    medical_standard = models.CharField(_("体检标准"), max_length=200, default=DEFAULT_MEDICAL_STANDARD)
    recheck_days = models.PositiveSmallIntegerField(
        _("申请复检期限（天）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("体检结论通知后，考生可在此天数内申请复检一次。"),
    )
    notice_day_kind = models.CharField(
        _("公示期计算方式"), max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    objection_address = models.CharField(
        _("异议受理地址"), max_length=300, blank=True, help_text=_("来信来访地址或电子邮箱。")
    )
    report_materials = models.TextField(
        _("报到须携带的材料"),
        blank=True,
        default="本人身份证原件及复印件、学历证书原件及复印件、近期免冠一寸照片2张。",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("录用设置")
        verbose_name_plural = _("录用设置")

    def __str__(self):
        return str(self.announcement)


class PublicNotice(models.Model):
    """One publication (公示) of proposed hires of an announcement, with its period.
    Backfilled candidates get a notice of their own."""

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="public_notices")
    title = models.CharField(_("公示标题"), max_length=200)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"))
    days = models.PositiveSmallIntegerField(_("公示天数"))
    day_kind = models.CharField(_("计算方式"), max_length=10, choices=DayKind.choices)
    # True when the holiday data lacked a year and an administrator entered ends_on by hand.
    end_entered = models.BooleanField(_("结束日期由管理员填写"), default=False)
    end_note = models.CharField(_("结束日期说明"), max_length=300, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    objection_address = models.CharField(_("异议受理地址"), max_length=300, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="notice_at_least_one_day"),
        ]

    def __str__(self):
        return self.title


class Proposal(models.Model):
    """One candidate proposed for hire (拟录用) in one position, from the confirmed ranking
    or by backfill (递补), and where they stand."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("拟录用")
        PENDING_TIE = "pending_tie", _("待加试")
        LOST_TIE = "lost_tie", _("加试未胜出")
        HIRED = "hired", _("已录用")
        REMOVED = "removed", _("已取消")

    class Source(models.TextChoices):
        RANKING = "ranking", _("按排名")
        BACKFILL = "backfill", _("递补")

    class Event(models.TextChoices):
        # exams.scoring.REMOVAL_EVENTS
        MEDICAL_FAIL = "medical_fail", _("体检不合格")
        BACKGROUND_FAIL = "background_fail", _("考察不合格")
        GAVE_UP = "gave_up", _("放弃")
        OBJECTION_UPHELD = "objection_upheld", _("公示异议属实")
        WITHDREW_AFTER_NOTICE = "withdrew_after_notice", _("公示后放弃")
        DISQUALIFIED = "disqualified", _("违纪或弄虚作假")

    class Backfill(models.TextChoices):
        FILLED = "filled", _("已递补")
        NOT_BACKFILLED = "not_backfilled", _("按规定不递补")
        PAST_DEADLINE = "past_deadline", _("已过递补截止日期")
        POOL_EMPTY = "pool_empty", _("无递补对象")
        DECLINED = "declined", _("管理员选择不递补")

    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="proposals")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="proposals")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="proposal")
    ranking_version_pk = models.PositiveIntegerField(_("排名版本"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"))
    composite = models.DecimalField(_("综合成绩"), max_digits=6, decimal_places=2)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.RANKING)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
        verbose_name=_("递补谁"),
    )
    tie_places = models.PositiveSmallIntegerField(_("并列待加试的名额"), default=0)
    # The 加试 score of a candidate waiting here is kept in exams.ExtraTestResult (its one home;
    # hiring.selectors.extra_test_scores reads it).
    notice = models.ForeignKey(
        PublicNotice, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    removal_event = models.CharField(_("取消原因"), max_length=24, choices=Event.choices, blank=True)
    removal_note = models.TextField(_("取消说明"), blank=True)
    removal_document = models.FileField(_("书面放弃声明"), upload_to="hiring/declarations/", blank=True)
    removed_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    backfill = models.CharField(_("递补情况"), max_length=16, choices=Backfill.choices, blank=True)
    proposed_at = models.DateTimeField(_("拟录用时间"), auto_now_add=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("拟录用人员")
        verbose_name_plural = _("拟录用人员")
        ordering = ["position_id", "rank", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="removed") | (~Q(removal_event="") & Q(removed_at__isnull=False)),
                name="proposal_removed_has_event",
            ),
            models.CheckConstraint(
                condition=Q(status="removed") | Q(removal_event=""), name="proposal_event_only_when_removed"
            ),
            models.CheckConstraint(
                condition=~Q(source="backfill") | Q(replaces__isnull=False), name="proposal_backfill_replaces"
            ),
        ]
        indexes = [models.Index(fields=["position", "status"], name="proposal_position_status_idx")]

    def __str__(self):
        return f"{self.application} ({self.get_status_display()})"


class CheckResult(models.TextChoices):
    PENDING = "pending", _("待出结论")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    ABSENT = "absent", _("未参加")


class MedicalCheck(models.Model):
    """A medical check (体检) of a proposed candidate: attempt 1, or the one re-check (复检).
    Outcome and dates only."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="medical_checks")
    attempt = models.PositiveSmallIntegerField(_("次数"), default=1)
    on_date = models.DateField(_("体检日期"))
    place = models.CharField(_("体检地点"), max_length=200)
    standard = models.CharField(_("体检标准"), max_length=200)
    result = models.CharField(
        _("结论"), max_length=10, choices=CheckResult.choices, default=CheckResult.PENDING
    )
    result_on = models.DateField(_("结论日期"), null=True, blank=True)
    recheck_requested_at = models.DateTimeField(_("申请复检时间"), null=True, blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("体检")
        verbose_name_plural = _("体检")
        ordering = ["proposal_id", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "attempt"], name="medical_one_per_attempt"),
            models.CheckConstraint(condition=Q(attempt__in=[1, 2]), name="medical_one_recheck_only"),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(result_on__isnull=False), name="medical_result_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}/{self.attempt}: {self.get_result_display()}"


class BackgroundCheck(models.Model):
    """The background check (考察): pass or fail with a short summary."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="background_check")
    result = models.CharField(_("结论"), max_length=10, choices=CheckResult.choices)
    summary = models.CharField(_("考察情况摘要"), max_length=500)
    on_date = models.DateField(_("考察日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考察")
        verbose_name_plural = _("考察")
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=["passed", "failed"]), name="background_pass_or_fail"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.get_result_display()}"


class Objection(models.Model):
    """An objection (异议) received during a public notice, recorded by an administrator."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("核查中")
        UPHELD = "upheld", _("属实")
        DISMISSED = "dismissed", _("不属实")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    summary = models.TextField(_("异议内容摘要"), max_length=2000)
    outcome = models.CharField(_("核查结论"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("核查情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="pending") | ~Q(outcome_note=""), name="objection_outcome_has_note"
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.get_outcome_display()}"


class Hire(models.Model):
    """The hire (聘用): confirmed after the notice ended without an upheld objection and both
    checks passed. hiring.signals.hire_confirmed is sent on commit; workforce creates the worker."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="hire")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="hire", null=True, blank=True
    )
    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="hires")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="hires")
    start_date = models.DateField(_("报到（入职）日期"))
    contract_years = models.DecimalField(
        _("合同期限（年）"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("10"))],
    )
    report_place = models.CharField(_("报到地点"), max_length=200, blank=True)
    report_materials = models.TextField(_("报到须携带的材料"), blank=True)
    confirmed_at = models.DateTimeField(_("确认录用时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("录用")
        verbose_name_plural = _("录用")
        ordering = ["position_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(contract_years__gt=0), name="hire_contract_positive"),
        ]

    def __str__(self):
        return str(self.application)
