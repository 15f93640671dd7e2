"""Written-exam results (笔试成绩): the score of each candidate, the two independent entries
of double entry (双人录入), corrections, score review requests (成绩复核), the publication of
an announcement's results, per-position pass lines and bonus claims (加分).

Registered by one import line at the end of exams.models. Rules:
- Absence (缺考) and disqualification (违纪) are a *status*, never a score of 0: a row
  `scored` has a raw score, the others have none (a database check).
- Every score is Decimal(5,2) within 0 and the full marks stored on the row (a database
  check per row, so a later change of the paper cannot make a stored score impossible).
  The parts of a score are child rows, each checked against its own full marks; that the
  parts add up to the raw total is checked by exams.services.written (a check across rows
  cannot be a CheckConstraint).
- A final score is never overwritten in place silently: exams.services.written changes it
  only with a ScoreCorrection row (old → new, reason, who, when) and bumps `version`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_SCORE = Decimal("999.99")


class ScoreStatus(models.TextChoices):
    SCORED = "scored", _("有成绩")
    ABSENT = "absent", _("缺考")
    DISQUALIFIED = "disqualified", _("违纪")


class WrittenScore(models.Model):
    """The final written score of one ticket (one candidate of one announcement).

    `bonus`, `total`, `passed` and `rank` are computed at publication (or when an
    administrator recomputes stale results) and cached here so the results-day query reads
    one row; `computed_version` says which results version they belong to."""

    class Source(models.TextChoices):
        IMPORT = "import", _("导入")
        DOUBLE_ENTRY = "double_entry", _("双人录入")
        RESOLVED = "resolved", _("双人录入（第三人核定）")

    ticket = models.OneToOneField("exams.Ticket", on_delete=models.PROTECT, related_name="written_score")
    announcement = models.ForeignKey(
        "recruitment.Announcement", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    position = models.ForeignKey("recruitment.Position", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("成绩状态"), max_length=12, choices=ScoreStatus.choices)
    raw = models.DecimalField(_("笔试成绩"), max_digits=5, decimal_places=2, null=True, blank=True)
    full_marks = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)
    source = models.CharField(max_length=12, choices=Source.choices)
    version = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Computed at publication (exams.services.written.results_compute).
    bonus = models.DecimalField(_("加分"), max_digits=5, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(_("笔试总成绩"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("是否合格"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("岗位排名"), null=True, blank=True)
    computed_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("笔试成绩")
        verbose_name_plural = _("笔试成绩")
        ordering = ["ticket__number"]
        indexes = [models.Index(fields=["announcement", "position", "status"], name="exam_wscore_ann_pos")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="scored") & Q(raw__isnull=False))
                | (Q(status__in=["absent", "disqualified"]) & Q(raw__isnull=True)),
                name="exam_wscore_raw_iff_scored",
            ),
            models.CheckConstraint(
                condition=Q(full_marks__gt=0) & Q(full_marks__lte=MAX_SCORE), name="exam_wscore_full_marks"
            ),
            models.CheckConstraint(
                condition=Q(raw__isnull=True) | (Q(raw__gte=0) & Q(raw__lte=F("full_marks"))),
                name="exam_wscore_raw_0_full",
            ),
            models.CheckConstraint(
                condition=Q(bonus__isnull=True) | Q(bonus__gte=0), name="exam_wscore_bonus"
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.raw if self.status == ScoreStatus.SCORED else self.status}"


class WrittenPartScore(models.Model):
    """One part of a score (a session's part, or a session when it has no parts)."""

    score = models.ForeignKey(WrittenScore, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveSmallIntegerField()
    name = models.CharField(_("科目/部分"), max_length=100)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    full_marks = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["score", "index"]
        constraints = [
            models.UniqueConstraint(fields=["score", "index"], name="exam_wpart_once"),
            models.CheckConstraint(
                condition=Q(full_marks__gt=0) & Q(full_marks__lte=MAX_SCORE), name="exam_wpart_full_marks"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("full_marks")), name="exam_wpart_points_0_full"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.points}"


class ScoreEntry(models.Model):
    """One person's entry of one ticket in double entry (双人录入): entries 1 and 2 are made
    independently by two different people; entry 3 is the resolution of a mismatch by a
    third. One person enters a ticket at most once (a unique constraint), so the people differ.
    `parts` holds the part points as strings ("12.50"), in the paper's order."""

    ticket = models.ForeignKey("exams.Ticket", on_delete=models.CASCADE, related_name="score_entries")
    entry_no = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=ScoreStatus.choices)
    raw = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    parts = models.JSONField(default=list, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成绩录入")
        verbose_name_plural = _("成绩录入")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "entry_no"], name="exam_entry_once"),
            models.UniqueConstraint(fields=["ticket", "entered_by"], name="exam_entry_one_per_person"),
            models.CheckConstraint(
                condition=Q(entry_no__gte=1) & Q(entry_no__lte=3), name="exam_entry_no_1_3"
            ),
            models.CheckConstraint(
                condition=(Q(status="scored") & Q(raw__gte=0) & Q(raw__lte=MAX_SCORE))
                | (Q(status__in=["absent", "disqualified"]) & Q(raw__isnull=True)),
                name="exam_entry_raw_iff_scored",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} #{self.entry_no}"


