"""Shopify Admin GraphQL for one store: a pinned API version, calls that wait out throttling and retry passing faults.

Pure: no Flask, no database. Each call goes out through shopifyapp's `admin_graphql_request` with its own retries
off (they sleep on the wall clock, ignore THROTTLED answers and drop `Retry-After`); the policy lives here:

- cost: every answer's `extensions.cost.throttleStatus` says how full the store's bucket is and how fast it
  refills. Before a call we wait until the bucket holds the call's expected cost; a THROTTLED answer (HTTP 200
  with `errors[].extensions.code == "THROTTLED"`) waits until it holds the requested cost, a 429 waits
  `Retry-After`, then the call is sent again.
- 5xx and network failures: a query is retried with exponential backoff and a cap, then `RetryableError`; a
  mutation is not (Shopify may have applied it before failing to answer) and raises `ShopifyUncertainWrite`.
- 401: the token is asked for once more with `refresh=True` (the app refreshes it) and the call retried once;
  a second 401 is `AuthenticationError`.
- `userErrors` in a mutation's payload raise `ShopifyUserError`; other top-level errors `ShopifyGraphQLError`.

`sleep` and `clock` are injectable so tests can measure the waits against a fake whose bucket really refuses.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from shopify_app.graphql import admin_graphql_request

from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.shopify.errors import (
    ShopifyAccessError,
    ShopifyGraphQLError,
    ShopifyUncertainWrite,
    ShopifyUserError,
    UserError,
)
from integrations.shopify.http import http_client, shop_name

log = logging.getLogger(__name__)

# One constant: every call names this version. Shopify supports a version for 12 months; move it quarterly.
API_VERSION = "2026-10"

MUTATION_COST = 10  # Shopify's default cost of a mutation


class TokenSource(Protocol):
    def __call__(self, *, refresh: bool = False) -> str:
        """The store's access token; with `refresh=True` a new one (the current one was just refused)."""


@dataclass
class Bucket:
    """The store's cost bucket as Shopify last described it, and when (on our clock)."""

    maximum: float
    available: float
    restore_rate: float
    seen_at: float

    def available_at(self, now: float) -> float:
        return min(self.maximum, self.available + self.restore_rate * max(0.0, now - self.seen_at))

    def wait_for(self, cost: float, now: float) -> float:
        """Seconds until the bucket holds `cost` (never more than it can hold)."""
        missing = min(cost, self.maximum) - self.available_at(now)
        if missing <= 0 or self.restore_rate <= 0:
            return 0.0
        return missing / self.restore_rate


@dataclass(frozen=True)
class _Reply:
    status: int  # 0: no answer (timeout, connection refused)
    headers: Mapping[str, str]
    body: str


