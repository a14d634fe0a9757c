"""Who is calling the admin API: each authenticator in `AUTHENTICATORS` looks at the request and names a shop or
passes; the first shop named is the caller, set as `g.shop`, and every admin query is scoped to it.

Shopify's embedded admin proves itself with an App Bridge session token (`Authorization: Bearer`); other doors
(a WooCommerce merchant's signed-in session) add their function to the list. Nothing authenticated: 401 with
`X-Shopify-Retry-Invalid-Session-Request: 1`, which tells App Bridge to fetch a fresh session token and retry once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Request, Response, current_app, g, jsonify, request

from app.auth.woocommerce_session import woocommerce_session_shop
from app.models import Shop
from app.services.shops import find_shop
from integrations.shopify.session_tokens import RETRY_HEADER, SessionTokenError, verify_session_token

log = logging.getLogger(__name__)

Authenticator = Callable[[Request], Shop | None]


def shopify_session_token(incoming: Request) -> Shop | None:
    """The installed Shopify store whose admin signed this request's bearer session token, else None."""
    header = incoming.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    settings = current_app.config["AFTERGLOW"]
    try:
        token = verify_session_token(
            header.removeprefix("Bearer ").strip(), api_key=settings.shopify_api_key, secrets=settings.shopify_secrets()
        )
    except SessionTokenError as exc:
        log.info("session token refused", extra={"reason": exc.code})
        return None
    shop = find_shop(platform="shopify", domain=token.shop_domain)
    if shop is None or shop.uninstalled_at is not None:
        log.info("session token for a store that is not installed", extra={"shop": token.shop_domain})
        return None
    g.session_token = token
    return shop


AUTHENTICATORS: list[Authenticator] = [shopify_session_token, woocommerce_session_shop]


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def authenticated(*args: Any, **kwargs: Any) -> Any:
        for authenticate in AUTHENTICATORS:
            shop = authenticate(request)
            if shop is not None:
                g.shop = shop
                return view(*args, **kwargs)
        return unauthorized()

    return authenticated


def no_store(response: Response) -> Response:
    """A blueprint's `after_request` for every admin API answer: a merchant's data, so no shared cache keeps it."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def unauthorized() -> tuple[Response, int, dict[str, str]]:
    body = {"error": "unauthorized", "message": "a valid session token from the store's admin is required"}
    return jsonify(body), 401, {RETRY_HEADER: "1"}
