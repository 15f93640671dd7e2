"""Announcements (招聘公告), their positions (岗位) and the rules each position sets.

Every rule number is a per-announcement setting with the default of ARCHITECTURE.md.
State changes happen in recruitment.services, each with an audit row.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import DEFAULT_TIE_BREAKERS, BonusMode, Education, PassLineMode, PoliticalRequirement


def default_tie_breakers():
    return [str(item) for item in DEFAULT_TIE_BREAKERS]


class Announcement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")
        ARCHIVED = "archived", _("已归档")

    title = models.CharField(_("公告标题"), max_length=200)
    organiser = models.CharField(_("招聘单位"), max_length=200)
    body = models.TextField(_("公告正文"), help_text=_("支持 Markdown；脚本和不安全的标签会被过滤。"))
    contact = models.CharField(_("咨询电话"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    # Schedule. Judged by the server's clock; shown in Asia/Shanghai. The ticket-printing
    # window and the written exam's times live in the exam plan (exams; recruitment.hooks).
    registration_opens_at = models.DateTimeField(_("报名开始时间"))
    registration_closes_at = models.DateTimeField(_("报名截止时间"))
    review_deadline = models.DateTimeField(_("资格审核截止时间"))
    interview_at = models.DateTimeField(_("面试时间"), null=True, blank=True)

    # Rules (defaults from ARCHITECTURE.md).
    age_reference_date = models.DateField(
        _("年龄计算基准日"), null=True, blank=True, help_text=_("留空则以报名截止日为准。")
    )
    opening_ratio = models.DecimalField(
        _("开考比例（每个岗位名额所需审核通过人数）"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    interview_ratio = models.DecimalField(
        _("面试入围比例"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    written_pass_mode = models.CharField(
        _("笔试合格线方式"), max_length=16, choices=PassLineMode.choices, default=PassLineMode.FIXED
    )
    written_pass_line = models.DecimalField(
        _("笔试合格线"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        help_text=_("固定分数；按比例时为平均分的百分比，例如 60 表示 60%。"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    written_pass_on_total = models.BooleanField(
        _("笔试合格线比较原始成绩加加分"),
        default=False,
        help_text=_("不勾选：合格线与笔试原始成绩比较；勾选：与原始成绩加确认的加分比较。"),
    )
    interview_pass_line = models.DecimalField(
        _("面试合格线"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    written_weight = models.DecimalField(
        _("笔试成绩权重"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text=_("综合成绩 = 笔试 × 权重 + 面试 × (1 − 权重) + 加分"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    bonus_mode = models.CharField(
        _("加分计算方式"), max_length=16, choices=BonusMode.choices, default=BonusMode.HIGHEST
    )
    bonus_cap = models.DecimalField(
        _("加分上限"), max_digits=4, decimal_places=2, default=Decimal("5"), validators=[MinValueValidator(0)]
    )
    tie_breakers = models.JSONField(_("同分排序规则"), default=default_tie_breakers)
    allow_switch_on_cancel = models.BooleanField(_("岗位核减或取消后允许改报一次"), default=True)
    public_notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("招聘公告")
        verbose_name_plural = _("招聘公告")
        ordering = ["-registration_opens_at", "-pk"]
        indexes = [models.Index(fields=["status", "registration_opens_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="announcement_registration_closes_after_open",
            ),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=F("registration_closes_at")),
                name="announcement_review_after_registration",
            ),
            models.CheckConstraint(
                condition=Q(written_weight__gte=0) & Q(written_weight__lte=1),
                name="announcement_written_weight_0_1",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def reference_date(self):
        """The day on which age is reckoned."""
        if self.age_reference_date:
            return self.age_reference_date
        from django.utils import timezone

        return timezone.localtime(self.registration_closes_at).date()


class AnnouncementAttachment(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("PDF 文件"), upload_to="announcements/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class BonusCategory(models.Model):
    """A kind of bonus point (加分), e.g. 社会工作师 +2."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="bonus_categories")
    name = models.CharField(_("加分项目"), max_length=100)
    points = models.DecimalField(
        _("分值"), max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("加分项目")
        verbose_name_plural = _("加分项目")
        ordering = ["-points", "name"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "name"], name="bonus_category_unique_name"),
            models.CheckConstraint(condition=Q(points__gt=0), name="bonus_category_points_positive"),
        ]

    def __str__(self):
        return f"{self.name} +{self.points}"


