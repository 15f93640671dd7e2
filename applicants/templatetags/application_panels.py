"""{% application_panels application %}: the panels higher apps registered
(applicants.panels) for the application page."""

from django import template
from django.utils.safestring import mark_safe

from applicants.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def application_panels(context, application):
    request = context.get("request")
    return mark_safe("".join(render_panels(request, application)))  # noqa: S308 - each panel renders its own template
