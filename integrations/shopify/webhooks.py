"""Shopify webhook deliveries: signature, envelope, and what each topic asks of the order store.

Header names are matched case-insensitively (HTTP/2 lower-cases them). Shopify's newer "Events" deliveries drop the
`X-` prefix (`Shopify-Hmac-Sha256`), so every header is looked up under both spellings, `X-` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from integrations.errors import MappingError
from integrations.models import (
    FulfillmentUpsert,
    Ignored,
    OrderDeleted,
    OrderUpsert,
    Platform,
    PrivacyRequest,
    PrivacyRequestKind,
    RefundCreated,
    WebhookChange,
    WebhookEnvelope,
)
from integrations.parsing import loads, text, to_datetime
from integrations.platform import Headers, verify_base64_hmac_sha256
from integrations.platform import header as find_header
from integrations.shopify.fields import ident, optional_ident
from integrations.shopify.mapping import normalise_fulfillment, normalise_order, normalise_refund

HMAC_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
SHOP_HEADER = "X-Shopify-Shop-Domain"
EVENT_ID_HEADER = "X-Shopify-Event-Id"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
TRIGGERED_AT_HEADER = "X-Shopify-Triggered-At"
API_VERSION_HEADER = "X-Shopify-API-Version"

SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*\.myshopify\.com")

ORDER_TOPICS = frozenset(
    {
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/paid",
        "orders/edited",
    }
)
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})

# Topics that reach the same endpoint but are not order-store changes: say why, so the inbox row explains itself.
_IGNORED_REASONS: Mapping[str, str] = {
    "fulfillment_events/create": "fulfillment events are tracking progress; tracking comes from the carrier sources",
}


def header(headers: Headers, name: str) -> str | None:
    """A header's trimmed value by case-insensitive name, also under its newer `X-`-less spelling."""
    return find_header(headers, name, name.lower().removeprefix("x-"))


def verify_webhook(headers: Headers, body: bytes, secret: str) -> None:
    # shopifyapp (1.0.2) verifies through `verify_webhook_req`, which takes a request dict with a *str* body and
    # re-encodes it as UTF-8 (and wants the method, a plain dict of headers...). Shopify signs the raw bytes, so we
    # compute the same base64 HMAC-SHA256 over the bytes as received, with a constant-time compare.
    verify_base64_hmac_sha256(header(headers, HMAC_HEADER), body, secret, header_name=HMAC_HEADER)


def is_ping(headers: Headers, body: bytes) -> bool:
    """Shopify sends no unsigned set-up probe: every delivery must be verified."""
    return False


def shop_domain(headers: Headers) -> str | None:
    value = header(headers, SHOP_HEADER)
    if value is None:
        return None
    domain = value.lower()
    return domain if SHOP_DOMAIN.fullmatch(domain) else None


def parse_webhook(headers: Headers, body: bytes) -> WebhookEnvelope:
    topic = header(headers, TOPIC_HEADER)
    if topic is None:
        raise MappingError(f"{TOPIC_HEADER} header is missing")
    shop = shop_domain(headers)
    if shop is None:
        raise MappingError(f"{SHOP_HEADER} header is missing or not a *.myshopify.com domain")
    webhook_id = header(headers, WEBHOOK_ID_HEADER)
    # Shopify names X-Shopify-Event-Id as the duplicate detector; older deliveries carry only the webhook id.
    event_id = header(headers, EVENT_ID_HEADER) or webhook_id
    if event_id is None:
        raise MappingError(f"{EVENT_ID_HEADER} and {WEBHOOK_ID_HEADER} headers are both missing")
    triggered_at = to_datetime(header(headers, TRIGGERED_AT_HEADER), TRIGGERED_AT_HEADER)
    payload = loads(body)
    if not isinstance(payload, dict):
        raise MappingError(f"body: expected a JSON object, got {type(payload).__name__}")
    return WebhookEnvelope(
        platform=Platform.SHOPIFY,
        topic=topic.lower(),
        shop_domain=shop,
        event_id=event_id,
        payload=payload,
        triggered_at=triggered_at,
        api_version=header(headers, API_VERSION_HEADER),
        webhook_id=webhook_id,
    )


