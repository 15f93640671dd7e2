"""The admission ticket's QR token (exams/tokens.py): round trip, and every kind of bad token
refused with BadToken."""

import time

import pytest
from django.core import signing
from django.test import override_settings

from exams.tokens import SALT, BadToken, read_ticket_token, ticket_token


def test_round_trip():
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    assert read_ticket_token(token) == (12, "10101010203")


def test_token_is_compact_ascii_for_a_small_qr_code():
    token = ticket_token(announcement_id=123456, ticket_number="10101010203")
    # "123456.10101010203" (18) + ":" + SHA-256 signature in base64 (43) = 62
    assert len(token) == 62
    assert token.isascii()
    assert "10101010203" in token  # printed on the ticket anyway: nothing secret in it


def test_whitespace_around_a_scanned_token_is_ignored():
    token = ticket_token(announcement_id=3, ticket_number="00001")
    assert read_ticket_token(f"  {token}\n") == (3, "00001")


def test_same_number_in_two_announcements_reads_back_to_each():
    first = ticket_token(announcement_id=1, ticket_number="10101010101")
    second = ticket_token(announcement_id=2, ticket_number="10101010101")
    assert read_ticket_token(first) == (1, "10101010101")
    assert read_ticket_token(second) == (2, "10101010101")


def test_tampered_ticket_number_fails():
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    forged = token.replace("10101010203", "10101010204", 1)
    with pytest.raises(BadToken):
        read_ticket_token(forged)


def test_tampered_announcement_fails():
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    with pytest.raises(BadToken):
        read_ticket_token("13" + token[2:])


def test_tampered_signature_fails():
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    last = "A" if token[-1] != "A" else "B"
    with pytest.raises(BadToken):
        read_ticket_token(token[:-1] + last)


def test_forged_without_the_key_fails():
    value = "12.10101010203"
    forged = signing.TimestampSigner(key="not-our-secret-key-" * 3, salt=SALT).sign(value)
    with pytest.raises(BadToken):
        read_ticket_token(forged)


def test_token_of_another_secret_key_fails():
    with override_settings(SECRET_KEY="another-deployment-" * 4):
        other = ticket_token(announcement_id=12, ticket_number="10101010203")
    with pytest.raises(BadToken):
        read_ticket_token(other)


def test_foreign_salt_fails():
    # signed by this portal's key, for another purpose (another salt): refused
    foreign = signing.TimestampSigner(salt="accounts.something-else").sign("12.10101010203")
    with pytest.raises(BadToken):
        read_ticket_token(foreign)


def test_other_signed_values_of_the_portal_fail():
    dumped = signing.dumps({"announcement": 12, "ticket": "10101010203"})
    with pytest.raises(BadToken):
        read_ticket_token(dumped)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "10101010203",
        "12.10101010203",
        "a:b:c",
        ":::",
        "x" * 5000,
        "准考证:12:34",
        "12.1010\x00:ab:cd",
    ],
)
def test_malformed_fails(junk):
    with pytest.raises(BadToken):
        read_ticket_token(junk)


def test_not_a_string_fails():
    with pytest.raises(BadToken):
        read_ticket_token(None)


def test_well_signed_but_malformed_payload_fails():
    # signed with our salt and key but not "<id>.<number>": still not a ticket
    for value in ("12-10101010203", "0.10101010203", "12.", "abc.123", "12.1010 1010"):
        token = signing.TimestampSigner(salt=SALT).sign(value)
        with pytest.raises(BadToken):
            read_ticket_token(token)


def test_token_is_stable_per_ticket_and_never_expires(monkeypatch):
    """Deterministic: the same ticket gives the same token (so the same QR code and PDF
    bytes, which are cached), a second later or forty days later, and it still reads back."""
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    real = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: real + 3_456_000)  # 40 × 86,400 s later
    assert ticket_token(announcement_id=12, ticket_number="10101010203") == token
    assert read_ticket_token(token) == (12, "10101010203")
    assert ticket_token(announcement_id=12, ticket_number="10101010204") != token
    assert ticket_token(announcement_id=13, ticket_number="10101010203") != token


def test_a_stable_token_forged_or_edited_still_fails():
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    value, _sep, signature = token.rpartition(":")
    for forged in (
        f"12.10101010204:{signature}",  # another ticket under this one's signature
        f"13.10101010203:{signature}",  # another announcement
        signing.Signer(key="not-our-secret-key-" * 3, salt=SALT).sign(value),  # without our key
        signing.Signer(salt="another.purpose").sign(value),  # our key, another salt
        value,  # no signature
    ):
        with pytest.raises(BadToken):
            read_ticket_token(forged)


def test_tokens_printed_before_with_a_timestamp_still_read(monkeypatch):
    """Tickets printed before the tokens became deterministic carry TimestampSigner tokens of
    the same salt: read as before, whatever their age; edited ones still fail."""
    former = signing.TimestampSigner(salt=SALT).sign("12.10101010203")
    assert former.count(":") == 2
    real = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: real + 3_456_000)
    assert read_ticket_token(former) == (12, "10101010203")
    with pytest.raises(BadToken):
        read_ticket_token(former.replace("10101010203", "10101010204", 1))
    value, _sep, signature = former.rpartition(":")
    payload, _sep, _stamp = value.partition(":")
    with pytest.raises(BadToken):  # a signed value with junk where the timestamp goes
        read_ticket_token(signing.Signer(salt=SALT).sign(f"{payload}:not a stamp!"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"announcement_id": 0, "ticket_number": "1"},
        {"announcement_id": -1, "ticket_number": "1"},
        {"announcement_id": True, "ticket_number": "1"},
        {"announcement_id": "12", "ticket_number": "1"},
        {"announcement_id": 12, "ticket_number": ""},
        {"announcement_id": 12, "ticket_number": "1010 1010"},
        {"announcement_id": 12, "ticket_number": "10.10"},
        {"announcement_id": 12, "ticket_number": "1" * 33},
        {"announcement_id": 12, "ticket_number": 10101010203},
    ],
)
def test_issuing_refuses_what_could_not_be_read_back(kwargs):
    with pytest.raises(ValueError):
        ticket_token(**kwargs)
