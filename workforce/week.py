"""A worker's week: duty hours and side-job time slots side by side, overlaps found.
No Django here. A slot is (weekday 0=Monday … 6=Sunday, start time, end time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

Slot = tuple[int, time, time]


def parse_slot(weekday, start: str, end: str) -> Slot:
    """ValueError when the day or the times are not valid or the end is not after the start."""
    day = int(weekday)
    if not 0 <= day <= 6:
        raise ValueError("weekday")
    begin, finish = time.fromisoformat(str(start)), time.fromisoformat(str(end))
    if finish <= begin:
        raise ValueError("order")
    return day, begin, finish


def minutes(slot: Slot) -> int:
    _day, begin, finish = slot
    return (finish.hour * 60 + finish.minute) - (begin.hour * 60 + begin.minute)


def overlap(a: Slot, b: Slot) -> tuple[time, time] | None:
    if a[0] != b[0]:
        return None
    begin, finish = max(a[1], b[1]), min(a[2], b[2])
    return (begin, finish) if begin < finish else None


@dataclass(frozen=True)
class Clash:
    weekday: int
    start: time
    end: time


def clashes(side: list[Slot], duty: list[Slot]) -> list[Clash]:
    """Every stretch where a side-job slot falls in duty hours, by day and time."""
    found = []
    for slot in side:
        for block in duty:
            hit = overlap(slot, block)
            if hit:
                found.append(Clash(slot[0], *hit))
    return sorted(found, key=lambda c: (c.weekday, c.start))


@dataclass(frozen=True)
class DayRow:
    weekday: int
    duty: tuple[Slot, ...]
    side: tuple[tuple[Slot, str], ...]  # (slot, label)
    clash: bool


def week(duty: list[Slot], side_jobs: list[tuple[str, list[Slot]]]) -> list[DayRow]:
    """Seven rows (Monday first) for the page: duty blocks, side-job slots with their label,
    and whether any side-job slot that day falls in duty hours."""
    rows = []
    for day in range(7):
        day_duty = tuple(sorted(s for s in duty if s[0] == day))
        day_side = tuple(sorted(((s, label) for label, slots in side_jobs for s in slots if s[0] == day)))
        clash = any(overlap(s, d) for s, _label in day_side for d in day_duty)
        rows.append(DayRow(day, day_duty, day_side, clash))
    return rows
