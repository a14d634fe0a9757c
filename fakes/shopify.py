"""A fake Shopify: the OAuth token endpoint and the Admin GraphQL endpoint, for tests and the demo.

Built from shopify.dev, faithful where our code depends on it:
- `POST /admin/oauth/access_token`: token exchange (an App Bridge session token signed with the app secret) and
  the `refresh_token` grant. Expiring offline tokens live 60 minutes; refresh tokens rotate, and a used one is
  refused with `400 {"error": "invalid_grant", ...}`; bad client credentials get `invalid_client`.
- `POST /admin/api/<version>/graphql.json`: `X-Shopify-Access-Token` auth (401 for a wrong, expired or revoked
  token), a leaky bucket per store (Standard plan: 100 points/second; a query costs 1 point per object, a
  mutation 10) answering THROTTLED exactly as Shopify does (HTTP 200, `errors[].extensions.code`, the bucket in
  `extensions.cost.throttleStatus`), and the operations we use: `shop`, `fulfillment(id:)` with its events, and
  `fulfillmentEventCreate` (`fakes/shopify_fulfillments.py`: FulfillmentEventStatus and DateTime coercion as
  top-level errors, an unknown fulfillment as `userErrors`), and `orders` / `ordersCount`
  (`fakes/shopify_orders.py`: cursor pagination, the `created_at` search filter, the 60-day window without
  `read_all_orders`, calculated query costs), and
  `themes` with their files (`fakes/shopify_themes.py`: theme JSON, refused without `read_themes`).
The store is taken from the `Host` header, as `integrations.shopify.http.OneOriginTransport` keeps it. Tests set
stores up and read what was written through the Python methods; the demo can read `GET /_fake/<shop>/events`.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from flask import Flask, Response, jsonify, request

from fakes.shopify_fulfillments import fulfillment_operation
from fakes.shopify_orders import MAX_QUERY_COST, actual_orders_cost, orders_cost, orders_operation
from fakes.shopify_themes import FakeTheme, themes_cost, themes_operation

SUPPORTED_VERSIONS = frozenset({"2026-01", "2026-04", "2026-07", "2026-10"})
BUCKET_MAXIMUM = 2000.0
RESTORE_RATE = 100.0
ACCESS_TOKEN_TTL = 3600
REFRESH_TOKEN_TTL = 90 * 24 * 3600
COSTS = {"shop": 1, "fulfillment": 3, "fulfillmentEventCreate": 10, "ordersCount": 1}
UNAUTHORIZED = "[API] Invalid API key or access token (unrecognized login or wrong password)"


@dataclass
class FakeStore:
    domain: str
    name: str
    currency: str = "USD"
    timezone: str = "America/New_York"
    fulfillments: set[str] = field(default_factory=set)
    events: list[dict[str, Any]] = field(default_factory=list)
    bucket: float = BUCKET_MAXIMUM
    bucket_at: float = 0.0
    faults: deque[int | str] = field(default_factory=deque)
    orders: list[dict[str, Any]] = field(default_factory=list)  # GraphQL Order nodes, oldest first
    scopes: str = "read_orders,write_fulfillments"  # add read_all_orders to reach orders older than 60 days
    themes: list[FakeTheme] = field(default_factory=list)


@dataclass
class _Grant:
    domain: str
    expires_at: float | None
    used: bool = False


class FakeShopify:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.time,
        bucket_maximum: float = BUCKET_MAXIMUM,
        restore_rate: float = RESTORE_RATE,
        timeout_seconds: float = 1.0,
        token_delay: float = 0.0,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock
        self.bucket_maximum = bucket_maximum
        self.restore_rate = restore_rate
        self.timeout_seconds = timeout_seconds  # how long a "timeout" fault holds the answer back
        self.token_delay = token_delay  # the token endpoint thinks this long first (lets concurrent callers overlap)
        self.stores: dict[str, FakeStore] = {}
        self.calls: Counter[str] = Counter()  # graphql, throttled, refresh, exchange, refused_refresh, unauthorized
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self.app = self._build()

    # --- setting stores up, and reading them back (tests, demo) ------------------------------------------------

    def add_store(self, domain: str, *, name: str | None = None, **details: Any) -> FakeStore:
        store = FakeStore(domain=domain, name=name or domain.split(".")[0], bucket=self.bucket_maximum,
                          bucket_at=self.clock(), **details)  # fmt: skip
        self.stores[domain] = store
        return store

    def add_orders(self, domain: str, nodes: list[dict[str, Any]]) -> None:
        """Orders as the GraphQL API returns them (see `fakes.shopify_orders.order_node`)."""
        store = self.stores[domain]
        store.orders = sorted([*store.orders, *nodes], key=lambda node: (node["createdAt"], node["id"]))

    def add_theme(self, domain: str, name: str, files: dict[str, str], *, role: str = "MAIN") -> FakeTheme:
        """A theme with these files (filename -> content); a new MAIN theme unpublishes the previous one."""
        store = self.stores[domain]
        if role == "MAIN":
            for theme in store.themes:
                theme.role = "UNPUBLISHED" if theme.role == "MAIN" else theme.role
        theme = FakeTheme(theme_id=100_000 + len(store.themes), name=name, role=role, files=dict(files))
        store.themes.append(theme)
        return theme

    def add_fulfillment(self, domain: str, fulfillment_id: str) -> None:
        self.stores[domain].fulfillments.add(str(fulfillment_id))

    def grant(self, domain: str, *, expiring: bool = True) -> dict[str, Any]:
        """Tokens as a completed install would hold them (the token endpoint's answer)."""
        with self._lock:
            return self._issue(domain, expiring=expiring)

    def expire_access_tokens(self, domain: str) -> None:
        with self._lock:
            for grant in self._access.values():
                if grant.domain == domain:
                    grant.expires_at = self.clock() - 1

    def uninstall(self, domain: str) -> None:
        """What app/uninstalled means for the API: every token of the store stops working."""
        with self._lock:
            for tokens in (self._access, self._refresh):
                for grant in tokens.values():
                    if grant.domain == domain:
                        grant.used, grant.expires_at = True, self.clock() - 1

    def fail_next(self, domain: str, *answers: int | str) -> None:
        """The next GraphQL calls answer these instead: an HTTP status (500, 502, 503, 429) or "timeout"."""
        self.stores[domain].faults.extend(answers)

    def events(self, domain: str) -> list[dict[str, Any]]:
        return list(self.stores[domain].events)

    def session_token(self, domain: str, *, user_id: str = "1", ttl: int = 60) -> str:
        """An App Bridge session token (ID token) for `domain`, signed as Shopify signs it."""
        now = int(time.time())
        claims = {"iss": f"https://{domain}/admin", "dest": f"https://{domain}", "aud": self.client_id,
                  "sub": user_id, "exp": now + ttl, "nbf": now, "iat": now, "jti": secrets.token_hex(8),
                  "sid": secrets.token_hex(8)}  # fmt: skip
        return jwt.encode(claims, self.client_secret, algorithm="HS256")

    # --- the HTTP API -------------------------------------------------------------------------------------------

    def _build(self) -> Flask:
        app = Flask("fake-shopify")
        app.add_url_rule("/admin/oauth/access_token", "token", self._token_endpoint, methods=["POST"])
        app.add_url_rule("/admin/api/<version>/graphql.json", "graphql", self._graphql, methods=["POST"])
        app.add_url_rule("/_fake/<domain>/events", "events", lambda domain: jsonify(self.events(domain)))
        return app

    def _store(self) -> FakeStore | None:
        return self.stores.get(request.host.split(":")[0].lower())

    def _token_endpoint(self) -> tuple[Response, int]:
        store = self._store()
        if store is None:
            return jsonify(errors="Not Found"), 404
        body = request.get_json(silent=True) or request.form.to_dict()
        if body.get("client_id") != self.client_id or body.get("client_secret") != self.client_secret:
            return jsonify(error="invalid_client", error_description="Client authentication failed"), 401
        grant_type = body.get("grant_type")
        time.sleep(self.token_delay)
        with self._lock:
            if grant_type == "refresh_token":
                self.calls["refresh"] += 1
                grant = self._refresh.get(str(body.get("refresh_token")))
                if grant is None or grant.domain != store.domain or grant.used or self._expired(grant):
                    self.calls["refused_refresh"] += 1
                    refused = "The refresh token is invalid, expired or already used"
                    return jsonify(error="invalid_grant", error_description=refused), 400
                grant.used = True  # rotation: a refresh token works once
                return jsonify(self._issue(store.domain, expiring=True)), 200
            if grant_type == "urn:ietf:params:oauth:grant-type:token-exchange":
                self.calls["exchange"] += 1
                problem = self._check_session_token(str(body.get("subject_token")), store.domain)
                if problem:
                    return jsonify(error="invalid_subject_token", error_description=problem), 400
                if body.get("requested_token_type") != "urn:shopify:params:oauth:token-type:offline-access-token":
                    return jsonify(error="invalid_request", error_description="only offline tokens here"), 400
                return jsonify(self._issue(store.domain, expiring=str(body.get("expiring")) == "1")), 200
        return jsonify(error="unsupported_grant_type", error_description=f"{grant_type!r} is not supported"), 400

    def _check_session_token(self, token: str, domain: str) -> str | None:
        try:
            claims = jwt.decode(token, self.client_secret, algorithms=["HS256"], audience=self.client_id)
        except jwt.PyJWTError as exc:
            return f"session token rejected: {type(exc).__name__}"
        return None if claims.get("dest") == f"https://{domain}" else "session token is for another store"

    def _issue(self, domain: str, *, expiring: bool) -> dict[str, Any]:
        now = self.clock()
        access = "shpat_" + secrets.token_hex(16)
        self._access[access] = _Grant(domain, now + ACCESS_TOKEN_TTL if expiring else None)
        answer: dict[str, Any] = {"access_token": access, "scope": self.stores[domain].scopes}
        if expiring:
            refresh = "shprt_" + secrets.token_hex(16)
            self._refresh[refresh] = _Grant(domain, now + REFRESH_TOKEN_TTL)
            answer.update(expires_in=ACCESS_TOKEN_TTL, refresh_token=refresh)
            answer["refresh_token_expires_in"] = REFRESH_TOKEN_TTL
        return answer

    def _expired(self, grant: _Grant) -> bool:
        return grant.expires_at is not None and grant.expires_at <= self.clock()

    def _graphql(self, version: str) -> tuple[Response, int] | Response:
        store = self._store()
        if store is None or version not in SUPPORTED_VERSIONS:
            return jsonify(errors="Not Found"), 404
        with self._lock:
            grant = self._access.get(request.headers.get("X-Shopify-Access-Token", ""))
            if grant is None or grant.domain != store.domain or grant.used or self._expired(grant):
                self.calls["unauthorized"] += 1
                return jsonify(errors=UNAUTHORIZED), 401
            fault = store.faults.popleft() if store.faults else None
        if fault == "timeout":
            time.sleep(self.timeout_seconds)
        elif isinstance(fault, int):
            headers = {"Retry-After": "2.0"} if fault == 429 else {}
            return Response('{"errors":"Internal error"}', status=fault, headers=headers, mimetype="application/json")
        body = request.get_json(silent=True) or {}
        document, variables = str(body.get("query") or ""), body.get("variables") or {}
        operation = _operation(document)
        if operation is None:
            message = "This fake answers shop, orders, ordersCount, themes, fulfillment and fulfillmentEventCreate only"
            return jsonify(errors=[{"message": message, "extensions": {"code": "undefinedField"}}])
        cost = (orders_cost(document, variables) if operation == "orders"
                else themes_cost(variables) if operation == "themes" else COSTS[operation])  # fmt: skip
        if cost > MAX_QUERY_COST:
            return jsonify(errors=[{"message": f"Query cost is {cost}, which exceeds the single query max cost "
                                    f"limit ({MAX_QUERY_COST}).", "extensions": {"code": "MAX_COST_EXCEEDED",
                                    "cost": cost, "maxCost": MAX_QUERY_COST}}])  # fmt: skip
        with self._lock:
            self.calls["graphql"] += 1
            now = self.clock()
            store.bucket = min(self.bucket_maximum, store.bucket + self.restore_rate * max(0.0, now - store.bucket_at))
            store.bucket_at = now
            if store.bucket < cost:
                self.calls["throttled"] += 1
                return jsonify(errors=[{"message": "Throttled", "extensions": {
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    extensions=self._cost(store, cost, None))  # fmt: skip
            if operation == "themes":
                data, errors = themes_operation(document, variables, store.themes, scopes=store.scopes)
            elif operation in ("orders", "ordersCount"):
                data, errors = orders_operation(operation, store.orders, variables, scopes=store.scopes,
                                                now=self.clock())  # fmt: skip
            elif operation in ("fulfillment", "fulfillmentEventCreate"):
                data, errors = fulfillment_operation(operation, variables, fulfillments=store.fulfillments,
                                                     events=store.events)  # fmt: skip
            else:
                data, errors = self._op_shop(store, variables)
            # Shopify takes the requested cost up front and gives back what the answer did not use.
            actual = actual_orders_cost(data) if operation == "orders" and data else cost
            store.bucket -= actual
        answer: dict[str, Any] = {"data": data, "extensions": self._cost(store, cost, actual)}
        if errors:
            answer = {"errors": errors, "extensions": answer["extensions"]}
        return jsonify(answer)

    def _cost(self, store: FakeStore, requested: int, actual: int | None) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": {
            "maximumAvailable": self.bucket_maximum, "currentlyAvailable": store.bucket,
            "restoreRate": self.restore_rate}}}  # fmt: skip

    # --- operations: (data, top-level errors) -------------------------------------------------------------------

    def _op_shop(self, store: FakeStore, variables: dict[str, Any]) -> tuple[Any, list[Any]]:
        return {"shop": {"name": store.name, "currencyCode": store.currency, "ianaTimezone": store.timezone}}, []


def _operation(document: str) -> str | None:
    if re.search(r"\bordersCount\s*\(", document):
        return "ordersCount"
    if re.search(r"\borders\s*\(", document):
        return "orders"
    if re.search(r"\bthemes\s*\(", document):
        return "themes"
    if re.search(r"\bfulfillmentEventCreate\s*\(", document):
        return "fulfillmentEventCreate"
    if re.search(r"\bfulfillment\s*\(\s*id\s*:", document):
        return "fulfillment"
    if re.search(r"\bshop\s*\{", document):
        return "shop"
    return None

