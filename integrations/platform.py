"""The contract every platform package fulfils (`integrations.shopify`, `integrations.woocommerce`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from integrations.models import Order, Platform, WebhookChange, WebhookEnvelope

Headers = Mapping[str, str]


class PlatformIntegration(Protocol):
    name: Platform

    def verify_webhook(self, headers: Headers, body: bytes, secret: str) -> None:
        """Check the delivery's signature over the raw body; raise `WebhookVerificationError` when it fails."""

    def is_ping(self, headers: Headers, body: bytes) -> bool:
        """True for an unsigned set-up probe that must simply get a 200 (WooCommerce's `webhook_id=N`)."""

    def shop_domain(self, headers: Headers) -> str | None:
        """The store a delivery claims to come from, read from its headers, normalised; None when absent."""

    def parse_webhook(self, headers: Headers, body: bytes) -> WebhookEnvelope:
        """Topic, shop, dedupe id and decoded payload; raises `MappingError` on malformed JSON or headers."""

    def normalise_order(self, payload: Mapping[str, Any], *, shop_domain: str) -> Order:
        """A platform order payload as a canonical `Order`; raises `MappingError` with the field at fault."""

    def interpret_webhook(self, envelope: WebhookEnvelope) -> WebhookChange:
        """What the event asks of the order store: upsert, delete, fulfillment, refund, or ignore with a reason."""
