"""What the announcement page asks about a signed-in applicant, answered by the app that
owns applications and profiles (applicants), which registers the answers here in its
AppConfig.ready(). recruitment lies beneath applicants and never imports it: without a
registration the page simply offers 报名 to everyone and no "positions I qualify for".

    from recruitment import hooks
    hooks.register_applicant_state(applied=applied_position, qualifying=qualifying_position_ids)

- ``applied(user, announcement) -> AppliedPosition | None``: the user's application to
  the announcement (one per announcement), if any, with its stage in words;
- ``qualifying(user, announcement, positions) -> set[int] | None``: ids of the positions
  the user's profile passes the automatic check for (no failed rule); None when the user
  has no profile yet (the filter is then offered with a link to the profile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class AppliedPosition:
    position_id: int
    stage: str  # a code, e.g. "submitted"
    label: str  # the stage in words, in the reader's language
    url: str  # where the applicant follows it


_providers: dict[str, Callable | None] = {"applied": None, "qualifying": None}


def register_applicant_state(*, applied: Callable | None = None, qualifying: Callable | None = None) -> None:
    """Register (or replace) the providers; a None argument leaves that one unchanged."""
    if applied is not None:
        _providers["applied"] = applied
    if qualifying is not None:
        _providers["qualifying"] = qualifying


def applied_position(user, announcement) -> AppliedPosition | None:
    provider = _providers["applied"]
    return provider(user, announcement) if provider else None


def can_filter_qualifying() -> bool:
    return _providers["qualifying"] is not None


def qualifying_position_ids(user, announcement, positions: Iterable) -> set[int] | None:
    provider = _providers["qualifying"]
    return provider(user, announcement, list(positions)) if provider else None
