"""Who receives reminders and mass notices, decided by the apps that own the data.

notifications imports no other app, so the others register their audiences here, e.g. in
their AppConfig.ready():

    from notifications.audiences import AudienceMember, register_audience

    def draft_unsubmitted(*, within_hours=48):
        for application in drafts_closing_within(within_hours):
            yield AudienceMember(
                user=application.applicant,
                context={"announcement_title": ..., "position_name": ..., "deadline": ..., "url": ...},
                key=f"application:{application.pk}",
            )

    register_audience("draft_unsubmitted", draft_unsubmitted, label=_("草稿未提交的报考人员"))

An audience is a callable taking keyword parameters and returning either a QuerySet of
users (batched by primary key, the best for mass notices) or an iterable of users or
AudienceMember (a per-person context and a key that makes the reminder unique per day).
Names the portal expects: draft_unsubmitted, returned_application,
reviewers_with_pending_queue, announcement_applicants (announcement_id),
position_applicants (position_id).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AudienceMember:
    user: Any
    context: dict = field(default_factory=dict)
    key: str = ""  # distinguishes two reminders to one person on one day (e.g. an application id)


@dataclass(frozen=True)
class Audience:
    name: str
    func: Callable[..., Iterable]
    label: str
    params: tuple[str, ...] = ()  # parameter names, shown to administrators composing a notice


_registry: dict[str, Audience] = {}


class UnknownAudience(LookupError):
    pass


def register_audience(
    name: str, func: Callable[..., Iterable], *, label=None, params: tuple[str, ...] = ()
) -> None:
    """Register (or replace: tests and reloads register again) an audience by name."""
    _registry[name] = Audience(name=name, func=func, label=label or name, params=tuple(params))


def unregister_audience(name: str) -> None:
    _registry.pop(name, None)


def get_audience(name: str) -> Audience:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownAudience(name) from None


def all_audiences() -> list[Audience]:
    return sorted(_registry.values(), key=lambda audience: audience.name)


def as_member(item) -> AudienceMember:
    return item if isinstance(item, AudienceMember) else AudienceMember(user=item)