def interpret_webhook(envelope: WebhookEnvelope) -> WebhookChange:
    topic = envelope.topic.strip().lower()
    handler = _HANDLERS.get(topic)
    if handler is not None:
        return handler(envelope)
    return Ignored(_IGNORED_REASONS.get(topic, f"topic {topic!r} does not change orders"))


def _order(envelope: WebhookEnvelope) -> WebhookChange:
    payload = envelope.payload
    if not _looks_like_order(payload):
        # orders/edited carries an `order_edit` summary, not the order; the orders/updated that follows carries it.
        return Ignored(f"{envelope.topic} payload is not an order (keys: {', '.join(sorted(payload)[:5])})")
    return OrderUpsert(normalise_order(payload, shop_domain=envelope.shop_domain))


def _looks_like_order(payload: Mapping[str, Any]) -> bool:
    return "id" in payload and ("line_items" in payload or "order_number" in payload)


def _order_deleted(envelope: WebhookEnvelope) -> WebhookChange:
    return OrderDeleted(ident(envelope.payload.get("id"), "id"))


def _fulfillment(envelope: WebhookEnvelope) -> WebhookChange:
    order_id = ident(envelope.payload.get("order_id"), "order_id")
    return FulfillmentUpsert(order_id, normalise_fulfillment(envelope.payload))


def _refund(envelope: WebhookEnvelope) -> WebhookChange:
    order_id = ident(envelope.payload.get("order_id"), "order_id")
    return RefundCreated(order_id, normalise_refund(envelope.payload))


def _privacy(kind: PrivacyRequestKind) -> Callable[[WebhookEnvelope], WebhookChange]:
    """The compliance payloads (shopify.dev, "Privacy law compliance"): `customer` {id, email, phone} with
    `orders_requested` (data request) or `orders_to_redact` (redact), and `data_request.id`; shop/redact and
    app/uninstalled need nothing but the store, which the headers name."""

    def interpret(envelope: WebhookEnvelope) -> WebhookChange:
        payload = envelope.payload
        customer: Mapping[str, Any] = payload["customer"] if isinstance(payload.get("customer"), Mapping) else {}
        order_ids = payload.get("orders_requested") or payload.get("orders_to_redact") or []
        if not isinstance(order_ids, list):
            raise MappingError(f"orders of {envelope.topic}: expected a list, got {type(order_ids).__name__}")
        request: Mapping[str, Any] = payload["data_request"] if isinstance(payload.get("data_request"), Mapping) else {}
        return PrivacyRequest(
            kind=kind,
            customer_external_id=optional_ident(customer.get("id"), "customer.id"),
            email=text(customer.get("email")),
            phone=text(customer.get("phone")),
            order_external_ids=tuple(ident(value, f"orders[{at}]") for at, value in enumerate(order_ids)),
            request_id=optional_ident(request.get("id"), "data_request.id"),
        )

    return interpret


COMPLIANCE_TOPICS: Mapping[str, PrivacyRequestKind] = {
    "customers/data_request": PrivacyRequestKind.CUSTOMER_DATA_REQUEST,
    "customers/redact": PrivacyRequestKind.CUSTOMER_REDACT,
    "shop/redact": PrivacyRequestKind.SHOP_REDACT,
    "app/uninstalled": PrivacyRequestKind.APP_UNINSTALLED,
}

_HANDLERS: Mapping[str, Callable[[WebhookEnvelope], WebhookChange]] = {
    **dict.fromkeys(ORDER_TOPICS, _order),
    "orders/delete": _order_deleted,
    **dict.fromkeys(FULFILLMENT_TOPICS, _fulfillment),
    "refunds/create": _refund,
    **{topic: _privacy(kind) for topic, kind in COMPLIANCE_TOPICS.items()},
}
