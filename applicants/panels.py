"""Panels higher apps add to the applicant's application page (the exam's seat and
ticket, later the interview and the hire), without applicants importing them.

A higher app registers, in its AppConfig.ready():

    register_panel("exams.ticket", render=ticket_panel, order=10)

where `render(request, application) -> str` returns safe HTML (usually
render_to_string of the app's own fragment) or "" when it has nothing to show. The page
shows `{% application_panels application %}` (applicants/templatetags/application_panels.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    render: Callable  # (request, application) -> str
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(name: str, *, render: Callable, order: int = 100) -> None:
    """Add (or replace, by name) a panel of the application page."""
    _panels[name] = Panel(name=name, render=render, order=order)


def render_panels(request, application) -> list[str]:
    """The registered panels' HTML for this application, in order, empty ones left out."""
    out = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        html = panel.render(request, application)
        if html:
            out.append(html)
    return out
