"""WooCommerce deliveries: signature over raw bytes, set-up ping, shop, envelope, dedupe key, topic dispatch."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from werkzeug.datastructures import Headers

from integrations import get_platform
from integrations.errors import MappingError, WebhookVerificationError
from integrations.models import Ignored, OrderDeleted, OrderUpsert, Platform, WebhookEnvelope
from integrations.platform import PlatformIntegration
from integrations.woocommerce import platform
from integrations.woocommerce.webhooks import event_id
from tests.integrations.conftest import OWN_FIXTURES

FIXTURES = OWN_FIXTURES / "woocommerce"
SECRET = "wc-test-secret-7Q2xv9"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def created_delivery() -> tuple[dict[str, str], bytes]:
    headers = json.loads((FIXTURES / "order-created-headers.json").read_text())
    body = (FIXTURES / "order-created-body.json").read_bytes()
    return headers, body


def envelope(topic: str, payload: dict[str, Any]) -> WebhookEnvelope:
    return WebhookEnvelope(
        platform=Platform.WOOCOMMERCE, topic=topic, shop_domain="shop.example", event_id="e", payload=payload
    )


def test_registry_get_platform_returns_woocommerce_package() -> None:
    found: PlatformIntegration = get_platform("woocommerce")
    assert found is platform
    assert found.name is Platform.WOOCOMMERCE


def test_verify_webhook_php_escaped_body_verifies_over_raw_bytes() -> None:
    headers, body = created_delivery()
    assert b"https:\\/\\/shop.example\\/wp-content" in body and b"\\u00e9" in body
    headers["X-WC-Webhook-Signature"] = sign(body)
    platform.verify_webhook(headers, body, SECRET)


def test_verify_webhook_reserialised_body_would_not_match() -> None:
    headers, body = created_delivery()
    headers["X-WC-Webhook-Signature"] = sign(body)
    reserialised = json.dumps(json.loads(body)).encode()
    assert reserialised != body
    assert sign(reserialised) != sign(body)
    with pytest.raises(WebhookVerificationError) as caught:
        platform.verify_webhook(headers, reserialised, SECRET)
    assert caught.value.missing is False


def test_verify_webhook_missing_signature_is_reported_missing() -> None:
    headers, body = created_delivery()
    with pytest.raises(WebhookVerificationError) as caught:
        platform.verify_webhook(headers, body, SECRET)
    assert caught.value.missing is True


@pytest.mark.parametrize("secret", ["another-secret", ""])
def test_verify_webhook_wrong_secret_is_reported_wrong(secret: str) -> None:
    headers, body = created_delivery()
    headers["X-WC-Webhook-Signature"] = sign(body)
    with pytest.raises(WebhookVerificationError) as caught:
        platform.verify_webhook(headers, body, secret)
    assert caught.value.missing is False


def test_verify_webhook_tampered_body_is_reported_wrong() -> None:
    headers, body = created_delivery()
    headers["X-WC-Webhook-Signature"] = sign(body)
    with pytest.raises(WebhookVerificationError) as caught:
        platform.verify_webhook(headers, body.replace(b"48.38", b"0.01"), SECRET)
    assert caught.value.missing is False


@pytest.mark.parametrize("name", ["X-WC-Webhook-Signature", "x-wc-webhook-signature", "X-WC-WEBHOOK-SIGNATURE"])
def test_verify_webhook_header_lookup_ignores_case(name: str) -> None:
    _, body = created_delivery()
    platform.verify_webhook({name: sign(body)}, body, SECRET)
    platform.verify_webhook(Headers([(name, sign(body))]), body, SECRET)


def test_is_ping_creation_ping_is_recognised() -> None:
    body = (FIXTURES / "ping-body.txt").read_bytes()
    headers = {"User-Agent": "WooCommerce/9.8.1 Hookshot (WordPress/6.7.2)"}
    assert platform.is_ping(headers, body) is True
    assert platform.is_ping(Headers(headers), body) is True


@pytest.mark.parametrize(
    "body", [b"webhook_id=", b"webhook_id=abc", b"webhook_id=12&x=1", b"webhook_id=12\n", b'{"webhook_id":12}', b""]
)
def test_is_ping_other_bodies_are_not_pings(body: bytes) -> None:
    assert platform.is_ping({}, body) is False


def test_is_ping_signed_delivery_is_not_a_ping() -> None:
    body = b"webhook_id=42"
    assert platform.is_ping({"x-wc-webhook-signature": sign(body)}, body) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://shop.example/", "shop.example"),
        ("https://Example.com/store/", "example.com/store"),
        ("https://example.com:8443/", "example.com:8443"),
        ("https://example.com:443/", "example.com"),
        ("http://SHOP.example:80", "shop.example"),
        ("https://example.com/Store/Sub/", "example.com/Store/Sub"),
    ],
)
def test_shop_domain_normalises_source(source: str, expected: str) -> None:
    assert platform.shop_domain({"X-WC-Webhook-Source": source}) == expected
    assert platform.shop_domain({"x-wc-webhook-source": source}) == expected


@pytest.mark.parametrize("source", [None, "", "shop.example", "ftp://shop.example/", "https://", "https://x.com:port/"])
def test_shop_domain_absent_or_unusable_is_none(source: str | None) -> None:
    headers = {} if source is None else {"X-WC-Webhook-Source": source}
    assert platform.shop_domain(headers) is None


def test_parse_webhook_reads_envelope_from_headers_and_body() -> None:
    headers, body = created_delivery()
    parsed = platform.parse_webhook(Headers(headers), body)
    assert parsed.platform is Platform.WOOCOMMERCE
    assert parsed.topic == "order.created"
    assert parsed.shop_domain == "shop.example"
    assert parsed.webhook_id == "7"
    assert parsed.event_id == f"7:0c5e2d8f9b6a41e3a7d2c9b8e1f04a6d:{hashlib.sha256(body).hexdigest()[:24]}"
    assert parsed.triggered_at == datetime(2025, 3, 14, 9, 26, 55, tzinfo=UTC)
    assert parsed.payload["id"] == 5120
    assert (
        parsed.payload["line_items"][0]["image"]["src"]
        == "https://shop.example/wp-content/uploads/2025/03/mug-blue.png"
    )


def test_parse_webhook_topic_falls_back_to_resource_and_event() -> None:
    headers, body = created_delivery()
    del headers["X-WC-Webhook-Topic"]
    assert platform.parse_webhook(headers, body).topic == "order.created"


@pytest.mark.parametrize(
    ("drop", "reason"),
    [
        (("X-WC-Webhook-Topic", "X-WC-Webhook-Event"), "X-WC-Webhook-Topic"),
        (("X-WC-Webhook-Source",), "X-WC-Webhook-Source"),
    ],
)
def test_parse_webhook_missing_header_raises_with_reason(drop: tuple[str, ...], reason: str) -> None:
    headers, body = created_delivery()
    for name in drop:
        del headers[name]
    with pytest.raises(MappingError, match=reason):
        platform.parse_webhook(headers, body)


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b"webhook_id=42", b'"text"'])
def test_parse_webhook_body_not_a_json_object_raises(body: bytes) -> None:
    headers, _ = created_delivery()
    with pytest.raises(MappingError):
        platform.parse_webhook(headers, body)


def test_event_id_redelivery_of_same_bytes_is_same() -> None:
    headers, body = created_delivery()
    assert platform.parse_webhook(headers, body).event_id == platform.parse_webhook(headers, bytes(body)).event_id


def test_event_id_different_bodies_in_the_same_second_differ() -> None:
    # Two orders updated within one second share WooCommerce's delivery id.
    headers, body = created_delivery()
    other = body.replace(b'"id":5120', b'"id":5121')
    assert platform.parse_webhook(headers, body).event_id != platform.parse_webhook(headers, other).event_id


def test_event_id_same_body_different_delivery_differ() -> None:
    # Trash, restore, trash again: both deletions send {"id": 123}.
    body = (FIXTURES / "order-deleted-body.json").read_bytes()
    assert event_id("7", "aaa", body) != event_id("7", "bbb", body)


def test_interpret_webhook_order_created_upserts_normalised_order() -> None:
    headers, body = created_delivery()
    change = platform.interpret_webhook(platform.parse_webhook(headers, body))
    assert isinstance(change, OrderUpsert)
    assert change.order.external_id == "5120"
    assert change.order.shop_domain == "shop.example"


@pytest.mark.parametrize("topic", ["order.updated", "order.restored"])
def test_interpret_webhook_order_update_and_restore_upsert(topic: str, own_fixture: Any) -> None:
    change = platform.interpret_webhook(envelope(topic, own_fixture("woocommerce/order-custom-status.json")))
    assert isinstance(change, OrderUpsert)
    assert change.order.platform_status == "awaiting-shipment"


@pytest.mark.parametrize("status", ["checkout-draft", "auto-draft", "wc-checkout-draft"])
def test_interpret_webhook_checkout_draft_is_ignored(status: str, own_fixture: Any) -> None:
    payload = own_fixture("woocommerce/order-checkout-draft.json")
    payload["status"] = status
    assert platform.interpret_webhook(envelope("order.created", payload)) == Ignored("checkout draft")


def test_interpret_webhook_order_deleted_gives_the_id() -> None:
    headers, _ = created_delivery()
    headers.update({"X-WC-Webhook-Topic": "order.deleted", "X-WC-Webhook-Event": "deleted"})
    body = (FIXTURES / "order-deleted-body.json").read_bytes()
    parsed = platform.parse_webhook(headers, body)
    assert parsed.triggered_at is None
    assert platform.interpret_webhook(parsed) == OrderDeleted("123")
    assert platform.interpret_webhook(envelope("order.deleted", {"id": "123"})) == OrderDeleted("123")


def test_interpret_webhook_update_to_trash_is_a_deletion(own_fixture: Any) -> None:
    payload = own_fixture("woocommerce/order-custom-status.json")
    payload["status"] = "trash"
    assert platform.interpret_webhook(envelope("order.updated", payload)) == OrderDeleted("8802")


def test_interpret_webhook_order_deleted_without_id_raises() -> None:
    with pytest.raises(MappingError, match="id"):
        platform.interpret_webhook(envelope("order.deleted", {}))


@pytest.mark.parametrize(
    "topic",
    ["product.updated", "coupon.created", "customer.deleted", "action.woocommerce_add_to_cart", "order.archived"],
)
def test_interpret_webhook_other_topics_are_ignored_with_reason(topic: str) -> None:
    change = platform.interpret_webhook(envelope(topic, {"id": 1}))
    assert isinstance(change, Ignored)
    assert change.reason


def test_interpret_webhook_rest_error_instead_of_order_is_ignored() -> None:
    error = {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.", "data": {"status": 404}}
    change = platform.interpret_webhook(envelope("order.updated", error))
    assert isinstance(change, Ignored)
    assert "woocommerce_rest_shop_order_invalid_id" in change.reason
