"""The admin's pages: the React + Polaris bundle (frontend/admin, built by Vite into app/static/admin/) in a page
this module writes, with the data the bundle boots from.

- `GET /` is the app home Shopify frames: it installs the store on its first load (token exchange), then serves
  the admin in embedded mode: App Bridge from Shopify's CDN, every API call carrying a session token.
- `GET /app/<page>` is the same admin at each page's own address: embedded when Shopify opens it (its query
  carries `id_token`), else for a merchant signed in with the admin session cookie (a WooCommerce store through
  its login link, or the demo store through `/demo/admin`).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template_string, request
from sqlalchemy import select

from app import demo as demo_data
from app.auth import app_home_token
from app.auth.woocommerce_session import csrf_token, start_session, woocommerce_session_shop
from app.extensions import db
from app.models import Shop
from app.services import shop_lifecycle
from app.storefront.pages import widget_url
from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.shopify.session_tokens import frame_ancestors

log = logging.getLogger(__name__)
bp = Blueprint("admin_page", __name__)

SHELL = """<!doctype html>
<html lang="{{ locale }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  {%- if embedded %}
  <meta name="shopify-api-key" content="{{ api_key }}">
  <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>
  {%- endif %}
  <title>Afterglow</title>
  {%- for href in assets.css %}
  <link rel="stylesheet" href="{{ href }}">
  {%- endfor %}
  {%- for href in assets.preload %}
  <link rel="modulepreload" href="{{ href }}">
  {%- endfor %}
  <script type="module" src="{{ assets.script }}"></script>
  <script id="afterglow-boot" type="application/json">{{ boot|tojson }}</script>
</head>
<body>
  <div id="root"></div>
  <noscript>Afterglow's admin needs JavaScript.</noscript>
</body>
</html>
"""

SIGNED_OUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Afterglow</title></head>
<body><h1>Afterglow</h1><p>You are not signed in. Open Afterglow from your store's admin: in Shopify under Apps, in
WordPress under WooCommerce &rarr; Afterglow.</p></body></html>"""

LANDING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Afterglow</title></head>
<body><h1>Afterglow</h1><p>Order tracking, delivery updates and returns for your store. Install it from the Shopify
App Store, then open it from your store's admin.</p></body></html>"""


@bp.get("/")
def app_home() -> Response:
    if "shop" not in request.args and "id_token" not in request.args:  # someone opened the app's address directly
        if current_app.config["AFTERGLOW"].env != "production" and _demo_shop(demo_data.SHOPIFY_DOMAIN) is not None:
            return redirect("/demo/admin", code=303)  # type: ignore[return-value]  # `make run`: into the demo store
        return Response(LANDING, mimetype="text/html")
    check = app_home_token(request)
    if check.token is None:
        assert check.refusal is not None
        return check.refusal
    domain = check.token.shop_domain
    csp = {"Content-Security-Policy": frame_ancestors(domain)}
    try:
        shop = shop_lifecycle.connect_from_app_home(shop_domain=domain, id_token=check.token.token,
                                                    claims=check.token.claims)  # fmt: skip
    except RetryableError:
        db.session.rollback()
        log.warning("install failed for now", extra={"shop": domain})
        return Response("Shopify did not answer; reload the page in a moment.", 503, csp, mimetype="text/plain")
    except (AuthenticationError, IntegrationError) as exc:
        db.session.rollback()
        log.warning("install refused", extra={"shop": domain, "error": type(exc).__name__})
        return Response("Shopify refused to connect the store; reload the page.", 401, csp, mimetype="text/plain")
    response = shell(shop, embedded=True, csrf=None)
    response.headers.update(_without_polaris_preload(check.headers))
    response.headers.update(csp)
    return response


@bp.get("/app")
@bp.get("/app/<path:page>")
def admin_app(page: str = "") -> Response:
    """The admin at a page's own address: embedded when Shopify opens it, else for a signed-in merchant."""
    if "id_token" in request.args or "shop" in request.args:
        return app_home()
    shop = woocommerce_session_shop(request)
    if shop is None:
        db.session.rollback()
        return Response(SIGNED_OUT, 401, mimetype="text/html")
    return shell(shop, embedded=False, csrf=csrf_token(request))


