"""The signed token an admission ticket's QR code carries (准考证二维码).

A proctor's phone scans the QR code at the room door; the check-in page reads the token back
into (announcement id, ticket number). The token is signed with the project's SECRET_KEY and
a salt of its own (django.core.signing), so it cannot be forged, edited or taken from another
signed value of the portal; it carries no personal data, only what is printed on the ticket.

Shape: ``<announcement id>.<ticket number>:<timestamp>:<signature>``, about 70 ASCII
characters (a version-5 QR code at error level M). No expiry by default: a ticket is valid
for its own exam, and the check-in page checks the session and venue. ``max_age`` is there
for a caller that wants one. No database access, no models: importable whether or not the
exams app is installed.
"""

from __future__ import annotations

import re

from django.core import signing

SALT = "exams.ticket.v1"

# What a ticket number may hold (the number format is a setting; every format seen is digits).
_TICKET_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,32}$")
_PAYLOAD = re.compile(r"^([1-9][0-9]{0,17})\.([0-9A-Za-z-]{1,32})$")
_MAX_TOKEN_LENGTH = 200


class BadToken(ValueError):
    """A QR token that is not one of ours: tampered, signed with another salt or key,
    malformed, too old (when ``max_age`` was asked for), or not a token at all."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def ticket_token(*, announcement_id: int, ticket_number: str) -> str:
    """The QR payload for one admission ticket.

    ``announcement_id``: positive int (ticket numbers are unique per announcement only, so the
    token names both). ``ticket_number``: 1–32 of ``0-9 A-Z a-z -``. Raises ``ValueError`` for
    anything else. Same arguments, same token within one second (the timestamp), and every
    token ever issued stays readable unless a ``max_age`` is asked for.
    """
    if isinstance(announcement_id, bool) or not isinstance(announcement_id, int) or announcement_id < 1:
        raise ValueError("announcement_id must be a positive int")
    if not isinstance(ticket_number, str) or not _TICKET_NUMBER.match(ticket_number):
        raise ValueError("ticket_number must be 1-32 characters of 0-9, A-Z, a-z or '-'")
    return _signer().sign(f"{announcement_id}.{ticket_number}")


def read_ticket_token(token: str, *, max_age: float | None = None) -> tuple[int, str]:
    """``(announcement_id, ticket_number)`` from a scanned token.

    ``token``: the text the QR reader gave (surrounding whitespace is ignored).
    ``max_age``: seconds (or a timedelta); None (default) accepts a token of any age.
    Raises ``BadToken`` for a tampered, foreign (other salt or key), malformed or, with
    ``max_age``, expired token.
    """
    if not isinstance(token, str):
        raise BadToken("not a string")
    token = token.strip()
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise BadToken("empty or too long")
    try:
        value = _signer().unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken("expired") from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken("bad signature") from error
    match = _PAYLOAD.match(value)
    if match is None:
        raise BadToken("malformed payload")
    return int(match.group(1)), match.group(2)
