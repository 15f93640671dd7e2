"""Who may put which ID number on their profile: one ID number, one account, without
becoming a way to learn whether a given person has registered.

A refusal never says "registered" or names the other account, and the number of
different ID numbers one account may try is counted (Django's cache, per user, over
APPLICANT_ID_ATTEMPT_WINDOW seconds): past APPLICANT_ID_ATTEMPT_LIMIT every further
change is refused with the same words whether the number is free or not, so trying
numbers one after another stops answering.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TAKEN_MESSAGE = _("该身份证号码不能用于本账号。请核对号码；如确为本人号码，请携带身份证联系招聘单位核实。")
THROTTLED_MESSAGE = _("身份证号码的修改次数已达上限，请24小时后再试，或联系招聘单位。")


def attempt_limit() -> int:
    return getattr(settings, "APPLICANT_ID_ATTEMPT_LIMIT", 5)


def attempt_window() -> int:
    return getattr(settings, "APPLICANT_ID_ATTEMPT_WINDOW", 24 * 3600)


def _key(user_id: int) -> str:
    return f"applicants:id-attempts:{user_id}"


def count_attempt(user_id: int) -> None:
    """Count one try of a new ID number by `user_id`; ValidationError (code "throttled")
    when the user is already at the limit (the try is not counted then). The window starts
    at the first try: cache.add keeps its expiry, cache.incr does not extend it."""
    key = _key(user_id)
    cache.add(key, 0, attempt_window())
    try:
        tries = cache.incr(key)
    except ValueError:  # expired in between: a new window
        cache.set(key, 1, attempt_window())
        tries = 1
    if tries > attempt_limit():
        raise ValidationError({"id_number": THROTTLED_MESSAGE}, code="throttled")


def refuse_taken() -> None:
    raise ValidationError({"id_number": TAKEN_MESSAGE}, code="taken")
