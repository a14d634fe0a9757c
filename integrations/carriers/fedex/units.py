"""FedEx scan event types mapped onto `TrackingStatus`; the reading order and karrio's statuses are shared
(`integrations.carriers.karrio_tracking`).

A scan's status is read, most precise first, from:
1. its FedEx event type (`scanEvents[].eventType`: `DL` delivered, `OD` on vehicle for delivery, ...), the table;
2. words of its description (karrio gives FedEx's exception description when there is one, else the event's);
3. karrio's status for the event type;
4. else `UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.carriers.karrio_tracking import KARRIO_STATUS, StatusTable, karrio_status
from integrations.models import TrackingStatus

# FedEx Track API event types (developer.fedex.com, tracking status codes) whose meaning we are sure of.
EVENT_TYPES: Mapping[str, TrackingStatus] = {
    "OC": TrackingStatus.INFO_RECEIVED,  # Shipment information sent to FedEx (label created)
    "PU": TrackingStatus.IN_TRANSIT,  # Picked up
    "PX": TrackingStatus.IN_TRANSIT,  # Picked up (see details)
    "AO": TrackingStatus.IN_TRANSIT,  # Shipment arriving on-time
    "AE": TrackingStatus.IN_TRANSIT,  # Shipment arriving early
    "AR": TrackingStatus.IN_TRANSIT,  # Arrived at FedEx location
    "AF": TrackingStatus.IN_TRANSIT,  # At local FedEx facility
    "DP": TrackingStatus.IN_TRANSIT,  # Departed FedEx location
    "IT": TrackingStatus.IN_TRANSIT,  # In transit / on the way
    "FD": TrackingStatus.IN_TRANSIT,  # At FedEx destination facility
    "LO": TrackingStatus.IN_TRANSIT,  # Left FedEx origin facility
    "CC": TrackingStatus.IN_TRANSIT,  # Cleared customs
    "DY": TrackingStatus.IN_TRANSIT,  # Delay: a computed flag in Afterglow, the parcel is still on its way
    "DD": TrackingStatus.IN_TRANSIT,  # Delivery delay
    "OD": TrackingStatus.OUT_FOR_DELIVERY,  # On FedEx vehicle for delivery
    "ED": TrackingStatus.OUT_FOR_DELIVERY,  # Enroute to delivery
    "HP": TrackingStatus.AVAILABLE_FOR_PICKUP,  # Ready for recipient pickup
    "HL": TrackingStatus.AVAILABLE_FOR_PICKUP,  # At a Hold at Location
    "DE": TrackingStatus.ATTEMPT_FAILED,  # Delivery exception (nobody in, business closed, redirected)
    "SE": TrackingStatus.EXCEPTION,  # Shipment exception
    "CD": TrackingStatus.EXCEPTION,  # Clearance delay: held by customs
    "DL": TrackingStatus.DELIVERED,  # Delivered
    "RS": TrackingStatus.RETURNING_TO_SENDER,  # Return to shipper
    "CA": TrackingStatus.CANCELLED,  # Shipment cancelled
}

# Phrases of a FedEx description, in the order they are tried (the first match wins).
DESCRIPTION_PHRASES: tuple[tuple[str, TrackingStatus], ...] = (
    ("on fedex vehicle for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("out for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("ready for recipient pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("available for pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("customer not available", TrackingStatus.ATTEMPT_FAILED),
    ("delivery attempt", TrackingStatus.ATTEMPT_FAILED),
    ("returning to shipper", TrackingStatus.RETURNING_TO_SENDER),
    ("shipment information sent to fedex", TrackingStatus.INFO_RECEIVED),
    ("label created", TrackingStatus.INFO_RECEIVED),
)

STATUSES = StatusTable(codes=EVENT_TYPES, phrases=DESCRIPTION_PHRASES)
code_status, event_status = STATUSES.code_status, STATUSES.event_status

__all__ = ["EVENT_TYPES", "KARRIO_STATUS", "STATUSES", "code_status", "event_status", "karrio_status"]
