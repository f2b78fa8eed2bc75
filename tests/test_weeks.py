"""ISO week helpers: parsing, UTC bounds, year boundaries, the last complete week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flowgen_core.errors import UsageError
from flowgen_core.weeks import IsoWeek, last_complete_week, parse_week, week_of, week_range


def test_bounds_are_monday_midnight_utc() -> None:
    week = parse_week("2026-W45")
    assert week.start == datetime(2026, 11, 2, tzinfo=UTC)
    assert week.end == datetime(2026, 11, 9, tzinfo=UTC)
    assert str(week) == "2026-W45"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 2, 0, 0, tzinfo=UTC), "2026-W45"),
        (datetime(2026, 11, 8, 23, 59, 59, 999999, tzinfo=UTC), "2026-W45"),
        (datetime(2026, 11, 9, tzinfo=UTC), "2026-W46"),
        (datetime(2027, 1, 1, tzinfo=UTC), "2026-W53"),  # ISO year differs from calendar year
        (datetime(2025, 12, 29, tzinfo=UTC), "2026-W01"),
    ],
)
def test_week_of(moment: datetime, expected: str) -> None:
    assert str(week_of(moment)) == expected


@pytest.mark.parametrize("text", ["2026-45", "2026W45", "26-W45", "2026-W5", "", "2026-w45"])
def test_bad_text_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="expected an ISO week"):
        parse_week(text)


def test_week_that_does_not_exist() -> None:
    with pytest.raises(UsageError, match="does not exist"):
        parse_week("2025-W53")


def test_shift_and_range_cross_years() -> None:
    assert str(parse_week("2026-W01").shift(-1)) == "2025-W52"
    assert [str(w) for w in week_range(parse_week("2026-W02"), 3)] == [
        "2025-W52",
        "2026-W01",
        "2026-W02",
    ]
    assert IsoWeek(2026, 45) < IsoWeek(2026, 46)


def test_last_complete_week() -> None:
    monday = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert str(last_complete_week(monday)) == "2026-W47"
    assert str(last_complete_week(monday - timedelta(microseconds=1))) == "2026-W46"
