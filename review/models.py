"""Eligibility review (资格审核): the catalogue of rejection reasons.

The decisions themselves are stages of applicants.Application (moved by review.services
through applicants.transitions); this app owns the console, its jobs and its catalogue.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class RejectionReason(models.Model):
    """The catalogue of rejection reasons an administrator keeps (年龄、学历、户籍、材料…)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("原因"), max_length=100)
    label_en = models.CharField(_("原因（英文）"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        # The table applicants created before the review console had its own app.
        db_table = "applicants_rejectionreason"
        verbose_name = _("不通过原因")
        verbose_name_plural = _("不通过原因")
        ordering = ["order", "pk"]

    def __str__(self):
        """In the reader's language: English pages show label_en where it is filled."""
        if self.label_en and (translation.get_language() or "").startswith("en"):
            return self.label_en
        return self.label


class ReviewJob(models.TextChoices):
    """The kinds of portal.BackgroundJob this console runs (registered in review.apps)."""

    BULK_APPROVE = "bulk_approve", _("批量审核通过")
    EXPORT = "export", _("导出报名信息")
