"""Signed login links into the admin for WooCommerce merchants (the WordPress plugin opens one).

A link carries `{"shop", "jti"}` signed with `SECRET_KEY` (itsdangerous, timestamped); it is refused after
`WOOCOMMERCE_LOGIN_TTL` seconds, for a store no longer connected, and the second time: its `jti` is stored when
used, under a unique key, so two tabs racing to use the same link get one session between them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Shop, WooCommerceLogin
from app.models.types import utcnow
from app.services import woocommerce_api

SALT = "afterglow.woocommerce-login"


class LoginRefused(Exception):
    """The link is forged, expired, already used, or its store is not connected."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def login_link(*, shop_id: int, app_url: str) -> str:
    if woocommerce_api.current_connection(shop_id=shop_id) is None:
        raise LoginRefused(f"shop {shop_id} is not connected to WooCommerce")
    token = _serializer().dumps({"shop": shop_id, "jti": secrets.token_urlsafe(24)})
    return f"{app_url}/auth/woocommerce/login?token={token}"


def redeem(*, token: str) -> Shop:
    """The shop a login link signs in to, spending the link."""
    ttl = int(current_app.config["AFTERGLOW"].woocommerce_login_ttl)
    try:
        claims: Any = _serializer().loads(token or "", max_age=ttl)
    except SignatureExpired:
        raise LoginRefused("This login link has expired: open Afterglow from WordPress again") from None
    except BadSignature:
        raise LoginRefused("This login link is not valid") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("shop"), int) or not claims.get("jti"):
        raise LoginRefused("This login link is not valid")
    shop = db.session.get(Shop, claims["shop"])
    if shop is None or woocommerce_api.current_connection(shop_id=shop.id) is None:
        raise LoginRefused("This store is no longer connected to Afterglow")
    try:
        with db.session.begin_nested():
            db.session.add(WooCommerceLogin(jti=str(claims["jti"])[:64], shop_id=shop.id,
                                            expires_at=utcnow() + timedelta(seconds=ttl)))  # fmt: skip
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise LoginRefused("This login link was already used: open Afterglow from WordPress again") from None
    return shop
