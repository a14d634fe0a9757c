"""The Connections API: a carrier account is stored only after the carrier (a local fake of UPS or EasyPost, asked
through karrio's and EasyPost's own clients) accepts it; Klaviyo keys are checked with Klaviyo's Get Accounts and
webhook endpoints with a signed test delivery; secrets come back masked; another store sees and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, Response, request
from sqlalchemy import select

from app.admin.credentials import CHECKS_PER_HOUR
from app.extensions import db
from app.models import CarrierAccount, NotificationSettings
from app.services import carrier_accounts
from app.services.notifications import settings as notification_settings
from app.services.shops import get_or_create_shop
from fakes.easypost import FakeEasyPost
from fakes.klaviyo import create_fake_klaviyo
from fakes.server import FakeServer
from fakes.ups import FakeUPS
from integrations.channels.webhook import SIGNATURE_HEADER, verify
from tests.conftest import SHOP
from tests.easypost_helpers import fake_easypost
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OTHER = "other-store.myshopify.com"
UPS_ID, UPS_SECRET = "ups-client-id-0001", "ups-client-secret-7f3a9c"
KLAVIYO_KEY = "pk_live_0123456789abcdef"


@pytest.fixture
def shops(app: Flask) -> dict[str, int]:
    ids = {domain: get_or_create_shop(platform="shopify", domain=domain).id for domain in (SHOP, OTHER)}
    db.session.commit()
    return ids


def bearer(shop: str = SHOP) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_token(shop)}"}


@pytest.fixture
def ups(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeUPS]:
    fake = FakeUPS(apps={UPS_ID: UPS_SECRET})
    with FakeServer(fake.app) as server:
        monkeypatch.setenv("UPS_API_BASE", server.base_url)
        yield fake


@pytest.fixture
def easypost(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEasyPost]:
    with fake_easypost(monkeypatch) as fake:
        yield fake


@pytest.fixture
def klaviyo(app: Flask) -> Iterator[Any]:
    fake, state = create_fake_klaviyo(api_key=KLAVIYO_KEY)
    with FakeServer(fake) as server:
        app.config["AFTERGLOW"].klaviyo_api_base = server.base_url
        yield state


@dataclass
class Receiver:
    """A merchant's webhook endpoint: answers `status`, keeps what it was sent."""

    status: int = 204
    url: str = ""
    deliveries: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    endpoint = Receiver()
    app = Flask("receiver")

    @app.post("/hooks")
    def hooks() -> Response:
        endpoint.deliveries.append((dict(request.headers), request.get_data()))
        return Response("", status=endpoint.status)

    with FakeServer(app) as server:
        endpoint.url = f"{server.base_url}/hooks"
        yield endpoint


def ups_fields(**changes: str) -> dict[str, Any]:
    return {"fields": {"client_id": UPS_ID, "client_secret": UPS_SECRET, "test_mode": False, **changes}}


def stored_accounts() -> list[CarrierAccount]:
    db.session.expire_all()
    return list(db.session.scalars(select(CarrierAccount)))


def test_credentials_overview_lists_carriers_with_their_fields_and_no_accounts_at_first(client, shops):
    response = client.get("/api/admin/credentials", headers=bearer())

    assert response.status_code == 200
    document = response.get_json()
    carriers = {carrier["source"]: carrier for carrier in document["carriers"]}
    assert set(carriers) == {"canadapost", "dhl_express", "easypost", "fedex", "ups", "usps"}
    assert carriers["ups"]["name"] == "UPS"
    assert [(f["name"], f["required"], f["secret"], f["flag"]) for f in carriers["ups"]["fields"]] == [
        ("client_id", True, False, False), ("client_secret", True, True, False),
        ("account_number", False, False, False), ("test_mode", False, False, True)]  # fmt: skip
    assert [(f["name"], f["secret"]) for f in carriers["easypost"]["fields"]] == [("api_key", True)]
    assert document["accounts"] == []
    assert document["channels"] == {"klaviyo": {"connected": False, "api_key": None},
                                    "webhook": {"connected": False, "url": None}}  # fmt: skip
    assert response.headers["Cache-Control"] == "private, no-store"


