"""Real names as resident ID cards print them (pure: no database).

Names are never NFKC-normalised (that rewrites compatibility ideographs such as U+F900 豈
into another character). Accepted:
- Chinese characters of every block a card may use: CJK Unified Ideographs and Extension A,
  Extensions B–I beyond the Basic Multilingual Plane (𠮷, U+20BB7), the compatibility
  ideographs (U+F900–FAFF, U+2F800–2FA1F), 〇, each optionally followed by a variation
  selector;
- Latin letters, words separated by single spaces ("Zhang San" is kept as typed, never
  joined);
- the middle dot of minority names (买买提·艾力), typed in any of its usual look-alikes
  (• ・ ･ ． . ∙ ‧ ⋅) and stored as U+00B7.
Length: NAME_MIN–NAME_MAX characters counted as people count them (a character beyond the
BMP or one with a variation selector is one), refused beyond — never cut.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_MIN = 2
NAME_MAX = 20
MIDDLE_DOT = "\u00b7"

# What people type for the middle dot. Not NFKC (see above): an explicit table.
DOT_VARIANTS = str.maketrans(
    dict.fromkeys("\u2022\u30fb\uff65\uff0e.\u2219\u2027\u22c5\u0387\u16eb\u2e31\u318d\u00b7", MIDDLE_DOT)
)

IDEOGRAPH = (
    "\u3007"  # 〇
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # Unified Ideographs
    "\uf900-\ufaff"  # Compatibility Ideographs
    "\U00020000-\U0002a6df"  # Extension B
    "\U0002a700-\U0002ee5f"  # Extensions C, D, E, F, I
    "\U0002f800-\U0002fa1f"  # Compatibility Ideographs Supplement
    "\U00030000-\U000323af"  # Extensions G, H
)
VARIATION_SELECTORS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
_HAN_RUN = f"(?:[{IDEOGRAPH}][{VARIATION_SELECTORS}]?)+"
_LATIN_WORDS = "[A-Za-z]+(?: [A-Za-z]+)*"
_SEGMENT = f"(?:{_HAN_RUN}|{_LATIN_WORDS})"
NAME_PATTERN = re.compile(f"^{_SEGMENT}(?:{MIDDLE_DOT}{_SEGMENT})*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_HAN_SPACE = re.compile(f"[{IDEOGRAPH}{MIDDLE_DOT}][{VARIATION_SELECTORS}]? | [{IDEOGRAPH}{MIDDLE_DOT}]")
_SPACE_AROUND_DOT = re.compile(f" ?{MIDDLE_DOT} ?")


def name_length(value: str) -> int:
    """Characters as a reader counts them: variation selectors are part of the character
    before them."""
    return len(re.sub(f"[{VARIATION_SELECTORS}]", "", value))


def clean_real_name(value: str | None) -> str:
    """The name to store, or ValidationError (codes "required", "length", "space",
    "chars").

    Changes made: leading and trailing spaces dropped, a run of spaces (including
    full-width and no-break ones) becomes one space, spaces around a middle dot dropped,
    middle-dot look-alikes become U+00B7. Nothing else: a space between Latin words stays,
    a space between Chinese characters is refused with a message, a name over NAME_MAX
    characters is refused (e.g. 25 characters: refused, never saved as 20)."""
    value = _SPACES.sub(" ", (value or "").strip()).translate(DOT_VARIANTS)
    value = _SPACE_AROUND_DOT.sub(MIDDLE_DOT, value)
    if not value:
        raise ValidationError(_("请填写姓名。"), code="required")
    length = name_length(value)
    if not NAME_MIN <= length <= NAME_MAX:
        raise ValidationError(
            _("姓名应为%(min)s至%(max)s个字符，您填写了%(count)s个字符。")
            % {"min": NAME_MIN, "max": NAME_MAX, "count": length},
            code="length",
        )
    if _HAN_SPACE.search(value):
        raise ValidationError(
            _("汉字姓名中不能有空格，请按身份证填写（少数民族姓名用间隔号“·”分隔）。"), code="space"
        )
    if not NAME_PATTERN.match(value):
        raise ValidationError(
            _("姓名只能包含汉字或字母，少数民族姓名可用间隔号“·”分隔（如：买买提·艾力）。"), code="chars"
        )
    return value
