"""Records shared by every app. BackgroundJob: the progress of long work run by Celery
(bulk approval, exports, seating, score imports, ranking…), which the page polls.

The kinds are registered by the apps that run them (portal.jobs.register_kind), so portal
knows no app. The table is the one applicants created for the review console's jobs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    # A kind registered with portal.jobs.register_kind (e.g. "bulk_approve", "export").
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The announcement the work is about, where there is one (most long work in a
    # recruitment is per announcement). An id, not a foreign key: portal lies beneath
    # recruitment and imports nothing of it.
    announcement_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result_file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the task was handed to the broker; empty while the broker was unreachable (the
    # job then waits for portal.sweep_jobs, and its page says so).
    queued_at = models.DateTimeField(null=True, blank=True)
    # Set when a worker claims the job and on each progress write: a RUNNING job whose
    # heartbeat is old was left by a worker that died, and may be claimed again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Which run holds the job: a run presumed dead and replaced can no longer write to it.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "applicants_backgroundjob"
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created_idx")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    def get_kind_display(self) -> str:
        from .jobs import kind_label

        return kind_label(self.kind)

    @property
    def waiting_for_broker(self) -> bool:
        """Recorded, but not yet handed to a worker: the broker was down when it was started."""
        return self.status == self.Status.PENDING and self.queued_at is None


class SiteSettings(models.Model):
    """The site's identity, one row (pk 1), edited by administrators on the portal's
    「网站设置」 page: the authority's name and logo in the header, the organiser, contact
    and record numbers in the footer. An empty field shows the deployment's default
    (settings.PORTAL_SITE); see portal.site."""

    SINGLETON_PK = 1

    authority_name = models.CharField(_("主管单位名称"), max_length=100, blank=True)
    authority_name_en = models.CharField(_("主管单位名称（英文）"), max_length=200, blank=True)
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser_en = models.CharField(_("主办单位（英文）"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    icp_record = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    police_record = models.CharField(_("公安机关备案号"), max_length=50, blank=True)
    # A small PNG or JPEG kept in the row (≤ 100 KB, checked by content): served by
    # portal.views.site_logo with a long cache lifetime, no file storage to back up.
    logo = models.BinaryField(_("标志图片"), blank=True, default=b"")
    logo_type = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("网站设置")
        verbose_name_plural = _("网站设置")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row")]

    def __str__(self):
        return str(_("网站设置"))
