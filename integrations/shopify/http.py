"""The HTTP client our Shopify calls go through: timeouts, and optionally one origin for every store.

Production talks to `https://{shop}.myshopify.com`. Tests and the demo cannot, so `base_url` (the
`SHOPIFY_API_BASE_URL` setting) sends every `*.myshopify.com` request to a local fake instead, keeping the
`Host` header so the fake knows which store was asked. Nothing else in our code changes.
"""

from __future__ import annotations

import re

import httpx

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
SHOP_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*\.myshopify\.com")


def shop_name(shop_domain: str) -> str:
    """`x` for `x.myshopify.com`: shopifyapp takes the bare name and builds the URL itself."""
    domain = shop_domain.strip().lower()
    if not SHOP_DOMAIN.fullmatch(domain):
        raise ValueError(f"not a *.myshopify.com domain: {shop_domain!r}")
    return domain.removesuffix(".myshopify.com")


class OneOriginTransport(httpx.BaseTransport):
    """Sends requests for `*.myshopify.com` to `base_url` (scheme, host and port), path and query unchanged."""

    def __init__(self, base_url: str, inner: httpx.BaseTransport | None = None) -> None:
        self._base = httpx.URL(base_url)
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host.endswith(".myshopify.com"):
            request.url = request.url.copy_with(
                scheme=self._base.scheme, host=self._base.host, port=self._base.port
            )  # the Host header still names the store
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def http_client(*, base_url: str | None = None, timeout: httpx.Timeout = TIMEOUT) -> httpx.Client:
    transport = OneOriginTransport(base_url) if base_url else None
    return httpx.Client(timeout=timeout, transport=transport)
