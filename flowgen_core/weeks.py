"""ISO weeks ("2026-W45") as the unit of every weekly run: parsing, UTC bounds, the last full week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flowgen_core.errors import UsageError

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO-8601 week; it covers [start, end) in UTC, Monday 00:00 to the next Monday."""

    year: int  # ISO week-numbering year (differs from the calendar year around New Year)
    week: int  # 1..52 or 53

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError as exc:
            raise UsageError(f"week {self.year}-W{self.week:02d} does not exist") from exc

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The Monday that starts the week."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def start(self) -> datetime:
        """The first instant of the week (inclusive), UTC."""
        return datetime.combine(self.monday, datetime.min.time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the week (exclusive), UTC."""
        return self.start + timedelta(days=7)

    def shift(self, weeks: int) -> IsoWeek:
        """The week `weeks` weeks later (negative: earlier)."""
        return week_of(self.start + timedelta(weeks=weeks))

    def days(self) -> list[date]:
        """The seven days of the week, Monday first."""
        return [self.monday + timedelta(days=i) for i in range(7)]


def parse_week(text: str) -> IsoWeek:
    """Read "YYYY-Www" (e.g. 2026-W45); a UsageError names the bad value otherwise."""
    match = _WEEK_RE.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise UsageError(f"--week {text!r}: expected an ISO week like 2026-W45")
    return IsoWeek(int(match.group(1)), int(match.group(2)))


def week_of(moment: datetime | date) -> IsoWeek:
    """The ISO week containing a date or a timezone-aware datetime (read in UTC)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("week_of needs a timezone-aware datetime")
        moment = moment.astimezone(UTC).date()
    year, week, _ = moment.isocalendar()
    return IsoWeek(year, week)


def last_complete_week(now: datetime | None = None) -> IsoWeek:
    """The newest week that has fully ended at `now` (default: the current UTC time)."""
    current = week_of(now or datetime.now(UTC))
    return current.shift(-1)


def week_range(end: IsoWeek, count: int) -> list[IsoWeek]:
    """`count` consecutive weeks ending with `end`, oldest first."""
    return [end.shift(-i) for i in range(count - 1, -1, -1)]
