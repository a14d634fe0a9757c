"""A fake Shopify on a real local port, a clock the client's waits move forward, and tokens the way the app holds
them: what the Shopify client and write-back tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from fakes.server import FakeServer
from fakes.shopify import FakeShopify
from integrations.shopify.http import http_client
from integrations.shopify.tokens import TokenIssuer

CLIENT_ID = "test-key"  # tests.conftest.make_settings: shopify_api_key
CLIENT_SECRET = "test-shopify-secret"  # tests.conftest.SHOPIFY_SECRET


@dataclass
class Clock:
    """Seconds on a fake timeline. `sleep` records each wait and moves time on, so the fake's bucket refills."""

    now: float = 1_000_000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


@dataclass
class Tokens:
    """A token source as the client wants it, holding what the token endpoint granted, refreshing on request."""

    issuer: TokenIssuer
    shop: str
    access: str
    refresh_token: str
    refreshes: int = 0

    def __call__(self, *, refresh: bool = False) -> str:
        if refresh:
            issued = self.issuer.refresh(shop_domain=self.shop, refresh_token=self.refresh_token)
            self.access, self.refresh_token = issued.access_token, issued.refresh_token or ""
            self.refreshes += 1
        return self.access


@dataclass
class Harness:
    fake: FakeShopify
    server: FakeServer
    clock: Clock
    http: httpx.Client

    def issuer(self) -> TokenIssuer:
        return TokenIssuer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, http=self.http)

    def tokens(self, shop: str) -> Tokens:
        grant = self.fake.grant(shop)
        return Tokens(self.issuer(), shop, grant["access_token"], grant["refresh_token"])


@contextmanager
def fake_shopify(*shops: str, timeout: float = 5.0, **options: float) -> Iterator[Harness]:
    clock = Clock()
    fake = FakeShopify(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, clock=clock, **options)
    for shop in shops:
        fake.add_store(shop, name="Afterglow Demo", currency="EUR", timezone="Europe/Paris")
    with FakeServer(fake.app) as server:
        http = http_client(base_url=server.base_url, timeout=httpx.Timeout(timeout))
        try:
            yield Harness(fake, server, clock, http)
        finally:
            http.close()
