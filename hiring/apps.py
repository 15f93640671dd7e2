from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HiringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hiring"
    verbose_name = _("录用")

    def ready(self):
        from applicants.panels import register_panel

        from .panels import hiring_panel

        register_panel("hiring.standing", render=hiring_panel, order=60)
        from .workbench import register_phase  # the workbench's announcement phase

        register_phase()
