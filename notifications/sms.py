"""Pluggable SMS delivery. settings.SMS_BACKEND names a class with `send(phone, text)`.

The default writes the message to the log; a real gateway (Aliyun, Tencent Cloud…)
plugs in as another class without touching callers.
"""

import logging
import re

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.sms")

CODE = re.compile(r"\d{4,}")


class LogSmsBackend:
    """Development: the text in the log, so a sign-in code can be read off the console.
    With DEBUG off, numbers of four digits or more (codes) and the phone are masked:
    a log must not let whoever reads it sign in as someone else."""

    def send(self, phone: str, text: str) -> None:
        if not settings.DEBUG:
            phone = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
            text = CODE.sub(lambda match: "*" * len(match.group()), text)
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend:
    """For tests: keeps what was sent in `outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> None:
    get_sms_backend().send(phone, text)
