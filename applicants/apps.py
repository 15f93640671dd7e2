from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applicants"
    verbose_name = _("报名")

    def ready(self):
        from recruitment.signals import position_changed

        position_changed.connect(_on_position_changed, dispatch_uid="applicants.position_changed")

        from .audiences import register

        register()

        from recruitment.hooks import register_applicant_state

        from .announcement_state import applied_position, qualifying_position_ids

        register_applicant_state(applied=applied_position, qualifying=qualifying_position_ids)


def _on_position_changed(sender, position, action, reason="", actor=None, **kwargs):
    """A position was reduced or cancelled: tell its applicants (inside the caller's
    transaction; delivery happens after commit)."""
    from .services import notify_position_changed

    notify_position_changed(position=position, action=action, reason=reason, **kwargs)
