"""USPS scan codes mapped onto `TrackingStatus`; the reading order and karrio's statuses are shared
(`integrations.carriers.karrio_tracking`).

A scan's status is read, most precise first, from:
1. its USPS event code (`eventCode`, e.g. `01` delivered, `OF` out for delivery), the table below;
2. words of its description ("Out for Delivery", "Notice Left", ...), for codes the table does not know;
3. karrio's status for the event (karrio matches words of the USPS description too);
4. else `UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.carriers.karrio_tracking import KARRIO_STATUS, StatusTable, karrio_status
from integrations.models import TrackingStatus

# USPS Product Tracking event codes (the Tracking v3 API's `eventCode`).
EVENT_CODES: Mapping[str, TrackingStatus] = {
    "GX": TrackingStatus.INFO_RECEIVED,  # Shipping Label Created, USPS Awaiting Item
    "MA": TrackingStatus.INFO_RECEIVED,  # Pre-Shipment Info Sent to USPS
    "89": TrackingStatus.INFO_RECEIVED,  # Merchant Order Receipt Notification, USPS Awaiting Item
    "TM": TrackingStatus.INFO_RECEIVED,  # Shipment Received, Package Acceptance Pending
    "03": TrackingStatus.IN_TRANSIT,  # Accepted / USPS in possession of item
    "OA": TrackingStatus.IN_TRANSIT,  # Origin Acceptance
    "UA": TrackingStatus.IN_TRANSIT,  # Accepted at USPS Facility
    "10": TrackingStatus.IN_TRANSIT,  # Processed / Arrived at USPS Regional Origin Facility
    "A1": TrackingStatus.IN_TRANSIT,  # Arrived at USPS Regional Facility
    "T1": TrackingStatus.IN_TRANSIT,  # Departed USPS Regional Facility
    "TL": TrackingStatus.IN_TRANSIT,  # In Transit to Next Facility
    "SF": TrackingStatus.IN_TRANSIT,  # Departed Post Office
    "07": TrackingStatus.IN_TRANSIT,  # Arrived at Post Office (arrival at unit)
    "PC": TrackingStatus.IN_TRANSIT,  # Sorting Complete
    "NT": TrackingStatus.IN_TRANSIT,  # In Transit, Arriving Late
    "OF": TrackingStatus.OUT_FOR_DELIVERY,  # Out for Delivery
    "01": TrackingStatus.DELIVERED,  # Delivered (and its variants: parcel locker, front door, mailbox, ...)
    "17": TrackingStatus.DELIVERED,  # Picked Up by Agent
    "02": TrackingStatus.ATTEMPT_FAILED,  # Notice Left
    "52": TrackingStatus.ATTEMPT_FAILED,  # Notice Left (receptacle full / item oversized)
    "53": TrackingStatus.ATTEMPT_FAILED,  # Notice Left (receptacle blocked)
    "54": TrackingStatus.ATTEMPT_FAILED,  # Notice Left (animal interference)
    "55": TrackingStatus.ATTEMPT_FAILED,  # Notice Left (no secure location available)
    "56": TrackingStatus.ATTEMPT_FAILED,  # Notice Left (no access to delivery location)
    "14": TrackingStatus.AVAILABLE_FOR_PICKUP,  # Arrival at Pickup Point
    "16": TrackingStatus.AVAILABLE_FOR_PICKUP,  # Available for Pickup
    "04": TrackingStatus.EXCEPTION,  # Refused
    "05": TrackingStatus.EXCEPTION,  # Undeliverable as Addressed
    "11": TrackingStatus.EXCEPTION,  # Dead Letter
    "21": TrackingStatus.EXCEPTION,  # No Such Number
    "22": TrackingStatus.EXCEPTION,  # Insufficient Address
    "23": TrackingStatus.EXCEPTION,  # Moved, Left No Address
    "24": TrackingStatus.EXCEPTION,  # Forward Expired
    "25": TrackingStatus.EXCEPTION,  # Addressee Unknown
    "26": TrackingStatus.EXCEPTION,  # Vacant
    "27": TrackingStatus.EXCEPTION,  # Unclaimed
    "28": TrackingStatus.EXCEPTION,  # Deceased
    "09": TrackingStatus.RETURNING_TO_SENDER,  # Return to Sender
}

# Phrases of a USPS description, in the order they are tried (the first match wins).
DESCRIPTION_PHRASES: tuple[tuple[str, TrackingStatus], ...] = (
    ("out for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("available for pickup", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("notice left", TrackingStatus.ATTEMPT_FAILED),
    ("delivery attempted", TrackingStatus.ATTEMPT_FAILED),
    ("return to sender", TrackingStatus.RETURNING_TO_SENDER),
    ("returned to sender", TrackingStatus.RETURNING_TO_SENDER),
    ("label created", TrackingStatus.INFO_RECEIVED),
    ("pre-shipment", TrackingStatus.INFO_RECEIVED),
    ("in transit", TrackingStatus.IN_TRANSIT),
)

STATUSES = StatusTable(codes=EVENT_CODES, phrases=DESCRIPTION_PHRASES)
code_status, event_status = STATUSES.code_status, STATUSES.event_status

__all__ = ["EVENT_CODES", "KARRIO_STATUS", "STATUSES", "code_status", "event_status", "karrio_status"]
