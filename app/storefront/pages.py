"""Pages that host the tracking widget: the app-proxy page Shopify renders inside the store's theme, and a demo
storefront page for trying the widget locally.

The proxy page is Liquid (`Content-Type: application/liquid`): Shopify renders it with the store's theme around it,
so the tracking page looks like the rest of the store and knows the shopper's language and whether they are signed
in.
"""

from __future__ import annotations

from html import escape
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, request, url_for
from sqlalchemy import select

from app.extensions import db
from app.models import Order, Shop
from app.storefront import proxy_bp

demo_bp = Blueprint("storefront_demo", __name__, url_prefix="/demo")

# The space the widget takes before its script has run, written on the element by every page that hosts it, so
# nothing moves when the script defines it (frontend/widgets/src/style.ts reserves the same on :host).
RESERVE = "display:block;min-height:22rem"
PROXY_PAGE = """<div class="page-width afterglow-tracking-page">
  <afterglow-tracking style="{reserve}" endpoint="{endpoint}" locale="{{{{ request.locale.iso_code }}}}"
    {{% if customer %}}customer{{% endif %}}></afterglow-tracking>
</div>
<script src="{script}" defer></script>
"""


def widget_url() -> str:
    base = str(current_app.config["AFTERGLOW"].public_url)
    return base.rstrip("/") + url_for("static", filename="widgets/afterglow-tracking.js")


@proxy_bp.get("/tracking")
def proxy_tracking_page() -> Response:
    prefix = (g.proxied.path_prefix or "/apps/afterglow").rstrip("/")
    page = PROXY_PAGE.format(reserve=RESERVE, endpoint=escape(f"{prefix}/api"), script=escape(widget_url()))
    return Response(page, mimetype="application/liquid")


@demo_bp.before_request
def _development_only() -> None:
    if current_app.config["AFTERGLOW"].env == "production":
        abort(404)


@demo_bp.get("/storefront")
def demo_storefront() -> Response:
    """A store page with the widget on the public API, and the demo orders to try (number + email)."""
    shops = db.session.scalars(select(Shop).order_by(Shop.platform, Shop.id)).all()
    domain = request.args.get("shop") or (shops[0].domain if shops else "")
    shop = next((s for s in shops if s.domain == domain), None)
    orders = (
        db.session.scalars(select(Order).where(Order.shop_id == shop.id).order_by(Order.id).limit(8)).all()
        if shop
        else []
    )
    locale = request.args.get("locale", "")
    endpoint = url_for("storefront_public.public_lookup").removesuffix("/orders/lookup")
    attrs = _attrs(style=RESERVE, endpoint=endpoint, shop=domain, locale=locale, number=request.args.get("number"),
                   email=request.args.get("email"))  # fmt: skip
    # ?widget=0 renders the same page without the widget (bench/storefront.py measures what the widget costs).
    with_widget = request.args.get("widget", "1") != "0"
    widget = f"<afterglow-tracking{attrs}></afterglow-tracking>" if with_widget else ""
    tries = "".join(
        f'<li><a href="?{_query(shop=domain, locale=locale, number=o.number, email=o.email)}">{escape(o.name)}</a>'
        f" · {escape(o.email or '')}</li>"
        for o in orders
    )
    switch = " · ".join(f'<a href="?{_query(shop=s.domain, locale=locale)}">{escape(s.domain)}</a>' for s in shops)
    name = (shop.name or shop.domain) if shop else "Demo store"
    script = f'<script src="{escape(widget_url())}" defer></script>' if with_widget else ""
    page = DEMO_PAGE.format(widget=widget, tries=tries, switch=switch, script=script,
                            shop=escape(name), lang=escape(locale or "en"))  # fmt: skip
    db.session.rollback()
    return Response(page, mimetype="text/html")


def _attrs(**values: Any) -> str:
    return "".join(f' {name}="{escape(str(value))}"' for name, value in values.items() if value)


def _query(**values: Any) -> str:
    from urllib.parse import urlencode

    return escape(urlencode({k: v for k, v in values.items() if v}))


DEMO_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Track your order · {shop}</title>
<style>
body{{margin:0;font:16px/1.5 Georgia,serif;color:#1d1d1b;background:#faf7f2}}
header{{background:#1d1d1b;color:#faf7f2;padding:1rem 2rem;display:flex;justify-content:space-between}}
main{{max-width:60rem;margin:2rem auto;padding:0 1rem}} footer{{color:#6b6b6b;font-size:.85rem;padding:2rem}}
a{{color:#7a4e2d}}
</style></head>
<body><header><strong>{shop}</strong>
<nav>Shop · Journal · <a style="color:#faf7f2" href="">Track order</a></nav></header>
<main><h1>Where is my order?</h1>
{widget}
<aside><h2>Demo orders</h2><ul>{tries}</ul><p>Stores: {switch}</p></aside></main>
<footer>A demo storefront served by Afterglow in development.</footer>
{script}</body></html>
"""
