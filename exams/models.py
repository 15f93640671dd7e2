"""The written exam (笔试): the plan of an announcement, its sessions (场次), venues (考点)
with rooms (考场), the proctors (监考) of each venue, the admission tickets (准考证) and
the check-in (签到) of each candidate at each session.

One source of truth: the ticket-printing window and the exam times live here, on the plan
and its sessions (migration exams.0002 copied the announcement's former fields into plans,
recruitment.0004 removed them). Other apps read them through recruitment.hooks
(exams.schedule registers the provider).

Ticket numbers are unique per announcement, never globally: two recruitments of one
district may number alike, so a number is always looked up together with its announcement.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applicants.models import Application
from recruitment.models import Announcement, Position

from .numbering import DEFAULT_FORMAT, validate_number_format

digits_1 = RegexValidator(r"^\d$", _("请填写1位数字。"))
digits_2 = RegexValidator(r"^\d{2}$", _("请填写2位数字，例如 01。"))
digits_4 = RegexValidator(r"^\d{4}$", _("请填写4位数字。"))

MAX_ROOM_CAPACITY = 99


class ExamPlan(models.Model):
    """Per announcement: window, rules, codes, and whether tickets are issued (then locked:
    later changes go through exams.services.plan corrections)."""

    announcement = models.OneToOneField(Announcement, on_delete=models.CASCADE, related_name="exam_plan")
    exam_code = models.CharField(_("考试代码"), max_length=1, default="0", validators=[digits_1])
    district_code = models.CharField(
        _("区县代码"), max_length=4, default="0000", validators=[digits_4], help_text=_("4位市县（区）代码。")
    )
    number_format = models.CharField(
        _("准考证号格式"),
        max_length=100,
        default=DEFAULT_FORMAT,
        validators=[validate_number_format],
        help_text=_("默认11位：考试代码1位 + 区县代码4位 + 考点代码2位 + 考场号2位 + 座位号2位。"),
    )
    print_starts_at = models.DateTimeField(_("准考证打印开始时间"), null=True, blank=True)
    print_ends_at = models.DateTimeField(_("准考证打印截止时间"), null=True, blank=True)
    rules_text = models.TextField(
        _("考生须知"), blank=True, help_text=_("支持 Markdown；脚本和不安全的标签会被过滤。印在准考证上。")
    )
    entry_cutoff_minutes = models.PositiveSmallIntegerField(
        _("开考后禁止入场时间（分钟）"), default=30, validators=[MaxValueValidator(180)]
    )
    unprinted_forfeits = models.BooleanField(
        _("未按时打印准考证视为放弃"),
        default=False,
        help_text=_("打印截止后，从未打印准考证的考生记为弃考。"),
    )
    # Seating: the seed of the shuffle (random.Random(seed)), kept so the seating can be
    # reproduced and audited, and when tickets were first issued (the plan is locked then).
    seating_seed = models.BigIntegerField(_("编排随机种子"), null=True, blank=True)
    seated_count = models.PositiveIntegerField(_("首次编排人数"), default=0)
    tickets_issued_at = models.DateTimeField(_("准考证发放时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unprinted_swept_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("笔试安排")
        verbose_name_plural = _("笔试安排")
        constraints = [
            models.CheckConstraint(
                condition=Q(print_starts_at__isnull=True)
                | Q(print_ends_at__isnull=True)
                | Q(print_ends_at__gt=F("print_starts_at")),
                name="exam_plan_window_ends_after_start",
            ),
        ]

    def __str__(self):
        return str(self.announcement)

    @property
    def locked(self) -> bool:
        return self.tickets_issued_at is not None


class ExamSession(models.Model):
    """A 场次: one paper at one time, sat by some positions (none chosen: all)."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="sessions")
    subject = models.CharField(_("科目"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    full_marks = models.DecimalField(
        _("满分"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("999"))],
    )
    # [{"name": "公共基础知识", "marks": "40"}, …] adding up to full_marks; empty: one paper.
    parts = models.JSONField(_("试卷组成"), default=list, blank=True)
    positions = models.ManyToManyField(
        Position, blank=True, related_name="exam_sessions", verbose_name=_("参加本场考试的岗位")
    )
    # Set when the end-of-session sweep marked the unmarked absent (缺考).
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("考试场次")
        verbose_name_plural = _("考试场次")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="exam_session_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.subject


class Venue(models.Model):
    """A 考点. Its 2-digit code goes into ticket numbers; a venue of more than 99 rooms
    numbers rooms 100 on under the next free code (Room.ticket_venue_code)."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("考点名称"), max_length=100)
    address = models.CharField(_("考点地址"), max_length=200)
    directions = models.TextField(_("交通指引"), blank=True)
    code = models.CharField(_("考点代码"), max_length=2, validators=[digits_2])

    class Meta:
        verbose_name = _("考点")
        verbose_name_plural = _("考点")
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="exam_venue_code_unique"),
        ]

    def __str__(self):
        return self.name


class Room(models.Model):
    """A 考场 of a venue: its number (as signposted) and its seats (≤ 99)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    number = models.PositiveSmallIntegerField(_("考场号"), validators=[MinValueValidator(1)])
    location = models.CharField(
        _("考场位置"), max_length=100, blank=True, help_text=_("例如：教学楼三楼301室")
    )
    capacity = models.PositiveSmallIntegerField(
        _("座位数"), default=30, validators=[MinValueValidator(1), MaxValueValidator(MAX_ROOM_CAPACITY)]
    )
    # The codes in ticket numbers, fixed when the room first receives candidates.
    ticket_venue_code = models.CharField(max_length=2, blank=True, editable=False)
    ticket_room_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("考场")
        verbose_name_plural = _("考场")
        ordering = ["venue__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="exam_room_number_unique"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_ROOM_CAPACITY),
                name="exam_room_capacity_1_99",
            ),
        ]

    def __str__(self):
        return f"{self.venue} {self.number:02d}"


