"""Hired community workers (社区工作者) and what follows the hire: unit managers' units,
grade history (三岗十八级), annual assessments, side-job declarations (兼职报备) and
training. Every state change goes through workforce.services and leaves a WorkerEvent."""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from recruitment.choices import Education

from . import grades

WORKER_GROUP = "worker"  # the auth group a worker's account joins (navigation only)


class Post(models.TextChoices):
    HEAD = grades.HEAD, _("正职")
    DEPUTY = grades.DEPUTY, _("副职")
    OTHER = grades.OTHER, _("其他社区工作者")


class Outcome(models.TextChoices):
    EXCELLENT = grades.EXCELLENT, _("优秀")
    PASS = grades.PASS, _("合格")
    BASIC = grades.BASIC, _("基本合格")
    FAIL = grades.FAIL, _("不合格")


# The 公务员 wording some cities use for the same four grades (WorkforceSettings.assessment_scale).
COMPETENT_LABELS = {
    grades.EXCELLENT: _("优秀"),
    grades.PASS: _("称职"),
    grades.BASIC: _("基本称职"),
    grades.FAIL: _("不称职"),
}


def default_grade_ranges():
    return {post: list(bounds) for post, bounds in grades.GradeRules().ranges.items()}


def default_education_levels():
    return {str(code): levels for code, levels in grades.GradeRules().education_levels.items()}


def default_education_years():
    return {str(code): years for code, years in grades.GradeRules().education_years.items()}


def default_pay_table():
    # Monthly base pay in yuan per grade (an example table; each city sets its own).
    return {str(grade): str(3000 + 150 * (grade - 1)) for grade in range(1, 19)}


def default_duty_hours():
    # Monday = 0. Two blocks a working day.
    return [[day, "08:30", "12:00"] for day in range(5)] + [[day, "14:00", "17:30"] for day in range(5)]


