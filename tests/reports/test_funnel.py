"""reports.funnel: the arithmetic of drop-off, ratios and bands, by hand."""

from decimal import Decimal

from reports import funnel


def test_each_step_loses_against_the_one_before():
    steps = funnel.steps({"registered": 10, "submitted": 9, "approved": 6, "ticket_printed": 5, "sat": 5})
    assert [(s.key, s.count, s.lost, s.kept_percent) for s in steps[:6]] == [
        ("registered", 10, None, None),
        ("submitted", 9, 1, Decimal("90.0")),
        ("approved", 6, 3, Decimal("66.7")),  # 6 / 9 = 66.67 → 66.7
        ("ticket_printed", 5, 1, Decimal("83.3")),  # 5 / 6 = 83.33 → 83.3
        ("sat", 5, 0, Decimal("100.0")),
        ("passed", 0, 5, Decimal("0.0")),
    ]
    # After an empty step nothing can be kept: no per cent, no division by zero.
    assert steps[6].kept_percent is None and steps[6].lost == 0


def test_percent_rounds_half_up():
    assert funnel.percent(1, 8) == Decimal("12.5")
    assert funnel.percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (half up, not to even)
    assert funnel.percent(3, 0) is None


def test_ratio_and_cumulative():
    assert funnel.ratio(5, 2) == Decimal("2.50")
    assert funnel.ratio(2, 3) == Decimal("0.67")
    assert funnel.ratio(4, 0) is None
    assert funnel.cumulative([3, 6, 0, 1]) == [3, 9, 9, 10]


def test_bands_cover_0_to_100():
    labels = funnel.bin_labels()
    assert labels[0] == "0–9" and labels[-1] == "90–100" and len(labels) == 10


def test_a_step_counts_those_who_reached_it_or_any_later_step():
    # Furthest steps: 1 registered only, 2 sat without a recorded print (index 4), 5 hired
    # (index 9). Ticket printed = 2 + 5 = 7 (a candidate who sat was issued a ticket),
    # registered = 1 + 2 + 5 = 8.
    counts = funnel.reached({0: 1, 4: 2, 9: 5})
    assert counts == {
        "registered": 8,
        "submitted": 7,
        "approved": 7,
        "ticket_printed": 7,
        "sat": 7,
        "passed": 5,
        "shortlisted": 5,
        "interviewed": 5,
        "proposed": 5,
        "hired": 5,
    }
    assert all(step.lost >= 0 for step in funnel.steps(counts)[1:])
