"""The shopper-facing JSON API: order lookup for the tracking page and widget.

Two doors to the same service. Shopify stores reach us through their app proxy (`/apps/<subpath>/...` on the
store's own domain, forwarded to `/proxy/...` with a signed query string). WooCommerce stores (and any page that
embeds the widget) call the public `/api/storefront/...` path directly, which answers cross-origin requests from
the shop's own site. Every lookup is rate-limited per shop and client address.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, jsonify, request

from app import ratelimit
from app.extensions import db
from app.models import Shop
from app.services import placement, shop_settings, storefront, surveys
from app.services.recommendations import recommend
from app.storefront.view import order_document, orders_summary, recommendations_document
from integrations.errors import SignatureError
from integrations.shopify.proxy import verify_app_proxy

proxy_bp = Blueprint("storefront_proxy", __name__, url_prefix="/proxy")
public_bp = Blueprint("storefront_public", __name__, url_prefix="/api/storefront")

NOT_FOUND = "We could not find an order with that number and email address (or postal code)."


# --- Shopify app proxy -------------------------------------------------------------------------------------------


def _unreadable_query() -> tuple[Response, int] | None:
    """A NUL character cannot be stored or compared by PostgreSQL, so no order, shop or shopper ever has one:
    refuse the request as malformed rather than let the query fail."""
    values = [value for _, value in request.args.items(multi=True)] + list((request.view_args or {}).values())
    if any("\x00" in str(value) for value in values):
        return jsonify({"error": "bad_request", "message": "the request contains a NUL character"}), 400
    return None


@proxy_bp.before_request
def _verify_proxy() -> Response | tuple[Response, int] | None:
    refused = _unreadable_query()
    if refused is not None:
        return refused
    settings = current_app.config["AFTERGLOW"]
    try:
        proxied = verify_app_proxy(list(request.args.items(multi=True)), settings.shopify_secrets(), now=time.time())
    except SignatureError as exc:
        return jsonify({"error": "bad_signature", "message": str(exc)}), 400 if exc.missing else 401
    shop = storefront.find_storefront_shop(domain=proxied.shop_domain, platform="shopify")
    if shop is None:
        return jsonify({"error": "unknown_shop", "message": "this store has not installed Afterglow"}), 404
    g.shop, g.proxied, g.trusted_hops = shop, proxied, 1  # Shopify's proxy is one more hop we can trust
    return None


@proxy_bp.get("/api/orders/lookup")
def proxy_lookup() -> Any:
    return _lookup(g.shop)


@proxy_bp.get("/api/orders/link/<token>")
def proxy_link(token: str) -> Any:
    return _by_link(g.shop, token)


@proxy_bp.get("/api/orders/recommendations")
def proxy_recommendations() -> Any:
    return _recommendations(g.shop)


@proxy_bp.post("/api/surveys")
def proxy_survey() -> Any:
    return _survey(g.shop)


@proxy_bp.get("/api/orders/mine")
def proxy_mine() -> Any:
    if g.proxied.logged_in_customer_id is None:
        return jsonify({"error": "not_signed_in", "message": "sign in to the store to see your orders"}), 401
    orders = storefront.orders_of_customer(shop_id=g.shop.id, customer_external_id=g.proxied.logged_in_customer_id)
    return _answer({"orders": orders_summary(orders, [storefront.order_link_token(order) for order in orders])})


# --- public API (WooCommerce stores, embedded widgets) ---------------------------------------------------------------


@public_bp.before_request
def _find_shop() -> Response | tuple[Response, int] | None:
    refused = _unreadable_query()
    if refused is not None:
        return refused
    domain = (request.args.get("shop") or "").strip().lower()
    shop = storefront.find_storefront_shop(domain=domain) if domain else None
    if shop is None:
        body = {"error": "unknown_shop", "message": "name a connected store with ?shop=<domain>"}
        return jsonify(body), 404
    g.shop, g.trusted_hops = shop, 0
    if request.method == "OPTIONS":  # a preflight: the CORS headers are the whole answer
        return Response(status=204)
    return None


@public_bp.after_request
def _cors_after(response: Response) -> Response:
    return _cors(response)


@public_bp.get("/orders/lookup")
def public_lookup() -> Any:
    return _lookup(g.shop)


@public_bp.get("/orders/link/<token>")
def public_link(token: str) -> Any:
    return _by_link(g.shop, token)


@public_bp.get("/orders/recommendations")
def public_recommendations() -> Any:
    return _recommendations(g.shop)


@public_bp.route("/surveys", methods=["POST", "OPTIONS"])
def public_survey() -> Any:
    return _survey(g.shop)


# --- shared ------------------------------------------------------------------------------------------------------


def _lookup(shop: Shop) -> Any:
    number = (request.args.get("number") or "").strip()
    email = (request.args.get("email") or "").strip() or None
    postal = (request.args.get("postal_code") or "").strip() or None
    if not number or not (email or postal):
        message = "give the order number and the email address (or the shipping postal code) it was placed with"
        return jsonify({"error": "missing_fields", "message": message}), 400
    if len(number) > 64 or len(email or "") > 320 or len(postal or "") > 32:
        return jsonify({"error": "too_long", "message": "order number, email or postal code is too long"}), 400
    refused = _rate_limited(shop)
    if refused is not None:
        return refused
    order = storefront.find_order(shop_id=shop.id, number=number, proof=storefront.Proof(email, postal))
    if order is None:
        db.session.rollback()
        return jsonify({"error": "not_found", "message": NOT_FOUND}), 404
    document = order_document(order, shop=shop, token=storefront.order_link_token(order))
    placement.record_storefront_answer(shop_id=shop.id)  # the admin's checklist: the tracking page works
    return _answer(document)


def _by_link(shop: Shop, token: str) -> Any:
    refused = _rate_limited(shop)
    if refused is not None:
        return refused
    order = storefront.order_from_token(shop_id=shop.id, token=token)
    if order is None:
        db.session.rollback()
        return jsonify({"error": "not_found", "message": "this tracking link is not valid any more"}), 404
    document = order_document(order, shop=shop, token=token)
    placement.record_storefront_answer(shop_id=shop.id)
    return _answer(document)


def _recommendations(shop: Shop) -> Any:
    order = storefront.order_from_token(shop_id=shop.id, token=request.args.get("token", ""))
    if order is None:
        db.session.rollback()
        return jsonify({"error": "not_found", "message": "this tracking link is not valid any more"}), 404
    picks = recommend(order=order) if shop_settings.get(shop, "recommendations") else []
    return _answer(recommendations_document(shop, picks))


def _survey(shop: Shop) -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "bad_request", "message": "send the answer as a JSON object"}), 400
    score = body.get("score")
    if isinstance(score, bool) or not isinstance(score, int):
        return jsonify({"error": "bad_request", "message": "score must be a whole number"}), 400
    answer = surveys.Answer(kind=str(body.get("kind") or surveys.DEFAULT_KIND), score=score,
                            comment=body.get("comment") if isinstance(body.get("comment"), str) else None,
                            locale=str(body.get("locale") or "") or None)  # fmt: skip
    try:
        surveys.record_answer(shop_id=shop.id, token=str(body.get("token") or ""), answer=answer)
    except surveys.SurveyError as exc:
        return jsonify({"error": "invalid_answer", "message": str(exc)}), 422
    return jsonify({"status": "recorded"}), 201


def _answer(document: dict[str, Any]) -> Response:
    db.session.rollback()
    response = jsonify(document)
    response.headers["Cache-Control"] = "private, no-store"  # personal data: no shared caches, no back button
    return response


def _rate_limited(shop: Shop) -> tuple[Response, int, dict[str, str]] | None:
    settings = current_app.config["AFTERGLOW"]
    key = f"lookup:{shop.id}:{client_address(trusted_hops=g.trusted_hops + settings.proxy_hops)}"
    verdict = ratelimit.limiter().hit(key, limit=settings.storefront_lookups_per_minute, window_seconds=60)
    if verdict.allowed:
        return None
    body = {"error": "rate_limited", "message": "Too many lookups. Please wait a moment and try again.",
            "retry_after": verdict.retry_after}  # fmt: skip
    return jsonify(body), 429, {"Retry-After": str(verdict.retry_after)}


def client_address(*, trusted_hops: int) -> str:
    """The shopper's address: the hop `trusted_hops` proxies before us in X-Forwarded-For. Entries further left
    were written by the client itself and cannot be believed."""
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
    route = [*forwarded, request.remote_addr or "unknown"]
    return route[max(0, len(route) - 1 - trusted_hops)]


def _cors(response: Response) -> Response:
    origin = request.headers.get("Origin")
    shop: Shop | None = g.get("shop")
    if origin and shop is not None and _site_origin(origin) == _site_origin(f"https://{shop.domain}"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
    elif origin and current_app.config["AFTERGLOW"].env == "development":
        response.headers["Access-Control-Allow-Origin"] = origin  # local demo pages on other ports
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers.add("Vary", "Origin")
    return response


def _site_origin(url: str) -> str:
    """Scheme-less host of a URL ("https://shop.example/wp" -> "shop.example"): a store on http and https is one."""
    return (urlsplit(url).hostname or "").lower()
