"""What ingress needs to know about a store on every delivery: its id and signing secret, cached per process.

Webhooks arrive hundreds of times a second for the same few stores; reading the shop row and decrypting its
secret each time would double the cost of an acknowledgement. Entries live `TTL_SECONDS`; a signature that
fails against a cached secret is checked once more against the database, so a rotated secret is never refused.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import current_app

from app.services import shops

TTL_SECONDS = 60.0


@dataclass(frozen=True)
class ShopKey:
    shop_id: int | None  # None: a Shopify store whose row does not exist yet
    secrets: tuple[str, ...]  # current first; empty: we hold none for this store (an unconnected WooCommerce site)


@dataclass
class _Cache:
    entries: dict[tuple[str, str], tuple[float, ShopKey]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _cache() -> _Cache:
    cache: _Cache = current_app.extensions.setdefault("afterglow.shop_keys", _Cache())
    return cache


def lookup(*, platform: str, domain: str, fresh: bool = False) -> ShopKey:
    cache, key, now = _cache(), (platform, domain), time.monotonic()
    if not fresh:
        with cache.lock:
            cached = cache.entries.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
    shop = shops.find_shop(platform=platform, domain=domain)
    entry = ShopKey(shop_id=shop.id if shop else None, secrets=shops.webhook_secrets(platform=platform, shop=shop))
    with cache.lock:
        if entry.shop_id is None:  # never cache absence: a store connecting now must work at once
            cache.entries.pop(key, None)
        else:
            cache.entries[key] = (now + TTL_SECONDS, entry)
    return entry


def forget(*, platform: str | None = None, domain: str | None = None) -> None:
    """Drop one store's entry (its secret changed, it was deleted), or every entry when called without names."""
    cache = _cache()
    with cache.lock:
        if platform is None or domain is None:
            cache.entries.clear()
        else:
            cache.entries.pop((platform, domain), None)
