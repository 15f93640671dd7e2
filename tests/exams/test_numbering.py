"""Pure rules of seating and ticket numbers (exams.numbering): no database."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from exams.numbering import (
    DEFAULT_FORMAT,
    Candidate,
    NotEnoughSeats,
    RoomIn,
    RoomSeats,
    VenueIn,
    first_free_seats,
    format_number,
    overlaps,
    room_codes,
    seat_candidates,
    validate_number_format,
    window_state,
)


def test_default_number_is_eleven_digits():
    # exam 0 + district 2103 + venue 01 + room 07 + seat 23 = "0" "2103" "01" "07" "23"
    number = format_number(DEFAULT_FORMAT, exam="0", district="2103", venue="01", room=7, seat=23)
    assert number == "02103010723"
    assert len(number) == 11


@pytest.mark.parametrize(
    "pattern",
    [
        "{exam}{district}{room:02d}{seat:02d}",
        "{exam}{venue}{room:02d}{nope}{seat:02d}",
        "A{venue}{room:02d}{seat:02d}",
    ],
)
def test_bad_formats_are_refused(pattern):
    with pytest.raises(ValidationError):
        validate_number_format(pattern)


def test_a_format_without_district_is_allowed():
    validate_number_format("{exam}{venue}{room:03d}{seat:02d}")


def test_room_codes_roll_over_to_the_next_free_venue_code_after_room_99():
    # Venue 01 has 101 rooms, venue 02 exists: rooms 1–99 → 01/01–99; rooms 100, 101 take
    # the next free code after 01 that no venue uses: 03 (02 is taken) → 03/01, 03/02.
    big = VenueIn("01", tuple(RoomIn(i) for i in range(1, 102)))
    other = VenueIn("02", (RoomIn(500),))
    codes = room_codes([big, other])
    assert codes[99] == ("01", 99)
    assert codes[100] == ("03", 1)
    assert codes[101] == ("03", 2)
    assert codes[500] == ("02", 1)
    number = format_number(
        DEFAULT_FORMAT, exam="0", district="2103", venue=codes[100][0], room=codes[100][1], seat=5
    )
    assert number == "02103030105"


def test_room_codes_keep_fixed_codes_and_never_renumber():
    # Room 7 already numbered 01/05 keeps it; new rooms fill 01/01… skipping 05.
    venue = VenueIn(
        "01", (RoomIn(1), RoomIn(7, "01", 5), RoomIn(8), RoomIn(9), RoomIn(10), RoomIn(11), RoomIn(12))
    )
    codes = room_codes([venue])
    assert codes[7] == ("01", 5)
    assert [codes[i][1] for i in (1, 8, 9, 10, 11, 12)] == [1, 2, 3, 4, 6, 7]


def _candidates(n, positions=3):
    return [Candidate(application_id=i, position_id=i % positions) for i in range(1, n + 1)]


def test_seating_is_reproducible_from_its_seed_whatever_the_input_order():
    rooms = [RoomSeats(1, 30), RoomSeats(2, 30), RoomSeats(3, 30)]
    people = _candidates(75)
    first = seat_candidates(people, rooms, seed=20261130)
    again = seat_candidates(list(reversed(people)), rooms, seed=20261130)
    other = seat_candidates(people, rooms, seed=1)
    assert first == again
    assert first != other
    # every candidate once, every seat once, seats 1..k per room
    assert sorted(s.application_id for s in first) == list(range(1, 76))
    assert len({(s.room_id, s.seat) for s in first}) == 75


def test_one_position_is_spread_over_rooms_and_rooms_fill_in_order():
    # 60 candidates of 2 positions (30 each) in rooms of 30, 30, 30: only the first two
    # rooms are used (60 ≤ 30 + 30); each position has 15 in each room.
    rooms = [RoomSeats(1, 30), RoomSeats(2, 30), RoomSeats(3, 30)]
    seats = seat_candidates(_candidates(60, positions=2), rooms, seed=7)
    per = Counter((s.room_id, s.application_id % 2) for s in seats)
    assert per == {(1, 0): 15, (1, 1): 15, (2, 0): 15, (2, 1): 15}
    assert {s.seat for s in seats if s.room_id == 1} == set(range(1, 31))


def test_too_few_seats_is_refused():
    with pytest.raises(NotEnoughSeats) as error:
        seat_candidates(_candidates(31), [RoomSeats(1, 30)], seed=1)
    assert (error.value.needed, error.value.seats) == (31, 30)


def test_first_free_seats_fill_gaps_in_room_order():
    rooms = [RoomSeats(1, 3), RoomSeats(2, 3)]
    taken = {(1, 1), (1, 3), (2, 1)}
    assert first_free_seats(3, rooms, taken) == [(1, 2), (2, 2), (2, 3)]
    with pytest.raises(NotEnoughSeats):
        first_free_seats(4, rooms, taken)


def test_window_boundaries_a_second_before_at_and_after():
    start = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    end = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    second = timedelta(seconds=1)
    assert window_state(start, end, start - second) == "before"
    assert window_state(start, end, start) == "open"
    assert window_state(start, end, start + second) == "open"
    assert window_state(start, end, end - second) == "open"
    assert window_state(start, end, end) == "after"  # closed at the closing second
    assert window_state(start, end, end + second) == "after"
    assert window_state(None, end, start) == "unset"


def test_back_to_back_sessions_do_not_overlap():
    nine = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert not overlaps(nine, nine + hour, nine + hour, nine + 2 * hour)
    assert overlaps(nine, nine + 2 * hour, nine + hour, nine + 3 * hour)