class AdminClient:
    def __init__(
        self,
        shop_domain: str,
        token: TokenSource,
        *,
        http: httpx.Client | None = None,
        api_version: str = API_VERSION,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        max_throttle_waits: int = 5,
        max_wait: float = 60.0,
    ) -> None:
        self.shop_domain = shop_domain
        self._shop = shop_name(shop_domain)
        self._token = token
        self._own_http = http is None
        self._http = http or http_client()
        self.api_version = api_version
        self._sleep = sleep
        self._clock = clock
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._max_throttle_waits = max_throttle_waits
        self._max_wait = max_wait
        self.bucket: Bucket | None = None

    def __repr__(self) -> str:
        return f"<AdminClient {self.shop_domain} {self.api_version}>"

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def query(self, document: str, variables: Mapping[str, Any] | None = None, *, cost: float = 1) -> dict[str, Any]:
        """The `data` of a query. `cost` is what we expect it to cost, to wait for the bucket before sending."""
        return self._execute(document, variables, cost, idempotent=True)

    def mutate(
        self, document: str, variables: Mapping[str, Any], *, operation: str, cost: float = MUTATION_COST
    ) -> dict[str, Any]:
        """The payload of mutation `operation` (e.g. `data.fulfillmentEventCreate`), or `ShopifyUserError`."""
        data = self._execute(document, variables, cost, idempotent=False)
        payload = data.get(operation)
        if not isinstance(payload, dict):
            raise ShopifyGraphQLError([f"{operation}: no payload in the answer"])
        errors = [_user_error(raw) for raw in payload.get("userErrors") or []]
        if errors:
            raise ShopifyUserError(operation, errors)
        return payload

    # --- one call, with its waits and retries ------------------------------------------------------------------

    def _execute(
        self, document: str, variables: Mapping[str, Any] | None, cost: float, *, idempotent: bool
    ) -> dict[str, Any]:
        refreshed = False
        failures = 0
        throttled = 0
        while True:
            self._wait_for_bucket(cost)
            reply = self._send(document, variables, self._token(refresh=False))
            if reply.status == 401:
                if refreshed:
                    raise AuthenticationError(f"{self.shop_domain} refused a freshly refreshed token (HTTP 401)")
                refreshed = True
                self._token(refresh=True)
                continue
            if reply.status == 429:
                throttled = self._throttled(throttled, _retry_after(reply.headers) or self._bucket_wait(cost, 1.0))
                continue
            if reply.status == 0 or reply.status >= 500:
                failures += 1
                what = "no answer" if reply.status == 0 else f"HTTP {reply.status}"
                if not idempotent:
                    raise ShopifyUncertainWrite(f"Shopify {self.shop_domain}: {what} to a mutation (it may have run)")
                if failures >= self._max_attempts:
                    raise RetryableError(f"Shopify {self.shop_domain}: {what} after {failures} attempts")
                delay = min(self._backoff_cap, self._backoff_base * 2 ** (failures - 1))
                log.info("shopify call failed; retrying", extra={"shop": self.shop_domain, "error": what,
                                                                   "attempt": failures, "delay": delay})  # fmt: skip
                self._sleep(delay)
                continue
            if reply.status in (402, 403, 404, 423):
                raise ShopifyAccessError(f"Shopify {self.shop_domain}: HTTP {reply.status}", status=reply.status)
            if reply.status != 200:
                raise IntegrationError(f"Shopify {self.shop_domain}: HTTP {reply.status}")
            payload = _json(reply.body)
            self._observe(payload)
            errors = payload.get("errors")
            if errors:
                if _is_throttled(errors):
                    requested = _requested_cost(payload) or cost
                    throttled = self._throttled(throttled, self._bucket_wait(requested, 1.0))
                    continue
                raise ShopifyGraphQLError(_messages(errors))
            data = payload.get("data")
            if not isinstance(data, dict):
                raise ShopifyGraphQLError(["the answer has no data"])
            return data

    def _send(self, document: str, variables: Mapping[str, Any] | None, token: str) -> _Reply:
        result = admin_graphql_request(
            document, shop=self._shop, access_token=token, api_version=self.api_version,
            variables=dict(variables) if variables else None, max_retries=0, http_client=self._http,
        )  # fmt: skip
        # On failures shopifyapp's `response` is its own summary; the HTTP answer itself is in the last log entry.
        raw = result.http_logs[-1].res if result.http_logs else result.response
        if not result.http_logs:  # refused before sending: an empty token, shop, version or query
            if result.log.code == "missing_access_token":
                raise AuthenticationError(f"{self.shop_domain}: no access token to send")
            raise IntegrationError(f"{self.shop_domain}: {result.log.detail}")
        return _Reply(status=raw.status, headers={k.lower(): v for k, v in raw.headers.items()}, body=raw.body)

    def _observe(self, payload: Mapping[str, Any]) -> None:
        status = _path(payload, "extensions", "cost", "throttleStatus")
        if not isinstance(status, Mapping):
            return
        try:
            self.bucket = Bucket(
                maximum=float(status["maximumAvailable"]), available=float(status["currentlyAvailable"]),
                restore_rate=float(status["restoreRate"]), seen_at=self._clock(),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            return

    def _wait_for_bucket(self, cost: float) -> None:
        wait = self.bucket.wait_for(cost, self._clock()) if self.bucket else 0.0
        if wait > 0:
            self._sleep(min(wait, self._max_wait))

    def _bucket_wait(self, cost: float, default: float) -> float:
        return self.bucket.wait_for(cost, self._clock()) if self.bucket else default

    def _throttled(self, count: int, wait: float) -> int:
        count += 1
        if count > self._max_throttle_waits or wait > self._max_wait:
            raise RetryableError(f"Shopify {self.shop_domain}: throttled", retry_after=wait)
        log.info("shopify throttled; waiting", extra={"shop": self.shop_domain, "wait": round(wait, 3)})
        # A hair over the computed wait: the bucket refills continuously, and arriving early is another THROTTLED.
        self._sleep(wait + 0.05)
        return count


def _json(body: str) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise RetryableError("Shopify answered 200 with a body that is not JSON") from None
    if not isinstance(payload, dict):
        raise ShopifyGraphQLError(["the answer is not a JSON object"])
    return payload


def _path(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _is_throttled(errors: Any) -> bool:
    return isinstance(errors, list) and any(_path(error, "extensions", "code") == "THROTTLED" for error in errors)


def _requested_cost(payload: Mapping[str, Any]) -> float | None:
    value = _path(payload, "extensions", "cost", "requestedQueryCost")
    return float(value) if isinstance(value, int | float) else None


def _messages(errors: Any) -> list[str]:
    if isinstance(errors, str):  # REST-style `{"errors": "..."}`
        return [errors]
    if not isinstance(errors, list):
        return [str(errors)]
    return [str(error.get("message")) if isinstance(error, Mapping) else str(error) for error in errors]


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return max(0.0, float(headers["retry-after"]))
    except (KeyError, ValueError):
        return None


def _user_error(raw: Any) -> UserError:
    if not isinstance(raw, Mapping):
        return UserError(field=(), message=str(raw))
    field = raw.get("field") or []
    return UserError(
        field=tuple(str(part) for part in field) if isinstance(field, list) else (str(field),),
        message=str(raw.get("message") or ""),
        code=str(raw["code"]) if raw.get("code") else None,
    )
