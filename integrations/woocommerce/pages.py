"""Is our tracking widget on one of the store's published pages? Read through WordPress's own REST API.

`GET /wp-json/wp/v2/pages?search=…` is public: without credentials WordPress lists published pages only, with
`content.rendered` (the page as shoppers get it, shortcodes and blocks already rendered). We search for the raw
forms a merchant places (the `[afterglow_tracking]` shortcode, the `afterglow/tracking` block, which WordPress
stores as `<!-- wp:afterglow/tracking /-->`) and keep the pages whose rendered content really holds the widget's
element, so a page that only mentions the shortcode in prose, or a store whose plugin is switched off, does not
count. No WooCommerce keys are sent: WordPress would read Basic credentials on `wp/v2` as an application password
and refuse them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from integrations.errors import RetryableError
from integrations.woocommerce.client import RequestError, StoreUnreachable

SEARCHES = ("afterglow_tracking", "wp:afterglow/tracking")
ELEMENT = "<afterglow-tracking"


@dataclass(frozen=True)
class PlacedPage:
    page_id: int
    link: str


def tracking_pages(store_url: str, *, timeout: float = 8.0, verify: bool | str = True) -> list[PlacedPage]:
    """The store's published pages showing the tracking widget. Raises `StoreUnreachable` (no answer),
    `RetryableError` (429/5xx) or `RequestError` (the store refused: REST API switched off, ...)."""
    found: dict[int, PlacedPage] = {}
    for term in SEARCHES:
        for page in _search(store_url, term, timeout=timeout, verify=verify):
            content = (page.get("content") or {}).get("rendered") if isinstance(page, dict) else None
            if page.get("status", "publish") == "publish" and isinstance(content, str) and ELEMENT in content:
                found.setdefault(int(page["id"]), PlacedPage(page_id=int(page["id"]), link=str(page.get("link") or "")))
    return sorted(found.values(), key=lambda placed: placed.page_id)


def _search(store_url: str, term: str, *, timeout: float, verify: bool | str) -> list[dict[str, Any]]:
    url = store_url.rstrip("/") + "/wp-json/wp/v2/pages"
    params: dict[str, str | int] = {"search": term, "per_page": 20, "_fields": "id,link,status,content"}
    try:
        response = requests.get(url, params=params, timeout=timeout, verify=verify,
                                headers={"Accept": "application/json", "User-Agent": "Afterglow"})  # fmt: skip
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise StoreUnreachable(f"GET wp/v2/pages: {type(exc).__name__}") from None
    if response.status_code == 429 or response.status_code >= 500:
        raise RetryableError(f"GET wp/v2/pages: {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise RequestError("GET wp/v2/pages: the answer is not JSON", status=response.status_code, code=None) from None
    if response.status_code >= 400 or not isinstance(body, list):
        code = body.get("code") if isinstance(body, dict) else None
        raise RequestError(f"GET wp/v2/pages: {response.status_code} {code}", status=response.status_code,
                           code=str(code) if code else None)  # fmt: skip
    return [page for page in body if isinstance(page, dict)]
