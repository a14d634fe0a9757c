"""karrio's DHL Express `TrackingDetails` -> our `TrackingUpdate`: the shared mapping
(`karrio_tracking.KarrioMapping`) with DHL's way of naming places.

- A checkpoint's place is DHL's service area: `City - Country` ("Leipzig - Germany "), or a code-like
  `CITY-ISO3` ("KINGSTON-JAM"), with a state after a comma in the US and Canada ("SPRINGFIELD GARDENS,NY-USA").
  The country is named in English or by its ISO 3166 alpha-3 code.
- DHL prints each checkpoint's local date and time without a zone; the zone comes from that place.
- karrio appends DHL's `Signatory` to the description. For a delivery it is who signed ("Shipment delivered
  CAMPAGNA"), kept as DHL shows it; elsewhere DHL fills it with the shipper's account number ("Shipment picked up
  960528602") or a placeholder time ("Departing origin 00:00:00"), which say nothing to a shopper and are dropped.
  DHL wraps long descriptions over lines: whitespace is collapsed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import karrio.core.units as karrio_units

from integrations.carriers.codes import Carrier
from integrations.carriers.dhl_express import units
from integrations.carriers.karrio_tracking import KarrioMapping
from integrations.carriers.timezones import Place, country_code


@functools.cache
def _alpha3() -> Mapping[str, str]:
    """ISO alpha-3 -> alpha-2 (karrio keeps the table as `CountryCode`: alpha-2 name, alpha-3 value)."""
    return {str(code.value).upper(): code.name for code in karrio_units.CountryCode}


def _country(text: str) -> str | None:
    word = text.strip().upper()
    if len(word) == 3 and word in _alpha3():
        return _alpha3()[word]
    return country_code(word)


# A trailing account number or clock time karrio appended from `Signatory`.
_SIGNATORY_NOISE = re.compile(r"\s+(?:\d{6,}|\d{2}:\d{2}:\d{2})$")


def describe(text: Any) -> str:
    """A checkpoint's description without karrio's appended account number or placeholder time."""
    return _SIGNATORY_NOISE.sub("", " ".join(str(text or "").split()))


def read_place(text: Any) -> Place | None:
    """A DHL checkpoint's place from its service area description."""
    raw = " ".join(str(text or "").split())
    if not raw:
        return None
    head, _, tail = raw.rpartition("-")
    country = _country(tail) if head.strip() else None
    area = head.strip(" -") if country else raw
    city, _, state = (part.strip() for part in area.partition(","))
    state_code = state.upper() if 2 <= len(state) <= 3 and state.isalpha() else None
    return Place(city=city or None, state=state_code, country=country)


MAPPING = KarrioMapping(carrier=Carrier.DHL, statuses=units.STATUSES, read_place=read_place, describe=describe)
to_update = MAPPING.to_update

__all__ = ["MAPPING", "describe", "read_place", "to_update"]
