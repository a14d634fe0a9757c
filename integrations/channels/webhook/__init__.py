"""Signed webhooks to the merchant's own endpoint: one JSON POST per milestone.

    POST <url>
    Content-Type: application/json
    X-Afterglow-Event: shipped
    X-Afterglow-Idempotency-Key: 12:shipment:34:shipped:webhook
    X-Afterglow-Signature: t=1767225600,v1=<hex HMAC-SHA256 of "<t>.<body>" with the shop's secret>

    {"id": "...", "type": "shipped", "created_at": "...", "data": {...}}

The timestamp is signed with the body, so a captured delivery cannot be replayed later (`verify` refuses one
older than `tolerance`). 2xx is delivered; 408, 429, 5xx and network failures are retried; any other 4xx is the
endpoint refusing this event and is not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from types import TracebackType

import httpx

from integrations.channels.models import DeliveryRefused, EventMessage, Message, Receipt
from integrations.errors import RetryableError

SIGNATURE_HEADER = "X-Afterglow-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a merchant's endpoint does with a delivery: the signature matches and is recent."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


class WebhookTransport:
    def __init__(self, *, url: str, secret: str, timeout: float = 10.0, client: httpx.Client | None = None) -> None:
        self.url = url
        self.secret = secret
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def __enter__(self) -> WebhookTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._client.close()

    def send(self, message: Message) -> Receipt:
        if not isinstance(message, EventMessage):
            raise DeliveryRefused("merchant webhooks carry events only")
        body = json.dumps({
            "id": message.idempotency_key, "type": message.name, "created_at": message.occurred_at.isoformat(),
            "data": message.properties,
        }, separators=(",", ":"), default=str).encode()  # fmt: skip
        headers = {
            "Content-Type": "application/json", "User-Agent": "Afterglow-Webhooks/1",
            "X-Afterglow-Event": message.name, "X-Afterglow-Idempotency-Key": message.idempotency_key,
            SIGNATURE_HEADER: sign(self.secret, int(time.time()), body),
        }  # fmt: skip
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RetryableError(f"webhook endpoint unreachable: {type(exc).__name__}: {exc}") from exc
        if response.is_success:
            return Receipt(provider_message_id=response.headers.get("X-Request-Id"))
        detail = f"webhook endpoint answered {response.status_code}"
        if response.status_code in (408, 429) or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After", "")
            raise RetryableError(detail, retry_after=float(retry_after) if retry_after.isdigit() else None)
        raise DeliveryRefused(detail)
