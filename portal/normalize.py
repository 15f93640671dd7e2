"""Normalise numbers people type or paste: phone numbers, ID numbers, codes.

Numbers only: never apply this to a name (NFKC rewrites compatibility ideographs, e.g.
U+F900 豈 becomes U+8C48 豈, which is another character on an ID card).
"""

import re
import unicodedata

# What people put between digit groups, as typed or pasted from a web page, a Word file or
# a phone's contact card. Checked after NFKC, so the full-width forms （）－． and the
# no-break space U+00A0 have already become ASCII ( ) - . and a space; the ideographic
# space U+3000 becomes a space too. Dashes NFKC keeps (‐ ‑ ‒ – — ―, the minus sign −) and
# the invisible ones (zero-width space, BOM, LRM/RLM) are listed explicitly.
SEPARATORS = re.compile(
    "[\\s\\-\\.\\(\\)/_"
    "\u00a0\u2007\u202f\u3000"  # no-break, figure, narrow no-break, ideographic spaces
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70"  # hyphens, dashes, minus, ー
    "\u00b7\u30fb\u2022"  # middle dots used as group separators
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"  # zero-width and direction marks
    "]+"
)
ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def normalize_digits(text: str) -> str:
    """NFKC, then drop every separator listed in SEPARATORS.

    `text`: what was typed or pasted (None is taken as ""). Returns the remaining characters
    unchanged otherwise: letters (the X of an ID number, after NFKC `Ｘ` → `X`) and a
    leading `+` stay, and anything that is still not an ASCII digit is left for the caller's
    validator to refuse — this function never raises and never drops a digit.

    Examples: "１３８ ００１３ ８０００" → "13800138000"; "110105 19491231 002X" →
    "11010519491231002X"; "138-0000-0001" → "13800000001".
    """
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))


def is_ascii_digits(text: str) -> bool:
    """True when `text` is one or more ASCII digits 0-9 and nothing else (str.isdigit()
    and the regex \\d also accept "١" or "３"; this does not)."""
    return bool(ASCII_DIGITS.fullmatch(text or ""))
