"""Deploy checks (`manage.py check --deploy`): messages must really leave the server, and
not sit in a log where whoever reads it could use a sign-in code or a reset link."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

NOT_SENDING_EMAIL = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@register(Tags.security, deploy=True)
def email_is_really_sent(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in NOT_SENDING_EMAIL:
        return [
            Warning(
                f"E-mail is printed or kept, not sent (EMAIL_BACKEND is {settings.EMAIL_BACKEND}).",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.cn:587.",
                id="notifications.W001",
            )
        ]
    return []
