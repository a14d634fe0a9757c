"""Connecting a WooCommerce store (wc-auth), signing its merchant in, and the page that shows the connection.

    GET  /connect/woocommerce                 the form: the store's address
    POST /connect/woocommerce                 -> 302 to https://{store}/wc-auth/v1/authorize?...
    POST /connect/woocommerce/callback        the store hands over the keys (JSON): exactly 200, or 4xx + reason
    GET  /connect/woocommerce/return          the merchant is back: signed in, sent to the admin (/app)
    POST /connect/woocommerce/disconnect      (session + CSRF) webhooks and keys removed
    GET  /auth/woocommerce/login?token=...    a signed login link (the WordPress plugin opens it)
    GET  /admin/woocommerce                   the connection: when, and disconnect
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, jsonify, redirect, render_template_string, request
from markupsafe import Markup
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth.woocommerce_session import csrf_token, end_session, start_session, woocommerce_session_shop
from app.extensions import db
from app.models import Order
from app.services import woocommerce_api, woocommerce_connections, woocommerce_logins
from app.services.woocommerce_connections import ConnectRefused, StoreUrlError

bp = Blueprint("woocommerce_auth", __name__)
STATE_COOKIE = "afterglow_woo_connect"
STATE_COOKIE_PATH = "/connect/woocommerce"

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ title }} · Afterglow</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#202223}
label{display:block;font-weight:600}input[type=url],input[type=text]{width:100%;padding:.5rem;font:inherit}
.error{color:#b42318}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}dt{font-weight:600}</style>
<h1>{{ title }}</h1>{{ body }}</html>"""

FORM = """<form method="post" action="/connect/woocommerce" novalidate>
<label for="store_url">Your store's address</label>
<input type="url" id="store_url" name="store_url" value="{{ value }}" placeholder="https://shop.example"
 {% if error %}aria-invalid="true" aria-describedby="store_url_error"{% endif %} required>
{% if error %}<p class="error" id="store_url_error">{{ error }}</p>{% endif %}
<p>You will be asked on your store to approve Afterglow's access to orders (read and write).</p>
<button type="submit">Connect</button></form>"""

ADMIN = """<dl><dt>Store</dt><dd>{{ shop.domain }}</dd><dt>Connected</dt><dd>{{ connected_at }}</dd>
<dt>Orders stored</dt><dd>{{ orders }}</dd></dl>
<form method="post" action="/connect/woocommerce/disconnect"><input type="hidden" name="csrf_token" value="{{ csrf }}">
<button type="submit">Disconnect this store</button></form>"""


def _page(title: str, body: str, status: int = 200, **context: Any) -> Response:
    inner = render_template_string(body, **context)
    html = render_template_string(PAGE, title=title, body=Markup(inner))  # noqa: S704 - rendered with autoescape
    return Response(html, status=status, mimetype="text/html")


def _message(title: str, text: str, status: int) -> Response:
    return _page(title, "<p>{{ text }}</p>", status, text=text)


def _app_url() -> str:
    return str(current_app.config["AFTERGLOW"].public_url).rstrip("/")


@bp.get("/connect/woocommerce")
def connect_form() -> Response:
    # The WordPress plugin's "Connect" button passes the store's home URL; the merchant still presses Connect.
    return _page("Connect your WooCommerce store", FORM, value=request.args.get("store_url", ""), error=None)


@bp.post("/connect/woocommerce")
def connect_start() -> Response:
    typed = request.form.get("store_url", "")
    try:
        _, state, authorize_url = woocommerce_connections.start_connection(store_url=typed, app_url=_app_url())
    except StoreUrlError as exc:
        return _page("Connect your WooCommerce store", FORM, 422, value=typed, error=str(exc))
    response = redirect(authorize_url, code=302)
    ttl = int(current_app.config["AFTERGLOW"].woocommerce_connect_ttl)
    # The browser that started the connection is the one that may sign in with it on return.
    response.set_cookie(STATE_COOKIE, state, max_age=ttl, secure=True, httponly=True, samesite="Lax",
                        path=STATE_COOKIE_PATH)  # fmt: skip
    return response


@bp.post("/connect/woocommerce/callback")
def connect_callback() -> Response:
    try:
        woocommerce_connections.accept_callback(body=request.get_json(force=True, silent=True),
                                                app_url=_app_url())  # fmt: skip
    except ConnectRefused as exc:
        return Response(str(exc), status=exc.status, mimetype="text/plain")
    return Response("", status=200)


@bp.get("/connect/woocommerce/return")
def connect_return() -> Response:
    try:
        shop = woocommerce_connections.complete_return(
            state=request.args.get("user_id", ""), success=request.args.get("success") == "1",
            browser_state=request.cookies.get(STATE_COOKIE),
        )  # fmt: skip
    except ConnectRefused as exc:
        return _message("Your store was not connected", str(exc), exc.status)
    response = redirect("/app", code=303)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH, secure=True, httponly=True, samesite="Lax")
    start_session(response, shop_id=shop.id)
    return response


@bp.post("/connect/woocommerce/disconnect")
def disconnect() -> Response:
    shop = woocommerce_session_shop(request)
    if shop is None:
        return _message("Not signed in", "Sign in again from WordPress (or your session's form expired).", 403)
    try:
        woocommerce_connections.disconnect(shop_id=shop.id, app_url=_app_url())
    except ConnectRefused as exc:
        return _message("Not disconnected", str(exc), exc.status)
    response = _message("Store disconnected", f"{shop.domain} is no longer connected to Afterglow.", 200)
    end_session(response)
    return response


@bp.get("/auth/woocommerce/login")
def login() -> Response:
    try:
        shop = woocommerce_logins.redeem(token=request.args.get("token", ""))
    except woocommerce_logins.LoginRefused as exc:
        return _message("Sign-in refused", str(exc), 403)
    response = redirect("/app", code=303)
    start_session(response, shop_id=shop.id)
    return response


@bp.post("/auth/woocommerce/login-link")
def plugin_login_link() -> Response:
    """The WordPress plugin's "Open Afterglow": a login link for its store, for a request signed with its REST key."""
    body = request.get_data(cache=False)
    try:
        url = woocommerce_logins.link_for_signed_request(
            body=body, signature=request.headers.get("X-Afterglow-Signature", ""), app_url=_app_url(), now=time.time()
        )
    except woocommerce_logins.LoginRefused as exc:
        db.session.rollback()
        return jsonify({"error": "refused", "message": str(exc)}), 401  # type: ignore[return-value]
    return jsonify({"url": url})


@bp.get("/admin/woocommerce")
def admin_page() -> Response:
    shop = woocommerce_session_shop(request)
    if shop is None:
        return _message("Not signed in", "Open Afterglow from your WordPress admin to sign in.", 401)
    connection = woocommerce_api.current_connection(shop_id=shop.id)
    assert connection is not None  # the session is valid only while one exists
    orders = db.session.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop.id))
    response = _page("Afterglow for WooCommerce", ADMIN, shop=shop, orders=orders, csrf=csrf_token(request),
                     connected_at=f"{connection.connected_at:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response
