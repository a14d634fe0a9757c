"""Signed login links into the admin for WooCommerce merchants (the WordPress plugin opens one).

The plugin asks for a link with a request signed by the REST key the store gave us at connect time: WooCommerce
keeps that key's consumer secret in its own table, so only the store's WordPress (or whoever holds the key) can
sign it (`link_for_signed_request`).

A link carries `{"shop", "jti"}` signed with `SECRET_KEY` (itsdangerous, timestamped); it is refused after
`WOOCOMMERCE_LOGIN_TTL` seconds, for a store no longer connected, and the second time: its `jti` is stored when
used, under a unique key, so two tabs racing to use the same link get one session between them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import crypto
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


MAX_SKEW_SECONDS = 300


def link_for_signed_request(*, body: bytes, signature: str, app_url: str, now: float) -> str:
    """A login link for the store a plugin request names, if the request is signed (base64 HMAC-SHA256 of the body)
    with that store's REST consumer secret and is recent. Raises `LoginRefused`."""
    try:
        request = json.loads(body)
        domain, timestamp = str(request["store"]).strip().lower(), int(request["timestamp"])
    except (ValueError, KeyError, TypeError, OverflowError):  # OverflowError: a timestamp of 1e999 reads as inf
        raise LoginRefused("send {\"store\": DOMAIN, \"timestamp\": UNIX TIME} as JSON") from None
    if abs(now - timestamp) > MAX_SKEW_SECONDS:
        raise LoginRefused("the request's timestamp is too far from now")
    shop = db.session.scalars(select(Shop).where(Shop.platform == "woocommerce", Shop.domain == domain)).first()
    connection = woocommerce_api.current_connection(shop_id=shop.id) if shop else None
    ciphertext = connection.consumer_secret_ciphertext if connection else None
    secret = crypto.decrypt(ciphertext) if ciphertext else ""
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    if shop is None or not secret or not hmac.compare_digest(expected, signature.strip()):
        raise LoginRefused("the request is not signed by this store's Afterglow key")
    return login_link(shop_id=shop.id, app_url=app_url)


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
