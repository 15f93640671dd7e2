"""{{ event.reason|in_reader_language }}: a system-written note in the reader's language
(applicants.record_words)."""

from django import template

from applicants.record_words import in_reader_language as _in_reader_language

register = template.Library()


@register.filter
def in_reader_language(note):
    return _in_reader_language(note or "")
