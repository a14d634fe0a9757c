"""The embedded admin page (`GET /`, the app home Shopify frames): installs the store on its first load, then shows
its name, whether it is connected, and where to go next. A minimal server-rendered page until the Polaris admin
bundle replaces it; it already loads App Bridge from Shopify's CDN, as every embedded app must.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, render_template_string, request

from app.auth import app_home_token
from app.extensions import db
from app.services import shop_lifecycle
from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.shopify.session_tokens import frame_ancestors

log = logging.getLogger(__name__)
bp = Blueprint("admin_page", __name__)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="shopify-api-key" content="{{ api_key }}">
  <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>
  <title>Afterglow</title>
  <style>body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,sans-serif;margin:2rem}
  .state{display:inline-block;padding:0 .5rem;border-radius:.5rem;background:#e3f1df}.off{background:#fbeae5}</style>
</head>
<body>
  <h1>{{ shop.name or shop.domain }}</h1>
  <p>Afterglow is <span class="state{% if not connected %} off{% endif %}">{{ "connected" if connected else
    "not connected" }}</span> to {{ shop.domain }}{% if shop.currency %} ({{ shop.currency }}{% if shop.timezone %},
    {{ shop.timezone }}{% endif %}){% endif %}.</p>
  <ul>
    <li><a href="https://{{ shop.domain }}/apps/afterglow/tracking" target="_blank">Your order tracking page</a></li>
    <li><a href="https://{{ shop.domain }}/admin/themes/current/editor?context=apps" target="_top">Add the tracking
      block to your theme</a></li>
    <li><a href="https://{{ shop.domain }}/admin/settings/customer_privacy" target="_top">Customer privacy</a></li>
  </ul>
</body>
</html>
"""

LANDING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Afterglow</title></head>
<body><h1>Afterglow</h1><p>Order tracking, delivery updates and returns for your store. Install it from the Shopify
App Store, then open it from your store's admin.</p></body></html>"""


@bp.get("/")
def app_home() -> Response:
    if "shop" not in request.args and "id_token" not in request.args:
        return Response(LANDING, mimetype="text/html")  # someone opened the app's address directly
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
    body = render_template_string(PAGE, shop=shop, connected=shop.uninstalled_at is None,
                                  api_key=current_app.config["AFTERGLOW"].shopify_api_key)  # fmt: skip
    db.session.rollback()
    response = Response(body, mimetype="text/html")
    response.headers.update(check.headers)
    response.headers.update(csp)
    response.headers["Cache-Control"] = "private, no-store"
    return response
