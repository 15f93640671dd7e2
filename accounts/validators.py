import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value: str) -> str:
    """Keep the 11 digits of a mainland mobile number: drop spaces, dashes and +86."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mainland_mobile(value: str) -> None:
    if not MAINLAND_MOBILE.match(normalize_phone(value)):
        raise ValidationError(
            _("请输入11位中国大陆手机号码，例如 13800138000。"),
            code="invalid_phone",
        )
