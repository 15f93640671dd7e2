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


# --- The written exam's schedule -----------------------------------------------------------
#
# The exam plan (exams.ExamPlan and its sessions) is the one source of truth for the ticket
# printing window and the exam times. The public announcement page, the manager's page,
# the schedule checks and data retention read them through this hook, which exams registers
# in its AppConfig.ready() (recruitment never imports exams). Without a registration there is
# no exam schedule: the pages show none and the checks skip it.
#
#     from recruitment import hooks
#     hooks.register_exam_schedule(schedules_for)
#
# ``schedules_for(announcement_ids: list[int]) -> dict[int, ExamSchedule]``: the schedule of
# each announcement that has an exam plan (absent: none), in one or two queries for all ids.


@dataclass(frozen=True)
class ExamSession:
    subject: str
    starts_at: object  # aware datetime
    ends_at: object  # aware datetime


@dataclass(frozen=True)
class ExamSchedule:
    print_starts_at: object | None  # aware datetimes, or None while the window is not set
    print_ends_at: object | None
    sessions: tuple[ExamSession, ...]  # in time order
    url: str = ""  # the exam plan's page, for staff

    @property
    def first_starts_at(self):
        return self.sessions[0].starts_at if self.sessions else None

    @property
    def last_ends_at(self):
        return max((s.ends_at for s in self.sessions), default=None)

    @property
    def milestones(self) -> list:
        """Every date of the schedule that is set (for 'when did the announcement end')."""
        dates = [self.print_starts_at, self.print_ends_at]
        dates += [s.ends_at for s in self.sessions]
        return [d for d in dates if d is not None]


_exam_provider: dict[str, Callable | None] = {"schedules": None}


def register_exam_schedule(schedules_for: Callable) -> None:
    """Register (or replace) the provider of exam schedules."""
    _exam_provider["schedules"] = schedules_for


def exam_schedules(announcement_ids: Iterable[int]) -> dict[int, ExamSchedule]:
    """{announcement id: ExamSchedule} for those of ``announcement_ids`` with an exam plan."""
    provider = _exam_provider["schedules"]
    ids = [pk for pk in dict.fromkeys(announcement_ids) if pk]
    if provider is None or not ids:
        return {}
    return provider(ids)


def exam_schedule(announcement) -> ExamSchedule | None:
    """The exam schedule of one announcement (an instance or an id), or None."""
    pk = getattr(announcement, "pk", announcement)
    return exam_schedules([pk]).get(pk)


# --- The interview and ranking rules' lock ----------------------------------------------------
#
# Once a ranking is confirmed (exams, issue 17), the rules it was computed with may no longer
# change. exams registers ``locked(announcement) -> bool`` in its AppConfig.ready(); the
# announcement form refuses a change of RANKING_RULE_FIELDS while it answers True.

RANKING_RULE_FIELDS = (
    "written_pass_mode",
    "written_pass_line",
    "written_pass_on_total",
    "bonus_mode",
    "bonus_cap",
    "interview_ratio",
    "interview_pass_line",
    "written_weight",
    "tie_breakers",
    "public_notice_days",
)
_ranking_lock: dict[str, Callable | None] = {"locked": None}


def register_ranking_lock(locked: Callable) -> None:
    _ranking_lock["locked"] = locked


def ranking_rules_locked(announcement) -> bool:
    provider = _ranking_lock["locked"]
    return bool(provider and getattr(announcement, "pk", None) and provider(announcement))


# --- Where an announcement stands after its review ---------------------------------------------
#
# The later apps know the later phases: exams (shortlist, interviews, ranking) and hiring
# (proposals, 公示, hires) each register a provider in their AppConfig.ready(); the
# administrator's workbench asks them all and shows the latest phase any of them reports
# (recruitment never imports them). Without a registration the workbench stops at the review.
#
#     from recruitment import hooks
#     hooks.register_phase("hiring", phases_for)
#
# ``phases_for(announcement_ids: list[int]) -> dict[int, Phase]``: the phase of each
# announcement the app has something for (absent: nothing yet), in a few grouped queries.

# The pipeline's order: a later phase has a higher rank.
PHASE_WRITTEN = 20
PHASE_SHORTLIST = 30
PHASE_INTERVIEW = 40
PHASE_RANKING = 50
PHASE_HIRING = 60
PHASE_DONE = 70


@dataclass(frozen=True)
class Phase:
    rank: int  # one of the PHASE_* values (a later phase outranks an earlier one)
    stage: str  # the phase in words, in the reader's language
    action: str  # the next thing to do, in words
    url: str  # where to do it


_phase_providers: dict[str, Callable] = {}


def register_phase(key: str, phases_for: Callable) -> None:
    """Register (or replace) the phase provider of one app."""
    _phase_providers[key] = phases_for


def announcement_phases(announcement_ids: Iterable[int]) -> dict[int, Phase]:
    """{announcement id: the latest Phase any provider reports} for those with one."""
    ids = [pk for pk in dict.fromkeys(announcement_ids) if pk]
    latest: dict[int, Phase] = {}
    if not ids:
        return latest
    for provider in _phase_providers.values():
        for pk, phase in provider(ids).items():
            if pk not in latest or phase.rank > latest[pk].rank:
                latest[pk] = phase
    return latest
