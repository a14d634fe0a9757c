"""The simulated carrier's network: a compact table of real hub cities with their IANA time zones.

The first hub of a country is its import gateway (where international parcels land and clear customs). A country
outside the table still gets a journey: its leg is shown by country code alone, on UTC wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

ORIGIN_COUNTRY = "US"  # the simulated merchant ships from the US; every other destination is international


@dataclass(frozen=True)
class Place:
    city: str
    region: str
    country: str  # ISO 3166-1 alpha-2
    zone: str  # IANA time zone

    @property
    def label(self) -> str:
        """How a carrier prints it: "Memphis, TN, US"."""
        return ", ".join(part for part in (self.city, self.region, self.country) if part)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def _hubs(country: str, zone_by_city: tuple[tuple[str, str, str], ...]) -> tuple[Place, ...]:
    return tuple(Place(city, region, country, zone) for city, region, zone in zone_by_city)


HUBS: dict[str, tuple[Place, ...]] = {
    "US": _hubs("US", (
        ("Louisville", "KY", "America/New_York"),
        ("Memphis", "TN", "America/Chicago"),
        ("Ontario", "CA", "America/Los_Angeles"),
        ("Chicago", "IL", "America/Chicago"),
        ("Dallas", "TX", "America/Chicago"),
        ("Atlanta", "GA", "America/New_York"),
        ("Newark", "NJ", "America/New_York"),
        ("Denver", "CO", "America/Denver"),
        ("Phoenix", "AZ", "America/Phoenix"),
    )),
    "CA": _hubs("CA", (
        ("Toronto", "ON", "America/Toronto"),
        ("Vancouver", "BC", "America/Vancouver"),
        ("Montreal", "QC", "America/Toronto"),
    )),
    "DE": _hubs("DE", (("Leipzig", "SN", "Europe/Berlin"), ("Cologne", "NW", "Europe/Berlin"))),
    "NL": _hubs("NL", (("Amsterdam", "NH", "Europe/Amsterdam"),)),
    "FR": _hubs("FR", (("Paris", "IDF", "Europe/Paris"),)),
    "ES": _hubs("ES", (("Madrid", "MD", "Europe/Madrid"),)),
    "GB": _hubs("GB", (("London", "ENG", "Europe/London"),)),
    "BE": _hubs("BE", (("Brussels", "BRU", "Europe/Brussels"),)),
}  # fmt: skip


def hubs_in(country: str) -> tuple[Place, ...]:
    """The country's hubs, gateway first; a country outside the table gets one country-level place on UTC."""
    return HUBS.get(country) or (Place("", "", country, "UTC"),)


def country_code(value: str | None) -> str:
    """A destination country as an upper-case alpha-2 code; missing or malformed means the US."""
    code = (value or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else ORIGIN_COUNTRY


__all__ = ["HUBS", "ORIGIN_COUNTRY", "Place", "country_code", "hubs_in"]
