"""WooCommerce's REST API through WooCommerce's own client (`woocommerce.API`, over requests), with what it lacks:
timeouts and retries with backoff for 429, 5xx and transport failures, `X-WP-TotalPages` pagination, and typed
errors read from WordPress's error shape `{"code": "...", "message": "...", "data": {"status": N}}`.

Over https the client sends the consumer key and secret as HTTP Basic auth, which is what stores connected through
wc-auth use; keys never appear in messages or logs.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from woocommerce import API

from integrations.errors import AuthenticationError, IntegrationError, RetryableError

log = logging.getLogger(__name__)

API_VERSION = "wc/v3"
MAX_PER_PAGE = 100  # WordPress refuses per_page above 100 with rest_invalid_param
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# The codes WooCommerce answers when the keys are wrong, revoked or lack a permission.
AUTH_CODES = frozenset({
    "woocommerce_rest_authentication_error", "woocommerce_rest_cannot_view", "woocommerce_rest_cannot_create",
    "woocommerce_rest_cannot_edit", "woocommerce_rest_cannot_delete", "rest_forbidden",
})  # fmt: skip


class RequestError(IntegrationError):
    """WooCommerce refused the request for a reason retrying will not change (400, 404, 501 ...)."""

    def __init__(self, message: str, *, status: int, code: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class StoreUnreachable(RetryableError):
    """No answer at all: the site is down, the name does not resolve, TLS fails, or it timed out."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    page: int
    total: int | None  # X-WP-Total
    total_pages: int | None  # X-WP-TotalPages


@dataclass
class WooClient:
    """One store's REST API. `store_url` is the WordPress home (https://example.com or https://example.com/shop)."""

    store_url: str
    consumer_key: str
    consumer_secret: str
    timeout: float = 20.0
    attempts: int = 4
    backoff: float = 0.5  # first wait; doubles each attempt, with jitter, capped at `max_wait`
    max_wait: float = 30.0
    verify: bool | str = True  # a CA bundle path for a store with a private CA (the local fake)
    sleep: Callable[[float], None] = time.sleep
    _api: API = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._api = API(
            url=self.store_url.rstrip("/"), consumer_key=self.consumer_key, consumer_secret=self.consumer_secret,
            version=API_VERSION, timeout=self.timeout, verify_ssl=self.verify, user_agent="Afterglow",
        )  # fmt: skip

    # --- calls ----------------------------------------------------------------------------------------------------

    def get(self, endpoint: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("GET", endpoint, params=params).json()

    def post(self, endpoint: str, data: Mapping[str, Any]) -> Any:
        return self._call("POST", endpoint, data=data).json()

    def delete(self, endpoint: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._call("DELETE", endpoint, params=params).json()

    def page(self, endpoint: str, *, page: int, per_page: int = MAX_PER_PAGE, **params: Any) -> Page:
        response = self._call("GET", endpoint, params={**params, "page": page, "per_page": min(per_page, MAX_PER_PAGE)})
        items = response.json()
        if not isinstance(items, list):
            raise RequestError(f"GET {endpoint}: expected a list", status=response.status_code, code=None)
        return Page(items=items, page=page, total=_int_header(response, "X-WP-Total"),
                    total_pages=_int_header(response, "X-WP-TotalPages"))  # fmt: skip

    def pages(self, endpoint: str, *, per_page: int = MAX_PER_PAGE, **params: Any) -> Iterator[Page]:
        """Every page of a collection, in order, until `X-WP-TotalPages` (or an empty page when a proxy strips
        the header). The total is read from each page, so orders placed meanwhile are not cut off."""
        number = 1
        while True:
            try:
                current = self.page(endpoint, page=number, per_page=per_page, **params)
            except RequestError as exc:
                if number > 1 and exc.code == "rest_post_invalid_page_number":
                    return  # past the end, said WordPress's way when the headers did not reach us
                raise
            if current.items:
                yield current
            last = current.total_pages
            if not current.items or (last is not None and number >= last):
                return
            number += 1

    # --- transport --------------------------------------------------------------------------------------------------

    def _call(
        self, method: str, endpoint: str, *, params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> requests.Response:  # fmt: skip
        """One request, retried on transport failures, 429 and 5xx. A POST that got no answer is retried too:
        the only POST we send creates a webhook, and a twin left by a lost answer delivers to our URL, where
        connecting and disconnecting look for strays and delete them."""
        wait = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                response = self._send(method, endpoint, params=dict(params or {}), data=data)
            except (requests.ConnectionError, requests.Timeout) as exc:
                failure: RetryableError = StoreUnreachable(f"{method} {endpoint}: {type(exc).__name__}")
                retry_after = None
            else:
                if response.status_code < 400:
                    return response  # type: ignore[no-any-return]
                code, message = _error(response)
                if response.status_code not in RETRYABLE_STATUSES:
                    if response.status_code in (401, 403) or code in AUTH_CODES:
                        raise AuthenticationError(f"{method} {endpoint}: {response.status_code} {code}: {message}")
                    raise RequestError(f"{method} {endpoint}: {response.status_code} {code}: {message}",
                                       status=response.status_code, code=code)  # fmt: skip
                retry_after = _retry_after(response)
                failure = RetryableError(f"{method} {endpoint}: {response.status_code}", retry_after=retry_after)
            if attempt == self.attempts:
                raise failure
            delay = min(self.max_wait, retry_after if retry_after is not None else wait * (1 + random.random() / 4))
            log.info("woocommerce call retried", extra={"endpoint": endpoint, "attempt": attempt, "wait": delay})
            self.sleep(delay)
            wait *= 2
        raise AssertionError("unreachable")

    def _send(self, method: str, endpoint: str, *, params: dict[str, Any], data: Mapping[str, Any] | None) -> Any:
        if method == "GET":
            return self._api.get(endpoint, params=params)
        if method == "POST":
            return self._api.post(endpoint, dict(data or {}), params=params)
        if method == "DELETE":
            return self._api.delete(endpoint, params=params)
        raise ValueError(f"unsupported method {method}")


def _error(response: requests.Response) -> tuple[str | None, str]:
    try:
        body = response.json()
    except ValueError:
        return None, response.reason or "no JSON body"
    if isinstance(body, dict):
        return (str(body["code"]) if body.get("code") else None), str(body.get("message") or "")
    return None, ""


def _int_header(response: requests.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None