class ScoreCorrection(models.Model):
    """A change of a final score: old → new, why, by whom (audit; never deleted)."""

    score = models.ForeignKey(WrittenScore, on_delete=models.PROTECT, related_name="corrections")
    old_status = models.CharField(max_length=12, choices=ScoreStatus.choices)
    old_raw = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    old_parts = models.JSONField(default=list)
    new_status = models.CharField(max_length=12, choices=ScoreStatus.choices)
    new_raw = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    new_parts = models.JSONField(default=list)
    reason = models.TextField(_("更正原因"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成绩更正")
        verbose_name_plural = _("成绩更正")
        ordering = ["-corrected_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="exam_correction_has_reason")]

    def __str__(self):
        return f"{self.score_id}: {self.old_raw} → {self.new_raw}"


class ScoreReviewRequest(models.Model):
    """成绩复核: asked once per candidate, with a reason, within the window after publication;
    staff answer unchanged or corrected (with the re-checked figure)."""

    class Outcome(models.TextChoices):
        PENDING = "", _("待复核")
        UNCHANGED = "unchanged", _("成绩无误")
        CORRECTED = "corrected", _("成绩有误，已更正")

    score = models.OneToOneField(WrittenScore, on_delete=models.PROTECT, related_name="review_request")
    reason = models.TextField(_("复核理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("复核结果"), max_length=10, choices=Outcome.choices, blank=True, default="")
    rechecked_raw = models.DecimalField(_("复核分数"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("复核说明"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("成绩复核申请")
        verbose_name_plural = _("成绩复核申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="exam_review_has_reason"),
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(answered_by__isnull=False) & Q(answered_at__isnull=False)),
                name="exam_review_answer_signed",
            ),
        ]

    def __str__(self):
        return f"{self.score_id}: {self.outcome or 'pending'}"


class WrittenResults(models.Model):
    """The written results of one announcement: publication (at once or at a set time) and
    the results version. Any change of a final score bumps `version`; what was computed from
    the scores (pass lines, totals, ranks; later the shortlist and the ranking) belongs to
    `computed_version` and is out of date while the two differ."""

    announcement = models.OneToOneField(
        "recruitment.Announcement", on_delete=models.CASCADE, related_name="written_results"
    )
    version = models.PositiveIntegerField(default=1)
    computed_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("成绩发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bonus_published_at = models.DateTimeField(_("加分公示时间"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_working_days = models.PositiveSmallIntegerField(
        _("成绩复核申请期限（工作日）"), default=3, help_text=_("成绩发布后多少个工作日内可以申请复核。")
    )

    class Meta:
        verbose_name = _("笔试成绩发布")
        verbose_name_plural = _("笔试成绩发布")

    def __str__(self):
        return str(self.announcement_id)

    @property
    def stale(self) -> bool:
        return self.computed_version != self.version


class PositionPassLine(models.Model):
    """A position's own pass line, overriding the announcement's (exams.rules.rules_for).
    Also holds the line computed at publication and how it was obtained."""

    class Mode(models.TextChoices):
        FIXED = "fixed", _("固定分数线")
        RELATIVE = "relative", _("按参考人员平均分的比例")
        MANUAL = "manual", _("考后划定")
        NONE = "none", _("不设合格线")

    position = models.OneToOneField("recruitment.Position", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(_("合格线方式"), max_length=10, choices=Mode.choices)
    value = models.DecimalField(
        _("分数或百分比"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("固定或考后划定时为分数；按比例时为平均分的百分比，例如 60 表示 60%。"),
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("岗位笔试合格线")
        verbose_name_plural = _("岗位笔试合格线")
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="none") | (Q(value__gte=0) & Q(value__lte=MAX_SCORE)),
                name="exam_position_line_value",
            ),
            models.CheckConstraint(
                condition=~Q(mode="relative") | (Q(value__gt=0) & Q(value__lte=100)),
                name="exam_position_line_percent",
            ),
        ]

    def __str__(self):
        return f"{self.position_id}: {self.mode} {self.value}"


class PositionResult(models.Model):
    """Computed at publication for each position: the pass line, how it was obtained, and
    how many sat (the rank's denominator)."""

    announcement = models.ForeignKey("recruitment.Announcement", on_delete=models.CASCADE, related_name="+")
    position = models.OneToOneField("recruitment.Position", on_delete=models.CASCADE, related_name="+")
    line = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    explanation = models.JSONField(default=dict)
    sat = models.PositiveIntegerField(default=0)
    computed_version = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.position_id}: {self.line}"

    @property
    def explanation_text(self) -> str:
        """How the line was obtained, in words, in the reader's language."""
        from .services.written import explanation_text

        return explanation_text(self.explanation)


class BonusClaim(models.Model):
    """An applicant's claim to a bonus category (加分), with proof; it counts only once a
    reviewer confirmed it."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("待认定")
        CONFIRMED = "confirmed", _("已认定")
        REFUSED = "refused", _("不予认定")

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="bonus_claims"
    )
    category = models.ForeignKey("recruitment.BonusCategory", on_delete=models.PROTECT, related_name="claims")
    proof = models.ForeignKey(
        "applicants.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("证明材料"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("认定结果"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    reason = models.CharField(_("认定说明"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("加分申请")
        verbose_name_plural = _("加分申请")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "category"], name="exam_bonus_claim_once"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""), name="exam_bonus_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="claimed") | Q(reviewed_by__isnull=False), name="exam_bonus_reviewed_by"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.category_id} ({self.status})"
