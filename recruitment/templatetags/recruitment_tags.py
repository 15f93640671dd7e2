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


@register.simple_tag
def exam_schedule(announcement):
    """{% exam_schedule announcement as exam %}: the printing window and sessions of the
    announcement's exam plan (recruitment.hooks.ExamSchedule), or None."""
    from recruitment.selectors import exam_schedule as select_schedule

    return select_schedule(announcement)


def format_birth_date(day) -> str:
    """1990年12月31日 (English: 1990-12-31), as announcements print birth dates."""
    from django.utils.translation import gettext as _

    return _("%(year)d年%(month)d月%(day)d日") % {"year": day.year, "month": day.month, "day": day.day}


@register.filter
def age_requirement(position) -> str:
    """The age bounds as the announcement writes them, with the stated birth dates:
    "18周岁及以上（2008年12月31日及以前出生）、35周岁及以下（1990年12月31日及以后出生）"."""
    from django.utils.translation import gettext as _

    from recruitment.age_rules import earliest_birth_date

    stated = position.birth_range()
    parts = []
    if stated.latest:
        parts.append(
            _("%(age)s周岁及以上（%(date)s及以前出生）")
            % {"age": position.min_age, "date": format_birth_date(stated.latest)}
        )
    if stated.earliest:
        parts.append(
            _("%(age)s周岁及以下（%(date)s及以后出生）")
            % {"age": position.max_age, "date": format_birth_date(stated.earliest)}
        )
    text = _("、").join(parts)
    if position.max_age_experienced and position.max_age_experienced > position.max_age:
        relaxed = earliest_birth_date(position.max_age_experienced, position.announcement.reference_date)
        text += _("；满%(years)s年社区工作经历者放宽至%(age)s周岁（%(date)s及以后出生）") % {
            "years": position.experienced_years,
            "age": position.max_age_experienced,
            "date": format_birth_date(relaxed),
        }
    return text


@register.filter
def other_requirements(position) -> str:
    """Household, political status, experience and other conditions in one line of words."""
    from django.utils.translation import gettext as _

    parts = []
    if position.household_regions:
        household = "、".join(position.household_regions)
        if position.household_settled_before:
            household += _("（%(date)s前迁入）") % {"date": position.household_settled_before.isoformat()}
        parts.append(_("户籍：%(value)s") % {"value": household})
    if position.political_requirement:
        parts.append(_("政治面貌：%(value)s") % {"value": position.get_political_requirement_display()})
    if position.min_experience_years:
        parts.append(_("%(years)s年以上工作经历") % {"years": position.min_experience_years})
    if position.other_conditions:
        parts.append(position.other_conditions.strip())
    return _("；").join(parts)


@register.filter
def change_label(change: dict) -> str:
    """The changed field's name in the reader's language, from a Correction.changes item."""
    from recruitment.models import Announcement, Position

    model = Position if change.get("object") == "position" else Announcement
    try:
        return str(model._meta.get_field(change["field"]).verbose_name)
    except Exception:  # a field renamed since: show its code rather than fail the page
        return change.get("field", "")
