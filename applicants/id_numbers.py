"""Resident ID numbers (居民身份证号码, GB 11643-1999): validation and what they tell.

18 characters: 6-digit region code, 8-digit birth date, 3-digit sequence (odd: male,
even: female), and a MOD 11-2 check character (0-9 or X). The 15-digit numbers of the
first-generation cards are refused: the second-generation card has been mandatory since 2013.

Pure: no database. Every spelling a person types or pastes (full-width digits, spaces,
hyphens, a lower-case x) is first brought to the one stored spelling by `normalize`
(portal.normalize.normalize_digits: NFKC, then separators dropped), so "one ID number, one
account" is checked on that spelling; after it only ASCII digits and X are accepted.

The region code must be one that ever existed in the national list of administrative
division codes (GB/T 2260), read from the list python-stdnum maintains (stdnum/cn/loc.dat,
compiled from the Ministry of Civil Affairs' yearly lists). Its per-year validity is
ignored on purpose: a district created, renamed or abolished after a person's birth does not
change the number on their card (120107…, 塘沽区, abolished in 2009, stays valid).
"""

import functools
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.normalize import normalize_digits

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
LENGTH = 18

# The stored spelling; the database check constraint (applicants.models) uses the same.
CANONICAL = r"^[0-9]{17}[0-9X]$"
_CANONICAL = re.compile(CANONICAL, re.ASCII)
_LEGACY = re.compile(r"^[0-9]{15}$", re.ASCII)
_ALLOWED = re.compile(r"^[0-9X]*$", re.ASCII)

# Region codes in use on cards that the administrative-division list does not hold:
# 830000, the residence permit for Taiwan residents (港澳台居民居住证办法, 2018).
EXTRA_REGION_CODES = frozenset({"830000"})


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "male" | "female" (applicants.models.Sex values)


def normalize(value: str | None) -> str:
    """The one spelling of an ID number: NFKC, separators dropped, x upper-cased.

    `value`: what was typed or pasted. Never raises; what is still not an ASCII digit or X
    is left for `parse` to refuse. "１１０１０５１９４９１２３１００２X" and
    "110105 19491231 002x" both give "11010519491231002X"."""
    return normalize_digits(value or "").upper()


def is_canonical(value: str) -> bool:
    """True when `value` is stored-spelling shaped: 17 ASCII digits, then a digit or X."""
    return bool(_CANONICAL.fullmatch(value or ""))


@functools.cache
def _region_database():
    from stdnum import numdb

    return numdb.get("cn/loc")


@functools.lru_cache(maxsize=4096)
def region_known(code: str) -> bool:
    """True when the 6-digit `code` ever named a county-level (or higher) division in the
    national list, whatever the years it was valid (python-stdnum's cn/loc.dat, read through
    its public numdb lookup: the code is known when the lookup reaches a "county" entry)."""
    if code in EXTRA_REGION_CODES:
        return True
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return any("county" in props for _part, props in _region_database().info(code))


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse(value: str, *, today: date | None = None) -> IdInfo:
    """Validate and decode an ID number in any spelling (see `normalize`).

    Returns IdInfo with the stored spelling, the birth date and the sex. Raises
    ValidationError (message in the portal's language) with code "legacy_15", "chars",
    "length", "region", "birth_date" or "checksum", checked in that order: the length is
    judged only after separators are dropped, so a pasted number with spaces is never
    blamed on its length."""
    number = normalize(value)
    if _LEGACY.fullmatch(number):
        raise ValidationError(
            _("不支持15位旧版身份证号码，请填写18位第二代居民身份证号码。"), code="legacy_15"
        )
    if not _ALLOWED.fullmatch(number):
        raise ValidationError(_("身份证号码只能包含数字和字母X，请检查是否混入了其他字符。"), code="chars")
    if len(number) != LENGTH:
        raise ValidationError(
            _("身份证号码应为18位，您填写的是%(count)s位（空格和连字符不计）。") % {"count": len(number)},
            code="length",
        )
    if not _CANONICAL.fullmatch(number):
        raise ValidationError(_("身份证号码前17位应为数字，只有最后一位可以是字母X。"), code="format")
    if not region_known(number[:6]):
        raise ValidationError(
            _("身份证号码前6位（%(code)s）不是有效的行政区划代码，请逐位核对。") % {"code": number[:6]},
            code="region",
        )
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
    """Model-field validator: a valid number, and in the stored spelling (Django admin or
    a script saving "110105 19491231 002X" is told the spelling to use)."""
    info = parse(value)
    if info.number != value:
        raise ValidationError(
            _("请按规范写法填写身份证号码：%(number)s。") % {"number": info.number}, code="spelling"
        )


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """Build a valid number (demo data and tests): region 6 digits, sequence 0–999."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
