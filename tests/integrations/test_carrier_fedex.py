"""FedEx tracking through karrio, fed recorded answers by `karrio_helpers`: a parcel across three states mapped
exactly (each scan in the zone of its place), failed attempts, pickups, errors as data, transport failures
retryable, credentials required.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from unittest.mock import MagicMock

import karrio.core.units as karrio_units
import pytest

from integrations import get_carrier_source
from integrations.carriers.fedex import FedExSettings, FedExSource, mapping, units
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus
from tests.integrations.karrio_helpers import KarrioCase

NUMBER = "738488882438"
NOW = datetime(2024, 8, 21, tzinfo=UTC)
TRACKING_URL = "https://apis.fedex.com/track/v1/trackingnumbers"
FEDEX = KarrioCase("fedex", NUMBER, NOW, TRACKING_URL, token_key="fedex", recorded=f"fedex_tracking_{NUMBER}.json",
                   own=True)  # fmt: skip
recorded_answer, track, http_error = FEDEX.recorded_answer, FEDEX.track, FEDEX.http_error
proxy_request, source = FEDEX.proxy_request_fixture(), FEDEX.source_fixture(FedExSource, FedExSettings)
CLOVIS = "776094337676"

S = TrackingStatus
# Every scan of the recorded Mankato -> Blue Point parcel, oldest first, in UTC. FedEx printed each with its true
# offset (-05:00 in Minnesota and Iowa, -04:00 from Ohio on); karrio keeps the wall clock only, and the zone of
# the scan's place gives the same instants back. The label scan names no city: it takes the pickup's zone.
EXPECTED_EVENTS = [
    ("2024-08-15T05:00:00", "America/Chicago", S.IN_TRANSIT, "PU", "MANKATO, MN, US"),  # printed without offset
    ("2024-08-15T15:36:00", "America/Chicago", S.INFO_RECEIVED, "OC", "US"),  # 10:36-05:00
    ("2024-08-15T23:35:00", "America/Chicago", S.IN_TRANSIT, "AR", "MANKATO, MN, US"),  # 18:35-05:00
    ("2024-08-15T23:40:27", "America/Chicago", S.IN_TRANSIT, "AE", "MANKATO, MN, US"),
    ("2024-08-16T00:29:25", "America/Chicago", S.IN_TRANSIT, "DP", "MANKATO, MN, US"),  # 19:29:25-05:00
    ("2024-08-16T09:34:00", "America/Chicago", S.IN_TRANSIT, "AR", "CEDAR RAPIDS, IA, US"),
    ("2024-08-16T12:35:16", "America/Chicago", S.IN_TRANSIT, "DP", "CEDAR RAPIDS, IA, US"),
    ("2024-08-16T23:39:00", "America/New_York", S.IN_TRANSIT, "AR", "GROVE CITY, OH, US"),  # 19:39-04:00
    ("2024-08-17T12:52:11", "America/New_York", S.IN_TRANSIT, "DP", "GROVE CITY, OH, US"),
    ("2024-08-18T07:39:18", "America/New_York", S.IN_TRANSIT, "IT", "WOODBRIDGE TWP, NJ, US"),
    ("2024-08-18T20:03:54", "America/New_York", S.IN_TRANSIT, "IT", "WOODBRIDGE TWP, NJ, US"),
    ("2024-08-19T13:13:51", "America/New_York", S.IN_TRANSIT, "IT", "WOODBRIDGE TWP, NJ, US"),
    ("2024-08-19T18:31:00", "America/New_York", S.IN_TRANSIT, "AR", "KEASBEY, NJ, US"),
    ("2024-08-20T05:29:05", "America/New_York", S.IN_TRANSIT, "DP", "KEASBEY, NJ, US"),
    ("2024-08-20T10:38:00", "America/New_York", S.IN_TRANSIT, "AR", "HOLBROOK, NY, US"),
    ("2024-08-20T10:47:00", "America/New_York", S.OUT_FOR_DELIVERY, "OD", "HOLBROOK, NY, US"),
    ("2024-08-20T16:41:57", "America/New_York", S.DELIVERED, "DL", "Blue Point, NY, US"),  # 12:41:57-04:00
]  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def clovis(*, keep: str = "both", drop_newest: int = 0) -> str:
    """The recorded Clovis answer: its two results for one number, or one of them, less its newest scans."""
    answer = json.loads(recorded_answer(f"fedex_tracking_{CLOVIS}.json"))
    results: list[dict[str, Any]] = answer["output"]["completeTrackResults"][0]["trackResults"]
    if keep != "both":
        results[:] = [results[0 if keep == "first" else 1]]
    for result in results:
        del result["scanEvents"][:drop_newest]
        if drop_newest:  # FedEx's latest status is then its newest remaining scan's
            result["latestStatusDetail"] = {"code": result["scanEvents"][0]["eventType"]}
    return json.dumps(answer)


def test_fedex_source_maps_the_recorded_delivered_parcel_exactly(source: FedExSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer()

    update = track(source)

    assert (update.found, update.carrier, update.tracking_number) == (True, "fedex", NUMBER)
    assert update.status is S.DELIVERED
    actual = [(e.occurred_at, e.timezone, e.status, e.substatus, e.location) for e in update.events]
    assert actual == [(utc(at), zone, status, code, place) for at, zone, status, code, place in EXPECTED_EVENTS]
    assert [e.description for e in update.events][-2:] == ["On FedEx vehicle for delivery", "Delivered"]
    assert all(e.source_id is None for e in update.events)
    assert update.delivered_at == datetime(2024, 8, 20, 16, 41, 57, tzinfo=UTC)
    assert update.service == "FedEx Ground"
    assert update.estimated_delivery is None
    # the first call is the Track API with the cached token; karrio then asks for the signature proof (best effort)
    assert proxy_request.call_args_list[0].kwargs["url"] == TRACKING_URL
    assert proxy_request.call_args_list[0].kwargs["headers"]["authorization"] == "Bearer access_token"


def test_fedex_source_keeps_the_failed_attempts_before_the_delivery(
    source: FedExSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = clovis()  # karrio picks the result with the latest scan: the delivered one

    update = track(source, CLOVIS)

    assert update.status is S.DELIVERED
    attempts = [e for e in update.events if e.status is S.ATTEMPT_FAILED]
    assert [(e.occurred_at, e.description) for e in attempts] == [
        (datetime(2024, 4, 25, 18, 26, tzinfo=UTC), "Customer not available or business closed"),  # 11:26 PDT
        (datetime(2024, 4, 25, 18, 28, tzinfo=UTC), "FedEx redirected your package to a nearby FedEx location"),
    ]
    delivered = update.events[-1]
    # the delivery scan names no place: it takes the zone of the scan before it (Clovis, CA)
    assert (delivered.location, delivered.timezone) == (None, "America/Los_Angeles")
    assert delivered.occurred_at == update.delivered_at == datetime(2024, 4, 26, 16, 26, tzinfo=UTC)


def test_fedex_source_reports_a_failed_attempt_as_the_latest_status(
    source: FedExSource, proxy_request: MagicMock
) -> None:
    # the delivered result as it stood after the second exception scan (its six newest scans not yet made)
    proxy_request.return_value = clovis(keep="second", drop_newest=6)

    update = track(source, CLOVIS)

    assert update.status is S.ATTEMPT_FAILED
    assert update.delivered_at is None


def test_fedex_source_maps_a_parcel_in_transit_with_its_pickup_hold_and_delay(
    source: FedExSource, proxy_request: MagicMock
) -> None:
    proxy_request.return_value = clovis(keep="first")

    update = track(source, CLOVIS)

    assert update.status is S.IN_TRANSIT
    by_code = {e.substatus: e for e in update.events}
    assert by_code["HP"].status is S.AVAILABLE_FOR_PICKUP
    assert by_code["HP"].location == "FRESNO, CA, US"
    assert by_code["DY"].status is S.IN_TRANSIT  # a delay is a flag, not a status
    assert by_code["AR"].occurred_at == datetime(2024, 4, 26, 14, 50, tzinfo=UTC)  # 07:50 PDT
    assert update.service == "FedEx Priority Overnight"


def test_fedex_source_reports_an_unknown_number_as_not_found(source: FedExSource, proxy_request: MagicMock) -> None:
    proxy_request.return_value = recorded_answer("fedex_tracking_not_found.json")

    update = track(source, "39936862321")

    assert (update.found, update.status, update.events) == (False, S.UNKNOWN, ())
    assert update.messages == ("Tracking number cannot be found. Please correct the tracking number and try again.",)


@pytest.mark.parametrize(
    ("answer", "raised"),
    FEDEX.transport_failures(
        pytest.param('{"errors": [{"code": "SERVICE.UNAVAILABLE.ERROR", "message": "The service is currently '
                     'unavailable and we are working to resolve the issue."}]}', None, id="503-json-error"),
        pytest.param('{"errors": [{"code": "INTERNAL.SERVER.ERROR", "message": "We encountered an unexpected '
                     'error and are working to resolve the issue."}]}', None, id="500-json-error"),
        pytest.param('{"errors": [{"code": "429", "message": "Too Many Requests"}]}', None, id="429-json-error"),
    ),
)  # fmt: skip
def test_fedex_source_raises_retryable_error_on_transport_failures(
    source: FedExSource, proxy_request: MagicMock, answer: str | None, raised: Exception | None
) -> None:
    proxy_request.return_value = answer
    proxy_request.side_effect = raised

    with pytest.raises(RetryableError, match="fedex tracking failed"):
        track(source)


def test_fedex_source_raises_integration_error_when_fedex_rejects_the_credentials(
    proxy_request: MagicMock,
) -> None:
    # no cached token: the token call itself is refused (karrio decodes that answer to a dict as it reads it)
    proxy_request.return_value = {"transactionId": "x", "errors": [{"code": "NOT.AUTHORIZED.ERROR", "message": (
        "The given client credentials were not valid. Please modify your request and try again.")}]}  # fmt: skip
    fedex = FedExSource(FedExSettings(api_key="wrong", secret_key="wrong"))

    with pytest.raises(IntegrationError, match="credentials were not valid") as raised:
        track(fedex)
    assert not isinstance(raised.value, RetryableError)
    assert proxy_request.call_args.kwargs["url"] == "https://apis.fedex.com/oauth/token"


def test_get_carrier_source_fedex_without_credentials_raises_integration_error_naming_the_variables(
    monkeypatch: pytest.MonkeyPatch, proxy_request: MagicMock
) -> None:
    for name in ("FEDEX_API_KEY", "FEDEX_SECRET_KEY", "FEDEX_ACCOUNT_NUMBER", "FEDEX_TEST_MODE"):
        monkeypatch.delenv(name, raising=False)
    fedex = get_carrier_source("fedex")

    with pytest.raises(IntegrationError, match=r"fedex credentials missing: set FEDEX_API_KEY, FEDEX_SECRET_KEY$"):
        fedex.track([TrackingRequest(carrier="fedex", tracking_number=NUMBER)], now=NOW)
    assert fedex.name == "fedex"
    proxy_request.assert_not_called()


def test_fedex_settings_give_karrio_the_same_pair_for_the_track_api_and_hide_the_secret() -> None:
    settings = FedExSettings.from_env({"FEDEX_API_KEY": "key", "FEDEX_SECRET_KEY": "secret-value-1234",
                                       "FEDEX_TEST_MODE": "yes"})  # fmt: skip

    assert settings == FedExSettings(api_key="key", secret_key="secret-value-1234", test_mode=True)
    karrio_settings = settings.to_karrio()
    assert (karrio_settings["track_api_key"], karrio_settings["track_secret_key"]) == ("key", "secret-value-1234")
    assert "secret-value" not in repr(settings)
    assert settings.masked() == {"api_key": "key", "secret_key": "****1234", "test_mode": "1"}


def test_fedex_units_never_raise_on_an_unknown_code() -> None:
    assert units.event_status(code="ZZ", description="Something new", karrio="teleported") is S.UNKNOWN
    assert units.event_status(code=None, description=None, karrio=None) is S.UNKNOWN
    assert units.event_status(code=3, description=object(), karrio=[]) is S.UNKNOWN
    assert units.event_status(code="ZZ", description="On FedEx vehicle for delivery", karrio=None) is (
        S.OUT_FOR_DELIVERY
    )
    assert units.event_status(code="ZZ", description="Whatever", karrio="delivery_failed") is S.ATTEMPT_FAILED
    assert {status.name for status in karrio_units.TrackingStatus} <= set(units.KARRIO_STATUS)


@pytest.mark.parametrize(
    ("text", "label", "zone"),
    [
        ("MANKATO, MN, 56001, US", "MANKATO, MN, US", "America/Chicago"),
        ("MISSISSAUGA, ON, L5T2N7, CA", "MISSISSAUGA, ON, CA", "America/Toronto"),
        ("KOELN, 50667, DE", "KOELN, DE", "Europe/Berlin"),
        ("56003, US", "US", None),  # a postal code alone: the US has no single zone
    ],
)
def test_fedex_mapping_reads_the_zone_of_a_scans_place(text: str, label: str, zone: str | None) -> None:
    place = mapping.read_place(text)

    assert place is not None
    assert (place.label(), place.zone()) == (label, zone)


def test_fedex_mapping_reads_a_bare_location_type_as_no_place() -> None:
    assert mapping.read_place("DELIVERY_LOCATION") is None
    assert mapping.read_place(None) is None


def test_fedex_source_reports_a_shipment_exception(source: FedExSource, proxy_request: MagicMock) -> None:
    answer = json.loads(clovis(keep="second", drop_newest=6))
    result = answer["output"]["completeTrackResults"][0]["trackResults"][0]
    result["scanEvents"][0].update(eventType="SE", eventDescription="Shipment exception", exceptionDescription="")
    result["latestStatusDetail"] = {"code": "SE"}
    proxy_request.return_value = json.dumps(answer)

    update = track(source, CLOVIS)

    assert (update.status, update.events[-1].description) == (S.EXCEPTION, "Shipment exception")
