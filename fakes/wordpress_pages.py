"""WordPress's pages endpoint (`GET /wp-json/wp/v2/pages`) on the fake WooCommerce's stores, as WordPress core
answers it without credentials (developer.wordpress.org, REST API Handbook, "Pages"):
- public: published pages only; `status` other than `publish` is refused (400 `rest_invalid_param`) without a
  signed-in user;
- HTTP Basic credentials are read as an application password: an unknown user name (a WooCommerce consumer key
  is one) gets 401 `invalid_username`;
- `search` matches the title and the raw content (case-insensitive), `per_page` (1-100) and `page` with
  `X-WP-Total` and `X-WP-TotalPages`, `_fields` limits the fields;
- `content.rendered` is the page as shoppers get it: with our plugin active, `[afterglow_tracking]` and the
  `afterglow/tracking` block become the widget's element; without it, an unknown shortcode stays as typed and an
  unknown block renders nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Response, request

from fakes import woocommerce_http as http

if TYPE_CHECKING:
    from fakes.woocommerce import FakeWooCommerce, FakeWooStore

SHORTCODE = re.compile(r"\[afterglow_tracking[^\]]*\]")
BLOCK = re.compile(r"<!-- wp:afterglow/tracking(?: \{.*?\})? /-->")
ANY_BLOCK_COMMENT = re.compile(r"<!-- /?wp:[^>]*-->")


def authenticate() -> Response | None:
    if request.headers.get("Authorization", "").startswith("Basic "):
        return http.error("invalid_username", "Unknown username. Check again or try your email address.", 401)
    return None


def pages(fake: FakeWooCommerce, store: FakeWooStore) -> Response:
    status = request.args.get("status", "publish")
    if status != "publish":
        return http.error("rest_invalid_param", "Invalid parameter(s): status", 400)
    paging = http.paging()
    if isinstance(paging, Response):
        return paging
    term = (request.args.get("search") or "").lower()
    chosen = [page for page in store.pages if page["status"] == "publish"
              and (not term or term in page["title"].lower() or term in page["content"].lower())]  # fmt: skip
    fields = [name for name in (request.args.get("_fields") or "").split(",") if name]
    items = [_view(fake, store, page, fields) for page in chosen]
    return http.paginated(items, *paging)


def _view(fake: FakeWooCommerce, store: FakeWooStore, page: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    home = fake.home_url(store)
    full = {"id": page["id"], "slug": page["slug"], "status": page["status"], "type": "page",
            "link": f"{home}{page['slug']}/", "title": {"rendered": page["title"]},
            "content": {"rendered": _render(page["content"], store, home), "protected": False}}  # fmt: skip
    return {name: value for name, value in full.items() if not fields or name in fields}


def _render(content: str, store: FakeWooStore, home: str) -> str:
    if store.plugin_active:
        host = home.split("://", 1)[-1].rstrip("/")
        element = (f'<afterglow-tracking style="display:block;min-height:22rem" endpoint="https://afterglow.test'
                   f'/api/storefront" shop="{host}" locale="en-US"></afterglow-tracking>')  # fmt: skip
        content = SHORTCODE.sub(element, content)
        content = BLOCK.sub(f'<div class="wp-block-afterglow-tracking">{element}</div>', content)
    else:
        content = BLOCK.sub("", content)
    return ANY_BLOCK_COMMENT.sub("", content)