class Ticket(models.Model):
    """An admission ticket (准考证): the candidate's number, room and seat."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="exam_ticket")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("准考证号"), max_length=32)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="tickets")
    seat = models.PositiveSmallIntegerField(_("座位号"))
    issued_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    # True for those seated by the first run (reproducible from the seed); False for those
    # who took a free seat later (approved after an appeal or a correction).
    initial = models.BooleanField(default=True)
    first_printed_at = models.DateTimeField(_("首次打印时间"), null=True, blank=True)
    # When the 准考证可打印 notice was written (exams.services.tickets.notices_run).
    ready_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    print_count = models.PositiveIntegerField(_("打印次数"), default=0)

    class Meta:
        verbose_name = _("准考证")
        verbose_name_plural = _("准考证")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "number"], name="exam_ticket_number_unique"),
            models.UniqueConstraint(fields=["room", "seat"], name="exam_ticket_seat_unique"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="exam_ticket_seat_positive"),
        ]

    def __str__(self):
        return self.number


class ProctorAssignment(models.Model):
    """A proctor (监考) assigned to a venue; the chief proctor may admit after the cut-off."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="proctors")
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    chief = models.BooleanField(_("主考（可在截止入场后放行）"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监考安排")
        verbose_name_plural = _("监考安排")
        constraints = [
            models.UniqueConstraint(fields=["venue", "proctor"], name="exam_proctor_once_per_venue"),
        ]

    def __str__(self):
        return f"{self.venue} · {self.proctor}"


class Attendance(models.Model):
    """Whether a candidate sat a session: present, or absent (缺考) — a state, never a score."""

    class Status(models.TextChoices):
        PRESENT = "present", _("已签到")
        ABSENT = "absent", _("缺考")

    class Via(models.TextChoices):
        SCAN = "scan", _("扫码")
        TYPED = "typed", _("输入准考证号")
        PAPER = "paper", _("纸质签到表补录")
        SESSION_END = "session_end", _("考试结束未签到")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("签到状态"), max_length=10, choices=Status.choices)
    via = models.CharField(_("方式"), max_length=12, choices=Via.choices)
    late = models.BooleanField(_("截止入场后放行"), default=False)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "session"], name="exam_attendance_once"),
            models.CheckConstraint(
                condition=~Q(late=True) | ~Q(reason=""), name="exam_late_entry_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id}/{self.session_id}: {self.status}"


class PlanCorrection(models.Model):
    """A change to a locked plan (time moved, room or venue relocated) and whom it told."""

    plan = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="corrections")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    target_id = models.BigIntegerField()
    changes = models.JSONField(default=dict)  # {field: [old, new]}
    reason = models.TextField(_("更正原因"))
    notified = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("笔试安排更正")
        verbose_name_plural = _("笔试安排更正")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.kind} #{self.target_id}"


from .models_interview import *  # noqa: E402,F401,F403
from .models_ranking import *  # noqa: E402,F401,F403

# Issue 17: each helper's models in their own module; `import *` keeps this file untouched.
from .models_rules import *  # noqa: E402,F401,F403
from .models_shortlist import *  # noqa: E402,F401,F403
from .models_written import (  # noqa: E402,F401 - score models live in their own module
    BonusClaim,
    PositionPassLine,
    PositionResult,
    ScoreCorrection,
    ScoreEntry,
    ScoreReviewRequest,
    WrittenPartScore,
    WrittenResults,
    WrittenScore,
)
