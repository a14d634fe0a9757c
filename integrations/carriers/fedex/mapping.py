"""karrio's FedEx `TrackingDetails` -> our `TrackingUpdate`: the shared mapping (`karrio_tracking.KarrioMapping`)
with FedEx's way of naming places.

- A scan's place is karrio's `city, state, postal code, country` text; FedEx names the country. A scan without a
  place (an electronic "shipment information sent" or a delivery without an address) comes as FedEx's location
  type alone ("CUSTOMER", "DELIVERY_LOCATION"): that is no place, and the scan takes a neighbour's zone.
- FedEx prints each scan's local time with its true offset, but karrio keeps only the wall clock (printing a `Z`);
  the zone is read from the place as for every karrio carrier, which gives the same instant wherever FedEx names
  the place. A scan without a place whose offset differs from its neighbours' (a label created by a shipper in
  another zone) is then off by that difference.
- When FedEx holds several results for one number (a number reused, a return), karrio keeps the one with the
  latest scan; the update keeps the number we asked about.
"""

from __future__ import annotations

from typing import Any

from integrations.carriers.codes import Carrier
from integrations.carriers.fedex import units
from integrations.carriers.karrio_tracking import KarrioMapping
from integrations.carriers.timezones import Place, place_from_parts


def read_place(text: Any) -> Place | None:
    """A FedEx scan's place from karrio's `city, state, postal code, country` text; None for a bare location type."""
    parts = [part.strip() for part in str(text or "").split(",") if part.strip()]
    if len(parts) < 2:  # "VEHICLE", "CUSTOMER": FedEx's kind of location, not a place
        return None
    return place_from_parts(parts)


MAPPING = KarrioMapping(carrier=Carrier.FEDEX, statuses=units.STATUSES, read_place=read_place)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "read_place", "to_update"]
