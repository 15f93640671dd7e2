"""Applicants' real-name profiles, documents and applications (报名).

One application per applicant per announcement (database constraint). An application's
stage only moves forward through applicants.transitions (called by applicants.services and
by the higher apps' services: review, exams…), each move written to ApplicationEvent. At submission the profile is copied into `snapshot`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from portal.choices import ChoiceDisplayMixin
from recruitment.choices import Education, PoliticalStatus
from recruitment.models import Announcement, Position

from .id_numbers import CANONICAL as ID_NUMBER_CANONICAL
from .id_numbers import validate_id_number


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ApplicantProfile(ChoiceDisplayMixin, models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    real_name = models.CharField(_("姓名"), max_length=20)
    # Checked on the field too, so Django admin and full_clean() refuse a bad number.
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True, validators=[validate_id_number])
    birth_date = models.DateField(_("出生日期"))  # derived from id_number
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)  # derived from id_number
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    political_status = models.CharField(
        _("政治面貌"), max_length=24, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    household_province = models.CharField(_("户籍所在省"), max_length=20)
    household_city = models.CharField(_("户籍所在市"), max_length=20)
    household_district = models.CharField(_("户籍所在区（县）"), max_length=20, blank=True)
    household_settled_on = models.DateField(_("户籍迁入日期"), null=True, blank=True)
    address = models.CharField(_("现居住地址"), max_length=200, blank=True)
    photo = models.FileField(_("证件照"), upload_to="photos/", blank=True)
    identity_locked = models.BooleanField(
        _("姓名和身份证号已锁定"), default=False, help_text=_("报名审核通过后，姓名和身份证号不能再修改。")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("报考人员信息")
        verbose_name_plural = _("报考人员信息")
        constraints = [
            # One spelling per number (17 ASCII digits, then a digit or X; applicants.id_numbers
            # .normalize): the unique index then means one ID number, one account, however it
            # was typed ("１１０１…", "110105 1949…"). A regular expression on every backend
            # Django supports (PostgreSQL ~, SQLite through Django's REGEXP function)…
            models.CheckConstraint(
                condition=Q(id_number__regex=ID_NUMBER_CANONICAL), name="profile_id_number_canonical"
            ),
            # …and its length in plain SQL, which holds even for a writer outside Django.
            models.CheckConstraint(
                condition=models.lookups.Exact(Length("id_number"), 18), name="profile_id_number_length_18"
            ),
        ]

    def __str__(self):
        return self.real_name

    @property
    def household_region(self) -> str:
        return f"{self.household_province}{self.household_city}{self.household_district}"


class EducationRecord(models.Model):
    profile = models.ForeignKey(ApplicantProfile, on_delete=models.CASCADE, related_name="education")
    level = models.PositiveSmallIntegerField(_("学历"), choices=Education.choices)
    school = models.CharField(_("毕业院校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100)
    graduated_on = models.DateField(_("毕业时间"))
    full_time = models.BooleanField(_("全日制"), default=True)

    class Meta:
        verbose_name = _("学历")
        verbose_name_plural = _("学历")
        ordering = ["-level", "-graduated_on"]

    def __str__(self):
        return f"{self.school} {self.major}"


class WorkRecord(models.Model):
    profile = models.ForeignKey(ApplicantProfile, on_delete=models.CASCADE, related_name="work")
    employer = models.CharField(_("工作单位"), max_length=100)
    role = models.CharField(_("职务"), max_length=100)
    started_on = models.DateField(_("开始时间"))
    ended_on = models.DateField(_("结束时间"), null=True, blank=True, help_text=_("至今可留空。"))
    community_work = models.BooleanField(_("属于社区工作经历"), default=False)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="work_record_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.employer} {self.role}"


class Certificate(models.Model):
    profile = models.ForeignKey(ApplicantProfile, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(
        _("证书名称"), max_length=100, help_text=_("例如：社会工作者职业资格（社会工作师）")
    )
    number = models.CharField(_("证书编号"), max_length=50, blank=True)
    issued_on = models.DateField(_("取得时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Document(ChoiceDisplayMixin, models.Model):
    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("身份证")
        DIPLOMA = "diploma", _("毕业证书")
        DEGREE = "degree", _("学位证书")
        HOUSEHOLD = "household", _("户口簿")
        CERTIFICATE = "certificate", _("资格证书")
        WORK_PROOF = "work_proof", _("工作经历证明")
        OTHER = "other", _("其他材料")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profile = models.ForeignKey(ApplicantProfile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="documents/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报名材料")
        verbose_name_plural = _("报名材料")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.original_name


class Stage(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核不通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    TICKET_ISSUED = "ticket_issued", _("已发准考证")
    WRITTEN_SCORED = "written_scored", _("已有笔试成绩")
    ABSENT = "absent", _("缺考")
    DISQUALIFIED = "disqualified", _("违纪")
    SHORTLISTED = "shortlisted", _("入围面试")
    NOT_SHORTLISTED = "not_shortlisted", _("未入围面试")
    INTERVIEWED = "interviewed", _("已面试")
    RANKED = "ranked", _("已排名")
    PROPOSED = "proposed", _("拟录用")
    PUBLIC_NOTICE = "public_notice", _("公示中")
    HIRED = "hired", _("已录用")
    FAILED_CHECK = "failed_check", _("体检或考察不合格")
    DECLINED = "declined", _("放弃录用")


# Applications that count as submitted for statistics, and those at or past approval.
# The exam's stages (ticket issued, absent 缺考/弃考, disqualified 违纪) were all approved:
# they count as approved on the public position table and for the opening ratio (开考比例),
# which is judged on approval and must not move when a candidate later misses the exam.
NOT_SUBMITTED_STAGES = [Stage.DRAFT, Stage.WITHDRAWN]
STAGES_AT_OR_AFTER_APPROVED = [
    Stage.APPROVED,
    Stage.TICKET_ISSUED,
    Stage.ABSENT,
    Stage.DISQUALIFIED,
    Stage.WRITTEN_SCORED,
    Stage.SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.RANKED,
    Stage.PROPOSED,
    Stage.PUBLIC_NOTICE,
    Stage.HIRED,
    # Ends reached only after approval: they were approved and stay counted (a public count
    # of approved candidates must not drop when the shortlist is published).
    Stage.NOT_SHORTLISTED,
    Stage.FAILED_CHECK,
    Stage.DECLINED,
]


class EligibilityOutcome(models.TextChoices):
    PASSED = "passed", _("符合")
    FAILED = "failed", _("不符合")
    MANUAL = "manual", _("需人工审核")


class Application(ChoiceDisplayMixin, models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    announcement = models.ForeignKey(Announcement, on_delete=models.PROTECT, related_name="applications")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(
        _("状态"), max_length=20, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )
    # Optimistic concurrency: every write bumps it; a decision made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    snapshot = models.JSONField(_("提交时的个人信息"), default=dict, blank=True)
    eligibility = models.JSONField(_("自动资格检查结果"), default=list, blank=True)
    eligibility_outcome = models.CharField(
        _("自动资格检查"), max_length=10, choices=EligibilityOutcome.choices, blank=True
    )
    declaration_accepted_at = models.DateTimeField(_("诚信承诺时间"), null=True, blank=True)

    return_instructions = models.TextField(_("需修改的内容"), blank=True)
    # The catalogue lives in the review app; a lazy reference, so applicants imports nothing
    # from review (the table is the one applicants created: review.0001 took it over).
    rejection_reason = models.ForeignKey(
        "review.RejectionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("不通过原因"),
    )
    rejection_note = models.TextField(_("不通过说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    switched_position = models.BooleanField(_("已因岗位核减或取消改报"), default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "announcement"], name="one_application_per_announcement"
            ),
            models.CheckConstraint(
                condition=~Q(stage="rejected") | Q(rejection_reason__isnull=False), name="rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(stage="returned") | ~Q(return_instructions=""), name="returned_has_instructions"
            ),
            # What exams.RankingRow's foreign key (application, position) references: the
            # database holds that a ranked row's position is its application's.
            models.UniqueConstraint(fields=["id", "position"], name="application_id_position"),
        ]
        indexes = [
            # The review queue of one stage, oldest submission first; with the id, a page is
            # read from the index alone (no sort of the rows skipped by OFFSET).
            models.Index(fields=["announcement", "stage", "submitted_at", "id"], name="app_queue_idx"),
            # The review queue over every stage, oldest submission first.
            models.Index(fields=["announcement", "submitted_at", "id"], name="app_queue_all_stages_idx"),
            models.Index(fields=["position", "stage"], name="app_position_stage_idx"),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.position}"


class ApplicationEvent(ChoiceDisplayMixin, models.Model):
    """Audit: every stage change and decision (who, when, from → to, why). Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"
