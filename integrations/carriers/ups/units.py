"""UPS activity codes mapped onto `TrackingStatus`; the reading order and karrio's statuses are shared
(`integrations.carriers.karrio_tracking`).

A UPS activity has a type letter (D delivered, I in progress, M manifest, P pickup, X exception, RS returned) and a
two-letter status code. karrio reads the type first, and UPS uses type X for news that is no exception (a customs
release, "out for delivery" notices), so a scan's status is read, most precise first, from:
1. its status code (`SR` released by customs, `OT` out for delivery today, ...), the table below;
2. words of its description;
3. karrio's status for the event (from the type letter, else the code);
4. else `UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.carriers.karrio_tracking import KARRIO_STATUS, StatusTable, karrio_status
from integrations.models import TrackingStatus

# UPS activity status codes (`activity[].status.code`) whose meaning we are sure of.
STATUS_CODES: Mapping[str, TrackingStatus] = {
    "MP": TrackingStatus.INFO_RECEIVED,  # Order processed: ready for UPS (label created)
    "OR": TrackingStatus.IN_TRANSIT,  # Origin scan
    "PU": TrackingStatus.IN_TRANSIT,  # Pickup scan
    "AR": TrackingStatus.IN_TRANSIT,  # Arrival scan
    "DP": TrackingStatus.IN_TRANSIT,  # Departure scan
    "SR": TrackingStatus.IN_TRANSIT,  # Released by the customs agency: on its way again
    "OT": TrackingStatus.OUT_FOR_DELIVERY,  # Out for delivery today
    "OF": TrackingStatus.OUT_FOR_DELIVERY,  # Out for delivery
    "OD": TrackingStatus.OUT_FOR_DELIVERY,  # On delivery vehicle
    "FS": TrackingStatus.DELIVERED,  # Delivered
    "KB": TrackingStatus.DELIVERED,  # Delivered
    "F4": TrackingStatus.DELIVERED,  # Delivered
    "RS": TrackingStatus.RETURNING_TO_SENDER,  # Returned to shipper
    "RT": TrackingStatus.RETURNING_TO_SENDER,  # Return to sender
}

# Phrases of a UPS description, in the order they are tried (the first match wins).
DESCRIPTION_PHRASES: tuple[tuple[str, TrackingStatus], ...] = (
    ("out for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("ready for pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("available for pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("not available for delivery", TrackingStatus.ATTEMPT_FAILED),
    ("delivery attempt", TrackingStatus.ATTEMPT_FAILED),
    ("returned to shipper", TrackingStatus.RETURNING_TO_SENDER),
    ("returning to shipper", TrackingStatus.RETURNING_TO_SENDER),
    ("return to sender", TrackingStatus.RETURNING_TO_SENDER),
    ("shipper created a label", TrackingStatus.INFO_RECEIVED),
    ("released by the customs", TrackingStatus.IN_TRANSIT),
)

STATUSES = StatusTable(codes=STATUS_CODES, phrases=DESCRIPTION_PHRASES)
code_status, event_status = STATUSES.code_status, STATUSES.event_status

__all__ = ["KARRIO_STATUS", "STATUSES", "STATUS_CODES", "code_status", "event_status", "karrio_status"]
