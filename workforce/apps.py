from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workforce"
    verbose_name = _("社区工作者管理")

    def ready(self):
        # hiring tells workforce about a confirmed hire; workforce may import hiring.
        from hiring.signals import hire_confirmed

        from .services.workers import on_hire_confirmed

        hire_confirmed.connect(on_hire_confirmed, dispatch_uid="workforce.worker_from_hire")

        from applicants.panels import register_panel

        from .panels import worker_panel

        register_panel("workforce.worker", render=worker_panel, order=70)

        from portal.jobs import register_kind

        from .services.importer import JOB_KIND, JOB_LABEL
        from .tasks import worker_import

        register_kind(JOB_KIND, label=JOB_LABEL, task=worker_import)
