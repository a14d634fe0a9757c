"""The webhook side of the fake Shopify: deliveries signed and sent as Shopify sends them.

Shopify POSTs the JSON body with `X-Shopify-Topic`, `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the exact body,
keyed with the app's client secret), `X-Shopify-Shop-Domain`, `X-Shopify-API-Version`, `X-Shopify-Webhook-Id`,
`X-Shopify-Event-Id` and `X-Shopify-Triggered-At`. An answer other than 2xx within a few seconds is a failure, and
Shopify delivers the same event again later (same event id, a new webhook id): `redeliver_failed` does that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

API_VERSION = "2026-10"


@dataclass
class Delivery:
    topic: str
    shop: str
    event_id: str
    body: bytes
    statuses: list[int] = field(default_factory=list)  # one per attempt; 0: no answer

    @property
    def delivered(self) -> bool:
        return bool(self.statuses) and 200 <= self.statuses[-1] < 300


class ShopifyWebhookSender:
    """Sends signed deliveries to `url` (the app's `/webhooks/shopify`) and remembers each one's attempts."""

    def __init__(self, *, url: str, secret: str, timeout: float = 5.0) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout
        self.deliveries: list[Delivery] = []

    def send(self, *, shop: str, topic: str, payload: dict[str, Any], event_id: str | None = None) -> Delivery:
        delivery = Delivery(topic=topic, shop=shop, event_id=event_id or str(uuid.uuid4()),
                            body=json.dumps(payload).encode())  # fmt: skip
        self.deliveries.append(delivery)
        self._attempt(delivery)
        return delivery

    def redeliver_failed(self) -> int:
        """Deliver every failed event again, as Shopify's retries do. Returns how many were sent."""
        failed = [delivery for delivery in self.deliveries if not delivery.delivered]
        for delivery in failed:
            self._attempt(delivery)
        return len(failed)

    def headers(self, delivery: Delivery) -> dict[str, str]:
        digest = hmac.new(self.secret.encode(), delivery.body, hashlib.sha256).digest()
        return {
            "Content-Type": "application/json",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
            "X-Shopify-Shop-Domain": delivery.shop,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),  # new per attempt
            "X-Shopify-Event-Id": delivery.event_id,  # the same across attempts
            "X-Shopify-Triggered-At": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }

    def _attempt(self, delivery: Delivery) -> None:
        try:
            status = httpx.post(self.url, content=delivery.body, headers=self.headers(delivery),
                                timeout=self.timeout).status_code  # fmt: skip
        except httpx.HTTPError:
            status = 0
        delivery.statuses.append(status)
