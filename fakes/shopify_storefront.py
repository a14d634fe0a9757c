"""A Shopify online store's app proxy, for tests and the demo.

Shopify forwards `https://{shop}/apps/<subpath>/<rest>?<query>` to the app's proxy URL + `/<rest>`, adding `shop`,
`logged_in_customer_id` (empty when nobody is signed in), `path_prefix` and `timestamp`, signed with the app's
client secret (shopify.dev, "Authenticate app proxies"); it sets `X-Forwarded-For` to the shopper's address and
drops cookies. An answer with `Content-Type: application/liquid` is rendered inside the theme's layout; any other
answer is passed through as it is. This fake does the same for one store, with a minimal theme and the few Liquid
objects our proxy page uses (`request.locale.iso_code`, `customer`).
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from flask import Flask, Response, request

from integrations.shopify.proxy import proxy_signature

THEME = """<!doctype html><html lang="{locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>
<style>body{{margin:0;font-family:Helvetica,Arial,sans-serif}}
.page-width{{max-width:1100px;margin:0 auto;padding:0 1rem}}
.header{{border-bottom:1px solid #ddd;padding:1rem}}</style></head>
<body><div class="header page-width">{title}</div><main id="MainContent">{content}</main></body></html>"""
FORWARDED_HEADERS = ("content-type", "retry-after", "cache-control")


def create_storefront(
    *, app_url: str, shop: str, secret: str, subpath: str = "afterglow", customer_id: str = "", locale: str = "en"
) -> Flask:
    """The store at `shop`, with our proxy mounted at /apps/<subpath> and forwarding to `app_url` + "/proxy"."""
    fake = Flask("fake-shopify-storefront")
    fake.config.update(customer_id=customer_id, locale=locale)
    prefix = f"/apps/{subpath}"

    @fake.route(f"{prefix}/", defaults={"rest": ""})
    @fake.route(f"{prefix}/<path:rest>")
    def proxied(rest: str) -> Response:
        params: list[tuple[str, Any]] = list(request.args.items(multi=True))
        params += [("shop", shop), ("logged_in_customer_id", fake.config["customer_id"]),
                   ("path_prefix", prefix), ("timestamp", str(int(time.time())))]  # fmt: skip
        params.append(("signature", proxy_signature(params, secret)))
        answer = httpx.get(
            f"{app_url}/proxy/{rest}?{urlencode(params)}",
            headers={"X-Forwarded-For": request.remote_addr or "", "Accept": request.headers.get("Accept", "*/*")},
            timeout=10,
        )
        if answer.headers.get("content-type", "").startswith("application/liquid"):
            return Response(_theme(answer.text, fake.config), mimetype="text/html")
        headers = {k: v for k, v in answer.headers.items() if k.lower() in FORWARDED_HEADERS}
        return Response(answer.content, status=answer.status_code, headers=headers)

    @fake.get("/pages/<handle>")
    def theme_page(handle: str) -> Response:
        """A theme page that embeds markup (an app block's output), as a merchant would place it."""
        markup = fake.config.get(f"page:{handle}", "")
        return Response(_theme(markup, fake.config), mimetype="text/html")

    return fake


def _theme(liquid: str, config: dict[str, Any]) -> str:
    signed_in = bool(config["customer_id"])
    if_customer = re.compile(r"{%\s*if customer\s*%}(.*?){%\s*endif\s*%}", re.S)
    content = if_customer.sub(lambda m: m[1] if signed_in else "", liquid)
    content = re.sub(r"{{\s*request\.locale\.iso_code\s*}}", config["locale"], content)
    return THEME.format(locale=config["locale"], title="Afterglow Demo Store", content=content)
