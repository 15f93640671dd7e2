"""Pluggable SMS delivery. settings.SMS_BACKEND names a class with `send(phone, text)`.

The default writes the message to the log; a real gateway (Aliyun, Tencent Cloud…)
plugs in as another class without touching callers.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.sms")


class LogSmsBackend:
    def send(self, phone: str, text: str) -> None:
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
