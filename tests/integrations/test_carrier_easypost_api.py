"""EasyPost's webhook signatures and Event envelopes, and the source driving the real `easypost` client against the
local fake EasyPost API (its paths, auth, JSON and errors).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from easypost.errors.general.signature_verification_error import SignatureVerificationError
from easypost.util import validate_webhook

from fakes.easypost import PRODUCTION_KEY, TEST_KEY, FakeEasyPost, signed_delivery, tracker_event
from fakes.server import FakeServer
from integrations import get_carrier_source
from integrations.carriers.easypost import EasyPostSettings, EasyPostSource, push, signature
from integrations.carriers.easypost.mapping import to_update
from integrations.carriers.sources import get_push_source
from integrations.errors import IntegrationError, MappingError, RetryableError, WebhookVerificationError
from integrations.models import TrackingRequest
from integrations.models import TrackingStatus as S
from tests.integrations.conftest import utc
from tests.integrations.test_carrier_easypost import FEDEX, NOW, fedex_tracker, fixture

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
