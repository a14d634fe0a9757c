"""EasyPost's vocabulary and its trackers: statuses and carrier names, and recorded-shape trackers mapped exactly
(scan times read as the local wall clock of the scan's place, estimates in the destination's zone).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from integrations.carriers.easypost.mapping import to_update
from integrations.carriers.easypost.units import carrier_code, easypost_carrier, status_of
from integrations.errors import MappingError
from integrations.models import TrackingRequest
from integrations.models import TrackingStatus as S
from tests.integrations.conftest import OWN_FIXTURES, utc

NOW = datetime(2026, 3, 5, tzinfo=UTC)
FEDEX = TrackingRequest(carrier="fedex", tracking_number="794612345678", destination_country="US")
USPS = TrackingRequest(carrier="usps", tracking_number="9400111202555842761234", destination_country="US")


def fixture(name: str) -> Any:
    return json.loads((OWN_FIXTURES / "carriers" / name).read_text())


def fedex_tracker() -> dict[str, Any]:
    return dict(fixture("easypost_event_tracker_updated.json")["result"])


# --- statuses -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "detail", "expected"),
    [
        ("pre_transit", "label_created", S.INFO_RECEIVED),
        ("in_transit", "arrived_at_facility", S.IN_TRANSIT),
        ("in_transit", "weather_delay", S.IN_TRANSIT),  # a delay is a flag, not a status
        ("out_for_delivery", "out_for_delivery", S.OUT_FOR_DELIVERY),
        ("available_for_pickup", "arrived_at_pickup_location", S.AVAILABLE_FOR_PICKUP),
        ("delivered", "arrived_at_destination", S.DELIVERED),
        ("return_to_sender", "return", S.RETURNING_TO_SENDER),
        ("failure", "lost", S.EXCEPTION),
        ("cancelled", "cancelled", S.CANCELLED),
        ("error", "unknown", S.UNKNOWN),
        ("in_transit", "delivery_exception", S.ATTEMPT_FAILED),  # a failed attempt EasyPost keeps "in transit"
        ("out_for_delivery", "refused", S.EXCEPTION),
        ("return_to_sender", "refused", S.RETURNING_TO_SENDER),  # already on its way back: the status says more
        ("unknown", "out_for_delivery", S.OUT_FOR_DELIVERY),
        ("unknown", "unknown", S.UNKNOWN),
        ("teleported", None, S.UNKNOWN),
        (None, None, S.UNKNOWN),
        (42, ["odd"], S.UNKNOWN),
    ],
)
def test_easypost_status_of_reads_status_then_a_detail_that_says_more(status, detail, expected):
    assert status_of(status, detail) is expected


@pytest.mark.parametrize(
    ("name", "code"),
    [("USPS", "usps"), ("UPS", "ups"), ("UPSSurePost", "ups"), ("FedEx", "fedex"), ("FedExSmartPost", "fedex"),
     ("DHLExpress", "dhl"), ("DhlEcs", "dhl_ecommerce"), ("CanadaPost", "canada_post"), ("OnTrac", "ontrac"),
     ("Purolator", "purolator"), ("RoyalMail", "royal_mail"), ("AmazonShipping", "amazon"), ("Veho", None),
     ("", None), (None, None)],
)  # fmt: skip
def test_easypost_carrier_code_reads_easypost_carrier_names(name, code):
    assert carrier_code(name) == code


def test_easypost_carrier_names_round_trip_for_carriers_easypost_tracks():
    for code in ("usps", "ups", "fedex", "dhl", "dhl_ecommerce", "canada_post", "amazon", "ontrac", "royal_mail"):
        assert carrier_code(easypost_carrier(code)) == code
    assert easypost_carrier("postal") is None  # left for EasyPost to detect


# --- a Tracker -> TrackingUpdate --------------------------------------------------------------------------------------


def test_easypost_mapping_reads_scan_times_as_the_local_wall_clock_where_they_happened():
    update = to_update(fedex_tracker(), FEDEX)

    assert (update.carrier, update.tracking_number, update.status) == ("fedex", "794612345678", S.IN_TRANSIT)
    assert [(e.occurred_at, e.timezone, e.status, e.location) for e in update.events] == [
        # "2026-03-03T09:00:00Z" at a US zip without a state: the next scan's zone (Orlando), 09:00 EST
        (utc(2026, 3, 3, 14, 0, 0), "America/New_York", S.INFO_RECEIVED, "US"),
        (utc(2026, 3, 3, 21, 27, 0), "America/New_York", S.IN_TRANSIT, "ORLANDO, FL, US"),
        (utc(2026, 3, 4, 4, 42, 13), "America/New_York", S.IN_TRANSIT, "ORLANDO, FL, US"),
        # no place at all: EasyPost printed UTC (its documented fallback)
        (utc(2026, 3, 4, 6, 10, 0), "UTC", S.IN_TRANSIT, None),
        # "12:50Z" in Memphis is 12:50 CST
        (utc(2026, 3, 4, 18, 50, 0), "America/Chicago", S.IN_TRANSIT, "MEMPHIS, TN, US"),
    ]
    first = update.events[0]
    assert (first.description, first.substatus, first.source_id) == ("Shipment information sent to FedEx",
                                                                     "label_created", None)  # fmt: skip
    # est_delivery_date_local 2026-03-06: the end of that day in Seattle (PST)
    assert update.estimated_delivery == utc(2026, 3, 7, 7, 59, 59)
    assert (update.service, update.delivered_at, update.found) == ("FEDEX_GROUND", None, True)


def test_easypost_mapping_of_a_delivered_parcel_reads_states_without_a_country_as_us_states():
    update = to_update(fixture("easypost_tracker_delivered.json"), USPS)

    assert update.status is S.DELIVERED
    assert update.delivered_at == utc(2026, 3, 6, 18, 14, 0)  # 13:14 EST in Charleston, SC
    houston = update.events[1]
    assert (houston.occurred_at, houston.timezone, houston.location) == (
        utc(2026, 3, 3, 23, 51, 0), "America/Chicago", "HOUSTON, TX")  # fmt: skip
    # the first scan has no place at all: EasyPost printed it in UTC
    assert (update.events[0].occurred_at, update.events[0].timezone) == (utc(2026, 3, 2, 15, 14, 45), "UTC")
    assert update.events[0].description == "Pre-Shipment Info Sent to USPS, USPS Awaiting Item"
    # est_delivery_date's date, no destination zone: the latest scan's zone
    assert update.estimated_delivery == utc(2026, 3, 7, 4, 59, 59)


def test_easypost_mapping_reads_a_local_estimate_with_its_time_in_the_destination_zone():
    tracker = fedex_tracker()
    tracker["carrier_detail"]["est_delivery_time_local"] = "17:00:00"

    update = to_update(tracker, FEDEX)

    assert update.estimated_delivery == utc(2026, 3, 7, 1, 0, 0)  # 17:00 PST in Seattle


def test_easypost_mapping_of_a_tracker_without_scans_is_not_found():
    update = to_update(fixture("easypost_tracker_unknown.json"), TrackingRequest("ups", "1Z999AA10123456784"))

    assert (update.found, update.status, update.events) == (False, S.UNKNOWN, ())
    assert update.messages == ("EasyPost has no carrier scans for this number yet",)


def test_easypost_mapping_sorts_scans_and_keeps_scans_without_a_time_out():
    tracker = fedex_tracker()
    tracker["tracking_details"] = [*reversed(tracker["tracking_details"]), {"object": "TrackingDetail",
                                   "message": "no time", "status": "in_transit", "datetime": None}]  # fmt: skip

    update = to_update(tracker, FEDEX)

    assert [e.occurred_at for e in update.events] == [e.occurred_at for e in to_update(fedex_tracker(), FEDEX).events]


def test_easypost_mapping_refuses_what_is_not_a_tracker():
    with pytest.raises(MappingError, match="Tracker"):
        to_update({"object": "Shipment"}, FEDEX)
    with pytest.raises(MappingError, match="tracking_details"):
        to_update({"object": "Tracker", "tracking_details": "none"}, FEDEX)
