"""Install and connect flows, and how merchants sign in to the admin (WooCommerce's in `woocommerce`). Here, Shopify's
install and sign-in for the embedded admin: checking the session token Shopify loads the app home with, and the
page App Bridge uses to fetch a fresh one.

Shopify's managed install needs no OAuth redirect dance: the store's admin opens the app home with `shop`, `host`
and `id_token` in the query; the token is verified (`app_home_token`) and, for a store we hold no usable tokens for,
exchanged for an expiring offline token (`app.services.shop_lifecycle.install`). A load without a token, or with a
stale one, is sent to `/auth/patch-id-token`, a page that only loads App Bridge, which reloads the app home with a
fresh `id_token` (shopifyapp builds both answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Request, Response, current_app, request
from shopify_app.helpers import app_home_patch_id_token
from shopify_app.verify import verify_app_home_req

from integrations.shopify.http import SHOP_DOMAIN
from integrations.shopify.session_tokens import SessionToken, SessionTokenError, check_claims

bp = Blueprint("auth", __name__, url_prefix="/auth")
PATCH_ID_TOKEN_PATH = "/auth/patch-id-token"  # noqa: S105 - a path, not a password


@dataclass
class AppHomeCheck:
    token: SessionToken | None  # None: answer with `refusal`
    refusal: Response | None = None
    headers: dict[str, str] = field(default_factory=dict)  # CSP and preload links for the page


def _config(secret: str) -> dict[str, str | None]:
    settings = current_app.config["AFTERGLOW"]
    return {"client_id": settings.shopify_api_key, "client_secret": secret, "old_client_secret": None}


def app_home_token(incoming: Request) -> AppHomeCheck:
    """The verified session token of an app home load, or the answer to give instead (a redirect to the patch
    page for a missing or stale token, 401 for one that is not ours)."""
    settings = current_app.config["AFTERGLOW"]
    shopify_request = {"method": incoming.method, "url": public_url(incoming), "headers": dict(incoming.headers)}
    result = None
    for secret in settings.shopify_secrets():  # the previous secret too, during a rotation
        result = verify_app_home_req(shopify_request, _config(secret), PATCH_ID_TOKEN_PATH)  # type: ignore[arg-type]
        if result.ok or result.log.code in ("invalid_aud", "configuration_error"):
            break
    assert result is not None
    if not result.ok or result.id_token is None:
        return AppHomeCheck(None, _response(result.response.status, result.response.body, result.response.headers))
    try:
        token = check_claims(result.id_token.token, result.id_token.claims)
    except SessionTokenError as exc:
        return AppHomeCheck(None, _response(401, f"session token refused ({exc.code})", {}))
    named = (incoming.args.get("shop") or "").strip().lower()
    if named and named != token.shop_domain:
        return AppHomeCheck(None, _response(401, "the session token is for another store", {}))
    return AppHomeCheck(token, headers=dict(result.response.headers))


def public_url(incoming: Request) -> str:
    """The URL the store's admin loaded: behind a TLS-terminating proxy the request itself says http://, and a
    redirect built from that would be blocked inside the https admin."""
    settings = current_app.config["AFTERGLOW"]
    if not settings.public_url_configured:
        return incoming.url
    query = incoming.query_string.decode()
    return str(settings.public_url).rstrip("/") + incoming.path + (f"?{query}" if query else "")


@bp.get("/patch-id-token")
def patch_id_token() -> Response:
    shop = (request.args.get("shop") or "").strip().lower()
    if not SHOP_DOMAIN.fullmatch(shop):  # it goes into a CSP header: only a store domain may
        return _response(400, "shop must be a *.myshopify.com domain", {})
    secret = current_app.config["AFTERGLOW"].shopify_api_secret
    incoming = {"method": "GET", "url": request.url, "headers": dict(request.headers), "body": ""}
    result = app_home_patch_id_token(incoming, _config(secret))  # type: ignore[arg-type]
    return _response(result.response.status, result.response.body, result.response.headers)


def _response(status: int, body: str, headers: dict[str, str]) -> Response:
    response = Response(body, status=status, mimetype="text/html" if body.startswith("<") else "text/plain")
    response.headers.update(headers)
    return response
