"""Show a system-written audit note in the reader's language.

applicants.services.record_text stores a note in the portal's language (Chinese), from a
translatable message and its parameters: "资格审核通过", "面试成绩 %(score)s" → "面试成绩 88.28".
The history is read in the reader's language, so `in_reader_language(note)` looks the note
up again: a note that is a message itself is translated; one made from a message with
%(name)s parameters is matched against the messages of the active catalogue (the Chinese
text around the parameters), the parameters taken out and put into the translation. A note
typed by a person (a reviewer's remark, a reason) matches nothing and is shown as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext, trans_real

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=8)
def _patterns(language: str) -> tuple[tuple[str, re.Pattern, str], ...]:
    """(literal prefix, pattern, msgid) of every message with %(name)s parameters in the
    catalogue of `language` (built once per language and process)."""
    catalog = trans_real.translation(language)._catalog
    rows = []
    for msgid in list(catalog.keys()):
        if not isinstance(msgid, str) or "%(" not in msgid or "%%" in msgid:
            continue
        names = _PLACEHOLDER.findall(msgid)
        if not names or len(set(names)) != len(names) or re.search(r"%\(\w+\)[^s]", msgid):
            continue
        parts = _PLACEHOLDER.split(msgid)
        regex = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
        )
        literal = parts[0]
        if not "".join(parts[::2]).strip():
            continue  # a message of parameters only would match any note
        rows.append((literal, re.compile(regex + r"\Z", re.S), msgid))
    # The longest literal text first: the most specific message wins.
    rows.sort(key=lambda row: -len(row[1].pattern))
    return tuple(rows)


def in_reader_language(note: str) -> str:
    """`note` (stored in Chinese) in the active language; unchanged when it is not a
    message of the catalogues or the reader reads Chinese."""
    if not note:
        return note
    language = translation.get_language() or ""
    if language.startswith("zh"):
        return note
    translated = gettext(note)
    if translated != note:
        return translated
    for literal, pattern, msgid in _patterns(language):
        if literal and not note.startswith(literal):
            continue
        match = pattern.match(note)
        if match is None:
            continue
        text = gettext(msgid)
        if text == msgid:
            continue
        try:
            return text % {name: in_reader_language(value) for name, value in match.groupdict().items()}
        except (KeyError, ValueError, TypeError):
            return note
    return note
