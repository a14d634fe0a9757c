"""karrio's Canada Post `TrackingDetails` -> our `TrackingUpdate`: the shared mapping
(`karrio_tracking.KarrioMapping`) with Canada Post's way of naming places.

- An event's place is karrio's `site, province` text ("SAINTE-FOY, QC"): a Canadian province code makes it a
  place in Canada with that province's zone. A site alone is a country when it names one ("UNITED STATES", for
  events abroad), else a Canadian site whose zone is taken from the neighbouring events.
- Canada Post prints the event's local time and a zone abbreviation (`event-time-zone`, "EST") that karrio drops;
  the zone comes from the place, which also knows daylight saving time.
"""

from __future__ import annotations

from typing import Any

from integrations.carriers.canadapost import units
from integrations.carriers.codes import Carrier
from integrations.carriers.karrio_tracking import KarrioMapping
from integrations.carriers.timezones import SUBDIVISION_ZONES, Place, country_code

PROVINCES = SUBDIVISION_ZONES["CA"]


def read_place(text: Any) -> Place | None:
    """A Canada Post event's place from karrio's `site, province` text."""
    parts = [part.strip() for part in str(text or "").split(",") if part.strip()]
    if not parts:
        return None
    if len(parts) >= 2 and parts[-1].upper() in PROVINCES:
        return Place(city=", ".join(parts[:-1]), state=parts[-1].upper(), country="CA")
    site = ", ".join(parts)
    if len(site) > 2 and (country := country_code(site)):  # "UNITED STATES", "CHINA"; two letters may be anything
        return Place(country=country, facility=site)
    return Place(city=site)


MAPPING = KarrioMapping(carrier=Carrier.CANADA_POST, statuses=units.STATUSES, read_place=read_place)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "read_place", "to_update"]
