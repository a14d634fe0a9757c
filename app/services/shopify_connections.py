"""Connecting a Shopify store: a verified App Bridge session token in, the store's offline tokens and details kept.

Verifying the session token (its signature with the app secret, audience, expiry) is the embedded admin's job
(shopifyapp's `verify_app_home_req`); this takes over once it has, so the admin and the install flow share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.extensions import db
from app.models import Shop
from app.services import shopify_api
from app.services.shopify_tokens import store_tokens
from app.services.shops import get_or_create_shop
from integrations.shopify.admin import shop_details


def connect_with_session_token(*, shop_domain: str, id_token: str, claims: Mapping[str, Any]) -> Shop:
    """Exchange a verified session token for an expiring offline token, keep it (encrypted), and fill in the
    store's name, currency and timezone from Shopify. Raises `AuthenticationError` if Shopify refuses it."""
    if str(claims.get("dest", "")).removeprefix("https://") != shop_domain:
        raise ValueError(f"the session token is for {claims.get('dest')!r}, not {shop_domain!r}")
    issued = shopify_api.issuer().exchange(id_token=id_token, claims=claims)
    shop = get_or_create_shop(platform="shopify", domain=shop_domain)
    shop.uninstalled_at = None  # a store that reinstalls is connected again
    db.session.commit()
    store_tokens(shop_id=shop.id, issued=issued)
    details = shop_details(shopify_api.admin_client(shop=shop))
    shop.name, shop.currency, shop.timezone = details.name or shop.name, details.currency or None, details.timezone
    db.session.commit()
    return shop
