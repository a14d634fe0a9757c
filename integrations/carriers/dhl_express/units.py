"""DHL Express checkpoint codes mapped onto `TrackingStatus`; the reading order and karrio's statuses are shared
(`integrations.carriers.karrio_tracking`).

A checkpoint's status is read, most precise first, from:
1. its DHL event code (`ServiceEvent/EventCode`: `OK` delivered, `WC` with delivery courier, ...), the table;
2. words of its description;
3. karrio's status for the code (karrio files `RT`, returned to shipper, under failed deliveries: the table
   says otherwise first);
4. else `UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.carriers.karrio_tracking import KARRIO_STATUS, StatusTable, karrio_status
from integrations.models import TrackingStatus

# DHL Express checkpoint codes whose meaning we are sure of.
EVENT_CODES: Mapping[str, TrackingStatus] = {
    "SA": TrackingStatus.INFO_RECEIVED,  # Shipment acceptance (data received)
    "PU": TrackingStatus.IN_TRANSIT,  # Shipment picked up
    "PO": TrackingStatus.IN_TRANSIT,  # Departing origin
    "PL": TrackingStatus.IN_TRANSIT,  # Processed at location
    "RW": TrackingStatus.IN_TRANSIT,  # Weighed at a facility (no description)
    "AF": TrackingStatus.IN_TRANSIT,  # Arrived at DHL facility
    "DF": TrackingStatus.IN_TRANSIT,  # Departed from DHL facility
    "AR": TrackingStatus.IN_TRANSIT,  # Arrived at DHL delivery facility
    "TR": TrackingStatus.IN_TRANSIT,  # Transferred through
    "CR": TrackingStatus.IN_TRANSIT,  # Clearance processing complete
    "TP": TrackingStatus.IN_TRANSIT,  # Forwarded to a third party for delivery
    "MS": TrackingStatus.IN_TRANSIT,  # Missorted: rerouted (a delay, not a status)
    "MD": TrackingStatus.IN_TRANSIT,  # Missed delivery cycle (a delay, not a status)
    "WC": TrackingStatus.OUT_FOR_DELIVERY,  # With delivery courier
    "CC": TrackingStatus.AVAILABLE_FOR_PICKUP,  # Awaiting collection by the recipient
    "NH": TrackingStatus.ATTEMPT_FAILED,  # Recipient not home
    "CA": TrackingStatus.ATTEMPT_FAILED,  # Recipient's premises closed
    "CM": TrackingStatus.ATTEMPT_FAILED,  # Recipient moved
    "BA": TrackingStatus.EXCEPTION,  # Bad address
    "OH": TrackingStatus.EXCEPTION,  # On hold
    "HP": TrackingStatus.EXCEPTION,  # Held for payment
    "CD": TrackingStatus.EXCEPTION,  # Clearance delay
    "RD": TrackingStatus.EXCEPTION,  # Refused delivery
    "OK": TrackingStatus.DELIVERED,  # Delivered
    "RT": TrackingStatus.RETURNING_TO_SENDER,  # Returned to shipper
}

# Phrases of a DHL description, in the order they are tried (the first match wins).
DESCRIPTION_PHRASES: tuple[tuple[str, TrackingStatus], ...] = (
    ("with delivery courier", TrackingStatus.OUT_FOR_DELIVERY),
    ("out for delivery", TrackingStatus.OUT_FOR_DELIVERY),
    ("awaiting collection", TrackingStatus.AVAILABLE_FOR_PICKUP),
    ("returned to shipper", TrackingStatus.RETURNING_TO_SENDER),
    ("shipment delivered", TrackingStatus.DELIVERED),
)

STATUSES = StatusTable(codes=EVENT_CODES, phrases=DESCRIPTION_PHRASES)
code_status, event_status = STATUSES.code_status, STATUSES.event_status

__all__ = ["EVENT_CODES", "KARRIO_STATUS", "STATUSES", "code_status", "event_status", "karrio_status"]