class Position(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("正常")
        REDUCED = "reduced", _("已核减名额")
        CANCELLED = "cancelled", _("已取消")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="positions")
    code = models.CharField(_("岗位代码"), max_length=20)
    name = models.CharField(_("岗位名称"), max_length=100)
    district = models.CharField(_("区（县）"), max_length=50)
    street = models.CharField(_("街道（乡镇）"), max_length=50, blank=True)
    community = models.CharField(_("社区"), max_length=50, blank=True)
    # The unit the free text names (recruitment.units; the deepest of the three given).
    unit = models.ForeignKey(
        "Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("所属单位"),
    )
    quota = models.PositiveSmallIntegerField(_("招聘人数"))
    original_quota = models.PositiveSmallIntegerField(_("原招聘人数"))

    # Eligibility rules as data; the automatic check in applicants reads these.
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), default=18)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), default=35)
    max_age_experienced = models.PositiveSmallIntegerField(
        _("有社区工作经历者最高年龄"),
        null=True,
        blank=True,
        help_text=_("例如满3年社区工作经历者放宽到40周岁。"),
    )
    experienced_years = models.PositiveSmallIntegerField(_("放宽年龄所需社区工作年限"), default=3)
    min_education = models.PositiveSmallIntegerField(
        _("最低学历"), choices=Education.choices, default=Education.JUNIOR_COLLEGE
    )
    majors = models.JSONField(_("专业要求"), default=list, blank=True, help_text=_("留空为不限专业。"))
    household_regions = models.JSONField(
        _("户籍要求"), default=list, blank=True, help_text=_("地区名称，例如“辽宁省鞍山市”；留空为不限。")
    )
    household_settled_before = models.DateField(_("户籍迁入截止日期"), null=True, blank=True)
    political_requirement = models.CharField(
        _("政治面貌要求"), max_length=20, choices=PoliticalRequirement.choices, default="", blank=True
    )
    # The age bounds as the announcement prints them: an inclusive birth-date range
    # (recruitment.age_rules). Filled from min/max age and the reference date unless the
    # administrator wrote other dates (birth_range_custom); the eligibility check reads these.
    born_on_or_after = models.DateField(
        _("出生日期不早于"), null=True, blank=True, help_text=_("留空则按最高年龄和年龄计算基准日自动计算。")
    )
    born_on_or_before = models.DateField(
        _("出生日期不晚于"), null=True, blank=True, help_text=_("留空则按最低年龄和年龄计算基准日自动计算。")
    )
    birth_range_custom = models.BooleanField(_("出生日期范围由管理员指定"), default=False)
    min_experience_years = models.PositiveSmallIntegerField(_("最低工作年限"), default=0)
    other_conditions = models.TextField(_("其他条件"), blank=True)

    status = models.CharField(_("岗位状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(_("核减或取消原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["announcement", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "code"], name="position_code_unique_in_announcement"
            ),
            models.CheckConstraint(condition=Q(quota__gte=0), name="position_quota_not_negative"),
            models.CheckConstraint(
                condition=Q(quota__lte=F("original_quota")), name="position_quota_le_original"
            ),
            models.CheckConstraint(condition=Q(max_age__gte=F("min_age")), name="position_age_range_ordered"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(quota=0), name="position_cancelled_has_no_quota"
            ),
            models.CheckConstraint(
                condition=Q(born_on_or_after__isnull=True)
                | Q(born_on_or_before__isnull=True)
                | Q(born_on_or_after__lte=F("born_on_or_before")),
                name="position_birth_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        # A position always states its birth-date range: one saved without it (fixtures,
        # other apps' factories) gets the one its ages give on the reference date.
        if self.born_on_or_after is None and self.born_on_or_before is None and not self.birth_range_custom:
            derived = self.derived_birth_range()
            self.born_on_or_after, self.born_on_or_before = derived.earliest, derived.latest
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "born_on_or_after", "born_on_or_before"}
        super().save(*args, **kwargs)

    @property
    def employer(self) -> str:
        return " ".join(part for part in (self.district, self.street, self.community) if part)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CANCELLED

    def derived_birth_range(self, reference_date=None):
        """The birth-date range the ages give on the announcement's reference date."""
        from .age_rules import birth_range

        return birth_range(self.min_age, self.max_age, reference_date or self.announcement.reference_date)

    def birth_range(self):
        """What the position states (the stored dates), or the derived range before saving."""
        from .age_rules import BirthRange

        if self.born_on_or_after or self.born_on_or_before:
            return BirthRange(earliest=self.born_on_or_after, latest=self.born_on_or_before)
        return self.derived_birth_range()


class ReviewerAssignment(models.Model):
    """A reviewer works on the announcements an administrator assigned them to."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="reviewer_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核人员分配")
        verbose_name_plural = _("审核人员分配")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "reviewer"], name="reviewer_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.announcement}"


class RecruitmentEvent(models.Model):
    """Audit of every change to an announcement or a position: who, when, from → to, why.
    Written by recruitment.services only; never edited."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="events")
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=40)
    from_value = models.CharField(_("原值"), max_length=100, blank=True)
    to_value = models.CharField(_("新值"), max_length=100, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招聘操作记录")
        verbose_name_plural = _("招聘操作记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.description

    @property
    def description(self) -> str:
        """The change in words for pages (recruitment.event_words), never the codes."""
        from .event_words import describe

        return describe(self)


class Correction(models.Model):
    """A correction (更正公告) or supplement (补充公告) to a published announcement: the only
    way a published announcement or its positions change. Written by
    recruitment.services.correction_publish; never edited or deleted."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("更正公告")
        SUPPLEMENT = "supplement", _("补充公告")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True, help_text=_("支持 Markdown；脚本和不安全的标签会被过滤。"))
    reason = models.TextField(_("更正或补充原因"))
    # [{"object": "announcement" | "position", "position_id": 3, "position_code": "TD001",
    #   "field": "registration_closes_at", "label": "报名截止时间", "before": "…", "after": "…"}]
    changes = models.JSONField(_("变更内容"), default=list, blank=True)
    notified_count = models.PositiveIntegerField(_("通知人数"), default=0)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        verbose_name = _("更正补充公告")
        verbose_name_plural = _("更正补充公告")
        ordering = ["published_at", "pk"]

    def __str__(self):
        return self.title


from .units import Unit  # noqa: E402, F401  (the unit tree, issue 19)
