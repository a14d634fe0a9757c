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
from integrations.carriers.timezones import Place, place_from_parts
from integrations.carriers.ups import units


def read_place(text: Any) -> Place | None:
    """A UPS activity's place from karrio's `city, state, postal code, country` text (empty parts left out; UPS
    always names the country)."""
    parts = [part.strip() for part in str(text or "").split(",") if part.strip()]
    return place_from_parts(parts) if parts else None


MAPPING = KarrioMapping(carrier=Carrier.UPS, statuses=units.STATUSES, read_place=read_place)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "read_place", "to_update"]
