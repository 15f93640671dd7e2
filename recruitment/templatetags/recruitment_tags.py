from django import template
from django.utils.safestring import mark_safe

from recruitment import markdown

register = template.Library()


@register.filter(name="render_markdown")
def render_markdown(text):
    """{{ announcement.body|render_markdown }}: sanitised HTML (see recruitment.markdown)."""
    return mark_safe(markdown.render_markdown(text))  # noqa: S308 - sanitised by nh3 allow-list


@register.filter
def count_for(counts, position_id):
    """{{ counts|count_for:position.pk }} → {"submitted": n, "approved": n}."""
    from recruitment.selectors import ZERO_COUNTS

    return counts.get(position_id, ZERO_COUNTS)


@register.filter
def phase(announcement):
    """draft | upcoming | open | closed."""
    from recruitment.selectors import announcement_phase

    return announcement_phase(announcement)


@register.simple_tag
def open_announcements(limit=5):
    """{% open_announcements as announcements %}: those taking registrations now (one query)."""
    from recruitment.selectors import open_announcements as select_open

    return select_open(limit)
