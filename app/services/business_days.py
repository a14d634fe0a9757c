"""Business days in a destination's own calendar: weekdays that are not public holidays there.

Carriers do not deliver (or deliver little) on weekends and public holidays, so transit times are counted in business
days of the place the parcel goes to: its country's holidays plus its state's or province's (`holidays` package),
on the local date of that place. Pure: no Flask, no database.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from integrations.carriers.timezones import zone_for

SATURDAY = 5
MAX_STEPS = 400  # business-day walks never need more; a bound keeps a bad calendar from looping


@dataclass(frozen=True)
class Calendar:
    """Where business days are counted: a country, optionally a subdivision, and the zone its dates are read in."""

    country: str | None
    subdivision: str | None
    zone: str
    # Looked up once per calendar (calendars are cached): this runs on every tracking update.
    holidays: Container[date] = field(init=False, repr=False, compare=False)
    tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", _holidays(self.country, self.subdivision))
        object.__setattr__(self, "tz", _zone(self.zone))

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def local_time(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self.holidays

    def on_or_after(self, day: date) -> date:
        """The first business day on or after `day`."""
        for _ in range(MAX_STEPS):
            if self.is_business_day(day):
                return day
            day += timedelta(days=1)
        return day

    def add(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (`day` itself when `count` is 0 or less)."""
        steps = 0
        while count > 0 and steps < MAX_STEPS:
            day += timedelta(days=1)
            steps += 1
            if self.is_business_day(day):
                count -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Business days in (start, end]: 0 when `end` is not after `start`."""
        count = 0
        day = start
        while day < end and count < MAX_STEPS:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count

    def transit_days(self, start: date, delivered: date) -> int:
        """How many business days a delivery on `delivered` took from `start`. A delivery on a weekend or holiday
        counts as the next business day, so "by the end of business day k" holds for every delivery counted k."""
        return self.between(start, self.on_or_after(delivered))

    def longest_quiet(self, instants: Iterable[datetime]) -> int:
        """The most business days between two consecutive instants (a parcel's scans): how long it went quiet."""
        days = sorted(self.local_date(at) for at in instants)
        return max((self.between(a, b) for a, b in itertools.pairwise(days)), default=0)


@functools.lru_cache(maxsize=1024)
def calendar_for(country: str | None, subdivision: str | None = None) -> Calendar:
    """The calendar of a destination (ISO country code, and a state or province code as an address prints it)."""
    country = (country or "").strip().upper() or None
    subdivision = (subdivision or "").strip().upper() or None
    zone = zone_for(country=country or "US", state=subdivision) if (country or subdivision) else None
    return Calendar(country, subdivision, zone or _default_zone(country))


def _default_zone(country: str | None) -> str:
    # The United States has no country-wide zone; an address without a state is most likely in the Central one
    # or close to it, and a day's error at the edge of a window is the cost.
    return "America/Chicago" if country in (None, "US") else "UTC"


@functools.lru_cache(maxsize=512)
def _holidays(country: str | None, subdivision: str | None) -> Container[date]:
    if country is None:
        return frozenset()
    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except (NotImplementedError, KeyError):
        pass  # a subdivision the package does not know: the country's holidays still apply
    try:
        return holidays.country_holidays(country)
    except (NotImplementedError, KeyError):
        return frozenset()  # a country the package does not cover: weekdays only


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


__all__ = ["Calendar", "calendar_for"]
