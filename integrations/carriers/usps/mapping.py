"""karrio's USPS `TrackingDetails` -> our `TrackingUpdate`: the shared mapping (`karrio_tracking.KarrioMapping`)
with USPS's way of naming places and services.

- A scan's place is karrio's `city, ZIP, state, country` text, or a regional facility named with its state inside
  ("JACKSONVILLE FL DISTRIBUTION CENTER"); "In Transit to Next Facility" scans have none.
- USPS answers under its own (22-digit) form of the number: the update keeps the number we asked about.
- The mail class comes with markup: "USPS Ground Advantage<SUP>&#153;</SUP>" -> "USPS Ground Advantage™".
"""

from __future__ import annotations

import html
import re
from typing import Any

from integrations.carriers.codes import Carrier
from integrations.carriers.karrio_tracking import KarrioMapping
from integrations.carriers.timezones import US_STATE_ZONES, Place, country_code
from integrations.carriers.usps import units

# A regional facility named with its state inside: "JACKSONVILLE FL DISTRIBUTION CENTER".
_FACILITY = re.compile(r"^.+?\s(?P<state>[A-Z]{2})\s.*\b(?:CENTER|FACILITY|ANNEX|HUB|PLANT|NDC|P&DC)\b.*$")
_TAGS = re.compile(r"<[^>]*>")


def _is_us_state(text: str) -> bool:
    return text.upper() in US_STATE_ZONES


def read_place(text: Any) -> Place | None:
    """A USPS scan's place from karrio's `city, ZIP, state, country` text (empty parts left out)."""
    parts = [part.strip() for part in str(text or "").split(",") if part.strip()]
    if not parts:
        return None
    if len(parts) == 1 and (match := _FACILITY.match(parts[0].upper())) and _is_us_state(match["state"]):
        return Place(facility=parts[0], state=match["state"], country="US")
    postal = next((part for part in parts if any(char.isdigit() for char in part)), None)
    words = [part for part in parts if part != postal]
    country = None
    # A last word that is a country, unless it is the state after a city ("HERNANDO, FL": FL is Florida).
    if len(words) >= 2 and country_code(words[-1]) and not (len(words) == 2 and _is_us_state(words[-1])):
        country = country_code(words.pop())
    state = None
    abroad = country not in (None, "US")
    if words and (len(words) >= 2 or not abroad) and (abroad or _is_us_state(words[-1])):
        state = words.pop().upper()
    city = words[0] if words else None
    if state and country is None:
        country = "US"
    return Place(city=city, state=state, postal_code=postal, country=country)


def service_name(raw: Any) -> str | None:
    """USPS mail class without its markup: "USPS Ground Advantage<SUP>&#153;</SUP>" -> "USPS Ground Advantage™"."""
    text = html.unescape(_TAGS.sub("", str(raw or ""))).strip()
    return text or None


MAPPING = KarrioMapping(carrier=Carrier.USPS, statuses=units.STATUSES, read_place=read_place, service_name=service_name)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "read_place", "service_name", "to_update"]