def test_credentials_connect_ups_asks_ups_then_stores_the_account_validated_and_masked(client, shops, ups):
    response = client.put("/api/admin/credentials/carriers/ups", json=ups_fields(), headers=bearer())

    assert response.status_code == 200, response.get_json()
    account = response.get_json()["account"]
    assert account["source"] == "ups"
    assert account["fields"] == {"client_id": UPS_ID, "client_secret": "****" + UPS_SECRET[-4:],
                                 "test_mode": "0"}  # fmt: skip
    assert account["validated_at"] is not None and account["last_error"] is None
    # UPS was really asked: a token for these credentials, then a tracking call with it
    assert ups.calls[0] == ("POST", "/security/v1/oauth/token")
    assert ups.calls[1][0] == "GET" and ups.calls[1][1].startswith("/api/track/v1/details/")
    (stored,) = stored_accounts()
    assert stored.shop_id == shops[SHOP] and UPS_SECRET not in stored.credentials_ciphertext
    assert carrier_accounts.settings_of(stored).to_fields()["client_secret"] == UPS_SECRET
    listed = client.get("/api/admin/credentials", headers=bearer()).get_data(as_text=True)
    assert UPS_SECRET not in listed and "****" + UPS_SECRET[-4:] in listed


def test_credentials_connect_with_a_secret_ups_refuses_names_the_field_and_stores_nothing(client, shops, ups):
    response = client.put("/api/admin/credentials/carriers/ups",
                          json=ups_fields(client_secret="wrong-secret-123456"), headers=bearer())  # fmt: skip

    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid" and "UPS refused" in body["message"]
    assert list(body["fields"]) == ["fields.client_secret"]
    assert "Invalid Authentication Information" in body["fields"]["fields.client_secret"]
    assert "wrong-secret-123456" not in response.get_data(as_text=True)
    assert stored_accounts() == []


def test_credentials_connect_with_a_client_id_ups_does_not_know_names_the_client_id(client, shops, ups):
    response = client.put("/api/admin/credentials/carriers/ups", json=ups_fields(client_id="nobody"),
                          headers=bearer())  # fmt: skip

    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == ["fields.client_id"]
    assert stored_accounts() == []


def test_credentials_connect_checks_fields_before_calling_the_carrier(client, shops, ups):
    missing = client.put("/api/admin/credentials/carriers/ups", json={"fields": {"client_id": UPS_ID}},
                         headers=bearer())  # fmt: skip
    unknown = client.put("/api/admin/credentials/carriers/ups", json=ups_fields(password="x"), headers=bearer())
    bad_flag = client.put("/api/admin/credentials/carriers/ups", json=ups_fields(test_mode="perhaps"),
                          headers=bearer())  # fmt: skip
    no_fields = client.put("/api/admin/credentials/carriers/ups", json={}, headers=bearer())
    no_such_carrier = client.put("/api/admin/credentials/carriers/simulated", json={"fields": {}}, headers=bearer())

    assert missing.status_code == 422 and missing.get_json()["fields"] == {"fields.client_secret": "required"}
    assert unknown.status_code == 422 and list(unknown.get_json()["fields"]) == ["fields.password"]
    assert bad_flag.status_code == 422 and list(bad_flag.get_json()["fields"]) == ["fields.test_mode"]
    assert no_fields.status_code == 422 and no_fields.get_json()["fields"] == {"fields": "required"}
    assert no_such_carrier.status_code == 404
    assert ups.calls == [] and stored_accounts() == []


def test_credentials_connect_when_the_carrier_does_not_answer_is_a_502_and_stores_nothing(client, shops, ups):
    ups.fail_next(503)

    response = client.put("/api/admin/credentials/carriers/ups", json=ups_fields(), headers=bearer())

    assert response.status_code == 502 and response.get_json()["error"] == "unavailable"
    assert stored_accounts() == []


def test_credentials_connect_easypost_checks_the_key_with_easypost(client, shops, easypost):
    refused = client.put("/api/admin/credentials/carriers/easypost", json={"fields": {"api_key": "EZAKnot0a0key00"}},
                         headers=bearer())  # fmt: skip
    assert refused.status_code == 422 and list(refused.get_json()["fields"]) == ["fields.api_key"]
    assert stored_accounts() == []

    accepted = client.put("/api/admin/credentials/carriers/easypost",
                          json={"fields": {"api_key": easypost.api_key}}, headers=bearer())  # fmt: skip

    assert accepted.status_code == 200
    assert accepted.get_json()["account"]["fields"] == {"api_key": "****" + easypost.api_key[-4:]}
    assert ("GET", "/v2/trackers") in easypost.calls and easypost.trackers == {}  # asked, created nothing
    assert [account.source for account in stored_accounts()] == ["easypost"]


