"""Pure rules of seating and ticket numbers (no database, no clock): tested by example.

Ticket number, default 11 digits (DOMAIN-RULES §2.1, [ticket_format]):
    exam code (1) + district code (4) + venue code (2) + room (2) + seat (2),
e.g. exam 0, district 2103, venue 01, room 07, seat 23 → "02103010723". Stored as text
(leading zeros). A venue needing more than 99 rooms continues under the next free venue
code (room 100 of venue 01 is room 01 of venue 02 when 02 is free).

The format is a setting (ExamPlan.number_format, default EXAMS_TICKET_NUMBER_FORMAT or
DEFAULT_FORMAT): a str.format pattern over {exam}, {district}, {venue} (text) and {room},
{seat} (numbers).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_FORMAT = "{exam}{district}{venue}{room:02d}{seat:02d}"
MAX_ROOMS_PER_CODE = 99
MAX_NUMBER_LENGTH = 32


class NotEnoughSeats(Exception):
    """Fewer seats than candidates: `needed`, `seats`."""

    def __init__(self, needed: int, seats: int):
        super().__init__(needed, seats)
        self.needed, self.seats = needed, seats


class NoVenueCodeLeft(Exception):
    """Every 2-digit venue code (00–99) is taken."""


def format_number(pattern: str, *, exam: str, district: str, venue: str, room: int, seat: int) -> str:
    """The ticket number for these codes under `pattern` (see the module docstring)."""
    return pattern.format(exam=exam, district=district, venue=venue, room=room, seat=seat)


def validate_number_format(pattern: str) -> None:
    """Refuse a pattern that does not name venue, room and seat, or gives anything but
    digits, or more than 32 characters (ValidationError, on the field)."""
    for key in ("{venue", "{room", "{seat"):
        if key not in (pattern or ""):
            raise ValidationError(_("准考证号格式必须包含考点 {venue}、考场 {room} 和座位 {seat}。"))
    try:
        sample = format_number(pattern, exam="9", district="9999", venue="99", room=99, seat=99)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            _("准考证号格式无法识别，只能使用 {exam}、{district}、{venue}、{room}、{seat}。")
        )
    if not sample.isdigit() or len(sample) > MAX_NUMBER_LENGTH:
        raise ValidationError(_("准考证号只能由数字组成，且不超过32位。"))


# --- Room codes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomIn:
    """A room as the code allocation sees it: its id, and its codes if already fixed."""

    room_id: int
    venue_code: str = ""
    room_code: int | None = None


@dataclass(frozen=True)
class VenueIn:
    code: str
    rooms: tuple[RoomIn, ...]  # in room-number order


def room_codes(venues: Sequence[VenueIn]) -> dict[int, tuple[str, int]]:
    """{room_id: (venue code, room code)} for every room. Fixed codes are kept (nobody is
    renumbered); a new room takes the first free room code 01–99 under its venue's codes,
    and when they are full the next free venue code after its own (wrapping past 99 to 00).
    Raises NoVenueCodeLeft when all 100 codes are used."""
    taken: set[tuple[str, int]] = set()
    used_codes = {venue.code for venue in venues}
    own_codes: dict[str, list[str]] = {venue.code: [venue.code] for venue in venues}
    out: dict[int, tuple[str, int]] = {}
    for venue in venues:
        for room in venue.rooms:
            if room.venue_code and room.room_code:
                taken.add((room.venue_code, room.room_code))
                out[room.room_id] = (room.venue_code, room.room_code)
                used_codes.add(room.venue_code)
                if room.venue_code not in own_codes[venue.code]:
                    own_codes[venue.code].append(room.venue_code)
    for venue in sorted(venues, key=lambda v: v.code):
        codes = own_codes[venue.code]
        for room in venue.rooms:
            if room.room_id in out:
                continue
            slot = _free_slot(codes, taken)
            if slot is None:
                code = _next_free_code(venue.code, used_codes)
                used_codes.add(code)
                codes.append(code)
                slot = (code, 1)
            taken.add(slot)
            out[room.room_id] = slot
    return out


def _free_slot(codes: list[str], taken: set[tuple[str, int]]) -> tuple[str, int] | None:
    for code in codes:
        for number in range(1, MAX_ROOMS_PER_CODE + 1):
            if (code, number) not in taken:
                return code, number
    return None


def _next_free_code(start: str, used: set[str]) -> str:
    first = int(start)
    for step in range(1, 100):
        code = f"{(first + step) % 100:02d}"
        if code not in used:
            return code
    raise NoVenueCodeLeft


# --- Seating ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    application_id: int
    position_id: int


@dataclass(frozen=True)
class RoomSeats:
    room_id: int
    capacity: int


@dataclass(frozen=True)
class Seat:
    application_id: int
    room_id: int
    seat: int


def seat_candidates(candidates: Iterable[Candidate], rooms: Sequence[RoomSeats], *, seed: int) -> list[Seat]:
    """The first seating of an exam, reproducible from `seed`:

    1. candidates sorted by application id, then shuffled with random.Random(seed);
    2. candidates of one position dealt over the rooms in turn (positions in order of
       their first candidate in the shuffle, each continuing where the last one stopped),
       using only as many rooms (in the order given) as are needed;
    3. in each room, seats filled one by one taking the room's positions in turn.

    Raises NotEnoughSeats when the rooms hold fewer seats than there are candidates.
    """
    ordered = sorted(candidates, key=lambda c: c.application_id)
    seats_total = sum(room.capacity for room in rooms)
    if len(ordered) > seats_total:
        raise NotEnoughSeats(len(ordered), seats_total)
    if not ordered:
        return []
    rng = random.Random(seed)
    rng.shuffle(ordered)
    by_position: dict[int, list[Candidate]] = {}
    for candidate in ordered:
        by_position.setdefault(candidate.position_id, []).append(candidate)
    used, room_total = [], 0
    for room in rooms:
        if room_total >= len(ordered):
            break
        used.append(room)
        room_total += room.capacity
    free = [room.capacity for room in used]
    # room index → position id → its candidates in arrival order
    dealt: list[dict[int, list[Candidate]]] = [{} for _room in used]
    pointer = 0
    for position_id, group in by_position.items():
        for candidate in group:
            while free[pointer] == 0:
                pointer = (pointer + 1) % len(used)
            dealt[pointer].setdefault(position_id, []).append(candidate)
            free[pointer] -= 1
            pointer = (pointer + 1) % len(used)
    out = []
    for room, groups in zip(used, dealt, strict=True):
        queues = [list(reversed(group)) for group in groups.values()]
        seat = 0
        while any(queues):
            for queue in queues:
                if queue:
                    seat += 1
                    out.append(Seat(queue.pop().application_id, room.room_id, seat))
    return out


def first_free_seats(
    count: int, rooms: Sequence[RoomSeats], taken: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`count` free (room_id, seat) pairs, rooms in the order given, seats from 1: where a
    candidate approved after the first seating sits. Raises NotEnoughSeats."""
    out: list[tuple[int, int]] = []
    if count <= 0:
        return out
    for room in rooms:
        for seat in range(1, room.capacity + 1):
            if (room.room_id, seat) not in taken:
                out.append((room.room_id, seat))
                if len(out) == count:
                    return out
    raise NotEnoughSeats(count, len(out))


# --- Windows and times -----------------------------------------------------------------------


def window_state(starts_at: datetime | None, ends_at: datetime | None, now: datetime) -> str:
    """ "unset", "before", "open" or "after": open from `starts_at` (inclusive) until
    `ends_at` (exclusive: at the closing second printing has ended)."""
    if starts_at is None or ends_at is None:
        return "unset"
    if now < starts_at:
        return "before"
    if now < ends_at:
        return "open"
    return "after"


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Two half-open intervals [start, end) share a moment (back to back is not overlap)."""
    return a_start < b_end and b_start < a_end
