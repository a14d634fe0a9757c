"""UPS tracking through karrio, fed recorded answers by `karrio_helpers`: the recorded customs release mapped exactly,
errors as data, transport failures retryable, credentials required.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from unittest.mock import MagicMock

import karrio.core.units as karrio_units
import pytest

from integrations import get_carrier_source
from integrations.carriers.timezones import end_of_local_day, fill_zones, parse_wall_clock, to_utc, zone_for
from integrations.carriers.ups import UPSSettings, UPSSource, mapping, units
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus
from tests.integrations.conftest import OWN_FIXTURES
from tests.integrations.karrio_helpers import KarrioCase

NUMBER = "1Z023E2X0214323462"
NOW = datetime(2021, 2, 12, tzinfo=UTC)
TRACKING_URL = f"https://onlinetools.ups.com/api/track/v1/details/{NUMBER}?locale=en_US&returnSignature=true"
UPS = KarrioCase("ups", NUMBER, NOW, TRACKING_URL, token_key="ups", recorded="ups_tracking_sample.json",
                 token_fields={"issued_at": "1685542319575"})  # fmt: skip
recorded_answer, track, http_error = UPS.recorded_answer, UPS.track, UPS.http_error
proxy_request, source = UPS.proxy_request_fixture(), UPS.source_fixture(UPSSource, UPSSettings)


def test_ups_source_maps_the_recorded_customs_release_exactly(source: UPSSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer()

    update = track(source)

    assert update.found is True
    assert update.carrier == "ups"
    assert update.tracking_number == NUMBER  # the number asked (the sample's package number is "string")
    # UPS files the release under type X ("exception", karrio's on_hold); its code SR says the parcel moves on
    assert update.status is TrackingStatus.IN_TRANSIT
    assert len(update.events) == 1
    (event,) = update.events  # the first and the last
    assert event.occurred_at == datetime(2021, 2, 10, 12, 13, tzinfo=UTC)  # 07:13 EST in Wayne, NJ (to the minute)
    assert event.timezone == "America/New_York"
    assert event.status is TrackingStatus.IN_TRANSIT
    assert event.substatus == "SR"
    assert event.description == "Your package was released by the customs agency."
    assert event.location == "Wayne, NJ, US"
    assert event.source_id is None
    assert update.delivered_at is None
    assert update.estimated_delivery is None  # the sample's deliveryDate is not a date
    assert update.service == "UPS Ground"
    assert update.messages == ()


def test_ups_source_asks_the_tracking_endpoint_once_with_the_cached_token(
    source: UPSSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = recorded_answer()

    track(source)
    track(source)

    assert proxy_request.call_count == 2  # one tracking call per track(), never a token call
    assert {call.kwargs["url"] for call in proxy_request.call_args_list} == {TRACKING_URL}
    assert proxy_request.call_args.kwargs["headers"]["authorization"] == "Bearer access_token"


def test_ups_source_maps_a_delivery_after_the_release_with_its_estimate(
    source: UPSSource, proxy_request: MagicMock
) -> None:
    answer = json.loads(recorded_answer())
    package = answer["trackResponse"]["shipment"][0]["package"][0]
    delivered = {
        "date": "20210211", "time": "143000",
        "location": {"address": {"city": "Wayne", "stateProvince": "NJ", "postalCode": "07470", "country": "US"}},
        "status": {"type": "D", "code": "FS", "description": "DELIVERED"},
    }  # fmt: skip
    package["activity"].insert(0, delivered)  # UPS lists the newest activity first
    package["deliveryDate"] = [{"type": "DEL", "date": "20210211"}]
    proxy_request.return_value = json.dumps(answer)

    update = track(source)

    assert update.status is TrackingStatus.DELIVERED
    assert [(e.occurred_at, e.status) for e in update.events] == [
        (datetime(2021, 2, 10, 12, 13, tzinfo=UTC), TrackingStatus.IN_TRANSIT),
        (datetime(2021, 2, 11, 19, 30, tzinfo=UTC), TrackingStatus.DELIVERED),  # 14:30 EST
    ]
    assert update.delivered_at == datetime(2021, 2, 11, 19, 30, tzinfo=UTC)
    assert update.estimated_delivery == datetime(2021, 2, 12, 4, 59, 59, tzinfo=UTC)  # 23:59:59 EST on the 11th


def test_ups_source_reports_an_unknown_number_as_not_found(source: UPSSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = (OWN_FIXTURES / "carriers" / "ups_tracking_not_found.json").read_text()

    update = track(source, "1Z999AA10123456784")

    assert update.found is False
    assert update.tracking_number == "1Z999AA10123456784"
    assert update.status is TrackingStatus.UNKNOWN
    assert update.events == ()
    assert update.messages == ("No tracking information available",)


def test_ups_source_reports_a_tracking_warning_without_a_package_as_not_found(
    source: UPSSource, proxy_request: MagicMock
) -> None:
    warning = {"code": "TW0001", "message": "Tracking Information Not Found"}
    proxy_request.return_value = json.dumps(
        {"trackResponse": {"shipment": [{"inquiryNumber": NUMBER, "warnings": [warning]}]}}
    )

    update = track(source)

    assert (update.found, update.messages) == (False, ("Tracking Information Not Found",))


@pytest.mark.parametrize(
    ("answer", "raised"),
    UPS.transport_failures(
        pytest.param('{"response": {"errors": [{"code": "503", "message": "Service Unavailable"}]}}', None,
                     id="503-json-error"),
        pytest.param('{"fault": {"faultstring": "The Service is temporarily unavailable"}}', None, id="503-fault"),
        pytest.param('{"response": {"errors": [{"code": "429", "message": "Too Many Requests"}]}}', None,
                     id="429-json-error"),
    ),
)  # fmt: skip
def test_ups_source_raises_retryable_error_on_transport_failures(
    source: UPSSource, proxy_request: MagicMock, answer: str | None, raised: Exception | None
) -> None:
    proxy_request.return_value = answer
    proxy_request.side_effect = raised

    with pytest.raises(RetryableError, match="ups tracking failed"):
        track(source)


def test_ups_source_raises_integration_error_when_ups_rejects_the_credentials(
    source: UPSSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = (
        '{"response": {"errors": [{"code": "250002", "message": "Invalid Authentication Information."}]}}'
    )

    with pytest.raises(IntegrationError, match="Invalid Authentication Information") as raised:
        track(source)
    assert not isinstance(raised.value, RetryableError)


def test_get_carrier_source_ups_without_credentials_raises_integration_error_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, proxy_request: MagicMock
) -> None:
    for name in ("UPS_CLIENT_ID", "UPS_CLIENT_SECRET", "UPS_ACCOUNT_NUMBER", "UPS_TEST_MODE"):
        monkeypatch.delenv(name, raising=False)
    ups = get_carrier_source("ups")

    # tracking needs no account number, so only the two OAuth variables are named
    with pytest.raises(IntegrationError, match=r"ups credentials missing: set UPS_CLIENT_ID, UPS_CLIENT_SECRET$"):
        ups.track([TrackingRequest(carrier="ups", tracking_number=NUMBER)], now=NOW)
    assert ups.name == "ups"
    proxy_request.assert_not_called()


def test_ups_settings_from_env_reads_the_credentials_account_and_test_mode() -> None:
    environ = {"UPS_CLIENT_ID": "id", "UPS_CLIENT_SECRET": "secret", "UPS_ACCOUNT_NUMBER": "A1B2C3",
               "UPS_TEST_MODE": "1"}  # fmt: skip

    settings = UPSSettings.from_env(environ)

    assert settings == UPSSettings(client_id="id", client_secret="secret", account_number="A1B2C3", test_mode=True)
    assert settings.to_karrio()["account_number"] == "A1B2C3"
    assert "secret" not in repr(settings)


def test_ups_units_never_raise_on_an_unknown_code() -> None:
    assert units.event_status(code="ZZ", description="Something new", karrio="teleported") is TrackingStatus.UNKNOWN
    assert units.event_status(code=None, description=None, karrio=None) is TrackingStatus.UNKNOWN
    assert units.event_status(code=7, description=object(), karrio=[]) is TrackingStatus.UNKNOWN
    assert units.code_status("") is None
    # type X ("exception" to karrio) carries good news too: the words decide before karrio does
    assert units.event_status(code="ZZ", description="PACKAGE IS OUT FOR DELIVERY", karrio="on_hold") is (
        TrackingStatus.OUT_FOR_DELIVERY
    )
    assert units.event_status(code="ZZ", description="Held", karrio="on_hold") is TrackingStatus.EXCEPTION


def test_ups_units_map_every_karrio_tracking_status() -> None:
    assert {status.name for status in karrio_units.TrackingStatus} <= set(units.KARRIO_STATUS)


@pytest.mark.parametrize(
    ("text", "label", "zone"),
    [
        ("Wayne, NJ, 07470, US", "Wayne, NJ, US", "America/New_York"),
        ("Toronto, ON, M5V 3L9, CA", "Toronto, ON, CA", "America/Toronto"),
        ("Koeln, 50667, DE", "Koeln, DE", "Europe/Berlin"),
        ("Louisville, KY, 40209, US", "Louisville, KY, US", "America/New_York"),
        ("Sydney, NSW, 2000, AU", "Sydney, NSW, AU", "Australia/Sydney"),
        ("Somewhere, US", "Somewhere, US", None),  # the US has no single zone
    ],
)
def test_ups_mapping_reads_the_zone_of_an_activitys_place(text: str, label: str, zone: str | None) -> None:
    place = mapping.read_place(text)

    assert place is not None
    assert (place.label(), place.zone()) == (label, zone)


def test_timezones_convert_local_wall_clock_across_daylight_saving_changes() -> None:
    # karrio prints local times with a Z that is not true: it is ignored
    wall = parse_wall_clock("2024-07-10T10:15:00.000Z")
    assert wall == datetime(2024, 7, 10, 10, 15)
    assert to_utc(wall, "America/Chicago") == datetime(2024, 7, 10, 15, 15, tzinfo=UTC)
    assert parse_wall_clock(None, "2021-02-10", "071356") == datetime(2021, 2, 10, 7, 13, 56)
    assert parse_wall_clock(None, "2024-11-22", "13:58 PM") == datetime(2024, 11, 22, 13, 58)
    assert parse_wall_clock(None, "not a date", "10:00") is None
    # 01:30 happens twice on 3 Nov 2024 in New York: the first (EDT) is taken
    assert to_utc(datetime(2024, 11, 3, 1, 30), "America/New_York") == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)
    # Arizona keeps standard time all year
    assert zone_for(country="US", state="AZ") == "America/Phoenix"
    assert end_of_local_day(datetime(2024, 7, 1).date(), "Europe/London") == datetime(2024, 7, 1, 22, 59, 59,
                                                                                       tzinfo=UTC)  # fmt: skip
    assert fill_zones([None, "Europe/Paris", None, "Asia/Tokyo"], fallback="UTC") == [
        "Europe/Paris", "Europe/Paris", "Europe/Paris", "Asia/Tokyo"]  # fmt: skip
    assert fill_zones([None, None], fallback=None) == ["UTC", "UTC"]
