"""A served portal must not leak sign-in codes or reset links into logs, nor run on the
development secret key."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from notifications.checks import email_is_really_sent, sms_is_really_sent
from notifications.sms import LogSmsBackend

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_warns_while_email_is_only_printed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [message.id for message in email_is_really_sent(None)] == ["notifications.W001"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert email_is_really_sent(None) == []


def test_sms_log_masks_codes_and_phone_unless_debug(settings, caplog):
    caplog.set_level(logging.INFO, logger="portal.sms")
    settings.DEBUG = False
    LogSmsBackend().send("13812345678", "您的验证码是 483920，10 分钟内有效。")
    assert "483920" not in caplog.text and "13812345678" not in caplog.text
    assert "******" in caplog.text and "138****5678" in caplog.text
    caplog.clear()
    settings.DEBUG = True  # a developer reads the code off the console
    LogSmsBackend().send("13812345678", "您的验证码是 483920，10 分钟内有效。")
    assert "483920" in caplog.text


def test_deploy_check_warns_while_sign_up_codes_would_only_be_logged(settings):
    settings.SMS_BACKEND = "notifications.sms.LogSmsBackend"
    settings.ACCOUNT_PHONE_VERIFICATION_ENABLED = True
    assert [message.id for message in sms_is_really_sent(None)] == ["notifications.W002"]
    settings.ACCOUNT_PHONE_VERIFICATION_ENABLED = False
    assert sms_is_really_sent(None) == []
    settings.ACCOUNT_PHONE_VERIFICATION_ENABLED = True
    settings.SMS_BACKEND = "gateway.AliyunSmsBackend"
    assert sms_is_really_sent(None) == []


def _import(module, **environment):
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    env.update(environment, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("module", ["portal.wsgi", "portal.asgi"])
def test_the_server_refuses_the_development_key_with_debug_off(module):
    refused = _import(module, DEBUG="false")
    assert refused.returncode != 0 and "Set SECRET_KEY" in refused.stderr
    assert _import(module, DEBUG="false", SECRET_KEY="a-real-random-key-" + "x" * 40).returncode == 0
    assert _import(module, DEBUG="true").returncode == 0
