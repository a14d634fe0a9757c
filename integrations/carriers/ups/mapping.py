"""karrio's UPS `TrackingDetails` -> our `TrackingUpdate`: the shared mapping (`karrio_tracking.KarrioMapping`)
with UPS's way of naming places.

- An activity's place is karrio's `city, state, postal code, country` text; UPS always names the country.
- karrio's overall status is the latest activity's type letter alone, and "delivered" when an activity has type D.
- UPS answers under the package's number, which may differ from the inquiry: the update keeps the number we asked.
"""

from __future__ import annotations

from typing import Any

from integrations.carriers.codes import Carrier
from integrations.carriers.karrio_tracking import KarrioMapping
from integrations.carriers.timezones import Place, country_code
from integrations.carriers.ups import units


def read_place(text: Any) -> Place | None:
    """A UPS activity's place from karrio's `city, state, postal code, country` text (empty parts left out; UPS
    always names the country)."""
    parts = [part.strip() for part in str(text or "").split(",") if part.strip()]
    if not parts:
        return None
    country = country_code(parts[-1]) if len(parts) >= 2 else None
    if country:
        parts.pop()
    postal = next((part for part in reversed(parts) if any(char.isdigit() for char in part)), None)
    words = [part for part in parts if part != postal]
    city = words[0] if words else None
    state = words[1].upper() if len(words) >= 2 else None
    return Place(city=city, state=state, postal_code=postal, country=country)


MAPPING = KarrioMapping(carrier=Carrier.UPS, statuses=units.STATUSES, read_place=read_place)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "read_place", "to_update"]
