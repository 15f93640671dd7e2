"""The interview shortlist (进入面试人员名单) of an announcement, its backfill rounds (递补),
and declarations (放弃声明) confirmed by an SMS code or signed on paper (issue 17, item 3).

- Shortlist: one per announcement; computed by a background job (exams.services.shortlist),
  then published (ticket number, masked name, written total, the cut per position).
- ShortlistCut: per position, the pass line applied, the target (quota × ratio), the cut
  (the lowest written total shortlisted in the first round) and how many entered.
- ShortlistEntry: one per shortlisted application (ever): the round it entered in (0 = the
  first list, 1, 2 … backfill rounds), its state, and whether its vacated place was refilled.
- ShortlistRound: the record of one backfill round of one position (who left, who entered).
- Declaration: an applicant's declaration (giving up the interview; hiring reuses it for
  declining a hire), confirmed by a one-time SMS code (only its hash is stored) or uploaded
  by staff as a signed paper. See exams.declarations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Declaration", "Shortlist", "ShortlistCut", "ShortlistEntry", "ShortlistRound"]


class Shortlist(models.Model):
    announcement = models.OneToOneField(
        "recruitment.Announcement", on_delete=models.CASCADE, related_name="shortlist"
    )
    # The written results version the first list was computed from (exams.WrittenResults).
    results_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the last sweep of "no confirmation = gave up" ran (idempotency of the beat task).
    unconfirmed_swept_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("面试入围名单")
        verbose_name_plural = _("面试入围名单")

    def __str__(self):
        return str(self.announcement_id)


class ShortlistCut(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="cuts")
    position = models.OneToOneField("recruitment.Position", on_delete=models.CASCADE, related_name="+")
    line = models.DecimalField(_("笔试合格线"), max_digits=6, decimal_places=2, null=True, blank=True)
    target = models.PositiveIntegerField(_("入围目标人数"))
    cut = models.DecimalField(_("入围最低分"), max_digits=6, decimal_places=2, null=True, blank=True)
    qualified = models.PositiveIntegerField(_("达到合格线人数"), default=0)
    entered = models.PositiveIntegerField(_("入围人数"), default=0)

    class Meta:
        ordering = ["position__code"]

    def __str__(self):
        return f"{self.position_id}: {self.cut}"


class ShortlistEntry(models.Model):
    class State(models.TextChoices):
        SHORTLISTED = "shortlisted", _("入围")
        CONFIRMED = "confirmed", _("已确认参加面试")
        GAVE_UP = "gave_up", _("放弃面试")
        RECHECK_PASSED = "recheck_passed", _("资格复审通过")
        RECHECK_FAILED = "recheck_failed", _("资格复审不通过")
        DISQUALIFIED = "disqualified", _("取消资格")
        ADDED_BY_BACKFILL = "added_by_backfill", _("递补入围")
        ADDED_BY_CORRECTION = "added_by_correction", _("成绩更正后补入")

    IN = (
        State.SHORTLISTED,
        State.CONFIRMED,
        State.RECHECK_PASSED,
        State.ADDED_BY_BACKFILL,
        State.ADDED_BY_CORRECTION,
    )
    OUT = (State.GAVE_UP, State.RECHECK_FAILED, State.DISQUALIFIED)

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        "applicants.Application", on_delete=models.CASCADE, related_name="shortlist_entry"
    )
    position = models.ForeignKey("recruitment.Position", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(_("入围轮次"), default=0)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SHORTLISTED)
    written_total = models.DecimalField(_("笔试总成绩"), max_digits=6, decimal_places=2)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rechecked = models.BooleanField(_("已复审"), default=False)
    recheck_passed = models.BooleanField(_("复审通过"), null=True, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The backfill round that refilled this entry's place once it left (None: not yet or never).
    refilled_in = models.ForeignKey(
        "ShortlistRound", on_delete=models.SET_NULL, null=True, blank=True, related_name="vacated_entries"
    )

    class Meta:
        verbose_name = _("入围人员")
        verbose_name_plural = _("入围人员")
        ordering = ["position_id", "-written_total", "application_id"]
        indexes = [models.Index(fields=["shortlist", "position", "state"], name="exam_sl_entry_pos_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["recheck_failed", "disqualified", "gave_up"]) | ~Q(reason=""),
                name="exam_sl_entry_out_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.state}"

    @property
    def is_in(self) -> bool:
        return self.state in self.IN


class ShortlistRound(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="rounds")
    position = models.ForeignKey("recruitment.Position", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("轮次"))
    vacated = models.JSONField(default=list)  # application ids whose places this round filled
    added = models.JSONField(default=list)  # application ids shortlisted by this round
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("递补轮次")
        verbose_name_plural = _("递补轮次")
        ordering = ["position_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["position", "number"], name="exam_sl_round_once"),
        ]

    def __str__(self):
        return f"{self.position_id} #{self.number}"


class Declaration(models.Model):
    """A declaration of an applicant (放弃面试 / 放弃录用 …). Pending while an SMS code waits
    for its confirmation; confirmed by the code, or at once when staff upload the signed
    paper. Only the hash of a code is stored."""

    class Method(models.TextChoices):
        SMS = "sms", _("本人在线声明（短信验证码确认）")
        SIGNED = "signed", _("本人签字的书面声明（工作人员上传）")

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        CANCELLED = "cancelled", _("已作废")

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="declarations"
    )
    purpose = models.CharField(_("事项"), max_length=30)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    text = models.TextField(_("声明内容"))
    reason = models.TextField(_("原因"), blank=True)
    phone = models.CharField(max_length=20, blank=True)
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sends = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("签字声明"), upload_to="declarations/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("声明")
        verbose_name_plural = _("声明")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "purpose"],
                condition=Q(status="confirmed"),
                name="exam_declaration_confirmed_once",
            ),
            models.CheckConstraint(
                condition=~Q(method="signed") | ~Q(file=""), name="exam_declaration_signed_has_file"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="exam_declaration_confirmed_at",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.purpose} ({self.status})"
