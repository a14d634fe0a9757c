"""The contract every platform package fulfils (`integrations.shopify`, `integrations.woocommerce`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from integrations.errors import WebhookVerificationError
from integrations.models import Order, Platform, WebhookChange, WebhookEnvelope
from integrations.parsing import text


class Headers(Protocol):
    """Anything that lists header pairs: a plain dict in any casing, werkzeug's `Headers`, httpx's."""

    def items(self) -> Iterable[tuple[str, str]]: ...


def header(headers: Headers, *names: str) -> str | None:
    """The first non-blank value among `names`, matched without regard to case; None when none is present."""
    wanted = [name.lower() for name in names]
    if isinstance(headers, dict):
        for name in wanted:
            value = headers.get(name)
            if value is None:
                value = next((v for k, v in headers.items() if k.lower() == name), None)
            if (cleaned := text(value)) is not None:
                return cleaned
        return None
    found: dict[str, str] = {}
    for key, raw in headers.items():
        lowered = str(key).lower()
        if lowered in wanted:
            found.setdefault(lowered, raw)
    for name in wanted:
        if (value := text(found.get(name))) is not None:
            return value
    return None


class PlatformIntegration(Protocol):
    @property
    def name(self) -> Platform: ...

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


def verify_base64_hmac_sha256(signature: str | None, body: bytes, secret: str, *, header_name: str) -> None:
    """The scheme both Shopify and WooCommerce use: base64(HMAC-SHA256(raw body, secret)), compared in constant
    time over the bytes exactly as received (re-serialising the JSON would change them)."""
    if signature is None:
        raise WebhookVerificationError(f"{header_name} header is missing", missing=True)
    if not secret:
        # An empty key is a key anyone can sign with: refuse rather than accept every delivery.
        raise WebhookVerificationError("no secret on file to verify the delivery against")
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), bytes(body), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature.encode("utf-8")):
        raise WebhookVerificationError(f"{header_name} does not match the body")


@dataclass(frozen=True)
class ModulePlatform:
    """A `PlatformIntegration` assembled from a platform package's module functions."""

    name: Platform
    verify_webhook: Callable[[Headers, bytes, str], None]
    is_ping: Callable[[Headers, bytes], bool]
    shop_domain: Callable[[Headers], str | None]
    parse_webhook: Callable[[Headers, bytes], WebhookEnvelope]
    normalise_order: Callable[..., Order]
    interpret_webhook: Callable[[WebhookEnvelope], WebhookChange]