def test_credentials_remove_deletes_the_account(client, shops, ups):
    client.put("/api/admin/credentials/carriers/ups", json=ups_fields(), headers=bearer())

    removed = client.delete("/api/admin/credentials/carriers/ups", headers=bearer())
    again = client.delete("/api/admin/credentials/carriers/ups", headers=bearer())

    assert removed.status_code == 200 and again.status_code == 404
    assert stored_accounts() == []


def test_credentials_klaviyo_key_is_checked_with_klaviyo_then_stored_masked(client, shops, klaviyo):
    not_a_key = client.put("/api/admin/credentials/channels/klaviyo", json={"api_key": "abc"}, headers=bearer())
    refused = client.put("/api/admin/credentials/channels/klaviyo", json={"api_key": "pk_someone_elses_key"},
                         headers=bearer())  # fmt: skip
    assert not_a_key.status_code == 422 and list(not_a_key.get_json()["fields"]) == ["api_key"]
    assert refused.status_code == 422 and refused.get_json()["fields"] == {"api_key": "Klaviyo refused this key"}
    assert db.session.scalars(select(NotificationSettings)).all() == []

    accepted = client.put("/api/admin/credentials/channels/klaviyo", json={"api_key": KLAVIYO_KEY}, headers=bearer())

    assert accepted.status_code == 200
    assert accepted.get_json()["channels"]["klaviyo"] == {"connected": True, "api_key": "****" + KLAVIYO_KEY[-4:]}
    assert klaviyo.events == []  # checking a key sends nothing to the merchant's Klaviyo
    assert KLAVIYO_KEY not in client.get("/api/admin/credentials", headers=bearer()).get_data(as_text=True)
    settings = notification_settings.get_settings(shop_id=shops[SHOP])
    assert notification_settings.connection(settings, "klaviyo") == {"api_key": KLAVIYO_KEY}

    gone = client.delete("/api/admin/credentials/channels/klaviyo", headers=bearer())
    assert gone.status_code == 200 and gone.get_json()["channels"]["klaviyo"]["connected"] is False


def test_credentials_webhook_gets_a_signed_test_delivery_and_the_secret_once(client, shops, receiver):
    response = client.put("/api/admin/credentials/channels/webhook", json={"url": receiver.url}, headers=bearer())

    assert response.status_code == 200
    body = response.get_json()
    secret = body["secret"]
    assert body["channels"]["webhook"] == {"connected": True, "url": receiver.url}
    ((headers, delivery),) = receiver.deliveries
    assert verify(secret, headers[SIGNATURE_HEADER], delivery)  # signed with the secret handed back
    assert json.loads(delivery)["type"] == "test"
    listed = client.get("/api/admin/credentials", headers=bearer()).get_data(as_text=True)
    assert secret not in listed
    stored = notification_settings.connection(notification_settings.get_settings(shop_id=shops[SHOP]), "webhook")
    assert stored == {"url": receiver.url, "secret": secret}


def test_credentials_webhook_that_does_not_answer_2xx_is_refused_and_not_stored(client, shops, receiver):
    receiver.status = 500
    failing = client.put("/api/admin/credentials/channels/webhook", json={"url": receiver.url}, headers=bearer())
    not_https = client.put("/api/admin/credentials/channels/webhook", json={"url": "ftp://example.com/hooks"},
                           headers=bearer())  # fmt: skip

    assert failing.status_code == 422 and "answered 500" in failing.get_json()["fields"]["url"]
    assert not_https.status_code == 422 and list(not_https.get_json()["fields"]) == ["url"]
    assert len(receiver.deliveries) == 1
    assert db.session.scalars(select(NotificationSettings)).all() == []


def test_credentials_need_the_admins_authentication(client, shops):
    assert client.get("/api/admin/credentials").status_code == 401
    assert client.put("/api/admin/credentials/carriers/ups", json=ups_fields()).status_code == 401
    assert client.delete("/api/admin/credentials/channels/klaviyo").status_code == 401


