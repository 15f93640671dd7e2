"""Interviews (面试, issue 17 items 4–5): groups (面试组) with their examiners (考官) and
candidates, the check-in and the draw (抽签) on the day, and blind scoring.

- InterviewGroup: one room of one announcement on one day; its `code` is the room key of
  the room correction (修正系数, exams.scoring.room_coefficients). Positions are assigned
  to it; a position may be split over several groups.
- InterviewExaminer: a user with the examiner role sitting on a group; exactly one active
  chief (主考官) per group (a partial unique index). A declared conflict of interest (回避)
  is kept on the row; the administrator's replacement deactivates it and adds the new one.
- InterviewCandidate: one application's place in a group (one per application), its
  attendance, its draw number (unique per group), and after the chief's sign-off the
  interview score computed by exams.scoring.interview_score.
- InterviewScore: one examiner's score of one candidate, locked once submitted; only the
  chief reopens it, with a reason (InterviewReopening keeps each reopening).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "InterviewCandidate",
    "InterviewExaminer",
    "InterviewGroup",
    "InterviewReopening",
    "InterviewScore",
]

group_code = RegexValidator(r"^[A-Za-z0-9-]{1,20}$", _("面试组代码只能包含字母、数字和连字符，最多20位。"))


class InterviewGroup(models.Model):
    class DrawMethod(models.TextChoices):
        PORTAL = "portal", _("系统随机抽签")
        PHYSICAL = "physical", _("现场抽签后录入")

    announcement = models.ForeignKey(
        "recruitment.Announcement", on_delete=models.CASCADE, related_name="interview_groups"
    )
    code = models.CharField(
        _("面试组代码"),
        max_length=20,
        validators=[group_code],
        help_text=_("如 A、B、01；计算修正系数时以此区分面试室。"),
    )
    name = models.CharField(_("面试组名称"), max_length=100, help_text=_("如“第一面试组”。"))
    date = models.DateField(_("面试日期"))
    starts_at = models.TimeField(_("开始时间"))
    report_by = models.TimeField(
        _("报到截止时间"), null=True, blank=True, help_text=_("考生须在此时间前到候考室报到。")
    )
    place = models.CharField(_("面试地点"), max_length=200)
    waiting_room = models.CharField(_("候考室"), max_length=200, blank=True)
    bring = models.CharField(
        _("携带材料"),
        max_length=300,
        default="本人有效居民身份证、笔试准考证",
        help_text=_("写入面试通知，例如：身份证、准考证、资格复审要求的原件。"),
    )
    positions = models.ManyToManyField(
        "recruitment.Position", blank=True, related_name="interview_groups", verbose_name=_("面试岗位")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draw_method = models.CharField(_("抽签方式"), max_length=10, choices=DrawMethod.choices, blank=True)
    draw_seed = models.BigIntegerField(_("抽签随机种子"), null=True, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("面试组")
        verbose_name_plural = _("面试组")
        ordering = ["date", "starts_at", "code"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "code"], name="interview_group_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class InterviewExaminer(models.Model):
    group = models.ForeignKey(InterviewGroup, on_delete=models.CASCADE, related_name="examiners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interview_seats"
    )
    chief = models.BooleanField(_("主考官"), default=False)
    active = models.BooleanField(_("在组"), default=True)
    conflict_at = models.DateTimeField(_("申请回避时间"), null=True, blank=True)
    conflict_reason = models.CharField(_("回避理由"), max_length=300, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("面试考官")
        verbose_name_plural = _("面试考官")
        ordering = ["-chief", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="interview_examiner_unique_per_group"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(chief=True, active=True), name="interview_one_chief_per_group"
            ),
        ]

    def __str__(self):
        return f"{self.group.code}: {self.user}"


class InterviewCandidate(models.Model):
    class Attendance(models.TextChoices):
        PENDING = "pending", _("未签到")
        LATE = "late", _("迟到待主考官决定")
        PRESENT = "present", _("已到场")
        ABSENT = "absent", _("缺考")

    group = models.ForeignKey(InterviewGroup, on_delete=models.CASCADE, related_name="candidates")
    application = models.OneToOneField(
        "applicants.Application", on_delete=models.CASCADE, related_name="interview_slot"
    )
    order = models.PositiveSmallIntegerField(_("抽签序号"), null=True, blank=True)
    attendance = models.CharField(
        _("签到"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    late_reason = models.CharField(_("迟到放行原因"), max_length=300, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("主考官确认时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(_("面试成绩"), max_digits=6, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("面试考生")
        verbose_name_plural = _("面试考生")
        ordering = ["group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "order"], condition=Q(order__isnull=False), name="interview_order_unique"
            ),
            models.CheckConstraint(
                condition=Q(signed_off_at__isnull=True) | Q(score__isnull=False),
                name="interview_signed_off_has_score",
            ),
        ]

    def __str__(self):
        return f"{self.group.code} #{self.order or '-'}"


class InterviewScore(models.Model):
    candidate = models.ForeignKey(InterviewCandidate, on_delete=models.CASCADE, related_name="scores")
    examiner = models.ForeignKey(InterviewExaminer, on_delete=models.PROTECT, related_name="scores")
    total = models.DecimalField(
        _("评分"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    parts = models.JSONField(_("分项评分"), default=dict, blank=True)
    locked = models.BooleanField(default=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考官评分")
        verbose_name_plural = _("考官评分")
        ordering = ["candidate", "examiner"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "examiner"], name="interview_score_once"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="interview_score_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.total}"


class InterviewReopening(models.Model):
    """The chief reopened one examiner's submitted score: old value, reason, who, when."""

    score = models.ForeignKey(InterviewScore, on_delete=models.CASCADE, related_name="reopenings")
    old_total = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.CharField(_("重新评分原因"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重新评分记录")
        verbose_name_plural = _("重新评分记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.score}: {self.old_total} ({self.reason})"
