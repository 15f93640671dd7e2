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

Mass notices (`mass=True`) are composed by staff in words: each parameter is an
AudienceParam whose `choices()` (given by the owning app) lists what may be chosen, as
(value, label) pairs or (group label, [(value, label), …]) groups; `describe(**params)`
says who receives it ("「…公告」审核通过的报考人员"), shown on the confirmation page and
stored with the notice:

    register_audience(
        "announcement_approved", announcement_approved, label=_("审核通过的报考人员"),
        params=(AudienceParam("announcement_id", _("招聘公告"), announcement_choices),),
        mass=True, describe=lambda *, announcement_id: …,
    )
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AudienceMember:
    user: Any
    context: dict = field(default_factory=dict)
    key: str = ""  # distinguishes two reminders to one person on one day (e.g. an application id)


@dataclass(frozen=True)
class AudienceParam:
    """One choice a person composing a mass notice makes, in words: `name` is the keyword the
    audience callable takes, `label` what the form calls it ("招聘公告"), `choices` a
    callable returning (value, label) pairs or (group, pairs) groups; values are ints."""

    name: str
    label: str
    choices: Callable[[], list]

    def values(self) -> set:
        """Every value offered now (flattening groups)."""
        found = set()
        for value, label in self.choices():
            if isinstance(label, list | tuple):
                found.update(inner for inner, _ in label)
            else:
                found.add(value)
        return found


@dataclass(frozen=True)
class Audience:
    name: str
    func: Callable[..., Iterable]
    label: str
    params: tuple = ()  # parameter names (str), or AudienceParam for mass notices
    mass: bool = False  # offered on the mass-notice page
    describe: Callable[..., str] | None = None  # who receives it, in words, from the params

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(param if isinstance(param, str) else param.name for param in self.params)

    def words(self, params: dict) -> str:
        """Who receives it, in words ("「…」审核通过的报考人员"); the label when no
        describe was given or the described object has gone."""
        if self.describe is not None:
            try:
                return str(self.describe(**params))
            except Exception:  # a deleted announcement must not break a list of old notices
                logger.warning("audience %s: no words for %r", self.name, params, exc_info=True)
        return str(self.label)


_registry: dict[str, Audience] = {}


class UnknownAudience(LookupError):
    pass


def register_audience(
    name: str,
    func: Callable[..., Iterable],
    *,
    label=None,
    params: tuple = (),
    mass: bool = False,
    describe: Callable[..., str] | None = None,
) -> None:
    """Register (or replace: tests and reloads register again) an audience by name.

    `params`: the keyword names `func` takes (str), or AudienceParam for an audience offered
    on the mass-notice page (`mass=True`, where every parameter must be an AudienceParam).
    """
    params = tuple(params)
    if mass and not all(isinstance(param, AudienceParam) for param in params):
        raise TypeError(f"mass audience {name!r}: every parameter must be an AudienceParam")
    _registry[name] = Audience(
        name=name, func=func, label=label or name, params=params, mass=mass, describe=describe
    )


def unregister_audience(name: str) -> None:
    _registry.pop(name, None)


def get_audience(name: str) -> Audience:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownAudience(name) from None


def all_audiences() -> list[Audience]:
    return sorted(_registry.values(), key=lambda audience: audience.name)


def mass_audiences() -> list[Audience]:
    """Audiences offered on the mass-notice page, in the order they were registered."""
    return [audience for audience in _registry.values() if audience.mass]


def as_member(item) -> AudienceMember:
    return item if isinstance(item, AudienceMember) else AudienceMember(user=item)
