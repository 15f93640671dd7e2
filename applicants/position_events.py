"""What happened to an application's position, in words (pure: no database).

recruitment.services records a reduction or a cancellation as a RecruitmentEvent with an
action code and the quota before → after ("position_cancelled", "2", "0"). Pages that show
an application's record (the applicant's timeline, the review page) read those lines
through `describe`, never the codes: "岗位取消招聘：招聘人数 2 → 0。原因：…".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# The position actions an applicant's record shows; the others (created, edited…) are the
# administrators' own business and stay on the recruitment pages.
APPLICATION_ACTIONS = ("position_reduced", "position_cancelled")


def action_label(action: str) -> str:
    return {
        "position_reduced": _("岗位核减招聘人数"),
        "position_cancelled": _("岗位取消招聘"),
    }.get(action, _("岗位变动"))


def describe(*, action: str, from_value: str, to_value: str, reason: str = "") -> str:
    """One line for a position event: its label, the quota before → after in words, and
    the administrator's reason as written. Unknown actions get a neutral label, never the
    code."""
    text = action_label(action)
    if from_value or to_value:
        text += _("：招聘人数 %(old)s → %(new)s") % {"old": from_value or "—", "new": to_value or "—"}
    if reason:
        text += _("。原因：%(reason)s") % {"reason": reason.strip().rstrip("。.")}
    return text + _("。")
