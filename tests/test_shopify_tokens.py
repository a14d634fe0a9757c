"""A store's tokens as the app holds them: encrypted, refreshed before they expire, rotated refresh tokens kept,
one refresh however many workers need a token at once, and a 401 answered with one refresh and a retry."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select, text

from app import crypto
from app.extensions import db
from app.models import ShopifyCredential
from app.models.types import utcnow
from app.services import shopify_api
from app.services.shopify_tokens import NotConnected, access_token
from integrations.errors import AuthenticationError
from integrations.shopify.admin import shop_details
from tests.conftest import SHOP
from tests.shopify_fake import attach, connect, fake_shopify

# The suite's app secret (which signs session tokens) is shorter than PyJWT recommends; production secrets are not.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


@pytest.fixture
def shopify(app):  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP) as harness:
        attach(app, harness)
        yield harness


def credential(shop_id: int) -> ShopifyCredential:
    db.session.expire_all()
    return db.session.scalars(select(ShopifyCredential).where(ShopifyCredential.shop_id == shop_id)).one()


def test_shopify_tokens_are_stored_encrypted_and_kept_out_of_reprs(shopify):
    shop = connect(shopify, SHOP)

    stored = credential(shop.id)
    raw = db.session.execute(text("SELECT access_token_ciphertext, refresh_token_ciphertext FROM shopify_credentials"))
    token = access_token(shop_id=shop.id)
    assert token.startswith("shpat_")
    assert all(token not in value and "shprt_" not in value for value in raw.one())
    assert token not in repr(stored) and "shprt_" not in repr(stored)
    assert crypto.decrypt(stored.refresh_token_ciphertext).startswith("shprt_")


def test_shopify_access_token_still_valid_is_used_without_refreshing(shopify):
    shop = connect(shopify, SHOP, expires_in=600)  # 10 minutes left, the margin is 5

    first = access_token(shop_id=shop.id)

    assert access_token(shop_id=shop.id) == first
    assert shopify.fake.calls["refresh"] == 0


def test_shopify_access_token_near_expiry_is_refreshed_and_the_rotated_refresh_token_kept(shopify):
    shop = connect(shopify, SHOP, expires_in=240)  # inside the 5-minute margin
    before = credential(shop.id)
    old_token = crypto.decrypt(before.access_token_ciphertext)
    old_refresh = crypto.decrypt(before.refresh_token_ciphertext)

    token = access_token(shop_id=shop.id)

    after = credential(shop.id)
    assert token != old_token and crypto.decrypt(after.access_token_ciphertext) == token
    new_refresh = crypto.decrypt(after.refresh_token_ciphertext)
    assert new_refresh != old_refresh
    assert after.access_token_expires_at > utcnow() + timedelta(minutes=59)
    assert shopify.fake.calls["refresh"] == 1
    assert access_token(shop_id=shop.id) == token  # fresh now: no second refresh
    assert shopify.fake.calls["refresh"] == 1
    with pytest.raises(AuthenticationError):  # Shopify refuses the spent one, so losing the new one would be fatal
        shopify_api.issuer().refresh(shop_domain=SHOP, refresh_token=old_refresh)
    assert shopify_api.issuer().refresh(shop_domain=SHOP, refresh_token=new_refresh).access_token


def test_shopify_admin_call_refused_with_401_refreshes_once_and_retries(shopify):
    shop = connect(shopify, SHOP)
    shopify.fake.expire_access_tokens(SHOP)  # Shopify no longer takes it, though our expiry says it is fine

    details = shop_details(shopify_api.admin_client(shop=shop))

    assert details.name == "Afterglow Demo"
    assert (shopify.fake.calls["unauthorized"], shopify.fake.calls["refresh"]) == (1, 1)
    assert crypto.decrypt(credential(shop.id).access_token_ciphertext) != ""
    shop_details(shopify_api.admin_client(shop=shop))  # the persisted new token works for the next client
    assert shopify.fake.calls["refresh"] == 1


def test_shopify_uninstalled_store_refuses_the_refresh_with_authentication_error(shopify):
    shop = connect(shopify, SHOP)
    shopify.fake.uninstall(SHOP)

    with pytest.raises(AuthenticationError):
        shop_details(shopify_api.admin_client(shop=shop))


def test_shopify_access_token_for_an_unconnected_store_raises_not_connected(app):
    with pytest.raises(NotConnected):
        access_token(shop_id=12345)


def test_shopify_concurrent_refreshes_spend_the_refresh_token_once(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; the embedded SQLite runs jobs on one thread")
    # The token endpoint takes 0.3 s, so without the row lock both workers would send the same refresh token and
    # Shopify would refuse the second.
    with fake_shopify(SHOP, token_delay=0.3) as harness:
        attach(app, harness)
        shop_id = connect(harness, SHOP, expires_in=60).id
        db.session.remove()
        start, tokens, errors = threading.Barrier(2), [], []

        def worker() -> None:
            with app.app_context():
                start.wait()
                try:
                    tokens.append(access_token(shop_id=shop_id))
                except Exception as exc:  # reported below
                    errors.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)

        assert errors == []
        assert len(tokens) == 2 and tokens[0] == tokens[1]
        assert (harness.fake.calls["refresh"], harness.fake.calls["refused_refresh"]) == (1, 0)
        assert crypto.decrypt(credential(shop_id).access_token_ciphertext) == tokens[0]


def test_shopify_tokens_never_reach_the_logs(shopify, caplog, monkeypatch):
    # Alembic's fileConfig (migrations/env.py) disables the loggers that existed when an earlier test migrated.
    for name in ("app.services.shopify_tokens", "integrations.shopify.client", "httpx", "werkzeug"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    shop = connect(shopify, SHOP, expires_in=60)
    stored = credential(shop.id)
    secrets = {crypto.decrypt(stored.access_token_ciphertext), crypto.decrypt(stored.refresh_token_ciphertext)}

    with caplog.at_level("DEBUG"):
        secrets.add(access_token(shop_id=shop.id))  # refreshed before expiry
        secrets.add(crypto.decrypt(credential(shop.id).refresh_token_ciphertext))
        shopify.fake.expire_access_tokens(SHOP)
        shop_details(shopify_api.admin_client(shop=shop))  # a 401, then a refresh and the retry

    secrets |= {crypto.decrypt(credential(shop.id).access_token_ciphertext),
                crypto.decrypt(credential(shop.id).refresh_token_ciphertext)}  # fmt: skip
    assert shopify.fake.calls["refresh"] == 2
    assert "shopify token refreshed" in caplog.text and not any(secret in caplog.text for secret in secrets)
    assert "shpat_" not in caplog.text and "shprt_" not in caplog.text


def test_shopify_connect_with_session_token_keeps_tokens_and_store_details(shopify):
    from app.services.shopify_connections import connect_with_session_token

    session_token = shopify.fake.session_token(SHOP)
    claims = jwt.decode(session_token, shopify.fake.client_secret, algorithms=["HS256"], audience="test-key")

    shop = connect_with_session_token(shop_domain=SHOP, id_token=session_token, claims=claims)

    assert (shop.name, shop.currency, shop.timezone) == ("Afterglow Demo", "EUR", "Europe/Paris")
    assert shopify.fake.calls["exchange"] == 1
    assert credential(shop.id).access_token_expires_at > utcnow() + timedelta(minutes=59)
    assert access_token(shop_id=shop.id).startswith("shpat_")


def test_shopify_connect_refuses_a_session_token_for_another_store(shopify):
    from app.services.shopify_connections import connect_with_session_token

    session_token = shopify.fake.session_token("other-store.myshopify.com")

    with pytest.raises(ValueError, match="other-store"):
        connect_with_session_token(shop_domain=SHOP, id_token=session_token,
                                   claims={"dest": "https://other-store.myshopify.com"})  # fmt: skip
    assert shopify.fake.calls["exchange"] == 0
