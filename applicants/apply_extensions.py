"""Parts higher apps add to the apply form and to the registration form (e.g. the bonus points
claimed with proof, from exams), without applicants importing them.

**The apply form.** A higher app registers, in its AppConfig.ready():

    register_apply_extension("exams.bonus", make=bonus_part, order=10)

where `make(request, position, data, application) -> part or None` (data: the POST data, or
None on GET; application: the applicant's unsubmitted application of the announcement — a
draft or a withdrawn one — or None) returns None when it has nothing to add for this
position, else an object with

- `is_valid() -> bool` (errors shown in its own HTML);
- `render() -> str` (safe HTML placed in the apply form, before the submit button; on GET it
  shows what `application` keeps, e.g. the claims ticked when the draft was saved);
- `save(application)`, called inside the transaction that submits the application (so the
  application and its part are saved together or not at all);
- optionally `save_draft(application)`, called inside the transaction that saves the draft
  (暂存), so what was ticked is there on return. A part without it keeps nothing on 暂存.

`save` and `save_draft` make the application hold what the form says (what is no longer
ticked goes), so a draft saved twice and then submitted holds each item once.

**The registration form (报名登记表).** A higher app registers

    register_form_section("exams.bonus", rows=bonus_form_section, order=10)

where `rows(application) -> FormSection or None` (None, or a section without rows, when it
has nothing to print for this application; texts in the active language, which the PDF sets
to Chinese). The section is printed as a titled table after the certificates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ApplyExtension:
    name: str
    make: Callable  # (request, position, data, application) -> part | None
    order: int = 100


@dataclass(frozen=True)
class FormSection:
    """A table of the registration form: `title`, column `headers`, column `widths`
    (fractions of the page width, summing to 1) and `rows` (tuples of text, one per header)."""

    title: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FormSectionSource:
    name: str
    rows: Callable  # (application) -> FormSection | None
    order: int = 100


_extensions: dict[str, ApplyExtension] = {}
_form_sections: dict[str, FormSectionSource] = {}


def register_apply_extension(name: str, *, make: Callable, order: int = 100) -> None:
    """Add (or replace, by name) a part of the apply form."""
    _extensions[name] = ApplyExtension(name=name, make=make, order=order)


def apply_parts(request, position, data, application=None) -> list:
    """The registered parts for this position, in order, those with nothing to add left out.
    `application`: the applicant's draft (or withdrawn application) of the announcement, whose
    kept items the parts show, or None."""
    parts = []
    for extension in sorted(_extensions.values(), key=lambda e: (e.order, e.name)):
        part = extension.make(request, position, data, application)
        if part is not None:
            parts.append(part)
    return parts


def register_form_section(name: str, *, rows: Callable, order: int = 100) -> None:
    """Add (or replace, by name) a section of the registration form."""
    _form_sections[name] = FormSectionSource(name=name, rows=rows, order=order)


def form_sections(application) -> tuple[FormSection, ...]:
    """The registered sections for `application`, in order; empty ones left out."""
    sections = []
    for source in sorted(_form_sections.values(), key=lambda s: (s.order, s.name)):
        section = source.rows(application)
        if section is not None and section.rows:
            sections.append(section)
    return tuple(sections)