class WorkforceSettings(models.Model):
    """The city's rules after hire (one row). Every number has the default of DOMAIN-RULES."""

    SINGLETON_PK = 1

    class EntryMode(models.TextChoices):
        EDUCATION = grades.ENTRY_BY_EDUCATION, _("学历直接加级（本科+1、硕士+2、博士+3）")
        SERVICE_YEARS = grades.ENTRY_BY_SERVICE_YEARS, _("学历折算工作年限（本科3年、硕士5年、博士7年）")

    class Scale(models.TextChoices):
        QUALIFIED = "qualified", _("优秀／合格／基本合格／不合格")
        COMPETENT = "competent", _("优秀／称职／基本称职／不称职")

    grade_ranges = models.JSONField(_("各岗位等级范围"), default=default_grade_ranges)
    entry_mode = models.CharField(
        _("起始等级计算方式"), max_length=16, choices=EntryMode.choices, default=EntryMode.EDUCATION
    )
    education_levels = models.JSONField(_("学历加级"), default=default_education_levels)
    education_years = models.JSONField(_("学历折算年限"), default=default_education_years)
    step_years = models.PositiveSmallIntegerField(
        _("晋级所需年限"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    basic_counts = models.BooleanField(_("基本合格计入晋级年限"), default=False)
    fail_resets = models.BooleanField(_("不合格后晋级年限重新计算"), default=True)
    early_after_excellent = models.PositiveSmallIntegerField(
        _("连续优秀几年可提前晋级"), default=2, help_text=_("0 表示不提前晋级。")
    )
    max_early_steps = models.PositiveSmallIntegerField(_("提前晋级次数上限"), default=2)
    excellent_share = models.DecimalField(
        _("优秀比例上限"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.15"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.20"))],
        help_text=_("占参加考核人数的比例，向下取整；不得超过 0.20。"),
    )
    assessment_scale = models.CharField(
        _("考核等次名称"), max_length=16, choices=Scale.choices, default=Scale.QUALIFIED
    )
    pay_table = models.JSONField(_("等级工资表（元/月）"), default=default_pay_table)
    training_hours_required = models.DecimalField(
        _("培训学时要求"), max_digits=5, decimal_places=1, default=Decimal("32")
    )
    training_period_years = models.PositiveSmallIntegerField(
        _("培训学时考核周期（年）"), default=2, validators=[MinValueValidator(1)]
    )
    side_job_max_hours = models.DecimalField(
        _("兼职每周时长上限（小时）"), max_digits=4, decimal_places=1, default=Decimal("8")
    )
    side_job_max_months = models.PositiveSmallIntegerField(
        _("兼职报备有效期上限（月）"), default=12, validators=[MinValueValidator(1)]
    )
    duty_hours = models.JSONField(_("工作时间"), default=default_duty_hours)
    probation_reminder_days = models.PositiveSmallIntegerField(_("试用期届满前提醒天数"), default=15)

    class Meta:
        verbose_name = _("在岗管理设置")
        verbose_name_plural = _("在岗管理设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_share__gte=0) & Q(excellent_share__lte=Decimal("0.20")),
                name="workforce_excellent_share_at_most_20pct",
            ),
            models.CheckConstraint(condition=Q(pk=1), name="workforce_settings_singleton"),
        ]

    def __str__(self):
        return str(_("在岗管理设置"))

    @classmethod
    def current(cls) -> "WorkforceSettings":
        # Read-only: the defaults until an administrator saves the row (a page view never writes).
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)

    def grade_rules(self) -> grades.GradeRules:
        return grades.GradeRules(
            ranges={post: (int(b[0]), int(b[1])) for post, b in self.grade_ranges.items()},
            entry_mode=self.entry_mode,
            education_levels={int(k): int(v) for k, v in self.education_levels.items()},
            education_years={int(k): int(v) for k, v in self.education_years.items()},
            step_years=self.step_years,
            basic_counts=self.basic_counts,
            fail_resets=self.fail_resets,
            early_after_excellent=self.early_after_excellent,
            max_early_steps=self.max_early_steps,
        )

    def outcome_label(self, outcome: str) -> str:
        if self.assessment_scale == self.Scale.COMPETENT:
            return str(COMPETENT_LABELS.get(outcome, outcome))
        return str(Outcome(outcome).label) if outcome in Outcome.values else outcome

    def pay_for(self, grade: int | None):
        value = self.pay_table.get(str(grade)) if grade else None
        return Decimal(value) if value not in (None, "") else None

    def duty_blocks(self) -> list[tuple[int, time, time]]:
        return [(int(d), time.fromisoformat(a), time.fromisoformat(b)) for d, a, b in self.duty_hours]


