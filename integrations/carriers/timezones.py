"""Where a scan happened -> the IANA zone of its wall-clock time, and wall-clock text -> an aware UTC instant.

Carriers print the local time of the place that scanned a parcel and nothing that says which zone that is (a `Z`
or `+00:00` they print is not to be believed), so a source reads the place and asks this module for its zone:

- a US state or territory -> its zone; a state split between zones gets the zone where most of its people live
  (FL -> Eastern, TN -> Central, ...): a scan in the Florida panhandle is then an hour off;
- a Canadian province or an Australian state -> its zone, when the place names its country (CA, AU);
- any other country -> its zone from the IANA `zone.tab` (tzdata), the principal zone for a country with several;
  the United States alone has no country-wide answer;
- a scan with no usable place takes the zone of the scan before it (the parcel left from there), else the one after
  it, else the destination country's zone, else UTC (`fill_zones`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

US_STATE_ZONES: Mapping[str, str] = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
    "CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
    "DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis", "IA": "America/Chicago",
    "KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago", "ME": "America/New_York",
    "MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
    "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver", "NE": "America/Chicago",
    "NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York", "NM": "America/Denver",
    "NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
    "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York", "RI": "America/New_York",
    "SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
    "UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
    "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
    # territories and freely associated states the USPS delivers to
    "PR": "America/Puerto_Rico", "VI": "America/St_Thomas", "GU": "Pacific/Guam", "AS": "Pacific/Pago_Pago",
    "MP": "Pacific/Saipan", "FM": "Pacific/Pohnpei", "MH": "Pacific/Majuro", "PW": "Pacific/Palau",
}  # fmt: skip

SUBDIVISION_ZONES: Mapping[str, Mapping[str, str]] = {
    "US": US_STATE_ZONES,
    "CA": {
        "AB": "America/Edmonton", "BC": "America/Vancouver", "MB": "America/Winnipeg", "NB": "America/Moncton",
        "NL": "America/St_Johns", "NS": "America/Halifax", "NT": "America/Yellowknife", "NU": "America/Iqaluit",
        "ON": "America/Toronto", "PE": "America/Halifax", "QC": "America/Toronto", "SK": "America/Regina",
        "YT": "America/Whitehorse",
    },
    "AU": {
        "ACT": "Australia/Sydney", "NSW": "Australia/Sydney", "NT": "Australia/Darwin", "QLD": "Australia/Brisbane",
        "SA": "Australia/Adelaide", "TAS": "Australia/Hobart", "VIC": "Australia/Melbourne", "WA": "Australia/Perth",
    },
}  # fmt: skip

# Countries with several zones whose first `zone.tab` line is not where most people live. "US": no single answer.
PRINCIPAL_ZONES: Mapping[str, str | None] = {
    "US": None, "CA": "America/Toronto", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "RU": "Europe/Moscow", "UA": "Europe/Kyiv", "UZ": "Asia/Tashkent", "MX": "America/Mexico_City",
}  # fmt: skip

# Country names as carriers print them where `iso3166.tab` spells them otherwise.
COUNTRY_ALIASES: Mapping[str, str] = {
    "UNITED STATES": "US", "USA": "US", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB",
    "SOUTH KOREA": "KR", "KOREA, REPUBLIC OF": "KR", "KOREA": "KR", "VIET NAM": "VN", "HONG KONG": "HK",
    "TAIWAN": "TW", "CZECH REPUBLIC": "CZ", "RUSSIAN FEDERATION": "RU", "THE NETHERLANDS": "NL", "HOLLAND": "NL",
}  # fmt: skip

_WALL_CLOCK = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK = re.compile(r"(\d{1,2}):?(\d{2})(?::?(\d{2}))?")


@dataclass(frozen=True)
class Place:
    """A scan's place as far as the carrier said. `state` is the subdivision code as printed (US state, ...)."""

    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    facility: str | None = None  # a named facility whose text is shown as is ("QUEENS NY DISTRIBUTION CENTER")

    def label(self) -> str | None:
        if self.facility:
            return self.facility
        return ", ".join(part for part in (self.city, self.state, self.country) if part) or None

    def zone(self) -> str | None:
        return zone_for(country=self.country, state=self.state)


