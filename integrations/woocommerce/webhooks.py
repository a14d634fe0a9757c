"""WooCommerce webhook deliveries: signature, set-up ping, envelope, and what each topic asks of us.

What WooCommerce sends (`WC_Webhook::deliver`, `deliver_ping`, `build_payload` in `class-wc-webhook.php`):
- body: `trim(wp_json_encode($payload))`, i.e. PHP's JSON with escaped slashes (`\\/`) and usually escaped unicode;
- `X-WC-Webhook-Signature`: base64(HMAC-SHA256(body, secret)), computed over those exact bytes;
- `X-WC-Webhook-Source` (`home_url('/')`), `-Topic` (`order.updated`), `-Resource`, `-Event`, `-ID` (the webhook),
  `-Delivery-ID` (`wp_hash(webhook id . time())`: the same for every delivery of that webhook within one second);
- for `*.deleted` the payload is only `{"id": N}`; `order.deleted` fires when an order is trashed and
  `order.restored` when it leaves the trash;
- when a webhook is saved, an unsigned form-encoded ping `webhook_id=N` that must get a 200.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from integrations.errors import MappingError
from integrations.models import (
    Ignored,
    OrderDeleted,
    OrderUpsert,
    Platform,
    WebhookChange,
    WebhookEnvelope,
)
from integrations.parsing import loads, to_datetime, to_id
from integrations.platform import Headers, verify_base64_hmac_sha256
from integrations.platform import header as find_header
from integrations.woocommerce import units
from integrations.woocommerce.mapping import normalise_order

SIGNATURE = "X-WC-Webhook-Signature"
SOURCE = "X-WC-Webhook-Source"
TOPIC = "X-WC-Webhook-Topic"
RESOURCE = "X-WC-Webhook-Resource"
EVENT = "X-WC-Webhook-Event"
WEBHOOK_ID = "X-WC-Webhook-ID"
DELIVERY_ID = "X-WC-Webhook-Delivery-ID"

_PING_BODY = re.compile(rb"webhook_id=[0-9]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def header(headers: Headers, name: str) -> str | None:
    """A header value looked up without regard to case; blank is None."""
    return find_header(headers, name)


def verify_webhook(headers: Headers, body: bytes, secret: str) -> None:
    """Check `X-WC-Webhook-Signature` over the raw body bytes exactly as received.

    Never re-serialise the JSON: PHP escapes `/` and non-ASCII characters, Python's json does not, and a single
    byte of difference changes the HMAC.
    """
    verify_base64_hmac_sha256(header(headers, SIGNATURE), body, secret, header_name=SIGNATURE)


def is_ping(headers: Headers, body: bytes) -> bool:
    """WooCommerce's unsigned "is this URL alive" probe, sent when a webhook is saved: exactly `webhook_id=<digits>`."""
    return header(headers, SIGNATURE) is None and _PING_BODY.fullmatch(body) is not None


def shop_domain(headers: Headers) -> str | None:
    """The store from `X-WC-Webhook-Source` (WordPress `home_url('/')`): host in lower case, a non-default port
    kept, and the folder of a WordPress installed below the root (`example.com/store`). None when unusable."""
    source = header(headers, SOURCE)
    if source is None:
        return None
    try:
        parts = urlsplit(source)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        host = f"{host}:{port}"
    return host + parts.path.rstrip("/")


def parse_webhook(headers: Headers, body: bytes) -> WebhookEnvelope:
    topic = header(headers, TOPIC)
    if topic is None:
        resource, event = header(headers, RESOURCE), header(headers, EVENT)
        if resource is None or event is None:
            raise MappingError(f"{TOPIC} header missing")
        topic = f"{resource}.{event}"
    domain = shop_domain(headers)
    if domain is None:
        raise MappingError(f"{SOURCE} header missing or not an http(s) URL")
    payload = loads(body)
    if not isinstance(payload, dict):
        raise MappingError("body: expected a JSON object")
    webhook_id = header(headers, WEBHOOK_ID)
    return WebhookEnvelope(
        platform=Platform.WOOCOMMERCE,
        topic=topic.lower(),
        shop_domain=domain,
        event_id=event_id(webhook_id, header(headers, DELIVERY_ID), body),
        payload=payload,
        triggered_at=_triggered_at(payload),
        webhook_id=webhook_id,
    )


def event_id(webhook_id: str | None, delivery_id: str | None, body: bytes) -> str:
    """The dedupe key of a delivery.

    The delivery id alone is not unique: WooCommerce derives it from the webhook id and the current second, so two
    orders updated within the same second share it. The body alone is not enough either: trashing an order twice
    (with a restore in between) sends `{"id": N}` both times. Together they tell events apart, while a redelivery
    of the very same request (same webhook, same delivery id, same bytes) maps to the same key.
    """
    digest = hashlib.sha256(body).hexdigest()[:24]
    return f"{webhook_id or ''}:{delivery_id or ''}:{digest}"


def _triggered_at(payload: Mapping[str, Any]) -> datetime | None:
    try:
        return to_datetime(payload.get("date_modified_gmt"), "date_modified_gmt")
    except MappingError:
        return None  # a label for the inbox row, not worth refusing the delivery over


def interpret_webhook(envelope: WebhookEnvelope) -> WebhookChange:
    resource, _, event = envelope.topic.partition(".")
    if resource != "order":
        return Ignored(f"topic {envelope.topic!r} is not about orders")
    payload = envelope.payload
    if event == "deleted":
        return OrderDeleted(str(to_id(payload.get("id"), "id")))
    if event not in ("created", "updated", "restored"):
        return Ignored(f"order event {event!r} is not handled")
    if "id" not in payload and "code" in payload:
        # build_payload answers with the REST error when the order vanished before the delivery ran.
        return Ignored(f"WooCommerce sent a REST error instead of an order: {payload.get('code')}")
    return order_change(payload, shop_domain=envelope.shop_domain)


def order_change(payload: Mapping[str, Any], *, shop_domain: str) -> WebhookChange:
    """What one order as the REST API shows it asks of the order store; a delivery and a backfilled page of
    `GET /orders` go through this same decision, so both store an order the same way."""
    status = units.status_key(payload.get("status"))
    if status in units.DRAFT_STATUSES:
        return Ignored("checkout draft")
    if status == units.TRASH:
        return OrderDeleted(str(to_id(payload.get("id"), "id")))
    return OrderUpsert(normalise_order(payload, shop_domain=shop_domain))
