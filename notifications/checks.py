"""Deploy checks (`manage.py check --deploy`): messages must really leave the server, and
not sit in a log where whoever reads it could use a sign-in code or a reset link."""

from urllib.parse import urlsplit

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


LOG_ONLY_SMS = "notifications.sms.LogSmsBackend"


@register(Tags.security, deploy=True)
def sms_is_really_sent(app_configs, **kwargs):
    """Sign-up asks for a code by SMS: with the log backend, nobody could ever receive it."""
    if settings.SMS_BACKEND == LOG_ONLY_SMS and getattr(
        settings, "ACCOUNT_PHONE_VERIFICATION_ENABLED", False
    ):
        return [
            Warning(
                "Phone verification is on but SMS is only written to the log: no applicant can finish signing up.",
                hint="Set SMS_BACKEND to your gateway's class, or ACCOUNT_PHONE_VERIFICATION_ENABLED=false.",
                id="notifications.W002",
            )
        ]
    return []


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 - a name list, not a bind


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Links in messages are SITE_URL + path: a worker has no request to take the host from,
    so a missing, local or plain-http address would send applicants dead or unsafe links."""
    value = getattr(settings, "SITE_URL", "") or ""
    parsed = urlsplit(value)
    if parsed.scheme != "https" or (parsed.hostname or "") in LOCAL_HOSTS or parsed.path not in ("", "/"):
        return [
            Warning(
                f"SITE_URL is {value!r}: links in e-mail, SMS and inbox messages would not reach the portal.",
                hint="Set SITE_URL to the portal's public https address, e.g. https://zhaopin.example.cn.",
                id="notifications.W003",
            )
        ]
    return []
