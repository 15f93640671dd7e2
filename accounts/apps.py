from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("账户")

    def ready(self):
        from allauth.account.signals import password_changed, password_reset

        from . import password_change, role_cache

        role_cache.connect(self.get_model("User"))
        password_changed.connect(password_change.clear_flag, dispatch_uid="accounts.initial_password")
        password_reset.connect(password_change.clear_flag, dispatch_uid="accounts.initial_password_reset")
