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


def attach(app, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    """Send the app's Shopify calls to the fake (through the harness's HTTP client, so a test sets the timeouts),
    and its Shopify waits to the fake clock."""
    app.config["AFTERGLOW"].shopify_api_base_url = harness.server.base_url
    app.extensions["afterglow.shopify_http"] = harness.http
    app.extensions["afterglow.shopify_sleep"] = harness.clock.sleep


def connect(harness: Harness, shop: str, *, expires_in: float | None = None):  # type: ignore[no-untyped-def]
    """The shop row with the tokens an install would have stored; `expires_in` overrides the access token's TTL."""
    from datetime import timedelta

    from app.models.types import utcnow
    from app.services.shopify_tokens import store_tokens
    from app.services.shops import get_or_create_shop
    from integrations.shopify.tokens import IssuedTokens

    grant = harness.fake.grant(shop)
    now = utcnow()
    row = get_or_create_shop(platform="shopify", domain=shop)
    from app.extensions import db

    db.session.commit()
    store_tokens(shop_id=row.id, issued=IssuedTokens(
        access_token=grant["access_token"],
        expires_at=now + timedelta(seconds=grant["expires_in"] if expires_in is None else expires_in),
        refresh_token=grant["refresh_token"],
        refresh_token_expires_at=now + timedelta(seconds=grant["refresh_token_expires_in"]),
        scopes=grant["scope"],
    ))  # fmt: skip
    return row


def session_token(shop: str, *, secret: str = CLIENT_SECRET, audience: str = CLIENT_ID, ttl: int = 60,
                  algorithm: str = "HS256", **claims: object) -> str:  # fmt: skip
    """An App Bridge session token for `shop` as Shopify signs it; `claims` override or (as None) drop claims."""
    import secrets as random
    import time

    import jwt

    now = int(time.time())
    body: dict[str, object] = {"iss": f"https://{shop}/admin", "dest": f"https://{shop}", "aud": audience, "sub": "1",
                               "exp": now + ttl, "nbf": now - 1, "iat": now - 1, "jti": random.token_hex(8),
                               "sid": random.token_hex(8)}  # fmt: skip
    body.update(claims)
    return jwt.encode({key: value for key, value in body.items() if value is not None}, secret, algorithm=algorithm)


def install(client, shop: str) -> object:  # type: ignore[no-untyped-def]
    """Open the app home as the store's admin does on install (Shopify's managed install)."""
    return client.get(f"/?shop={shop}&host=YWRtaW4uc2hvcGlmeS5jb20&id_token={session_token(shop)}")
