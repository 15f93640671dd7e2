"""{% load written_import %} — the score import report's faults in the reader's language
(stored untranslated: exams.services.written_import.fault_text)."""

from django import template

from exams.services.written_import import fault_text

register = template.Library()


@register.filter
def import_fault(fault) -> str:
    """{{ e|import_fault }}: one fault of the report as text in the active language."""
    return fault_text(fault) if isinstance(fault, dict) else ""
