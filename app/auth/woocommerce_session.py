"""The admin session of a merchant outside the Shopify admin: a signed, expiring cookie (Secure, HttpOnly,
SameSite=Lax) that names the shop and carries a CSRF token. A WooCommerce merchant gets one from a login link; outside
production, `/demo/admin` gives one for a demo store (marked `demo`, refused in production and for any other store).
Requests that change something (any method but GET, HEAD, OPTIONS) must echo the token in `X-CSRF-Token` (a plain
HTML form sends it as the `csrf_token` field). Disconnecting a WooCommerce store ends every session of it, since such
a session is valid only while the store has a connection."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Request, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Shop
from app.services import woocommerce_api

COOKIE = "afterglow_woo_session"
SALT = "afterglow.woocommerce-session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _ttl() -> int:
    return int(current_app.config["AFTERGLOW"].woocommerce_session_ttl)


def start_session(response: Response, *, shop_id: int, demo: bool = False) -> str:
    """Sign the merchant in on `response`; returns the session's CSRF token."""
    csrf = secrets.token_urlsafe(32)
    value = _serializer().dumps({"shop": shop_id, "csrf": csrf, **({"demo": True} if demo else {})})
    response.set_cookie(COOKIE, value, max_age=_ttl(), secure=True, httponly=True, samesite="Lax", path="/")
    return csrf


def end_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="Lax")


def session_claims(request: Request) -> dict[str, Any] | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        claims = _serializer().loads(raw, max_age=_ttl())
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("shop"), int) or not claims.get("csrf"):
        return None
    return claims


def csrf_token(request: Request) -> str | None:
    claims = session_claims(request)
    return str(claims["csrf"]) if claims else None


def woocommerce_session_shop(request: Request) -> Shop | None:
    """The signed-in WooCommerce shop, or None (no or bad cookie, store disconnected, missing or wrong CSRF)."""
    claims = session_claims(request)
    if claims is None:
        return None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
        if not secrets.compare_digest(sent.encode(), str(claims["csrf"]).encode()):
            return None
    shop = db.session.get(Shop, claims["shop"])
    if shop is not None and claims.get("demo"):
        return shop if _demo_store(shop) else None
    if shop is None or shop.platform != "woocommerce":
        return None
    if woocommerce_api.current_connection(shop_id=shop.id) is None:
        return None
    return shop


def _demo_store(shop: Shop) -> bool:
    from app import demo

    production = current_app.config["AFTERGLOW"].env == "production"
    return not production and shop.domain in (demo.SHOPIFY_DOMAIN, demo.WOO_DOMAIN)