class UnitManagerAssignment(models.Model):
    """A unit manager (街道管理员) works for a street office: its communities' workers."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="managed_units",
        verbose_name=_("街道管理员"),
    )
    unit = models.ForeignKey(
        "recruitment.Unit",
        on_delete=models.CASCADE,
        related_name="manager_assignments",
        verbose_name=_("单位"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("街道管理员分配")
        verbose_name_plural = _("街道管理员分配")
        constraints = [models.UniqueConstraint(fields=["manager", "unit"], name="unit_manager_unique")]

    def __str__(self):
        return f"{self.manager} → {self.unit}"


class Worker(models.Model):
    class Status(models.TextChoices):
        PROBATION = "probation", _("试用期")
        ON_DUTY = "on_duty", _("在岗")
        LEFT = "left", _("已离岗")

    class Source(models.TextChoices):
        HIRE = "hire", _("招聘录用")
        IMPORT = "import", _("批量导入")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="worker", verbose_name=_("账号")
    )
    application = models.OneToOneField(
        "applicants.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worker",
        verbose_name=_("录用的报名"),
    )
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    name = models.CharField(_("姓名"), max_length=20)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    unit = models.ForeignKey(
        "recruitment.Unit", on_delete=models.PROTECT, related_name="workers", verbose_name=_("所在社区")
    )
    post = models.CharField(_("岗位类别"), max_length=8, choices=Post.choices, default=Post.OTHER)
    education = models.PositiveSmallIntegerField(_("学历"), choices=Education.choices, null=True, blank=True)
    grade = models.PositiveSmallIntegerField(
        _("岗位等级"), validators=[MinValueValidator(1), MaxValueValidator(18)]
    )
    start_date = models.DateField(_("入职日期"))
    contract_years = models.DecimalField(_("合同期限（年）"), max_digits=4, decimal_places=2)
    contract_end = models.DateField(_("合同到期日"))
    probation_months = models.PositiveSmallIntegerField(_("试用期（月）"), default=0)
    probation_ends = models.DateField(_("试用期届满日"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROBATION)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        ordering = ["unit__code", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=18), name="worker_grade_1_18"),
            models.CheckConstraint(
                condition=Q(contract_end__gt=F("start_date")), name="worker_contract_after_start"
            ),
            models.CheckConstraint(condition=Q(probation_months__lte=6), name="worker_probation_at_most_6"),
            models.CheckConstraint(
                condition=Q(probation_months=0, probation_ends__isnull=True)
                | Q(probation_months__gt=0, probation_ends__isnull=False),
                name="worker_probation_end_iff_probation",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(left_on__isnull=False), name="worker_left_has_date"
            ),
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="worker_id_number_unique"
            ),
        ]

    def __str__(self):
        return self.name


ACTION_LABELS = {
    "created": _("建档"),
    "probation_set": _("修改试用期"),
    "probation_confirmed": _("试用期满转正"),
    "probation_ended": _("试用期考核不合格，解除聘用"),
    "assessment_entered": _("评定年度考核等次"),
    "assessment_confirmed": _("年度考核结果确认"),
    "grade_changed": _("岗位等级调整"),
    "side_job_declared": _("提交兼职报备"),
    "side_job_withdrawn": _("撤回兼职报备"),
    "side_job_approved": _("兼职报备获批准"),
    "side_job_refused": _("兼职报备未获批准"),
    "side_job_expired": _("兼职报备到期"),
    "training_enrolled": _("培训报名"),
    "training_checked_in": _("培训签到"),
    "training_result": _("登记培训结果"),
}


class WorkerEvent(models.Model):
    """Audit of every decision about a worker: who, when, what, why. Never edited."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=40)
    detail = models.JSONField(_("内容"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社区工作者操作记录")
        verbose_name_plural = _("社区工作者操作记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.worker} {self.action}"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class GradeChange(models.Model):
    """The grade history: the entry grade, then each step (workforce.grades.career)."""

    class Kind(models.TextChoices):
        ENTRY = grades.ENTRY, _("起始等级")
        STEP = grades.STEP, _("正常晋级")
        EARLY = grades.EARLY, _("连续优秀提前晋级")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="grade_changes")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    effective = models.DateField(_("生效日期"))
    grade_from = models.PositiveSmallIntegerField(_("原等级"), null=True, blank=True)
    grade_to = models.PositiveSmallIntegerField(_("新等级"))
    year = models.PositiveSmallIntegerField(_("依据考核年度"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("等级变动")
        verbose_name_plural = _("等级变动")
        ordering = ["effective", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worker"], condition=Q(kind="entry"), name="grade_one_entry"),
            models.UniqueConstraint(
                fields=["worker", "year"], condition=Q(year__isnull=False), name="grade_one_step_per_year"
            ),
            models.CheckConstraint(
                condition=Q(kind="entry") | Q(grade_to=F("grade_from") + 1), name="grade_step_is_one_level"
            ),
        ]

    def __str__(self):
        return f"{self.worker} → {self.grade_to}"


class AssessmentRound(models.Model):
    """One unit's annual assessment (年度考核) for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("评定中")
        SUBMITTED = "submitted", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    unit = models.ForeignKey(
        "recruitment.Unit", on_delete=models.PROTECT, related_name="assessment_rounds", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    excellent_share = models.DecimalField(_("优秀比例上限"), max_digits=3, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    grades_applied_at = models.DateTimeField(_("等级调整时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_round_unique"),
            models.CheckConstraint(
                condition=Q(excellent_share__gte=0) & Q(excellent_share__lte=Decimal("0.20")),
                name="assessment_share_at_most_20pct",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="assessment_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"


class Assessment(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="assessments")
    outcome = models.CharField(_("考核等次"), max_length=16, choices=Outcome.choices, blank=True)
    comment = models.CharField(_("评语"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["round", "worker__name"]
        constraints = [models.UniqueConstraint(fields=["round", "worker"], name="assessment_one_per_round")]

    def __str__(self):
        return f"{self.worker} {self.outcome}"


class SideJob(models.Model):
    """A side job (兼职) declared for approval (兼职报备)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("社区服务类")
        POLICY = "policy", _("政策研究与咨询类")
        CHARITY = "charity", _("公益组织与企业合作类")
        EDUCATION = "education", _("教育与培训类")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("已到期")

    class Refusal(models.TextChoices):
        CONFLICT = "conflict", _("与社区工作存在利益冲突")
        HOURS = "hours", _("每周时长超过规定上限")
        DUTY_TIME = "duty_time", _("占用工作时间")
        OTHER = "other", _("其他原因")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="side_jobs")
    organisation = models.CharField(_("兼职单位"), max_length=100)
    kind = models.CharField(_("兼职类别"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("兼职内容"), max_length=300, blank=True)
    paid = models.BooleanField(_("有报酬"), default=False)
    hours_per_week = models.DecimalField(
        _("每周时长（小时）"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    # [[weekday 0–6, "19:00", "21:00"], …]
    slots = models.JSONField(_("每周时段"), default=list)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    overlaps_duty = models.BooleanField(_("与工作时间重叠"), default=False)
    refusal = models.CharField(_("不予批准原因"), max_length=16, choices=Refusal.choices, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("续报自"),
    )
    created_at = models.DateTimeField(_("报备时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("兼职报备")
        verbose_name_plural = _("兼职报备")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="side_job_period_ordered"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0), name="side_job_hours_positive"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal=""), name="side_job_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused"]) | Q(decided_at__isnull=False),
                name="side_job_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.worker} {self.organisation}"


class TrainingProgramme(models.Model):
    class Kind(models.TextChoices):
        ONBOARDING = "onboarding", _("岗前培训")
        IN_SERVICE = "in_service", _("在岗培训")

    name = models.CharField(_("培训项目"), max_length=100)
    kind = models.CharField(_("培训类别"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("培训内容"), blank=True)
    auto_enrol_new_hires = models.BooleanField(_("新录用人员自动报名"), default=False)
    pass_score = models.DecimalField(
        _("合格分数"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空则只评合格/不合格。"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class TrainingSession(models.Model):
    programme = models.ForeignKey(TrainingProgramme, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("课程"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    hours = models.DecimalField(
        _("学时"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    place = models.CharField(_("地点"), max_length=200)
    teacher = models.CharField(_("授课人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_positive")
        ]

    def __str__(self):
        return self.title


class Enrolment(models.Model):
    class Result(models.TextChoices):
        PENDING = "", _("未评定")
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    programme = models.ForeignKey(TrainingProgramme, on_delete=models.CASCADE, related_name="enrolments")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="enrolments")
    result = models.CharField(_("培训结果"), max_length=8, choices=Result.choices, blank=True, default="")
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    certificate_number = models.CharField(_("结业证书编号"), max_length=40, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        constraints = [
            models.UniqueConstraint(fields=["programme", "worker"], name="enrolment_unique"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
            ),
        ]

    def __str__(self):
        return f"{self.worker} {self.programme}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        constraints = [models.UniqueConstraint(fields=["session", "worker"], name="training_attendance_once")]

    def __str__(self):
        return f"{self.worker} {self.session}"
