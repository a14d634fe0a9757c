"""Shops as seen by the order pipeline: find or register one, and the secret its webhooks are signed with."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import crypto
from app.extensions import db
from app.models import Shop


def find_shop(*, platform: str, domain: str) -> Shop | None:
    return db.session.scalars(
        select(Shop).where(Shop.platform == platform, Shop.domain == domain)
    ).first()


def get_or_create_shop(*, platform: str, domain: str) -> Shop:
    """The shop row for a verified delivery. Shopify signs with our app secret, so a valid signature proves the
    store installed the app even before the install flow has written its row."""
    shop = find_shop(platform=platform, domain=domain)
    if shop is None:
        try:
            with db.session.begin_nested():
                shop = Shop(platform=platform, domain=domain)
                db.session.add(shop)
        except IntegrityError:  # another process registered it a moment ago
            shop = find_shop(platform=platform, domain=domain)
            assert shop is not None
    return shop


def register_woocommerce_shop(*, domain: str, webhook_secret: str, name: str | None = None) -> Shop:
    """Create or update a WooCommerce store with the secret its webhooks are signed with (stored encrypted)."""
    shop = find_shop(platform="woocommerce", domain=domain)
    if shop is None:
        shop = Shop(platform="woocommerce", domain=domain)
        db.session.add(shop)
    shop.name = name or shop.name
    shop.webhook_secret_ciphertext = crypto.encrypt(webhook_secret)
    db.session.commit()
    from app.services import shop_keys

    shop_keys.forget(platform="woocommerce", domain=domain)
    return shop


def webhook_secrets(*, platform: str, shop: Shop | None) -> tuple[str, ...]:
    """Every key a shop's deliveries may be signed with, the current one first: Shopify signs with the app's client
    secret and, during a rotation of it, perhaps still with the one being retired. Empty for an unconnected store."""
    if platform == "shopify":
        return tuple(current_app.config["AFTERGLOW"].shopify_secrets())
    secret = webhook_secret(platform=platform, shop=shop)
    return (secret,) if secret else ()


def webhook_secret(*, platform: str, shop: Shop | None) -> str | None:
    """The key a shop's deliveries are signed with, or None when we cannot know it (unconnected store)."""
    if platform == "shopify":
        return str(current_app.config["AFTERGLOW"].shopify_api_secret)
    if shop is None or not shop.webhook_secret_ciphertext:
        return None
    return crypto.decrypt(shop.webhook_secret_ciphertext)
