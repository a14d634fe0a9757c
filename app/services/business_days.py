"""Business days in a destination's own calendar: weekdays that are not public holidays there.

Carriers do not deliver (or deliver little) on weekends and public holidays, so transit times are counted in business
days of the place the parcel goes to: its country's holidays plus its state's or province's (`holidays` package),
on the local date of that place. Pure: no Flask, no database.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from integrations.carriers.timezones import zone_for

SATURDAY = 5
MAX_STEPS = 400  # business-day walks never need more; a bound keeps a bad calendar from looping
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """Where business days are counted: a country, optionally a subdivision, and the zone its dates are read in."""

    country: str | None
    subdivision: str | None
    zone: str
    # Looked up once per calendar (calendars are cached): business-day walks run on every tracking update.
    holidays: Holidays = field(init=False, repr=False, compare=False)
    tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", Holidays(self.country, self.subdivision))
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
            day += ONE_DAY
        return day

    # Counting by ordinals (date(1, 1, 1) is ordinal 1, a Monday): weekdays in closed form, minus the holidays that
    # fall on weekdays in between. A tracking update does a dozen of these, so no day-by-day walks.
    def add(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (`day` itself when `count` is 0 or less)."""
        if count <= 0:
            return day
        start = day.toordinal()
        end = _weekdays_after(start, count)
        missing = self.holidays.on_weekdays(start, end)
        while missing:  # each holiday skipped needs one more weekday, which may itself be a holiday
            start, end = end, _weekdays_after(end, missing)
            missing = self.holidays.on_weekdays(start, end)
        return date.fromordinal(end)

    def between(self, start: date, end: date) -> int:
        """Business days in (start, end]: 0 when `end` is not after `start`."""
        first, last = start.toordinal(), end.toordinal()
        if last <= first:
            return 0
        return _weekdays_upto(last) - _weekdays_upto(first) - self.holidays.on_weekdays(first, last)

    def transit_days(self, start: date, delivered: date) -> int:
        """How many business days a delivery on `delivered` took from `start`. A delivery on a weekend or holiday
        counts as the next business day, so "by the end of business day k" holds for every delivery counted k."""
        return self.between(start, self.on_or_after(delivered))

    def longest_quiet(self, instants: Iterable[datetime]) -> int:
        """The most business days between two consecutive instants (a parcel's scans): how long it went quiet."""
        days = sorted(self.local_date(at) for at in instants)
        return max((self.between(a, b) for a, b in itertools.pairwise(days)), default=0)


class Holidays:
    """A destination's public holidays as a plain set of dates, read from the `holidays` package a year at a time:
    asking the package about each date costs far more, and a tracking update asks about dozens."""

    def __init__(self, country: str | None, subdivision: str | None) -> None:
        self._place = (country, subdivision)
        self._days: frozenset[date] = frozenset()
        self._years: frozenset[int] = frozenset()
        self._weekday_ordinals: tuple[int, ...] = ()
        self._lock = threading.Lock()

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day.year not in self._years:
            self._load(day.year)
        return day in self._days

    def on_weekdays(self, first: int, last: int) -> int:
        """How many holidays fall on a weekday with an ordinal in (first, last]."""
        for year in range(date.fromordinal(first + 1).year, date.fromordinal(last).year + 1):
            if year not in self._years:
                self._load(year)
        ordinals = self._weekday_ordinals
        return bisect.bisect_right(ordinals, last) - bisect.bisect_right(ordinals, first)

    def _load(self, year: int) -> None:
        with self._lock:
            if year not in self._years:
                # Replaced whole, never changed in place: readers on other threads see one version or the other.
                days = self._days | _holidays(*self._place, year)
                self._weekday_ordinals = tuple(sorted(d.toordinal() for d in days if d.weekday() < SATURDAY))
                self._days = days
                self._years = self._years | {year}


def _weekdays_upto(ordinal: int) -> int:
    """Weekdays with an ordinal in [1, ordinal]."""
    return ordinal // 7 * 5 + min(ordinal % 7, 5)


def _weekdays_after(ordinal: int, count: int) -> int:
    """The ordinal of the `count`-th weekday (count >= 1) after `ordinal`."""
    weekday = (ordinal - 1) % 7
    if weekday >= SATURDAY:  # from a weekend, count as from the Friday before
        ordinal -= weekday - 4
        weekday = 4
    weeks, rest = divmod(count, 5)
    ordinal += weeks * 7
    if rest:
        ordinal += rest if weekday + rest <= 4 else rest + 2
    return ordinal


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


def _holidays(country: str | None, subdivision: str | None, year: int) -> frozenset[date]:
    if country is None:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))
    except (NotImplementedError, KeyError):
        pass  # a subdivision the package does not know: the country's holidays still apply
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except (NotImplementedError, KeyError):
        return frozenset()  # a country the package does not cover: weekdays only


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


__all__ = ["Calendar", "calendar_for"]