def test_credentials_of_one_store_are_neither_seen_nor_changed_by_another(client, shops, ups, receiver):
    client.put("/api/admin/credentials/carriers/ups", json=ups_fields(), headers=bearer())
    client.put("/api/admin/credentials/channels/webhook", json={"url": receiver.url}, headers=bearer())

    seen = client.get("/api/admin/credentials", headers=bearer(OTHER)).get_json()
    removed = client.delete("/api/admin/credentials/carriers/ups", headers=bearer(OTHER))
    disconnected = client.delete("/api/admin/credentials/channels/webhook", headers=bearer(OTHER))

    assert seen["accounts"] == [] and seen["channels"]["webhook"]["connected"] is False
    assert removed.status_code == 404 and disconnected.status_code == 404
    assert [account.shop_id for account in stored_accounts()] == [shops[SHOP]]
    mine = client.get("/api/admin/credentials", headers=bearer()).get_json()
    assert [a["source"] for a in mine["accounts"]] == ["ups"] and mine["channels"]["webhook"]["connected"] is True


def test_credentials_a_connected_easypost_account_tracks_the_stores_parcels_on_its_key(client, shops, easypost):
    from datetime import UTC, datetime

    from app.services import tracking_sources
    from integrations.models import TrackingRequest

    client.put("/api/admin/credentials/carriers/easypost", json={"fields": {"api_key": easypost.api_key}},
               headers=bearer())  # fmt: skip
    (account,) = stored_accounts()
    choice = tracking_sources.choose_source(carrier="usps", pinned=None, accounts={"easypost": account.id},
                                            configured=(), default="easypost")  # fmt: skip

    source = tracking_sources.build(choice.source, account)
    (update,) = source.track([TrackingRequest(carrier="usps", tracking_number="EZ2000000002")], now=datetime.now(UTC))

    assert choice.account_id == account.id
    assert update.found and update.status.value == "in_transit"
    assert ("POST", "/v2/trackers") in easypost.calls  # on the fake, with the store's key


def test_credentials_connection_attempts_are_limited_per_store_and_hour(client, shops):
    attempts = [client.put("/api/admin/credentials/channels/klaviyo", json={"api_key": "not-a-key"}, headers=bearer())
                for _ in range(CHECKS_PER_HOUR + 1)]  # fmt: skip
    other_store = client.put("/api/admin/credentials/channels/klaviyo", json={"api_key": "not-a-key"},
                             headers=bearer(OTHER))  # fmt: skip

    assert {response.status_code for response in attempts[:-1]} == {422}
    assert attempts[-1].status_code == 429 and int(attempts[-1].headers["Retry-After"]) > 0
    assert other_store.status_code == 422  # another store's budget is its own


def test_credentials_webhook_on_a_private_address_is_refused_in_production(app, client, shops, receiver):
    app.config["AFTERGLOW"].env = "production"
    try:
        local = client.put("/api/admin/credentials/channels/webhook", json={"url": "https://127.0.0.1:9/hooks"},
                           headers=bearer())  # fmt: skip
        metadata = client.put("/api/admin/credentials/channels/webhook",
                              json={"url": "https://169.254.169.254/latest/meta-data"}, headers=bearer())  # fmt: skip
    finally:
        app.config["AFTERGLOW"].env = "development"

    assert local.status_code == 422 and "public internet" in local.get_json()["fields"]["url"]
    assert metadata.status_code == 422 and "public internet" in metadata.get_json()["fields"]["url"]
    assert receiver.deliveries == [] and db.session.scalars(select(NotificationSettings)).all() == []


@pytest.mark.parametrize(("answers", "public"), [
    (["93.184.215.14"], True), (["2606:2800:21f:cb07:6820:80da:af6b:8b2c"], True),
    (["10.0.0.7"], False), (["127.0.0.1"], False), (["169.254.169.254"], False), (["fe80::1%eth0"], False),
    (["93.184.215.14", "192.168.1.20"], False), ([], False),
])  # fmt: skip
def test_public_host_needs_every_address_to_be_public(answers, public):
    def resolve(host: str, port: int, **_: Any) -> list[Any]:
        return [(None, None, None, "", (address, port)) for address in answers]

    assert notification_settings.public_host("hooks.example", resolve=resolve) is public
