"""Shopify app proxy requests: the storefront asks `https://{shop}/apps/<subpath>/...` and Shopify forwards it to
us with `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` added to the query string.

The signature (shopify.dev, "Authenticate app proxies") is the hex HMAC-SHA256, keyed with the app's client
secret, of every query parameter but `signature`, each written `key=value` with a repeated key's values joined by
commas, sorted by key and concatenated with no separator. Only after it checks out may `shop` and
`logged_in_customer_id` be believed; a timestamp too far from now is refused so a captured URL cannot be replayed
for long.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from integrations.errors import SignatureError

MAX_SKEW_SECONDS = 300
SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*\.myshopify\.com")


@dataclass(frozen=True)
class AppProxyRequest:
    """What a verified proxy request tells us about who is asking."""

    shop_domain: str
    logged_in_customer_id: str | None  # None: no shopper is signed in to the store
    path_prefix: str | None  # "/apps/track": where the storefront mounted us
    timestamp: int


def proxy_signature(params: Iterable[tuple[str, str]], secret: str) -> str:
    """The signature Shopify computes over these query parameters (any `signature` among them is left out)."""
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        if key != "signature":
            grouped.setdefault(key, []).append(value)
    message = "".join(f"{key}={','.join(values)}" for key, values in sorted(grouped.items()))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def verify_app_proxy(
    params: Sequence[tuple[str, str]], secrets: Sequence[str], *, now: float, max_skew: int = MAX_SKEW_SECONDS
) -> AppProxyRequest:
    """Check a forwarded request's query parameters (in the order and multiplicity they arrived). `secrets` holds
    the current client secret first and, during a rotation, the previous one. Raises `SignatureError`."""
    signatures = [value for key, value in params if key == "signature"]
    if len(signatures) != 1 or not signatures[0]:
        raise SignatureError("app proxy signature missing", missing=True)
    given = signatures[0].strip().lower()
    if not any(hmac.compare_digest(proxy_signature(params, secret), given) for secret in secrets if secret):
        raise SignatureError("app proxy signature does not match")
    values = dict(params)
    shop = (values.get("shop") or "").strip().lower()
    if not SHOP_DOMAIN.fullmatch(shop):
        raise SignatureError(f"app proxy request names no valid shop: {shop!r}")
    try:
        timestamp = int(values.get("timestamp") or "")
    except ValueError:
        raise SignatureError("app proxy timestamp is not a number") from None
    if abs(now - timestamp) > max_skew:
        raise SignatureError(f"app proxy request is {int(abs(now - timestamp))} s from now (limit {max_skew} s)")
    return AppProxyRequest(
        shop_domain=shop,
        logged_in_customer_id=(values.get("logged_in_customer_id") or "").strip() or None,
        path_prefix=values.get("path_prefix") or None,
        timestamp=timestamp,
    )


__all__ = ["MAX_SKEW_SECONDS", "AppProxyRequest", "proxy_signature", "verify_app_proxy"]
