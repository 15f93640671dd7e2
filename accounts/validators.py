import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.normalize import normalize_digits

# ASCII digits only: `\d` would also accept "１３８…" (full-width) or "١٣٨…" (Arabic-Indic).
MAINLAND_MOBILE = re.compile(r"^1[3-9][0-9]{9}$", re.ASCII)
COUNTRY_PREFIXES = ("+86", "0086")


def normalize_phone(value: str | None) -> str:
    """The 11 digits of a mainland mobile number as typed or pasted in any spelling.

    `value`: e.g. "１３８００１３８０００" (full-width), "+86 138 0013 8000", "138-0013-8000",
    "(+86)138 0013 8000". NFKC and separators first (portal.normalize.normalize_digits), then
    the country code +86 / 0086 (or a bare 86 in front of 11 digits) is dropped. Returns the
    rest unchanged otherwise, so that validate_mainland_mobile can refuse what is left
    (letters, non-ASCII digits); never raises. Every lookup by phone (sign-up uniqueness,
    login, axes' lockout key) goes through this, so one number has one spelling.
    """
    digits = normalize_digits(value or "")
    for prefix in COUNTRY_PREFIXES:
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    if len(digits) == 13 and digits.startswith("86") and MAINLAND_MOBILE.match(digits[2:]):
        return digits[2:]
    return digits


def validate_mainland_mobile(value: str) -> None:
    if not MAINLAND_MOBILE.match(normalize_phone(value)):
        raise ValidationError(
            _("请输入11位中国大陆手机号码，例如 13800138000。"),
            code="invalid_phone",
        )
