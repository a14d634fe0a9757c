"""Reaching a connected Shopify store from the app: one HTTP client per process, the token issuer, and Admin
clients whose tokens come from the token store (refreshed as needed)."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from flask import current_app

from app.config import Settings
from app.models import Shop
from app.services import shopify_tokens
from integrations.shopify.client import API_VERSION, AdminClient
from integrations.shopify.http import http_client
from integrations.shopify.tokens import TokenIssuer


def http() -> httpx.Client:
    """The process's client for Shopify calls (connection reuse); `SHOPIFY_API_BASE_URL` sends them to a fake."""
    extensions = current_app.extensions
    client = extensions.get("afterglow.shopify_http")
    if client is None:
        client = extensions["afterglow.shopify_http"] = http_client(base_url=_settings().shopify_api_base_url)
    return client


def issuer() -> TokenIssuer:
    settings = _settings()
    return TokenIssuer(client_id=settings.shopify_api_key, client_secret=settings.shopify_api_secret, http=http())


def admin_client(*, shop: Shop, sleep: Callable[[float], None] | None = None) -> AdminClient:
    """A client for `shop`. Its waits (throttling, backoff) sleep on `sleep`, else on the app's
    `afterglow.shopify_sleep` extension when set (tests give a fake clock's), else on `time.sleep`."""
    sleep = sleep or current_app.extensions.get("afterglow.shopify_sleep") or time.sleep
    return AdminClient(
        shop.domain, shopify_tokens.TokenSource(shop_id=shop.id), http=http(),
        api_version=_settings().shopify_api_version or API_VERSION, sleep=sleep,
    )  # fmt: skip


def _settings() -> Settings:
    settings: Settings = current_app.config["AFTERGLOW"]
    return settings
