"""USPS tracking through karrio: the recorded delivered parcel mapped exactly, errors as data, transport failures
retryable, credentials required (karrio is fed recorded answers: see `karrio_helpers`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest.mock import MagicMock

import karrio.core.models as karrio_models
import karrio.core.units as karrio_units
import pytest

from integrations import get_carrier_source
from integrations.carriers.usps import USPSSettings, USPSSource, mapping, units
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus
from tests.integrations.conftest import OWN_FIXTURES
from tests.integrations.karrio_helpers import KarrioCase

NUMBER = "89108749065090"
NOW = datetime(2024, 11, 23, tzinfo=UTC)
TRACKING_URL = f"https://apis.usps.com/tracking/v3/tracking/{NUMBER}?expand=DETAIL"
USPS = KarrioCase("usps", NUMBER, NOW, TRACKING_URL, token_key="access|usps", recorded=f"usps_tracking_{NUMBER}.json")
recorded_answer, track, http_error = USPS.recorded_answer, USPS.track, USPS.http_error
proxy_request, source = USPS.proxy_request_fixture(), USPS.source_fixture(USPSSource, USPSSettings)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Every scan of the recorded parcel, oldest first: the USPS local time read in the zone of the scan's place (all
# Eastern in November, UTC-5). The three scans without a place take the zone of the scan before them.
EXPECTED_EVENTS = [
    ("2024-11-15T16:32", "America/New_York", TrackingStatus.INFO_RECEIVED, "GX", "SPRINGFIELD GARDENS, NY, US",
     "Shipping Label Created, USPS Awaiting Item"),
    ("2024-11-18T16:10", "America/New_York", TrackingStatus.IN_TRANSIT, "03", "JAMAICA, NY, US",
     "USPS in possession of item"),
    ("2024-11-18T22:01", "America/New_York", TrackingStatus.IN_TRANSIT, "SF", "JAMAICA, NY, US",
     "Departed Post Office"),
    ("2024-11-18T23:02", "America/New_York", TrackingStatus.IN_TRANSIT, "10", "QUEENS NY DISTRIBUTION CENTER",
     "Arrived at USPS Regional Origin Facility"),
    ("2024-11-19T11:16", "America/New_York", TrackingStatus.IN_TRANSIT, "T1", "QUEENS NY DISTRIBUTION CENTER",
     "Departed USPS Regional Facility"),
    ("2024-11-19T17:11", "America/New_York", TrackingStatus.IN_TRANSIT, "TL", None, "In Transit to Next Facility"),
    ("2024-11-19T23:07", "America/New_York", TrackingStatus.IN_TRANSIT, "TL", None, "In Transit to Next Facility"),
    ("2024-11-20T06:11", "America/New_York", TrackingStatus.IN_TRANSIT, "TL", None, "In Transit to Next Facility"),
    ("2024-11-20T06:13", "America/New_York", TrackingStatus.IN_TRANSIT, "A1", "JACKSONVILLE FL DISTRIBUTION CENTER",
     "Arrived at USPS Regional Facility"),
    ("2024-11-22T13:59", "America/New_York", TrackingStatus.IN_TRANSIT, "07", "LECANTO, FL, US",
     "Arrived at Post Office"),
    ("2024-11-22T14:10", "America/New_York", TrackingStatus.OUT_FOR_DELIVERY, "OF", "HERNANDO, FL, US",
     "Out for Delivery"),
    ("2024-11-22T18:58", "America/New_York", TrackingStatus.DELIVERED, "01", "HERNANDO, FL, US",
     "Delivered, Parcel Locker"),
]  # fmt: skip


def test_usps_source_maps_the_recorded_delivered_parcel_exactly(source: USPSSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer()

    update = track(source)

    assert update.found is True
    assert update.carrier == "usps"
    assert update.tracking_number == NUMBER  # the number asked, though USPS answers under its 22-digit form
    assert update.status is TrackingStatus.DELIVERED
    assert len(update.events) == 12
    first, last = update.events[0], update.events[-1]
    assert first.occurred_at == datetime(2024, 11, 15, 16, 32, tzinfo=UTC)  # 11:32 EST in Springfield Gardens, NY
    assert (first.timezone, first.status) == ("America/New_York", TrackingStatus.INFO_RECEIVED)
    assert first.description == "Shipping Label Created, USPS Awaiting Item"
    assert last.occurred_at == datetime(2024, 11, 22, 18, 58, tzinfo=UTC)  # 13:58 EST in Hernando, FL
    assert (last.timezone, last.status) == ("America/New_York", TrackingStatus.DELIVERED)
    assert last.description == "Delivered, Parcel Locker"
    actual = [
        (e.occurred_at, e.timezone, e.status, e.substatus, e.location, e.description, e.source_id)
        for e in update.events
    ]
    assert actual == [(utc(at), zone, status, code, place, text, None) for at, zone, status, code, place, text in
                      EXPECTED_EVENTS]  # fmt: skip
    assert update.delivered_at == datetime(2024, 11, 22, 18, 58, tzinfo=UTC)
    assert update.estimated_delivery is None  # the recorded answer has no expected delivery
    assert update.service == "USPS Ground Advantage™"


def test_usps_source_asks_the_tracking_endpoint_once_with_the_cached_token(
    source: USPSSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer()

    track(source)
    track(source)

    assert proxy_request.call_count == 2  # one tracking call per track(), never a token call
    assert {call.kwargs["url"] for call in proxy_request.call_args_list} == {TRACKING_URL}
    assert proxy_request.call_args.kwargs["headers"]["Authorization"] == "Bearer access_token"


def test_usps_source_reports_an_unknown_number_as_not_found(source: USPSSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = (OWN_FIXTURES / "carriers" / "usps_tracking_not_found.json").read_text()

    update = track(source, "9400100000000000000000")

    assert update.found is False
    assert update.tracking_number == "9400100000000000000000"
    assert update.status is TrackingStatus.UNKNOWN
    assert update.events == ()
    assert update.messages == (
        "The Postal Service could not locate the tracking information for your request. Please verify your tracking "
        "number and try again later.",
    )


@pytest.mark.parametrize(
    ("answer", "raised"),
    USPS.transport_failures(
        pytest.param('{"apiVersion": "v3", "error": {"code": "503", "message": "Service Unavailable"}}', None,
                     id="503-json-error"),
        pytest.param('{"error": {"code": "429", "message": "Too Many Requests"}}', None, id="429-json-error"),
    ),
)  # fmt: skip
def test_usps_source_raises_retryable_error_on_transport_failures(
    source: USPSSource, proxy_request: MagicMock, answer: str | None, raised: Exception | None
) -> None:
    proxy_request.return_value = answer
    proxy_request.side_effect = raised

    with pytest.raises(RetryableError, match="usps tracking failed"):
        track(source)


def test_usps_source_raises_integration_error_when_usps_rejects_the_credentials(
    source: USPSSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = '{"error": "invalid_client", "error_description": "Client authentication failed."}'

    with pytest.raises(IntegrationError, match="Client authentication failed") as raised:
        track(source)
    assert not isinstance(raised.value, RetryableError)


def test_get_carrier_source_usps_without_credentials_raises_integration_error_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, proxy_request: MagicMock
) -> None:
    for name in ("USPS_CLIENT_ID", "USPS_CLIENT_SECRET", "USPS_TEST_MODE"):
        monkeypatch.delenv(name, raising=False)
    usps = get_carrier_source("usps")

    with pytest.raises(IntegrationError, match="usps credentials missing: set USPS_CLIENT_ID, USPS_CLIENT_SECRET"):
        usps.track([TrackingRequest(carrier="usps", tracking_number=NUMBER)], now=NOW)
    assert usps.name == "usps"
    proxy_request.assert_not_called()


def test_usps_settings_from_env_reads_the_credentials_and_test_mode() -> None:
    environ = {"USPS_CLIENT_ID": " id ", "USPS_CLIENT_SECRET": "secret", "USPS_TEST_MODE": "true"}

    settings = USPSSettings.from_env(environ)

    assert settings == USPSSettings(client_id="id", client_secret="secret", test_mode=True)
    assert "secret" not in repr(settings)
    with pytest.raises(IntegrationError, match=r"set USPS_CLIENT_SECRET$"):
        USPSSettings.from_env({"USPS_CLIENT_ID": "id"})


def test_usps_units_never_raise_on_an_unknown_code() -> None:
    assert units.event_status(code="ZZ", description="Something new", karrio="teleported") is TrackingStatus.UNKNOWN
    assert units.event_status(code=None, description=None, karrio=None) is TrackingStatus.UNKNOWN
    assert units.event_status(code=12, description=object(), karrio=3.5) is TrackingStatus.UNKNOWN
    assert units.code_status("zz") is None
    assert units.karrio_status({"not": "a status"}) is TrackingStatus.UNKNOWN
    # a code we do not know still gets meaning from its words, then from karrio
    assert units.event_status(code="ZZ", description="Notice Left (No Access)", karrio=None) is (
        TrackingStatus.ATTEMPT_FAILED
    )
    assert units.event_status(code="ZZ", description="Whatever", karrio="on_hold") is TrackingStatus.EXCEPTION


def test_usps_units_map_every_karrio_tracking_status() -> None:
    assert {status.name for status in karrio_units.TrackingStatus} <= set(units.KARRIO_STATUS)


def karrio_event(day: str, clock: str, location: str | None, code: str = "TL", text: str = "In Transit") -> Any:
    return karrio_models.TrackingEvent(date=day, time=clock, location=location, code=code, description=text)


def karrio_details(*events: Any, estimated: str | None = None) -> Any:
    return karrio_models.TrackingDetails(
        carrier_name="usps", carrier_id="usps", tracking_number=NUMBER, events=list(events),
        estimated_delivery=estimated, status="in_transit", delivered=False,
    )  # fmt: skip


def test_usps_mapping_reads_a_memphis_scan_in_july_as_central_daylight_time() -> None:
    details = karrio_details(karrio_event("2024-07-10", "10:15 AM", "MEMPHIS, 38118, TN"))

    (event,) = mapping.to_update(TrackingRequest(carrier="usps", tracking_number=NUMBER), details).events

    assert event.occurred_at == datetime(2024, 7, 10, 15, 15, tzinfo=UTC)
    assert (event.timezone, event.location) == ("America/Chicago", "MEMPHIS, TN, US")


def test_usps_mapping_gives_scans_without_a_place_a_neighbouring_zone_else_the_destinations_else_utc() -> None:
    request = TrackingRequest(carrier="usps", tracking_number=NUMBER)
    # newest first, as karrio hands them over: the oldest scan has no place and takes the next scan's zone
    details = karrio_details(karrio_event("2024-11-20", "08:00 AM", "LOS ANGELES, 90001, CA"),
                             karrio_event("2024-11-19", "20:00 PM", None))  # fmt: skip
    older, newer = mapping.to_update(request, details).events
    assert (older.timezone, older.occurred_at) == ("America/Los_Angeles", datetime(2024, 11, 20, 4, 0, tzinfo=UTC))
    assert newer.timezone == "America/Los_Angeles"

    nowhere = karrio_details(karrio_event("2024-11-19", "20:00 PM", None))
    abroad = TrackingRequest(carrier="usps", tracking_number=NUMBER, destination_country="DE")
    assert mapping.to_update(abroad, nowhere).events[0].timezone == "Europe/Berlin"
    assert mapping.to_update(request, nowhere).events[0].timezone == "UTC"
    assert mapping.to_update(request, nowhere).events[0].occurred_at == datetime(2024, 11, 19, 20, tzinfo=UTC)


def test_usps_mapping_reads_a_date_only_estimate_as_the_end_of_that_local_day() -> None:
    details = karrio_details(karrio_event("2024-11-22", "09:10 AM", "HERNANDO, 34442, FL"), estimated="2024-11-25")

    update = mapping.to_update(TrackingRequest(carrier="usps", tracking_number=NUMBER), details)
    abroad = mapping.to_update(
        TrackingRequest(carrier="usps", tracking_number=NUMBER, destination_country="DE"), details
    )

    assert update.status is TrackingStatus.IN_TRANSIT
    assert update.estimated_delivery == datetime(2024, 11, 26, 4, 59, 59, tzinfo=UTC)  # 23:59:59 EST
    assert abroad.estimated_delivery == datetime(2024, 11, 25, 22, 59, 59, tzinfo=UTC)  # 23:59:59 CET


@pytest.mark.parametrize(
    ("text", "label", "zone"),
    [
        ("HERNANDO, 34442, FL", "HERNANDO, FL, US", "America/New_York"),
        ("QUEENS NY DISTRIBUTION CENTER", "QUEENS NY DISTRIBUTION CENTER", "America/New_York"),
        ("SAN FRANCISCO, 94107, CA", "SAN FRANCISCO, CA, US", "America/Los_Angeles"),
        ("SHANGHAI, CHINA", "SHANGHAI, CN", "Asia/Shanghai"),
        ("TORONTO, ON, CANADA", "TORONTO, ON, CA", "America/Toronto"),
        ("HERNANDO", "HERNANDO", None),
    ],
)
def test_usps_mapping_reads_the_zone_of_a_scans_place(text: str, label: str, zone: str | None) -> None:
    place = mapping.read_place(text)

    assert place is not None
    assert (place.label(), place.zone()) == (label, zone)
    assert mapping.read_place(None) is None
