"""Klaviyo events (Klaviyo's own client against a local fake of its API) and signed merchant webhooks."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from flask import Flask, request

from app.models import NotificationStatus
from app.services.notifications.sending import send_due
from app.services.notifications.settings import SettingsError, connect, get_settings, public, update_settings
from fakes.klaviyo import create_fake_klaviyo
from fakes.server import FakeServer
from integrations.channels.webhook import SIGNATURE_HEADER, sign, verify
from tests.helpers import post_shopify
from tests.notifications.support import fulfillment, notifications, place_order, shop


class Endpoint:
    """The merchant's receiver: verifies each delivery's signature with the secret it was given."""

    def __init__(self) -> None:
        self.secret = ""
        self.deliveries: list[dict] = []
        self.answers: list[int] = []
        self.lock = threading.Lock()
        self.app = Flask("merchant")
        self.app.add_url_rule("/hooks/afterglow", view_func=self.receive, methods=["POST"])

    def receive(self):  # type: ignore[no-untyped-def]
        if not verify(self.secret, request.headers.get(SIGNATURE_HEADER, ""), request.get_data()):
            return "bad signature", 401
        with self.lock:
            status = self.answers.pop(0) if self.answers else 200
            if status == 200:
                self.deliveries.append({"headers": dict(request.headers), "body": request.get_json()})
        return "", status


@pytest.fixture
def klaviyo():
    app, state = create_fake_klaviyo(api_key="pk_live_123")
    with FakeServer(app) as server:
        state.base_url = server.base_url  # type: ignore[attr-defined]
        yield state


@pytest.fixture
def endpoint():
    receiver = Endpoint()
    with FakeServer(receiver.app) as server:
        receiver.url = f"{server.base_url}/hooks/afterglow"  # type: ignore[attr-defined]
        yield receiver


@pytest.fixture
def app_settings(smtp, outbox_dir, klaviyo):
    return {"smtp_url": smtp.url, "notification_outbox_dir": str(outbox_dir), "public_url": "https://app.test",
            "klaviyo_api_base": klaviyo.base_url}  # fmt: skip


def switch_on(channel: str, journey: str = "shipped") -> None:
    update_settings(shop_id=shop().id, changes={"journeys": {journey: {"channels": {channel: True}}}})


def test_klaviyo_gets_one_event_per_milestone_with_the_facts(client, klaviyo, smtp):
    place_order(client)
    connect(shop_id=shop().id, channel="klaviyo", api_key="pk_live_123")
    switch_on("klaviyo")
    for _ in range(3):
        post_shopify(client, "fulfillments/create", fulfillment())

    [event] = klaviyo.events
    assert (event["metric"], event["profile"]) == ("Afterglow Shipped", {"email": "maya@example.com"})
    assert event["properties"]["order_name"] == "#1042"
    assert event["properties"]["shipments"][0]["tracking_number"] == "1Z999AA10123456784"
    assert event["properties"]["tracking_url"].startswith("https://afterglow-demo.myshopify.com/apps/afterglow/")
    [row] = notifications(channel="klaviyo")
    assert row.status == NotificationStatus.SENT and event["unique_id"] == row.idempotency_key
    assert klaviyo.requests == 1 and len(klaviyo.revisions) == 1
    assert len(smtp.messages) == 1  # the email journey carries on beside it


def test_klaviyo_outage_is_retried_and_bad_key_is_kept_for_later(client, klaviyo):
    place_order(client)
    connect(shop_id=shop().id, channel="klaviyo", api_key="pk_live_123")
    switch_on("klaviyo")
    klaviyo.outages.append(503)
    post_shopify(client, "fulfillments/create", fulfillment())
    [row] = notifications(channel="klaviyo")
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 1) and "503" in row.reason

    klaviyo.api_key = "pk_rotated"
    send_due(now=row.send_after + timedelta(seconds=1))
    [row] = notifications(channel="klaviyo")
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 2) and "401" in row.reason
    klaviyo.api_key = "pk_live_123"
    send_due(now=row.send_after + timedelta(seconds=1))
    assert len(klaviyo.events) == 1 and notifications(channel="klaviyo")[0].status == NotificationStatus.SENT


def test_channel_switched_on_without_a_connection_is_suppressed(client, klaviyo):
    place_order(client)
    switch_on("klaviyo")
    post_shopify(client, "fulfillments/create", fulfillment())
    [row] = notifications(channel="klaviyo")
    assert (row.status, row.reason) == (NotificationStatus.SUPPRESSED, "klaviyo not connected")
    assert klaviyo.requests == 0


def test_merchant_webhook_is_signed_and_sent_once(client, endpoint):
    place_order(client)
    endpoint.secret = connect(shop_id=shop().id, channel="webhook", url=endpoint.url)
    switch_on("webhook")
    for _ in range(2):
        post_shopify(client, "fulfillments/create", fulfillment())

    [delivery] = endpoint.deliveries
    assert delivery["headers"]["X-Afterglow-Event"] == "shipped"
    assert delivery["body"]["type"] == "shipped" and delivery["body"]["data"]["order_name"] == "#1042"
    [row] = notifications(channel="webhook")
    assert delivery["body"]["id"] == row.idempotency_key and row.status == NotificationStatus.SENT


def test_merchant_webhook_5xx_is_retried_4xx_is_not(client, endpoint):
    place_order(client)
    endpoint.secret = connect(shop_id=shop().id, channel="webhook", url=endpoint.url)
    switch_on("webhook")
    switch_on("webhook", journey="refund_issued")
    endpoint.answers += [502]
    post_shopify(client, "fulfillments/create", fulfillment())
    [row] = notifications(channel="webhook")
    assert (row.status, row.reason) == (NotificationStatus.QUEUED, "webhook endpoint answered 502")

    endpoint.answers += [410]
    send_due(now=row.send_after + timedelta(seconds=1))
    [row] = notifications(channel="webhook")
    assert (row.status, row.reason) == (NotificationStatus.FAILED, "webhook endpoint answered 410")
    assert endpoint.deliveries == []


def test_merchant_webhook_whose_address_now_points_inside_is_not_sent_in_production(app, client, endpoint):
    place_order(client)
    endpoint.secret = connect(shop_id=shop().id, channel="webhook", url=endpoint.url)  # a developer's receiver
    switch_on("webhook")
    app.config["AFTERGLOW"].env = "production"  # where that address (127.0.0.1) is the app's own machine
    try:
        post_shopify(client, "fulfillments/create", fulfillment())
    finally:
        app.config["AFTERGLOW"].env = "development"

    [row] = notifications(channel="webhook")
    assert row.status == NotificationStatus.QUEUED and "resolves to a private address" in (row.reason or "")
    assert endpoint.deliveries == []


def test_webhook_signature_refuses_tampering_and_replays():
    body = json.dumps({"type": "shipped"}).encode()
    now = int(time.time())
    header = sign("s3cret", now, body)
    assert verify("s3cret", header, body)
    assert not verify("s3cret", header, body.replace(b"shipped", b"delivered"))
    assert not verify("other", header, body)
    assert not verify("s3cret", sign("s3cret", now - 3600, body), body)  # an old delivery replayed


def test_connections_are_encrypted_and_never_shown(app, runner):
    place_order(app.test_client())
    connect(shop_id=shop().id, channel="klaviyo", api_key="pk_live_123")
    stored = get_settings(shop_id=shop().id)["connections"]["klaviyo"]
    assert "pk_live_123" not in json.dumps(stored)
    assert public(get_settings(shop_id=shop().id))["connections"] == {"klaviyo": {"connected": True}}
    with pytest.raises(SettingsError, match="connect"):
        update_settings(shop_id=shop().id, changes={"connections": {"klaviyo": {"api_key_ciphertext": "x"}}})
    with pytest.raises(SettingsError, match="https"):
        connect(shop_id=shop().id, channel="webhook", url="http://merchant.example/hook")
    shown = runner.invoke(args=["notifications", "settings", "--shop", "afterglow-demo.myshopify.com"])
    assert shown.exit_code == 0 and "ciphertext" not in shown.output and '"connected": true' in shown.output
    made = runner.invoke(args=["notifications", "connect", "--shop", "afterglow-demo.myshopify.com", "webhook",
                               "https://merchant.example/hooks"])  # fmt: skip
    assert made.exit_code == 0 and "signing secret (shown once" in made.output
