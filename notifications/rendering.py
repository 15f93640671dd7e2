"""Render message templates with a restricted template engine.

The engine has no loaders and no tag libraries beyond the built-ins, so an edited
template cannot {% include %} files or {% load %} code; it sees only the context given.
Messages are rendered as plain text (e-mail, SMS, stored for the inbox); the inbox page
escapes them when it shows them, so user-supplied values never become HTML.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.defaulttags import DebugNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils import translation

from .defaults import DEFAULT_TEMPLATES
from .events import FREE_TEXT_KEYS

_engine = Engine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")

# Tags that reach outside the context: refused when an administrator saves a template.
_FORBIDDEN_NODES = (IncludeNode, ExtendsNode, DebugNode)


class InvalidTemplate(ValueError):
    pass


@lru_cache(maxsize=512)
def compile_template(source: str) -> Template:
    """Parse once per distinct source (compiled templates are safe to share)."""
    try:
        template = Template(source, engine=_engine)
    except TemplateSyntaxError as error:
        raise InvalidTemplate(str(error)) from error
    for node_type in _FORBIDDEN_NODES:
        if template.nodelist.get_nodes_by_type(node_type):
            raise InvalidTemplate(node_type.__name__)
    return template


def default_wording(event: str, language: str) -> tuple[str, str]:
    by_language = DEFAULT_TEMPLATES[event]
    return by_language.get(language) or by_language["zh-hans"]


# Sentence-ending marks a writer may type at the end of a reason; the template adds its own.
_TRAILING_STOPS = "。．.；;，,、 \t\r\n\u3000"
# A reason ending in ！ or ？ keeps its tone; the template's full stop after it goes.
_STOP_AFTER_MARK = re.compile(r"([！？!?…])。")


def _without_trailing_stop(value):
    return value.rstrip(_TRAILING_STOPS) if isinstance(value, str) else value


def site_url() -> str:
    """The portal's public address without a trailing slash (settings.SITE_URL)."""
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def render(
    *, subject: str, body: str, context: dict, language: str, recipient_name: str = ""
) -> tuple[str, str]:
    """(subject, body) as plain text in `language` (dates and numbers formatted for it)."""
    data = {"site_url": site_url(), **context, "recipient_name": recipient_name}
    for key in FREE_TEXT_KEYS:
        if key in data:
            data[key] = _without_trailing_stop(data[key])
    with translation.override(language):
        rendered_subject = compile_template(subject).render(Context(data, autoescape=False))
        rendered_body = compile_template(body).render(Context(data, autoescape=False))
    # A subject is one line: a template with line breaks must not break e-mail headers.
    rendered_body = _STOP_AFTER_MARK.sub(r"\1", rendered_body)
    return " ".join(rendered_subject.split())[:200], rendered_body.strip()
