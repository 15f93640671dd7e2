"""Resident ID numbers (居民身份证号码, GB 11643-1999): validation and what they tell.

18 characters: 6-digit region code, 8-digit birth date, 3-digit sequence (odd: male,
even: female), and a MOD 11-2 check character (0-9 or X). The 15-digit numbers of the
first-generation cards are refused: the second-generation card has been mandatory since 2013.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# First two digits: provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip

_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "male" | "female" (applicants.models.Sex values)


def normalize(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse(value: str, *, today: date | None = None) -> IdInfo:
    """Validate and decode an ID number; raise ValidationError with a Chinese message."""
    number = normalize(value)
    if re.fullmatch(r"\d{15}", number):
        raise ValidationError(
            _("不支持15位旧版身份证号码，请填写18位第二代居民身份证号码。"), code="legacy_15"
        )
    if not _SHAPE.match(number):
        raise ValidationError(_("身份证号码应为18位：前17位为数字，最后一位为数字或字母X。"), code="format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码前两位不是有效的省级行政区划代码。"), code="region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期不存在，请核对。"), code="birth_date")
    today = today or timezone.localdate()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期不合理，请核对。"), code="birth_date")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请逐位核对。"), code="checksum")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth, sex=sex)


def validate_id_number(value: str) -> None:
    parse(value)


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """Build a valid number (demo data and tests): region 6 digits, sequence 0–999."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
