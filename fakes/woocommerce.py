"""A fake WooCommerce: the REST subset we call, the wc-auth key-granting flow, and (fakes/woocommerce_hooks.py) the
webhook sender. Several stores live on one server, each under its own folder (`https://127.0.0.1:PORT/shop-a`),
as WordPress sites installed below a domain's root are; serve it with `FakeServer(fake.app, tls=True)`.

Built from the WooCommerce REST API documentation, `class-wc-auth.php` and the recorded fixtures:
- REST (`/wp-json/wc/v3/...`): HTTP Basic with the consumer key and secret (over https, as WooCommerce accepts
  them), or `consumer_key`/`consumer_secret` in the query. Errors are WordPress's `{"code", "message", "data":
  {"status"}}`: `woocommerce_rest_cannot_view` (401) without credentials, `woocommerce_rest_authentication_error`
  (401) for an unknown key, a wrong secret, or a key without the read or write permission asked for.
  `GET orders` pages with `page`/`per_page` (1-100, else 400 `rest_invalid_param`), filters by `after` and
  `modified_after`, newest first, and answers `X-WP-Total` and `X-WP-TotalPages`; `GET orders/<id>`; webhooks:
  list (paged the same way), create (201; a ping `webhook_id=N` is sent to an active webhook's delivery URL),
  read, and delete, which needs `force=true` (else 501 `woocommerce_rest_trash_not_supported`).
- wc-auth: `GET /wc-auth/v1/authorize` checks its parameters (scope `read`, `write` or `read_write`; the callback
  URL must be https) and shows the approval page; approving (`POST /wc-auth/v1/access_granted`) creates a key,
  POSTs `{key_id, user_id, consumer_key, consumer_secret, key_permissions}` as JSON to the callback URL, revokes the
  key unless that answer is exactly 200, and redirects to `return_url?success=1&user_id=...`. Denying redirects
  with `success=0`.
- `fail_next(...)` queues answers for the next REST calls: an HTTP status (429, 500, 502, 503) or "timeout";
  a store with `paging_headers = False` answers as behind a proxy that strips `X-WP-*`, with WordPress's 400
  `rest_post_invalid_page_number` past the last page.
- WordPress's pages (`GET /wp-json/wp/v2/pages`, fakes/wordpress_pages.py): public, published pages only, with
  `search`, `per_page`, `_fields` and the content rendered as WordPress renders our shortcode and block.
The HTTP plumbing (store folders, error and paging answers) is in fakes/woocommerce_http.py.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, abort, g, jsonify, request

from fakes import woocommerce_http as http
from fakes import wordpress_pages
from fakes.woocommerce_hooks import Sender, WebhookSender, make_order

SCOPES = ("read", "write", "read_write")
TOPICS = ("order.created", "order.updated", "order.deleted", "order.restored")


@dataclass
class ApiKey:
    key_id: int
    consumer_key: str
    consumer_secret: str
    permissions: str
    description: str = ""

    def allows(self, method: str) -> bool:
        wanted = "read" if method in ("GET", "HEAD", "OPTIONS") else "write"
        return self.permissions in (wanted, "read_write")


@dataclass
class FakeWooStore:
    path: str  # "/shop-a": the WordPress home below the server's root
    name: str
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, ApiKey] = field(default_factory=dict)
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    faults: deque[int | str] = field(default_factory=deque)
    requests: int = 0
    # False: a proxy in front strips X-WP-Total(Pages), and a page past the end is WordPress's 400
    paging_headers: bool = True
    pages: list[dict[str, Any]] = field(default_factory=list)  # WordPress pages: id, title, content (raw), status
    plugin_active: bool = True  # our WordPress plugin renders [afterglow_tracking] and the afterglow/tracking block


class FakeWooCommerce:
    def __init__(self, *, send: Sender | None = None, timeout_seconds: float = 1.0) -> None:
        self.stores: dict[str, FakeWooStore] = {}
        self.base_url = ""  # set by the test once the server runs: home_url() needs the scheme, host and port
        self.timeout_seconds = timeout_seconds
        self.callbacks: list[tuple[str, int]] = []  # (callback URL, status it answered)
        self._ids = iter(range(1, 1_000_000))
        self._nonces: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self.hooks = WebhookSender(self, send=send)
        flask_app = self._build()
        self.app = http.StoreFolders(self, flask_app.wsgi_app)
        self.flask_app = flask_app

    # --- setting stores up, and reading them back ---------------------------------------------------------------

    def add_store(self, path: str, *, name: str | None = None) -> FakeWooStore:
        store = FakeWooStore(path="/" + path.strip("/"), name=name or path.strip("/"))
        self.stores[store.path] = store
        return store

    def home_url(self, store: FakeWooStore) -> str:
        return f"{self.base_url}{store.path}/"

    def add_orders(self, store: FakeWooStore, count: int, *, start: datetime | None = None) -> list[dict[str, Any]]:
        made = []
        for _ in range(count):
            order_id = next(self._ids) + 1000
            order = make_order(order_id, self.home_url(store), start=start)
            store.orders[order_id] = order
            made.append(order)
        return made

    def grant_key(self, store: FakeWooStore, *, permissions: str = "read_write") -> ApiKey:
        key = ApiKey(key_id=next(self._ids), consumer_key="ck_" + secrets.token_hex(20),
                     consumer_secret="cs_" + secrets.token_hex(20), permissions=permissions)  # fmt: skip
        store.keys[key.consumer_key] = key
        return key

    def add_page(self, store: FakeWooStore, title: str, content: str, *, status: str = "publish") -> dict[str, Any]:
        """A WordPress page as the block editor saves it (`content` raw: blocks as comments, shortcodes as typed)."""
        page = {"id": next(self._ids), "title": title, "content": content, "status": status,
                "slug": title.lower().replace(" ", "-")}  # fmt: skip
        store.pages.append(page)
        return page

    def revoke_keys(self, store: FakeWooStore) -> None:
        store.keys.clear()

    def fail_next(self, store: FakeWooStore, *answers: int | str) -> None:
        store.faults.extend(answers)

    # --- the HTTP API -------------------------------------------------------------------------------------------

    def _build(self) -> Flask:
        app = Flask("fake-woocommerce")
        rest = "/wp-json/wc/v3"
        app.add_url_rule(f"{rest}/orders", "orders", self._orders)
        app.add_url_rule(f"{rest}/orders/<int:order_id>", "order", self._order)
        app.add_url_rule(f"{rest}/webhooks", "webhooks", self._webhooks, methods=["GET", "POST"])
        app.add_url_rule(f"{rest}/webhooks/<int:hook_id>", "webhook", self._webhook, methods=["GET", "DELETE"])
        app.add_url_rule("/wp-json/wp/v2/pages", "pages", lambda: wordpress_pages.pages(self, g.store))
        app.add_url_rule("/wc-auth/v1/authorize", "authorize", self._authorize)
        app.add_url_rule("/wc-auth/v1/access_granted", "granted", self._granted, methods=["POST"])
        app.add_url_rule("/wc-auth/v1/access_denied", "denied", self._denied)
        app.before_request(self._gate)
        return app

    def _gate(self) -> Response | None:
        store = request.environ.get("fake.store")
        if store is None:
            abort(404)
        g.store = store
        if not request.path.startswith("/wp-json/"):
            return None
        store.requests += 1
        if store.faults:
            fault = store.faults.popleft()
            if fault == "timeout":
                time.sleep(self.timeout_seconds)
                return http.error("internal_server_error", "too late", 500)
            assert isinstance(fault, int)
            answer = http.error("fake_fault", f"queued fault {fault}", fault)
            if fault == 429:
                answer.headers["Retry-After"] = "0"
            return answer
        if request.path.startswith("/wp-json/wp/"):
            return wordpress_pages.authenticate()  # WordPress's own routes: public reads, no WooCommerce keys
        return self._authenticate(store)

    def _authenticate(self, store: FakeWooStore) -> Response | None:
        consumer_key, consumer_secret = request.args.get("consumer_key"), request.args.get("consumer_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                consumer_key, _, consumer_secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                consumer_key = consumer_secret = None
        if not consumer_key:
            return http.error("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        key = store.keys.get(consumer_key)
        if key is None:
            return http.error("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401)
        if not secrets.compare_digest(key.consumer_secret, consumer_secret or ""):
            return http.error("woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401)
        if not key.allows(request.method):
            kind = "read" if request.method == "GET" else "write"
            return http.error("woocommerce_rest_authentication_error",
                          f"The API key provided does not have {kind} permissions.", 401)  # fmt: skip
        return None

    def _orders(self) -> Response:
        store: FakeWooStore = g.store
        paging = http.paging()
        if isinstance(paging, Response):
            return paging
        page, per_page = paging
        chosen = sorted(store.orders.values(), key=lambda o: (o["date_created_gmt"], o["id"]), reverse=True)
        for name, column in (("after", "date_created_gmt"), ("modified_after", "date_modified_gmt")):
            if bound := request.args.get(name):
                chosen = [o for o in chosen if o[column] > bound.removesuffix("Z")[:19]]
        if request.args.get("order") == "asc":
            chosen.reverse()
        if not store.paging_headers:
            if page > 1 and (page - 1) * per_page >= len(chosen):
                return http.error("rest_post_invalid_page_number", "The page number requested is larger than the "
                              "number of pages available.", 400)  # fmt: skip
            answer = http.paginated(chosen, page, per_page)
            del answer.headers["X-WP-Total"], answer.headers["X-WP-TotalPages"]
            return answer
        return http.paginated(chosen, page, per_page)

    def _order(self, order_id: int) -> tuple[Response, int]:
        order = g.store.orders.get(order_id)
        if order is None:
            return http.error("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404), 404
        return jsonify(order), 200

    def _webhooks(self) -> tuple[Response, int]:
        store: FakeWooStore = g.store
        if request.method == "GET":
            paging = http.paging()
            if isinstance(paging, Response):
                return paging, paging.status_code
            return http.paginated([http.public(hook) for hook in store.webhooks.values()], *paging), 200
        body = request.get_json(silent=True) or {}
        missing = [name for name in ("topic", "delivery_url") if not body.get(name)]
        if missing:
            return http.error("rest_missing_callback_param", f"Missing parameter(s): {', '.join(missing)}", 400), 400
        if body["topic"] not in TOPICS:
            return http.error("rest_invalid_param", "Invalid parameter(s): topic", 400), 400
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        hook = {
            "id": next(self._ids), "name": body.get("name") or body["topic"], "status": body.get("status", "active"),
            "topic": body["topic"], "resource": body["topic"].split(".")[0], "event": body["topic"].split(".")[1],
            "delivery_url": body["delivery_url"], "secret": body.get("secret") or secrets.token_urlsafe(37),
            "date_created_gmt": now, "date_modified_gmt": now, "failure_count": 0,
        }  # fmt: skip
        store.webhooks[hook["id"]] = hook
        if hook["status"] == "active":
            self.hooks.ping(store, hook)
        return jsonify(http.public(hook)), 201

    def _webhook(self, hook_id: int) -> tuple[Response, int]:
        store: FakeWooStore = g.store
        hook = store.webhooks.get(hook_id)
        if hook is None:
            return http.error("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404), 404
        if request.method == "DELETE":
            if request.args.get("force") not in ("true", "1"):
                return http.error("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501), 501
            del store.webhooks[hook_id]
        return jsonify(http.public(hook)), 200

    # --- wc-auth ------------------------------------------------------------------------------------------------

    def _authorize(self) -> tuple[str, int]:
        params = {name: request.args.get(name, "") for name in
                  ("app_name", "scope", "user_id", "return_url", "callback_url")}  # fmt: skip
        for name, value in params.items():
            if not value:
                return http.page(f"Error: Missing {name} parameter"), 400
        if params["scope"] not in SCOPES:
            return http.page("Error: Invalid scope"), 400
        if not params["callback_url"].startswith("https://"):
            return http.page("Error: The callback_url needs to be over SSL"), 400
        nonce = secrets.token_hex(8)
        self._nonces[nonce] = params
        return http.page(f'{params["app_name"]} would like to connect to your store. '
                     f'<form method="post" action="access_granted"><input name="wc_auth_nonce" value="{nonce}">'
                     '<button>Approve</button></form>'), 200  # fmt: skip

    def _granted(self) -> Response | tuple[str, int]:
        params = self._nonces.pop(request.form.get("wc_auth_nonce", ""), None)
        if params is None:
            return http.page("Error: Invalid nonce"), 400
        store: FakeWooStore = g.store
        key = self.grant_key(store, permissions=params["scope"])
        key.description = f"{params['app_name']} - API ({datetime.now(UTC):%Y-%m-%d %H:%M:%S})"
        body = {"key_id": key.key_id, "user_id": params["user_id"], "consumer_key": key.consumer_key,
                "consumer_secret": key.consumer_secret, "key_permissions": key.permissions}  # fmt: skip
        status = self.hooks.post_json(params["callback_url"], body)
        self.callbacks.append((params["callback_url"], status))
        if status != 200:  # WooCommerce deletes the key it could not hand over
            store.keys.pop(key.consumer_key, None)
            return http.page("Error: An error occurred in the request and at the time were unable to send the "
                         "consumer data"), 400  # fmt: skip
        return http.redirect(params["return_url"], success="1", user_id=params["user_id"])

    def _denied(self) -> Response:
        return http.redirect(request.args.get("return_url", "/"), success="0", user_id=request.args.get("user_id", ""))
