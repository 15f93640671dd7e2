from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("统计报表")

    def ready(self):
        from portal.jobs import register_kind

        from .archive import JOB_KIND, JOB_LABEL
        from .signals import connect
        from .tasks import build_archive

        connect()
        register_kind(JOB_KIND, label=JOB_LABEL, task=build_archive)