@bp.get("/demo/admin")
def demo_admin() -> Response:
    """Outside production: sign in to the demo Shopify store's admin without Shopify (what `make run` opens)."""
    if current_app.config["AFTERGLOW"].env == "production":
        abort(404)
    domain = request.args.get("shop", demo_data.SHOPIFY_DOMAIN)
    if domain not in (demo_data.SHOPIFY_DOMAIN, demo_data.WOO_DOMAIN):
        abort(404)
    shop = _demo_shop(domain)
    if shop is None:
        db.session.rollback()
        return Response("The demo store is not seeded yet: start the app with `make run`.", 404, mimetype="text/plain")
    response = redirect("/app", code=303)
    start_session(response, shop_id=shop.id, demo=True)
    db.session.rollback()
    return response  # type: ignore[return-value]


def _without_polaris_preload(headers: dict[str, str]) -> dict[str, str]:
    """Shopify's headers for an app home ask the browser to preload App Bridge and Polaris web components
    (polaris.js); this admin bundles Polaris React, so that second download would be wasted."""
    if "Link" not in headers:
        return headers
    links = [link for link in headers["Link"].split(", ") if "shopifycloud/polaris.js" not in link]
    return {**headers, "Link": ", ".join(links)}


def _demo_shop(domain: str) -> Shop | None:
    shop = db.session.scalars(select(Shop).where(Shop.domain == domain)).first()
    db.session.rollback()
    return shop


def shell(shop: Shop, *, embedded: bool, csrf: str | None) -> Response:
    """The admin's page for `shop`: the bundle's tags from Vite's manifest, and the data it boots from."""
    settings = current_app.config["AFTERGLOW"]
    try:
        assets = bundle(str(Path(current_app.static_folder or "") / "admin"))
    except FileNotFoundError:
        db.session.rollback()
        return Response("The admin is not built: run `make admin` (make run and make test build it).", 503,
                        mimetype="text/plain")  # fmt: skip
    boot: dict[str, Any] = {
        "mode": "embedded" if embedded else "session",
        "shop": {"id": shop.id, "platform": shop.platform, "domain": shop.domain, "name": shop.name,
                 "currency": shop.currency, "timezone": shop.timezone},
        "csrf": csrf,
        "locale": "en",
        "base": "/app",
        "widget": widget_url(),
        "storefront": str(settings.public_url).rstrip("/") + "/api/storefront",
    }  # fmt: skip
    db.session.rollback()
    body = render_template_string(
        SHELL, embedded=embedded, api_key=settings.shopify_api_key, assets=assets, locale="en",
        boot=boot,
    )  # fmt: skip
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    if not embedded:  # outside the Shopify admin nothing may frame it
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


class Assets:
    def __init__(self, script: str, css: list[str], preload: list[str]) -> None:
        self.script, self.css, self.preload = script, css, preload


@lru_cache(maxsize=4)
def _read_manifest(folder: str, mtime: float) -> Assets:
    manifest = json.loads((Path(folder) / ".vite" / "manifest.json").read_text())
    entry = next(chunk for chunk in manifest.values() if chunk.get("isEntry"))
    css = list(entry.get("css", []))
    preload = []
    for name in entry.get("imports", []):
        preload.append(manifest[name]["file"])
        css += manifest[name].get("css", [])
    base = "/static/admin/"
    return Assets(base + entry["file"], [base + c for c in css], [base + p for p in preload])


def bundle(folder: str) -> Assets:
    """The admin bundle's entry script, its CSS and the chunks it imports at once, read from Vite's manifest (again
    only when a rebuild changes it). FileNotFoundError when the admin was never built."""
    path = Path(folder) / ".vite" / "manifest.json"
    return _read_manifest(folder, path.stat().st_mtime)
