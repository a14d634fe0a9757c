"""Helpers for the admin's browser tests: the demo stores seeded through the webhook endpoints, the admin opened
signed in (the demo door, `/demo/admin`) or embedded (a local App Bridge on Shopify's CDN address, minting session
tokens as the Shopify admin does)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import demo as demo_data
from app.cli.demo import answer_demo_surveys, seed, track_demo_shipments
from app.extensions import db
from app.models import Shop
from tests.browser.conftest import LiveApp

APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js"

# The part of App Bridge's `shopify` global the admin uses: idToken() hands out the tokens given, in order (the
# last again once they run out), and counts the calls; toast.show() puts the message where a person (and a test)
# can read it, as App Bridge's own toast does.
FAKE_APP_BRIDGE = """
(() => {
  const tokens = %s;
  let calls = 0;
  window.__afterglowToasts = [];
  window.shopify = {
    config: { apiKey: document.querySelector('meta[name="shopify-api-key"]').content },
    idToken: async () => tokens[Math.min(calls++, tokens.length - 1)],
    get idTokenCalls() { return calls; },
    toast: { show(message, options) {
      window.__afterglowToasts.push(message);
      const toast = document.createElement("div");
      toast.setAttribute("role", "status");
      toast.dataset.appBridgeToast = options && options.isError ? "error" : "info";
      toast.textContent = message; document.body.appendChild(toast);
    } },
  };
  customElements.define("ui-nav-menu", class extends HTMLElement {});
})();
"""


def seed_demo(live: LiveApp, now: datetime | None = None) -> Shop:
    """The demo stores as `make run` seeds them, their parcels tracked once and the survey answered by the shoppers
    whose parcels arrived; returns the demo Shopify store."""
    with live.app.app_context():
        client = live.app.test_client()

        def send(delivery: demo_data.Delivery) -> int:
            return client.post(f"/webhooks/{delivery.platform}", data=delivery.body,
                               headers=delivery.headers).status_code  # fmt: skip

        def ask(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
            response = client.open(path, method=method, json=body)
            return response.status_code, response.get_json()

        seed(send, now)
        track_demo_shipments(timeout=5)
        answer_demo_surveys(ask)
        shop = db.session.scalars(select(Shop).where(Shop.domain == demo_data.SHOPIFY_DOMAIN)).one()
        db.session.expunge(shop)
        return shop


def open_admin(page: Any, live: LiveApp, path: str = "/app", shop: str = demo_data.SHOPIFY_DOMAIN) -> Any:
    """Sign in to a demo store's admin (the session door) and open `path`."""
    page.goto(f"{live.url}/demo/admin?shop={shop}")
    if path != "/app":
        page.goto(f"{live.url}{path}")
    page.wait_for_selector("#root .Polaris-Page")
    return page


def open_embedded(page: Any, live: LiveApp, *, shop: str, id_token: str, tokens: Sequence[str],
                  path: str = "/") -> Any:  # fmt: skip
    """Open the app home as the Shopify admin frames it: `id_token` on the URL, App Bridge from the CDN address
    (served here by the local stand-in) handing the page `tokens` for its API calls."""
    def cdn(route: Any) -> None:  # nothing else of Shopify's CDN is reachable from here: answer, don't wait on DNS
        if route.request.url == APP_BRIDGE:
            route.fulfill(status=200, content_type="text/javascript", body=FAKE_APP_BRIDGE % json.dumps(list(tokens)))
        else:
            route.fulfill(status=404, body="")

    page.route("https://cdn.shopify.com/**", cdn)
    page.goto(f"{live.url}{path}?shop={shop}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw&embedded=1&id_token={id_token}")
    return page
