"""EasyPost trackers: statuses, recorded-shape trackers mapped exactly (carrier-local times), webhook signatures and
Event envelopes, and the source driving the real `easypost` client against the local fake EasyPost API.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from easypost.errors.general.signature_verification_error import SignatureVerificationError
from easypost.util import validate_webhook

from fakes.easypost import PRODUCTION_KEY, TEST_KEY, FakeEasyPost, signed_delivery, tracker_event
from fakes.server import FakeServer
from integrations import get_carrier_source
from integrations.carriers.easypost import EasyPostSettings, EasyPostSource, push, signature
from integrations.carriers.easypost.mapping import to_update
from integrations.carriers.easypost.units import carrier_code, easypost_carrier, status_of
from integrations.carriers.sources import get_push_source
from integrations.errors import IntegrationError, MappingError, RetryableError, WebhookVerificationError
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
        # no place at all: the previous scan's zone
        (utc(2026, 3, 4, 11, 10, 0), "America/New_York", S.IN_TRANSIT, None),
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
    # the first scan has no place: it takes the next scan's zone (the parcel left from Houston)
    assert update.events[0].timezone == "America/Chicago"
    assert update.events[0].description == "Pre-Shipment Info Sent to USPS, USPS Awaiting Item"
    # est_delivery_date's date, no destination zone: the latest scan's zone
    assert update.estimated_delivery == utc(2026, 3, 7, 4, 59, 59)


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


# --- webhooks ---------------------------------------------------------------------------------------------------------

SECRET = "sécret-ﬁ"  # a ligature and an accent: EasyPost signs with the secret in NFKD form


def test_easypost_push_signature_is_what_the_easypost_client_validates():
    body = json.dumps(fixture("easypost_event_tracker_updated.json")).encode()
    header = signature(body, SECRET)

    assert header.startswith("hmac-sha256-hex=")
    assert validate_webhook(body, {"X-Hmac-Signature": header}, SECRET)["id"].startswith("evt_")
    push.verify_push({"x-hmac-signature": header}, body, SECRET)  # lower-case header names, as the app passes them
    with pytest.raises(SignatureVerificationError):
        validate_webhook(body, {"X-Hmac-Signature": signature(body, "other")}, SECRET)


def test_easypost_push_verification_tells_missing_from_wrong():
    headers, body = signed_delivery(fixture("easypost_event_tracker_updated.json"), SECRET)

    with pytest.raises(WebhookVerificationError) as missing:
        push.verify_push({"content-type": "application/json"}, body, SECRET)
    with pytest.raises(WebhookVerificationError) as altered:
        push.verify_push(headers, body.replace(b"FEDEX_GROUND", b"FEDEX_EXPRESS"), SECRET)
    with pytest.raises(WebhookVerificationError) as wrong_secret:
        push.verify_push(headers, body, "not-the-secret")

    assert (missing.value.missing, altered.value.missing, wrong_secret.value.missing) == (True, False, False)


def test_easypost_parse_push_reads_the_event_and_its_tracker():
    event = push.parse_push(json.dumps(fixture("easypost_event_tracker_updated.json")).encode())

    assert (event.source, event.event_id, event.topic, event.tracking) == (
        "easypost", "evt_3f0c9a1e17a411f1b2d84fbb3e7a1f1c", "tracker.updated", True)  # fmt: skip
    assert (event.carrier, event.tracking_number, event.reference) == (
        "fedex", "794612345678", "trk_5b7e2c9d0a1f4e3b8c6d7e8f9a0b1c2d")  # fmt: skip
    assert event.account == "user_8d1e4b2f9a6c4e0d8b7a6f5e4d3c2b1a"
    assert get_push_source("easypost").to_update(event, FEDEX) == to_update(fedex_tracker(), FEDEX)


def test_easypost_parse_push_marks_other_events_as_not_about_a_parcel():
    event = push.parse_push(b'{"object": "Event", "id": "evt_1", "description": "batch.updated", "result": {}}')

    assert (event.topic, event.tracking, event.tracking_number) == ("batch.updated", False, None)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html>not json</html>", "not valid JSON"),
        (b'{"object": "Tracker"}', "not an Event"),
        (b'{"object": "Event", "id": "evt_1"}', "description"),
        (b'{"object": "Event", "id": "evt_1", "description": "tracker.updated", "result": null}',
         "without its Tracker"),
        (b'{"object": "Event", "id": "evt_1", "description": "tracker.updated", "result": {"object": "Tracker"}}',
         "tracking_code"),
    ],
)
def test_easypost_parse_push_refuses_a_body_that_is_no_event(body, words):
    with pytest.raises(MappingError, match=words):
        push.parse_push(body)


# --- the source, through the real client and the local fake API ----------------------------------------------------


@pytest.fixture
def fake() -> FakeEasyPost:
    return FakeEasyPost()


@pytest.fixture
def server(fake: FakeEasyPost) -> Iterator[FakeServer]:
    with FakeServer(fake.app) as running:
        yield running


def easypost(server: FakeServer, key: str = PRODUCTION_KEY) -> EasyPostSource:
    return EasyPostSource(EasyPostSettings(api_key=key, api_base=f"{server.base_url}/v2", timeout=5))


def test_easypost_source_polls_by_creating_the_tracker_and_maps_the_answer(fake, server):
    fake.carrier_knows(fedex_tracker())

    first, again = (easypost(server).track([FEDEX], now=NOW)[0] for _ in range(2))

    assert first == again == to_update(fedex_tracker(), FEDEX)
    assert len(fake.trackers) == 1  # EasyPost answers a second create with the tracker it has
    (tracker,) = fake.trackers.values()
    assert (tracker["tracking_code"], tracker["carrier"]) == ("794612345678", "FedEx")
    assert fake.calls == [("POST", "/v2/trackers"), ("POST", "/v2/trackers")]


def test_easypost_source_answers_not_found_for_a_number_no_carrier_knows_yet(server):
    (update,) = easypost(server).track([TrackingRequest("ups", "1Z999AA10123456784")], now=NOW)

    assert (update.found, update.status) == (False, S.UNKNOWN)


def test_easypost_source_answers_not_found_with_easypost_words_for_a_refused_code(server):
    (update,) = easypost(server, TEST_KEY).track([FEDEX], now=NOW)

    assert update.found is False
    assert "only test tracking numbers are valid" in update.messages[0]


def test_easypost_source_follows_easypost_test_codes_with_a_test_key(server):
    (update,) = easypost(server, TEST_KEY).track([TrackingRequest("usps", "EZ4000000004")], now=NOW)

    assert (update.status, update.delivered_at) == (S.DELIVERED, utc(2026, 3, 2, 16, 0, 0))  # 10:00 CST, Houston


def test_easypost_source_raises_integration_error_for_a_rejected_api_key(server):
    with pytest.raises(IntegrationError, match="rejected the API key: API key required") as raised:
        easypost(server, "EZAKnot0a0key").track([FEDEX], now=NOW)
    assert not isinstance(raised.value, RetryableError)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_easypost_source_raises_retryable_error_for_rate_limits_and_server_errors(fake, server, status):
    fake.fail_next(status)

    with pytest.raises(RetryableError, match="easypost tracking failed"):
        easypost(server).track([FEDEX], now=NOW)


def test_easypost_source_raises_retryable_error_when_easypost_is_unreachable():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = EasyPostSource(EasyPostSettings(api_key=PRODUCTION_KEY, api_base=f"http://127.0.0.1:{port}/v2", timeout=2))

    with pytest.raises(RetryableError):
        source.track([FEDEX], now=NOW)


def test_get_carrier_source_easypost_without_a_key_raises_integration_error_naming_the_variable(monkeypatch):
    monkeypatch.delenv("EASYPOST_API_KEY", raising=False)

    with pytest.raises(IntegrationError, match=r"set EASYPOST_API_KEY$"):
        get_carrier_source("easypost").track([FEDEX], now=NOW)


def test_easypost_settings_from_env_reads_key_base_and_timeout():
    settings = EasyPostSettings.from_env({"EASYPOST_API_KEY": " EZAK1 ", "EASYPOST_API_BASE": "http://127.0.0.1:9/v2/",
                                          "EASYPOST_TIMEOUT": "7"})  # fmt: skip

    assert (settings.api_key, settings.api_base, settings.timeout) == ("EZAK1", "http://127.0.0.1:9/v2", 7)
    assert "EZAK1" not in repr(settings)
    with pytest.raises(IntegrationError, match="EASYPOST_TIMEOUT"):
        EasyPostSettings.from_env({"EASYPOST_API_KEY": "k", "EASYPOST_TIMEOUT": "soon"})


def test_fake_easypost_takes_the_documented_basic_auth_and_answers_errors_in_easypost_shape(fake, server):
    created = httpx.post(f"{server.base_url}/v2/trackers", auth=(PRODUCTION_KEY, ""), timeout=5,
                         json={"tracker": {"tracking_code": "EZ2000000002"}})  # fmt: skip
    refused = httpx.get(f"{server.base_url}/v2/trackers/trk_none", auth=("EZAKwrong", ""), timeout=5)
    missing = httpx.get(f"{server.base_url}/v2/trackers/trk_none", auth=(PRODUCTION_KEY, ""), timeout=5)

    assert (created.status_code, created.json()["object"], created.json()["status"]) == (201, "Tracker", "in_transit")
    assert (refused.status_code, refused.json()) == (401, fixture("easypost_error_unauthorized.json"))
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NOT_FOUND")


def test_fake_easypost_events_are_signed_as_easypost_signs_them():
    headers, body = signed_delivery(tracker_event(fedex_tracker(), event_id="evt_1"), SECRET)

    assert validate_webhook(body, headers, SECRET)["result"]["tracking_code"] == "794612345678"
