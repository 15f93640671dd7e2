"""The signed token an admission ticket's QR code carries (准考证二维码).

A proctor's phone scans the QR code at the room door; the check-in page reads the token back
into (announcement id, ticket number). The token is signed with the project's SECRET_KEY and
a salt of its own (django.core.signing), so it cannot be forged, edited or taken from another
signed value of the portal; it carries no personal data, only what is printed on the ticket.

Shape: ``<announcement id>.<ticket number>:<signature>``, about 60 ASCII characters (a
version-4 QR code at error level M). Deterministic: one ticket, one token, so the same ticket
gives the same QR code and the same PDF bytes (the rendered PDF is cached per ticket, see
exams.selectors.tickets.ticket_pdf). No expiry: a ticket is valid for its own exam, and the
check-in page checks the session and venue. Tokens printed before this shape carried a
timestamp (``<id>.<number>:<timestamp>:<signature>``, django's TimestampSigner, the same salt):
they are read as before. No database access, no models: importable whether or not the exams
app is installed.
"""

from __future__ import annotations

import re

from django.core import signing

SALT = "exams.ticket.v1"

# What a ticket number may hold (the number format is a setting; every format seen is digits).
_TICKET_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,32}$")
_PAYLOAD = re.compile(r"^([1-9][0-9]{0,17})\.([0-9A-Za-z-]{1,32})$")
_STAMP = re.compile(r"^[0-9A-Za-z]{1,12}$")  # base62 seconds of a former (timestamped) token
_MAX_TOKEN_LENGTH = 200


class BadToken(ValueError):
    """A QR token that is not one of ours: tampered, signed with another salt or key,
    malformed, or not a token at all."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def ticket_token(*, announcement_id: int, ticket_number: str) -> str:
    """The QR payload for one admission ticket.

    ``announcement_id``: positive int (ticket numbers are unique per announcement only, so the
    token names both). ``ticket_number``: 1–32 of ``0-9 A-Z a-z -``. Raises ``ValueError`` for
    anything else. Same arguments, same token, always (no timestamp), and every token ever
    issued stays readable.
    """
    if isinstance(announcement_id, bool) or not isinstance(announcement_id, int) or announcement_id < 1:
        raise ValueError("announcement_id must be a positive int")
    if not isinstance(ticket_number, str) or not _TICKET_NUMBER.match(ticket_number):
        raise ValueError("ticket_number must be 1-32 characters of 0-9, A-Z, a-z or '-'")
    return _signer().sign(f"{announcement_id}.{ticket_number}")


def read_ticket_token(token: str) -> tuple[int, str]:
    """``(announcement_id, ticket_number)`` from a scanned token.

    ``token``: the text the QR reader gave (surrounding whitespace is ignored). Reads the
    deterministic tokens and the timestamped ones printed before them (of any age).
    Raises ``BadToken`` for a tampered, foreign (other salt or key) or malformed token.
    """
    if not isinstance(token, str):
        raise BadToken("not a string")
    token = token.strip()
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        raise BadToken("empty or too long")
    try:
        value = _signer().unsign(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadToken("bad signature") from error
    # A TimestampSigner token of the same salt is the signature of "<payload>:<timestamp>":
    # authentic too; its payload is what comes before the timestamp.
    payload, _sep, stamp = value.partition(":")
    if stamp and not _STAMP.match(stamp):
        raise BadToken("malformed timestamp")
    match = _PAYLOAD.match(payload)
    if match is None:
        raise BadToken("malformed payload")
    return int(match.group(1)), match.group(2)
