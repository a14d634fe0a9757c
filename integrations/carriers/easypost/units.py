"""EasyPost's tracker vocabulary mapped onto ours: statuses, status details and carrier names. No lookup raises.

A Tracker and each of its `tracking_details` carry a `status` (EasyPost's ten words) and a `status_detail` (a finer
word). A status is read from:
1. the `status` table below;
2. the `status_detail` when it names a problem (a failed attempt, a refusal, a lost parcel) while the status still
   says the parcel is moving: EasyPost keeps such scans `in_transit`, and the shopper must hear about them;
3. the `status_detail` alone when the status is `unknown` or a word we do not know;
4. else `UNKNOWN` (the store ignores a status whose meaning we do not know).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from integrations.carriers.codes import Carrier
from integrations.carriers.names import carrier_from_name
from integrations.models import TrackingStatus

S = TrackingStatus

# Tracker.status and TrackingDetail.status (EasyPost's Tracker object documentation).
STATUSES: Mapping[str, TrackingStatus] = {
    "unknown": S.UNKNOWN,
    "pre_transit": S.INFO_RECEIVED,  # a label exists; the carrier has not scanned the parcel yet
    "in_transit": S.IN_TRANSIT,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "available_for_pickup": S.AVAILABLE_FOR_PICKUP,
    "return_to_sender": S.RETURNING_TO_SENDER,
    "failure": S.EXCEPTION,  # the carrier cannot deliver: damaged, lost, refused, undeliverable
    "cancelled": S.CANCELLED,
    "error": S.UNKNOWN,  # EasyPost could not read the carrier's answer: nothing is known about the parcel
}

# TrackingDetail.status_detail words that say something of their own. Delays (`delayed`, `weather_delay`,
# `transit_exception`, `missorted`, `address_correction`, `held`) are absent on purpose: a delay is a computed flag
# in Afterglow, not a status, and the parcel is still moving.
DETAILS: Mapping[str, TrackingStatus] = {
    "label_created": S.INFO_RECEIVED,
    "awaiting_information": S.INFO_RECEIVED,
    "received_at_origin_facility": S.IN_TRANSIT,
    "departed_origin_facility": S.IN_TRANSIT,
    "arrived_at_facility": S.IN_TRANSIT,
    "departed_facility": S.IN_TRANSIT,
    "in_transit": S.IN_TRANSIT,
    "arrived_at_destination": S.IN_TRANSIT,
    "received_at_destination_facility": S.IN_TRANSIT,
    "transferred_to_destination_carrier": S.IN_TRANSIT,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "arrived_at_pickup_location": S.AVAILABLE_FOR_PICKUP,
    "delivery_exception": S.ATTEMPT_FAILED,  # "delivery attempted", "no access to delivery location"
    "refused": S.EXCEPTION,
    "damaged": S.EXCEPTION,
    "lost": S.EXCEPTION,
    "failure": S.EXCEPTION,
    "return": S.RETURNING_TO_SENDER,
    "cancelled": S.CANCELLED,
}

MOVING = frozenset({S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
PROBLEMS = frozenset({S.ATTEMPT_FAILED, S.EXCEPTION})


def _word(raw: Any) -> str:
    return "" if raw is None else str(raw).strip().lower()


def status_of(status: Any, detail: Any = None) -> TrackingStatus:
    """EasyPost's (status, status_detail) -> ours; UNKNOWN for anything we cannot read."""
    base = STATUSES.get(_word(status), S.UNKNOWN)
    refined = DETAILS.get(_word(detail))
    if base is S.UNKNOWN:
        return refined or S.UNKNOWN
    if refined in PROBLEMS and base in MOVING:
        return refined
    return base


# EasyPost's carrier names (the `carrier` of a Tracker, its `source` on a scan) that the generic name reader does
# not know: EasyPost writes them as one word, with service lines of their own.
CARRIER_NAMES: Mapping[str, Carrier] = {
    "usps": Carrier.USPS,
    "ups": Carrier.UPS,
    "upssurepost": Carrier.UPS,
    "upsmailinnovations": Carrier.UPS,
    "upsiparcel": Carrier.UPS,
    "fedex": Carrier.FEDEX,
    "fedexsmartpost": Carrier.FEDEX,
    "fedexdefault": Carrier.FEDEX,
    "dhlexpress": Carrier.DHL,
    "dhlecs": Carrier.DHL_ECOMMERCE,
    "dhlecommerce": Carrier.DHL_ECOMMERCE,
    "dhlecommercesolutions": Carrier.DHL_ECOMMERCE,
    "dhlpaket": Carrier.DHL_PAKET,
    "canadapost": Carrier.CANADA_POST,
    "amazonshipping": Carrier.AMAZON,
    "amazonmws": Carrier.AMAZON,
    "ontrac": Carrier.ONTRAC,
    "lasership": Carrier.LASERSHIP,
    "lasershipv2": Carrier.LASERSHIP,
    "dpduk": Carrier.DPD,
    "royalmail": Carrier.ROYAL_MAIL,
    "australiapost": Carrier.AUSTRALIA_POST,
    "deutschepost": Carrier.DEUTSCHE_POST,
    "deutschepostuk": Carrier.DEUTSCHE_POST,
    "colissimo": Carrier.LA_POSTE,
}

# Our code -> the name EasyPost takes when a tracker is created. A carrier missing here is left for EasyPost to
# detect from the number: a wrong name would make EasyPost refuse the tracker, a missing one costs nothing.
EASYPOST_CARRIERS: Mapping[str, str] = {
    Carrier.USPS: "USPS",
    Carrier.UPS: "UPS",
    Carrier.FEDEX: "FedEx",
    Carrier.DHL: "DHLExpress",
    Carrier.DHL_ECOMMERCE: "DhlEcs",
    Carrier.CANADA_POST: "CanadaPost",
    Carrier.AMAZON: "AmazonShipping",
    Carrier.ONTRAC: "OnTrac",
    Carrier.PUROLATOR: "Purolator",
    Carrier.CANPAR: "Canpar",
    Carrier.ROYAL_MAIL: "RoyalMail",
    Carrier.AUSTRALIA_POST: "AustraliaPost",
    Carrier.DEUTSCHE_POST: "DeutschePost",
}


def carrier_code(name: Any) -> str | None:
    """EasyPost's carrier name -> our canonical code, None when we do not know it."""
    text = "".join(char for char in _word(name) if char.isalnum())
    if not text:
        return None
    known = CARRIER_NAMES.get(text)
    return str(known) if known else carrier_from_name(str(name))


def easypost_carrier(code: str | None) -> str | None:
    """Our canonical code -> EasyPost's carrier name, None to let EasyPost detect it."""
    return EASYPOST_CARRIERS.get(code or "")


__all__ = ["CARRIER_NAMES", "DETAILS", "EASYPOST_CARRIERS", "STATUSES", "carrier_code", "easypost_carrier", "status_of"]
