"""Managed install through the app home, against the fake Shopify over HTTP: the session token verified and
exchanged, tokens kept encrypted, the page framed only by the store; reinstall over an existing store; uninstall
purging tokens and stopping work while keeping data; a refresh token that expired sends the store through the
exchange again."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text, update

from app.extensions import db
from app.models import Order, Shipment, Shop, ShopifyCredential
from app.models.types import utcnow
from fakes.shopify_orders import order_node
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture
from tests.shopify_fake import attach, fake_shopify, install, session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
CSP = f"frame-ancestors https://{SHOP} https://admin.shopify.com;"


@pytest.fixture
def shopify(app):  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP) as harness:
        attach(app, harness)
        yield harness


def credential() -> ShopifyCredential | None:
    db.session.expire_all()
    return db.session.scalars(select(ShopifyCredential)).first()


def test_install_exchanges_the_session_token_and_renders_the_admin_page_framed_by_the_store_only(client, shopify):
    response = install(client, SHOP)

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    page = response.get_data(as_text=True)
    assert '<meta name="shopify-api-key" content="test-key">' in page
    assert '<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>' in page
    boot = json.loads(page.split('<script id="afterglow-boot" type="application/json">')[1].split("</script>")[0])
    assert (boot["mode"], boot["shop"]["domain"], boot["shop"]["name"], boot["csrf"]) == ("embedded", SHOP,
                                                                                           "Afterglow Demo", None)
    assert '<script type="module" src="/static/admin/assets/main-' in page  # the bundle, from Vite's manifest
    assert shopify.fake.calls["exchange"] == 1
    stored = credential()
    assert stored is not None and stored.access_token_expires_at > utcnow() + timedelta(minutes=59)
    raw = db.session.execute(text("SELECT access_token_ciphertext, refresh_token_ciphertext FROM shopify_credentials"))
    assert all("shpat_" not in value and "shprt_" not in value for value in raw.one())
    shop = db.session.scalars(select(Shop)).one()
    assert (shop.domain, shop.name, shop.currency, shop.uninstalled_at) == (SHOP, "Afterglow Demo", "EUR", None)


def test_install_imports_the_stores_recent_orders(client, shopify):
    shopify.fake.add_orders(SHOP, [order_node(n, created_at=utcnow() - timedelta(days=n)) for n in range(1, 4)])

    install(client, SHOP)

    assert db.session.scalar(select(func.count()).select_from(Order)) == 3


def test_app_home_loaded_again_uses_the_stored_tokens_without_a_new_exchange(client, shopify):
    install(client, SHOP)

    response = install(client, SHOP)

    assert response.status_code == 200
    assert shopify.fake.calls["exchange"] == 1


def test_app_home_without_a_session_token_sends_app_bridge_to_fetch_one(client, shopify):
    response = client.get(f"/?shop={SHOP}&host=abc")

    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/auth/patch-id-token?" in location and f"shop={SHOP}" in location and "shopify-reload=" in location
    target = urlsplit(location)
    page = client.get(f"{target.path}?{target.query}")
    assert page.status_code == 200
    assert 'data-api-key="test-key"' in page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"] == CSP
    assert shopify.fake.calls["exchange"] == 0


def test_app_home_redirect_names_the_public_address_behind_a_proxy(client, shopify):
    settings = client.application.config["AFTERGLOW"]
    settings.public_url, settings.public_url_configured = "https://app.afterglow.example", True

    response = client.get(f"/?shop={SHOP}&host=abc")

    assert response.headers["Location"].startswith("https://app.afterglow.example/auth/patch-id-token?")


def test_patch_id_token_page_refuses_a_shop_that_is_not_a_store_domain(client):
    response = client.get("/auth/patch-id-token?shop=evil.example%3B%20script-src%20*&shopify-reload=/")

    assert response.status_code == 400
    assert "Content-Security-Policy" not in response.headers


@pytest.mark.parametrize(
    "token",
    [
        lambda: session_token(SHOP, audience="another-app"),
        lambda: session_token(SHOP, secret="not-the-app-secret"),
        lambda: session_token(SHOP, dest="https://other-store.myshopify.com"),
    ],
)
def test_app_home_with_a_token_that_is_not_ours_installs_nothing(client, shopify, token):
    response = client.get(f"/?shop={SHOP}&host=abc&id_token={token()}")

    assert response.status_code in (302, 401)  # a bad signature is sent for a fresh token, others refused
    assert shopify.fake.calls["exchange"] == 0
    assert db.session.scalar(select(func.count()).select_from(Shop)) == 0


def test_app_home_token_for_another_store_than_the_shop_named_is_refused(client, shopify):
    response = client.get(f"/?shop=other-store.myshopify.com&host=abc&id_token={session_token(SHOP)}")

    assert response.status_code == 401
    assert shopify.fake.calls["exchange"] == 0


def ship_a_parcel(client) -> None:  # type: ignore[no-untyped-def]
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number="1Z999AA10123456784")
    post_shopify(client, "fulfillments/create", fulfillment)


def test_uninstall_purges_tokens_and_stops_tracking_but_keeps_the_stores_data(client, shopify):
    install(client, SHOP)
    ship_a_parcel(client)
    assert db.session.scalars(select(Shipment)).one().next_check_at is not None

    response = post_shopify(client, "app/uninstalled", {"id": 690933842, "myshopify_domain": SHOP})

    assert response.status_code == 200
    assert credential() is None
    shop = db.session.scalars(select(Shop)).one()
    assert shop.uninstalled_at is not None
    assert db.session.scalars(select(Shipment)).one().next_check_at is None
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_reinstall_over_an_uninstalled_store_reconnects_the_same_row_and_resumes_tracking(client, shopify):
    install(client, SHOP)
    ship_a_parcel(client)
    shop_id = db.session.scalars(select(Shop.id)).one()
    post_shopify(client, "app/uninstalled", {"id": 690933842})
    shopify.fake.uninstall(SHOP)  # Shopify revokes every token of the store

    response = install(client, SHOP)

    assert response.status_code == 200
    assert shopify.fake.calls["exchange"] == 2
    shop = db.session.scalars(select(Shop)).one()
    assert (shop.id, shop.uninstalled_at) == (shop_id, None)
    assert credential() is not None
    assert db.session.scalars(select(Shipment)).one().next_check_at is not None


def test_store_whose_refresh_token_expired_is_connected_again_through_the_exchange(client, shopify):
    install(client, SHOP)
    db.session.execute(update(ShopifyCredential).values(refresh_token_expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()

    assert install(client, SHOP).status_code == 200

    assert shopify.fake.calls["exchange"] == 2
    assert credential().refresh_token_expires_at > utcnow() + timedelta(days=80)  # type: ignore[union-attr]


def test_store_whose_refresh_shopify_refuses_is_connected_again_through_the_exchange_once(client, shopify):
    install(client, SHOP)
    db.session.execute(update(ShopifyCredential).values(access_token_expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    shopify.fake.uninstall(SHOP)  # every token revoked: the refresh is refused with invalid_grant

    response = install(client, SHOP)

    assert response.status_code == 200
    assert (shopify.fake.calls["refused_refresh"], shopify.fake.calls["exchange"]) == (1, 2)
    assert credential().access_token_expires_at > utcnow() + timedelta(minutes=59)  # type: ignore[union-attr]


def test_install_keeps_session_and_access_tokens_out_of_the_logs(client, shopify, caplog, monkeypatch):
    import logging

    for name in list(logging.root.manager.loggerDict):  # Alembic's fileConfig disables the loggers that existed
        if name.startswith(("app", "integrations", "httpx", "httpcore", "werkzeug", "shopify_app")):
            monkeypatch.setattr(logging.getLogger(name), "disabled", False)
    token = session_token(SHOP)

    with caplog.at_level("DEBUG"):
        client.get(f"/?shop={SHOP}&host=abc&id_token={token}")
        post_shopify(client, "app/uninstalled", {"id": 1})

    assert "shopify store installed" in caplog.text and "store uninstalled" in caplog.text
    assert token not in caplog.text and "shpat_" not in caplog.text and "shprt_" not in caplog.text


def test_landing_page_without_a_store_is_plain_and_unframed(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Afterglow" in response.get_data(as_text=True)
