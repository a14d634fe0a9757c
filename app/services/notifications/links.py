"""Signed links in messages: the order's tracking page, and the unsubscribe page.

Both are signed with `SECRET_KEY` (itsdangerous) and carry ids only, never an address: a tracking link names the
shop and order, an unsubscribe link the notification it came in (which knows the shop, channel and address). The
tracking link's token is the storefront's own (`app.services.storefront.link_token`, valid 180 days), so the page
it opens shows that order at once.
The tracking page is the storefront's, so its address follows the platform: Shopify serves it through the app
proxy on the shop's own domain; WooCommerce through the plugin's page.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.services import storefront

UNSUBSCRIBE_SALT = "afterglow.unsubscribe"


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def tracking_token(*, shop_id: int, order_id: int) -> str:
    """The storefront's own order link token: the tracking page (`afterglow_token=`) opens the order with it."""
    return storefront.link_token(shop_id=shop_id, order_id=order_id)


def read_tracking_token(token: str) -> tuple[int, int] | None:
    """(shop id, order id) from a tracking link's token, or None when it was not signed by us (or has expired)."""
    return storefront.read_link_token(token)


def tracking_url(*, platform: str, domain: str, shop_id: int, order_id: int) -> str:
    settings = current_app.config["AFTERGLOW"]
    pattern = settings.tracking_url_shopify if platform == "shopify" else settings.tracking_url_woocommerce
    return str(pattern.format(domain=domain, token=tracking_token(shop_id=shop_id, order_id=order_id)))


def unsubscribe_token(*, notification_id: int) -> str:
    return str(_serializer(UNSUBSCRIBE_SALT).dumps({"n": notification_id}))


def read_unsubscribe_token(token: str) -> int | None:
    data = _loads(UNSUBSCRIBE_SALT, token)
    return data["n"] if data is not None and isinstance(data.get("n"), int) else None


def unsubscribe_url(*, notification_id: int) -> str:
    base = current_app.config["AFTERGLOW"].public_url.rstrip("/")
    return f"{base}/notifications/unsubscribe/{unsubscribe_token(notification_id=notification_id)}"


def _loads(salt: str, token: str) -> dict[str, Any] | None:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None
