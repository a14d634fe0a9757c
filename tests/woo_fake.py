"""The fake WooCommerce on a real local https port, with its outgoing requests (the wc-auth callback, webhook
deliveries and pings) routed to the app under test at `APP_URL`, as if the store reached Afterglow over the
internet. What the WooCommerce connect, webhook and backfill tests share."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask

from fakes.server import FakeServer
from fakes.tls import local_certificate
from fakes.woocommerce import FakeWooCommerce, FakeWooStore

APP_URL = "https://afterglow.test"
STORE = "shop-a"


def woo_settings() -> dict[str, object]:
    return {"public_url": APP_URL, "woocommerce_ca_bundle": local_certificate().ca_path}


def to_app(app: Flask) -> Any:
    """A sender for the fake: requests to APP_URL go to `app` in-process; anything else finds nobody (status 0)."""

    def send(url: str, headers: Mapping[str, str], body: bytes) -> int:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != APP_URL:
            return 0
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return int(app.test_client().post(path, data=body, headers=dict(headers), base_url=APP_URL).status_code)

    return send


@dataclass
class Woo:
    fake: FakeWooCommerce
    server: FakeServer
    store: FakeWooStore

    @property
    def store_url(self) -> str:
        return f"{self.server.base_url}/{STORE}"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server.port}/{STORE}"

    def approve(self, authorize_url: str) -> requests.Response:
        """What the merchant does on the store: open the authorize page, press Approve. Returns the store's answer
        to Approve (a redirect to our return URL, or an error page)."""
        page = requests.get(authorize_url, verify=local_certificate().ca_path, timeout=10)
        assert page.status_code == 200, page.text
        nonce = re.search(r'name="wc_auth_nonce" value="([0-9a-f]+)"', page.text)
        assert nonce is not None
        return requests.post(f"{self.store_url}/wc-auth/v1/access_granted", data={"wc_auth_nonce": nonce.group(1)},
                             verify=local_certificate().ca_path, allow_redirects=False, timeout=30)  # fmt: skip


@contextmanager
def running_woo(app: Flask) -> Iterator[Woo]:
    fake = FakeWooCommerce(send=to_app(app), timeout_seconds=0.6)
    store = fake.add_store(STORE, name="Shop A")
    with FakeServer(fake.app, tls=True) as server:
        fake.base_url = server.base_url
        yield Woo(fake=fake, server=server, store=store)


def connect(client: Any, woo: Woo) -> requests.Response:
    """The whole connect flow through HTTP: our form, the store's approval, our return page. Returns the approval
    answer; the test client then holds the admin session."""
    started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
    assert started.status_code == 302, started.get_data(as_text=True)
    approved = woo.approve(started.headers["Location"])
    if approved.status_code == 302:
        back = urlsplit(approved.headers["Location"])
        landed = client.get(f"{back.path}?{back.query}", base_url=APP_URL)
        assert landed.status_code == 303 and landed.headers["Location"].endswith("/app")
    return approved