def _read_tab(name: str) -> list[list[str]]:
    """Rows of a tzdata table: the `tzdata` package's copy, else the system's."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        system = Path("/usr/share/zoneinfo") / name
        text = system.read_text(encoding="utf-8") if system.is_file() else ""
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def place_from_parts(parts: list[str]) -> Place:
    """A place from a carrier's comma-separated `city, state, postal code, country` words (any may be missing; the
    country, when it is one we know, comes last; the postal code is the last word with a digit)."""
    parts = list(parts)
    country = country_code(parts[-1]) if len(parts) >= 2 else None
    if country:
        parts.pop()
    postal = next((part for part in reversed(parts) if any(char.isdigit() for char in part)), None)
    words = [part for part in parts if part != postal]
    city = words[0] if words else None
    state = words[1].upper() if len(words) >= 2 else None
    return Place(city=city, state=state, postal_code=postal, country=country)


@functools.cache
def country_zones() -> Mapping[str, str]:
    """ISO country -> one zone: the principal one above, else the first `zone.tab` lists for the country."""
    zones: dict[str, str] = {}
    for row in _read_tab("zone.tab"):
        if len(row) >= 3:
            zones.setdefault(row[0], row[2])
    for country, zone in PRINCIPAL_ZONES.items():
        if zone is None:
            zones.pop(country, None)
        else:
            zones[country] = zone
    return zones


@functools.cache
def _country_names() -> Mapping[str, str]:
    names = {row[1].strip().upper(): row[0] for row in _read_tab("iso3166.tab") if len(row) >= 2}
    return {**names, **COUNTRY_ALIASES}


def country_code(text: str | None) -> str | None:
    """An ISO alpha-2 code from a code or an English country name; None when it is neither."""
    value = (text or "").strip().upper()
    if not value:
        return None
    if len(value) == 2 and value.isalpha():
        return value
    return _country_names().get(value)


def zone_for(*, country: str | None, state: str | None = None) -> str | None:
    """The zone of a place; a state without a country is read as a US state."""
    country = (country or "").upper() or None
    state = (state or "").upper() or None
    if state:
        subdivisions = SUBDIVISION_ZONES.get(country or "US", {})
        if state in subdivisions:
            return subdivisions[state]
    return country_zones().get(country) if country else None


def fill_zones(zones: Sequence[str | None], *, fallback: str | None = None) -> list[str]:
    """Give every scan (oldest first) a zone: its own, else the previous scan's, else the next one's, else
    `fallback` (the destination's), else UTC."""
    filled: list[str | None] = list(zones)
    for index in range(1, len(filled)):
        filled[index] = filled[index] or filled[index - 1]
    for index in range(len(filled) - 2, -1, -1):
        filled[index] = filled[index] or filled[index + 1]
    return [zone or fallback or "UTC" for zone in filled]


def parse_wall_clock(timestamp: str | None, day: str | None = None, clock: str | None = None) -> datetime | None:
    """The naive local date and time a carrier printed, from an ISO-like timestamp whose offset or `Z` is ignored,
    else from a date and a time of day. A time of day is read as 24-hour ("13:58 PM" is 13:58: karrio prints
    `%H:%M %p`); a date without a time is midnight. None when there is no readable date."""
    if timestamp and (match := _WALL_CLOCK.match(timestamp.strip())):
        year, month, dom, hour, minute, second = (int(group or 0) for group in match.groups())
        return _safe_datetime(year, month, dom, hour, minute, second)
    try:
        local_day = date.fromisoformat((day or "").strip())
    except ValueError:
        return None
    hour = minute = second = 0
    if clock and (match := _CLOCK.match(clock.strip())):
        hour, minute, second = (int(group or 0) for group in match.groups())
    return _safe_datetime(local_day.year, local_day.month, local_day.day, hour, minute, second)


def _safe_datetime(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def to_utc(wall_clock: datetime, zone: str) -> datetime:
    """A naive local wall-clock time in `zone` as an aware UTC instant. In the hour repeated when clocks go back the
    first occurrence is taken; a time skipped when clocks go forward is read with the offset before the change."""
    return wall_clock.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(UTC)


def end_of_local_day(day: date, zone: str) -> datetime:
    """The last second of `day` in `zone`, as aware UTC: a carrier's date-only estimate means "by the end of it"."""
    return to_utc(datetime.combine(day, time(23, 59, 59)), zone)


__all__ = [
    "PRINCIPAL_ZONES",
    "SUBDIVISION_ZONES",
    "US_STATE_ZONES",
    "Place",
    "country_code",
    "country_zones",
    "end_of_local_day",
    "fill_zones",
    "parse_wall_clock",
    "to_utc",
    "zone_for",
]
