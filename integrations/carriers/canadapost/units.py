"""Canada Post event identifiers mapped onto `TrackingStatus`; the reading order and karrio's statuses are shared
(`integrations.carriers.karrio_tracking`).

Canada Post prints identifiers with leading zeros ("0174") that karrio's own table spells without them ("174"),
so karrio reads no status for those; identifiers are matched here without leading zeros. A scan's status is read,
most precise first, from:
1. its identifier in our table below;
2. its identifier in karrio's Canada Post table (`karrio.providers.canadapost.units.TrackingStatus`), which lists
   many more delivered, held and failed-delivery identifiers;
3. words of its description;
4. else `UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

import karrio.providers.canadapost.units as karrio_canadapost

from integrations.carriers.karrio_tracking import KARRIO_STATUS, StatusTable, karrio_status
from integrations.models import TrackingStatus


def identifier(code: str) -> str:
    """An event identifier without its leading zeros ("0174" -> "174")."""
    return code.strip().lstrip("0") or "0"


# Canada Post event identifiers whose meaning we are sure of (without leading zeros).
EVENT_IDENTIFIERS: Mapping[str, TrackingStatus] = {
    "3000": TrackingStatus.INFO_RECEIVED,  # Electronic information submitted by shipper
    "3002": TrackingStatus.INFO_RECEIVED,  # Shipping label created
    "100": TrackingStatus.IN_TRANSIT,  # Item processed at postal facility
    "170": TrackingStatus.IN_TRANSIT,  # Item processed
    "173": TrackingStatus.IN_TRANSIT,  # Addressing error being corrected: a possible delay, still moving
    "174": TrackingStatus.OUT_FOR_DELIVERY,  # Item out for delivery
    "500": TrackingStatus.OUT_FOR_DELIVERY,  # Out for delivery
    "1496": TrackingStatus.DELIVERED,  # Item successfully delivered
    # Signature image recorded for online viewing: Canada Post records it when the recipient signs at delivery
    "20": TrackingStatus.DELIVERED,
}

KARRIO_IDENTIFIERS: Mapping[str, TrackingStatus] = {
    identifier(code): KARRIO_STATUS[status.name]
    for status in karrio_canadapost.TrackingStatus
    for code in status.value
    if code and status.name in KARRIO_STATUS
}

# Phrases of a Canada Post description, in the order they are tried (the first match wins).
DESCRIPTION_PHRASES: tuple[tuple[str, TrackingStatus], ...] = (
    ("out for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("available for pick-up", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("available for pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("notice card left", TrackingStatus.ATTEMPT_FAILED),
    ("attempted delivery", TrackingStatus.ATTEMPT_FAILED),
    ("return to sender", TrackingStatus.RETURNING_TO_SENDER),
    ("successfully delivered", TrackingStatus.DELIVERED),
    ("electronic information submitted", TrackingStatus.INFO_RECEIVED),
)

STATUSES = StatusTable(
    codes={**KARRIO_IDENTIFIERS, **EVENT_IDENTIFIERS}, phrases=DESCRIPTION_PHRASES, code_key=identifier
)
code_status, event_status = STATUSES.code_status, STATUSES.event_status

__all__ = [
    "EVENT_IDENTIFIERS", "KARRIO_IDENTIFIERS", "KARRIO_STATUS", "STATUSES", "code_status", "event_status",
    "identifier", "karrio_status",
]  # fmt: skip
