"""The inbox shows a stored plain-text message as HTML: escaped, line breaks kept, and its
web addresses clickable (Django's `urlize` only finds an address standing between spaces,
and a Chinese sentence has none: "详情：https://…")."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# An address runs until a space, a quote or bracket, or Chinese punctuation; a trailing
# ASCII full stop or comma ends the sentence, not the address.
ADDRESS = re.compile(r"https?://[^\s<>\"'，。；：！？、（）《》“”]+")
TRAILING = ".,;:!?)"


def _link(match: re.Match) -> str:
    address = match.group(0)
    tail = ""
    while address and address[-1] in TRAILING:
        address, tail = address[:-1], address[-1] + tail
    return format_html('<a href="{0}" rel="noopener">{0}</a>', address) + escape(tail)


@register.filter
def message_html(text: str) -> str:
    """Plain text → safe HTML: every character escaped, http(s) addresses made links."""
    parts = []
    last = 0
    for match in ADDRESS.finditer(text or ""):
        parts.append(escape(text[last : match.start()]))
        parts.append(_link(match))
        last = match.end()
    parts.append(escape((text or "")[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped above
