"""Shopify deliveries: signature, envelope, and which change each topic asks for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from werkzeug.datastructures import Headers as WerkzeugHeaders

from integrations import MappingError, WebhookVerificationError, get_platform
from integrations.models import (
    FulfillmentUpsert,
    Ignored,
    OrderDeleted,
    OrderStatus,
    OrderUpsert,
    Platform,
    RefundCreated,
    WebhookEnvelope,
)
from integrations.shopify import platform as shopify
from integrations.shopify.webhooks import interpret_webhook, parse_webhook, shop_domain, verify_webhook
from tests.integrations.conftest import OWN_FIXTURES

SECRET = "afterglow-demo-app-secret"  # test-only; webhook_headers.json is signed with it
SHOP = "afterglow-demo.myshopify.com"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def recorded_delivery() -> tuple[dict[str, str], bytes]:
    headers = json.loads((OWN_FIXTURES / "shopify" / "webhook_headers.json").read_text())
    body = (OWN_FIXTURES / "shopify" / "orders_updated.json").read_bytes()
    return headers, body


def delivery_headers(topic: str = "orders/updated", **extra: str) -> dict[str, str]:
    headers = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Event-Id": "evt-1",
        "X-Shopify-Webhook-Id": "wh-1",
        "X-Shopify-API-Version": "2026-01",
        "X-Shopify-Triggered-At": "2026-03-02T15:17:41.873251944Z",
    }
    headers.update(extra)
    return headers


def envelope(topic: str, payload: dict[str, Any]) -> WebhookEnvelope:
    return WebhookEnvelope(platform=Platform.SHOPIFY, topic=topic, shop_domain=SHOP, event_id="e", payload=payload)


# --- verify ------------------------------------------------------------------------------------------------------


def test_verify_webhook_accepts_the_recorded_delivery_signed_with_the_app_secret() -> None:
    headers, body = recorded_delivery()

    verify_webhook(headers, body, SECRET)  # no exception: accepted


def test_verify_webhook_rejects_a_wrong_secret_as_invalid_not_missing() -> None:
    headers, body = recorded_delivery()

    with pytest.raises(WebhookVerificationError) as caught:
        verify_webhook(headers, body, "someone-elses-secret")

    assert caught.value.missing is False


def test_verify_webhook_reports_a_missing_signature_header_as_missing() -> None:
    headers, body = recorded_delivery()
    del headers["X-Shopify-Hmac-Sha256"]

    with pytest.raises(WebhookVerificationError) as caught:
        verify_webhook(headers, body, SECRET)

    assert caught.value.missing is True


def test_verify_webhook_rejects_a_body_altered_by_one_byte() -> None:
    headers, body = recorded_delivery()
    tampered = body.replace(b'"total_price": "133.42"', b'"total_price": "133.43"')
    assert len(tampered) == len(body) and tampered != body

    with pytest.raises(WebhookVerificationError) as caught:
        verify_webhook(headers, tampered, SECRET)

    assert caught.value.missing is False


@pytest.mark.parametrize("name", ["x-shopify-hmac-sha256", "X-SHOPIFY-HMAC-SHA256", "X-Shopify-Hmac-SHA256"])
def test_verify_webhook_ignores_header_name_casing(name: str) -> None:
    body = b'{"id": 1}'

    verify_webhook({name: sign(body)}, body, SECRET)


def test_verify_webhook_accepts_werkzeug_headers() -> None:
    body = b'{"id": 1}'
    headers = WerkzeugHeaders([("X-Shopify-Hmac-Sha256", sign(body))])

    verify_webhook(headers, body, SECRET)


def test_verify_webhook_accepts_the_events_spelling_without_x_prefix() -> None:
    body = b'{"id": 1}'

    verify_webhook({"shopify-hmac-sha256": sign(body)}, body, SECRET)


def test_verify_webhook_refuses_when_no_secret_is_configured() -> None:
    body = b'{"id": 1}'

    with pytest.raises(WebhookVerificationError):
        verify_webhook({"X-Shopify-Hmac-Sha256": sign(body, "")}, body, "")


def test_verify_webhook_rejects_a_non_ascii_signature_without_crashing() -> None:
    with pytest.raises(WebhookVerificationError):
        verify_webhook({"X-Shopify-Hmac-Sha256": "é" * 44}, b"{}", SECRET)


# --- shop domain, ping -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("afterglow-demo.myshopify.com", "afterglow-demo.myshopify.com"),
        ("  Afterglow-Demo.MyShopify.com ", "afterglow-demo.myshopify.com"),
        ("-demo.myshopify.com", None),
        ("demo.myshopify.com.evil.example", None),
        ("shop.example.com", None),
        ("", None),
    ],
)
def test_shop_domain_accepts_only_myshopify_domains(value: str, expected: str | None) -> None:
    assert shop_domain({"x-shopify-shop-domain": value}) == expected


def test_shop_domain_is_none_without_the_header() -> None:
    assert shop_domain({}) is None


def test_is_ping_is_always_false_for_shopify() -> None:
    assert shopify.is_ping(delivery_headers(), b"{}") is False


# --- parse ---------------------------------------------------------------------------------------------------------


def test_parse_webhook_reads_the_recorded_delivery() -> None:
    headers, body = recorded_delivery()

    parsed = parse_webhook(headers, body)

    assert parsed.platform is Platform.SHOPIFY
    assert parsed.topic == "orders/updated"
    assert parsed.shop_domain == SHOP
    assert parsed.event_id == "b1d4e7f0-2c5a-48b3-9e6d-0a3c6f9b2e45"
    assert parsed.webhook_id == "3f6a9c2e-1b7d-4e58-9a0c-5d2e8f4b7a61"
    assert parsed.api_version == "2026-01"
    assert parsed.triggered_at == datetime(2026, 3, 2, 15, 17, 41, 873251, tzinfo=UTC)
    assert parsed.payload["id"] == 6012345678901


def test_parse_webhook_falls_back_to_the_webhook_id_for_the_event_id() -> None:
    headers = delivery_headers()
    del headers["X-Shopify-Event-Id"]

    parsed = parse_webhook(headers, b'{"id": 1}')

    assert parsed.event_id == "wh-1"


def test_parse_webhook_without_any_event_or_webhook_id_is_a_mapping_error() -> None:
    headers = delivery_headers()
    del headers["X-Shopify-Event-Id"], headers["X-Shopify-Webhook-Id"]

    with pytest.raises(MappingError, match="Event-Id"):
        parse_webhook(headers, b'{"id": 1}')


def test_parse_webhook_without_a_topic_is_a_mapping_error() -> None:
    headers = delivery_headers()
    del headers["X-Shopify-Topic"]

    with pytest.raises(MappingError, match="Topic"):
        parse_webhook(headers, b'{"id": 1}')


def test_parse_webhook_with_a_foreign_shop_domain_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="Shop-Domain"):
        parse_webhook(delivery_headers(**{"X-Shopify-Shop-Domain": "shop.example.com"}), b'{"id": 1}')


def test_parse_webhook_with_a_malformed_triggered_at_names_the_header() -> None:
    with pytest.raises(MappingError, match="Triggered-At"):
        parse_webhook(delivery_headers(**{"X-Shopify-Triggered-At": "yesterday"}), b'{"id": 1}')


@pytest.mark.parametrize("body", [b'{"id": 1', b"\xff\xfe", b""])
def test_parse_webhook_with_malformed_json_is_a_mapping_error(body: bytes) -> None:
    with pytest.raises(MappingError, match="JSON"):
        parse_webhook(delivery_headers(), body)


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null"])
def test_parse_webhook_with_a_non_object_body_is_a_mapping_error(body: bytes) -> None:
    with pytest.raises(MappingError, match="JSON object"):
        parse_webhook(delivery_headers(), body)


def test_parse_webhook_keeps_ids_above_2_pow_53_exact() -> None:
    body = b'{"id": 9007199254740993, "order_id": 820982911946154508}'

    parsed = parse_webhook(delivery_headers(), body)

    assert parsed.payload["id"] == 9007199254740993
    assert parsed.payload["order_id"] == 820982911946154508


def test_parse_webhook_reads_lower_cased_http2_header_names() -> None:
    headers = {name.lower(): value for name, value in delivery_headers("refunds/create").items()}

    parsed = parse_webhook(headers, b'{"id": 1}')

    assert (parsed.topic, parsed.shop_domain, parsed.event_id) == ("refunds/create", SHOP, "evt-1")


# --- interpret -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "topic",
    [
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/paid",
        "orders/edited",
    ],
)
def test_interpret_webhook_turns_order_topics_into_an_upsert(topic: str, own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_cancelled.json")

    change = interpret_webhook(envelope(topic, payload))

    assert isinstance(change, OrderUpsert)
    assert change.order.external_id == "6012345678902"
    assert change.order.shop_domain == SHOP
    assert change.order.status is OrderStatus.CANCELLED


def test_interpret_webhook_ignores_an_order_edit_summary() -> None:
    payload = {"order_edit": {"id": 78912345, "order_id": 6012345678901, "line_items": {"additions": []}}}

    change = interpret_webhook(envelope("orders/edited", payload))

    assert isinstance(change, Ignored)
    assert "not an order" in change.reason


def test_interpret_webhook_turns_orders_delete_into_a_deletion(own_fixture: Any) -> None:
    change = interpret_webhook(envelope("orders/delete", own_fixture("shopify/orders_delete.json")))

    assert change == OrderDeleted("6012345678902")


@pytest.mark.parametrize("topic", ["fulfillments/create", "fulfillments/update"])
def test_interpret_webhook_turns_fulfillment_topics_into_a_fulfillment_upsert(topic: str, own_fixture: Any) -> None:
    change = interpret_webhook(envelope(topic, own_fixture("shopify/fulfillments_update.json")))

    assert isinstance(change, FulfillmentUpsert)
    assert change.order_external_id == "6012345678901"
    assert change.fulfillment.external_id == "5198765432101"


def test_interpret_webhook_turns_refunds_create_into_a_refund(own_fixture: Any) -> None:
    refund = own_fixture("shopify/orders_partially_fulfilled.json")["refunds"][0]

    change = interpret_webhook(envelope("refunds/create", refund))

    assert isinstance(change, RefundCreated)
    assert change.order_external_id == "9007199254740993"
    assert change.refund.external_id == "9007199254741005"


@pytest.mark.parametrize(
    "topic",
    ["products/update", "carts/create", "fulfillment_events/create"],
)
def test_interpret_webhook_ignores_other_topics_with_a_reason(topic: str) -> None:
    change = interpret_webhook(envelope(topic, {"id": 1}))

    assert isinstance(change, Ignored)
    assert change.reason


def test_interpret_webhook_of_a_fulfillment_without_order_id_is_a_mapping_error(own_fixture: Any) -> None:
    payload = own_fixture("shopify/fulfillments_update.json")
    del payload["order_id"]

    with pytest.raises(MappingError, match="order_id"):
        interpret_webhook(envelope("fulfillments/update", payload))


# --- the registry ----------------------------------------------------------------------------------------------


def test_get_platform_shopify_verifies_parses_and_interprets_a_delivery_end_to_end() -> None:
    headers, body = recorded_delivery()
    platform = get_platform("shopify")

    platform.verify_webhook(headers, body, SECRET)
    change = platform.interpret_webhook(platform.parse_webhook(headers, body))

    assert platform.name is Platform.SHOPIFY
    assert isinstance(change, OrderUpsert)
    assert (change.order.name, change.order.shop_domain) == ("#1042", SHOP)
