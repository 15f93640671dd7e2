"""Ranking versions (排名版本) and their rows (issue 17, item 6).

A ranking run stores every result as a new RankingVersion with one RankingRow per candidate of
every position; a version is never edited once written. The version is recognised by a
fingerprint of its inputs (rules, quotas, every candidate's scores), so the same inputs give
the same version. An administrator confirms one version, which hiring then reads (exams.
selectors.ranking.confirmed_version); a score corrected later gives a new version to confirm,
and confirming it supersedes the old one. What must never break is held by the database:
one confirmed version per announcement, one number and one fingerprint per announcement, one
row per application per version.

Registered by `from .models_ranking import *` in exams.models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["ExtraTestResult", "RankingRow", "RankingVersion"]

# Interview scores, coefficients and corrected scores are kept with 6 decimals: the rules
# round them to 2 or 3 places by default, and to at most 4 in any source (高安, 河南特岗).
SCORE_DIGITS = {"max_digits": 12, "decimal_places": 6}


class RankingVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        SUPERSEDED = "superseded", _("已被取代")

    announcement = models.ForeignKey(
        "recruitment.Announcement", on_delete=models.PROTECT, related_name="ranking_versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    # sha256 of the canonical JSON of every input (exams.services.ranking.fingerprint).
    fingerprint = models.CharField(max_length=64)
    # The exams.scoring.Rules the run used, as a JSON mapping (Rules.from_mapping reads it back),
    # plus the room-correction scope.
    rules = models.JSONField(_("排名规则"), default=dict)
    # {position id (str): quota} of the positions ranked.
    quotas = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The version shown as "previous" in the differences (the confirmed one, else the latest,
    # when this one was computed).
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("上一版本")
    )
    candidates = models.PositiveIntegerField(_("考生人数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # Set on a confirmed version when a later run found different inputs (a score corrected
    # after confirmation): it stays confirmed for hiring until a new version is confirmed.
    outdated_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("排名版本")
        verbose_name_plural = _("排名版本")
        ordering = ["announcement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "number"], name="exam_rankver_number_once"),
            models.UniqueConstraint(
                fields=["announcement", "fingerprint"], name="exam_rankver_fingerprint_once"
            ),
            models.UniqueConstraint(
                fields=["announcement"], condition=Q(status="confirmed"), name="exam_rankver_one_confirmed"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="exam_rankver_confirmed_has_who",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="exam_rankver_published_was_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.announcement_id} v{self.number}"


class RankingRow(models.Model):
    """One candidate of one position in one version. Absent candidates (no written or no
    interview score) are stored with `absent` and no rank, so the ranking can be rebuilt."""

    # No index of its own: the two below start with it.
    version = models.ForeignKey(RankingVersion, on_delete=models.CASCADE, related_name="rows", db_index=False)
    # The application and its position are held by one composite foreign key, (application,
    # position) → the application's (id, position) (migration 0015, PostgreSQL): the row's
    # position is its application's, and a version's 100,000 rows take one check each where
    # two were made. No query reads the rows by position without the version. A position
    # with rows has their applications, whose own key protects it: deleting one asks no
    # question of these rows (DO_NOTHING; PROTECT would scan them all, with no index).
    position = models.ForeignKey(
        "recruitment.Position",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # Display order within the position (rank order, equals by application id, absent last).
    order = models.PositiveIntegerField()
    ticket_number = models.CharField(_("准考证号"), max_length=40, blank=True)
    masked_name = models.CharField(_("姓名"), max_length=40, blank=True)
    room = models.CharField(_("面试组"), max_length=40, blank=True)
    absent = models.BooleanField(_("缺考"), default=False)
    written_total = models.DecimalField(_("笔试成绩"), max_digits=7, decimal_places=2, null=True)
    interview_raw = models.DecimalField(_("面试原始成绩"), null=True, **SCORE_DIGITS)
    coefficient = models.DecimalField(_("修正系数"), null=True, **SCORE_DIGITS)
    interview = models.DecimalField(_("面试成绩"), null=True, **SCORE_DIGITS)
    composite = models.DecimalField(_("综合成绩"), max_digits=8, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)
    eligible = models.BooleanField(_("合格"), default=False)
    proposed = models.BooleanField(_("拟进入体检考察"), default=False)
    extra_test = models.BooleanField(_("需加试"), default=False)
    # 1, 2, … for each group of equals in the position (best first); null when alone.
    tie_group = models.PositiveSmallIntegerField(_("并列组"), null=True)
    extra_test_score = models.DecimalField(_("加试成绩"), max_digits=7, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("排名明细")
        verbose_name_plural = _("排名明细")
        ordering = ["version", "position", "order"]
        indexes = [models.Index(fields=["version", "position", "order"], name="exam_rankrow_pos_order")]
        constraints = [
            models.UniqueConstraint(fields=["version", "application"], name="exam_rankrow_once"),
            models.CheckConstraint(
                condition=Q(absent=True, rank__isnull=True) | Q(absent=False, rank__isnull=False),
                name="exam_rankrow_ranked_unless_absent",
            ),
            models.CheckConstraint(
                condition=~Q(proposed=True) | Q(eligible=True), name="exam_rankrow_proposed_eligible"
            ),
            models.CheckConstraint(
                condition=~(Q(proposed=True) & Q(extra_test=True)), name="exam_rankrow_proposed_or_extra"
            ),
        ]

    def __str__(self):
        return f"v{self.version_id} {self.application_id} #{self.rank}"


class ExtraTestResult(models.Model):
    """The 加试 score of one candidate of a group of equals at the last post, in one round.

    A 加试 that ties again is followed by another round for the still tied only, so a
    candidate has one row per round (1, 2, …), never two for the same round. The next ranking
    reads round 1 as the subscore "extra_test" and round k ≥ 2 as "extra_test_<k>", with
    "subscore:extra_test", "subscore:extra_test_2", … appended to the tie-breakers in order
    (exams.services.ranking_inputs.assemble, exams.scoring.rank). Which round an entry is:
    exams.services.extra_test.extra_test_round."""

    announcement = models.ForeignKey("recruitment.Announcement", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.PROTECT, related_name="extra_test_results"
    )
    # db_default too: a row written without it (an older migration's historical model, e.g.
    # hiring.0002 copying the old scores) is a round 1.
    round = models.PositiveSmallIntegerField(_("加试轮次"), default=1, db_default=1)
    score = models.DecimalField(_("加试成绩"), max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("加试成绩")
        verbose_name_plural = _("加试成绩")
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="exam_extra_test_once_per_round"),
            models.CheckConstraint(condition=Q(round__gte=1), name="exam_extra_test_round_from_1"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="exam_extra_test_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.application_id} #{self.round}: {self.score}"
