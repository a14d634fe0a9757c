"""Building signed deliveries the way Shopify and WooCommerce send them."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from tests.conftest import FIXTURES, SHOP, SHOPIFY_SECRET, WOO_SECRET, sign

WOO_SHOP = "woo.example.test"


def shopify_fixture(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((FIXTURES / "shopify" / name).read_text()))


def woo_fixture(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((FIXTURES / "woocommerce" / name).read_text()))


def shopify_delivery(
    topic: str, payload: dict[str, Any], *, event_id: str | None = None, shop: str = SHOP,
    secret: str = SHOPIFY_SECRET,
) -> tuple[dict[str, str], bytes]:  # fmt: skip
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(body, secret),
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2026-03-02T15:17:41.873251944Z",
    }
    return headers, body


def post_shopify(client: Any, topic: str, payload: dict[str, Any], **kwargs: Any) -> Any:
    headers, body = shopify_delivery(topic, payload, **kwargs)
    return client.post("/webhooks/shopify", data=body, headers=headers)


def woo_delivery(
    topic: str, payload: dict[str, Any], *, delivery_id: str | None = None, secret: str = WOO_SECRET
) -> tuple[dict[str, str], bytes]:
    # PHP's wp_json_encode escapes slashes; the signature is over exactly these bytes.
    body = json.dumps(payload).replace("/", "\\/").encode()
    headers = {
        "Content-Type": "application/json",
        "X-WC-Webhook-Source": f"https://{WOO_SHOP}/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.split(".")[0],
        "X-WC-Webhook-Event": topic.split(".")[1],
        "X-WC-Webhook-Signature": sign(body, secret),
        "X-WC-Webhook-ID": "16",
        "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
    }
    return headers, body


def post_woo(client: Any, topic: str, payload: dict[str, Any], **kwargs: Any) -> Any:
    headers, body = woo_delivery(topic, payload, **kwargs)
    return client.post("/webhooks/woocommerce", data=body, headers=headers)


def connect_woo_shop(app: Any) -> None:
    from app.services.shops import register_woocommerce_shop

    with app.app_context():
        register_woocommerce_shop(domain=WOO_SHOP, webhook_secret=WOO_SECRET)
