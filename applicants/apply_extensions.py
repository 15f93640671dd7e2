"""Parts higher apps add to the apply form (e.g. the bonus points claimed with proof, from
exams), without applicants importing them.

A higher app registers, in its AppConfig.ready():

    register_apply_extension("exams.bonus", make=bonus_part, order=10)

where `make(request, position, data) -> part or None` (data: the POST data, or None on GET)
returns None when it has nothing to add for this position, else an object with
`is_valid() -> bool` (errors shown in its own HTML), `render() -> str` (safe HTML placed in
the apply form, before the submit button) and `save(application)`, called inside the
transaction that submits the application (so the application and its part are saved
together or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ApplyExtension:
    name: str
    make: Callable  # (request, position, data) -> part | None
    order: int = 100


_extensions: dict[str, ApplyExtension] = {}


def register_apply_extension(name: str, *, make: Callable, order: int = 100) -> None:
    """Add (or replace, by name) a part of the apply form."""
    _extensions[name] = ApplyExtension(name=name, make=make, order=order)


def apply_parts(request, position, data) -> list:
    """The registered parts for this position, in order, those with nothing to add left out."""
    parts = []
    for extension in sorted(_extensions.values(), key=lambda e: (e.order, e.name)):
        part = extension.make(request, position, data)
        if part is not None:
            parts.append(part)
    return parts
