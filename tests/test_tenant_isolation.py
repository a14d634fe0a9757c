"""Tenant isolation: every registered route, called with another store's credentials and this store's ids, gives
away none of this store's data. The same calls with this store's own credentials do show it, so the walk can fail.
A route added without a line here fails `test_every_route_is_walked` until someone decides how to attack it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Order, PrivacyExport, Shipment, Shop
from app.services import shop_settings, storefront, surveys
from integrations.shopify.proxy import proxy_signature
from tests.conftest import SHOP, SHOPIFY_SECRET
from tests.helpers import post_shopify, shopify_delivery, shopify_fixture
from tests.shopify_fake import attach, connect, fake_shopify, session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OTHER = "other-store.myshopify.com"
# What only store A holds: its shopper's email, name and street, its parcel's number, its domain, its order's name
# as JSON writes it (store B's order is #1044).
SECRETS = ("maya@example.com", "Lindqvist", "200 Harbor Way", "SIMOK20260302", SHOP, '"#1042"')


@pytest.fixture
def app_settings() -> dict[str, object]:
    return {"env": "production"}  # what is deployed: development-only pages are off


@dataclass
class Ids:
    """Store A's identifiers, as an attacker holding them would use them."""

    number: str
    email: str
    customer: str
    order_external_id: str
    link_token: str
    survey_token: str
    export_id: int
    order_id: int


@pytest.fixture
def ids(app, client) -> Any:  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP, OTHER) as harness:
        attach(app, harness)
        connect(harness, SHOP)
        connect(harness, OTHER)
        post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
        fulfillment = shopify_fixture("fulfillments_update.json")
        fulfillment.update(tracking_company="UPS", tracking_number="SIMOK20260302", tracking_numbers=["SIMOK20260302"])
        post_shopify(client, "fulfillments/create", fulfillment)
        post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"), shop=OTHER)
        post_shopify(client, "customers/data_request", {"customer": {"id": 7712345678901, "email": "maya@example.com"},
                                                        "orders_requested": [], "data_request": {"id": 1}})  # fmt: skip
        db.session.rollback()
        order = db.session.scalars(select(Order).join(Shop).where(Shop.domain == SHOP)).one()
        shipment = db.session.scalars(select(Shipment).where(Shipment.order_id == order.id)).one()
        yield Ids(
            number=order.number, email="maya@example.com", customer="7712345678901",
            order_external_id=order.external_id, link_token=storefront.order_link_token(order),
            survey_token=surveys.survey_token(shipment), export_id=db.session.scalars(select(PrivacyExport.id)).one(),
            order_id=order.id,
        )  # fmt: skip


def proxied(path: str, shop: str, customer: str = "", **query: str) -> str:
    params = {**query, "shop": shop, "logged_in_customer_id": customer, "path_prefix": "/apps/afterglow",
              "timestamp": str(int(time.time()))}  # fmt: skip
    params["signature"] = proxy_signature(params.items(), SHOPIFY_SECRET)
    return f"/proxy{path}?{urlencode(params)}"


def bearer(shop: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_token(shop)}"}


Call = Callable[[Any, Ids, str], Any]  # (client, A's ids, the store whose credentials are used) -> response


def _webhook(client: Any, ids: Ids, shop: str) -> Any:
    # A delete for A's order, signed and sent as `shop`: it may only ever touch `shop`'s own order of that id.
    headers, body = shopify_delivery("orders/delete", {"id": int(ids.order_external_id)}, shop=shop)
    return client.post("/webhooks/shopify", data=body, headers=headers)


ROUTES: dict[str, list[Call]] = {
    "admin_api.current_shop": [lambda c, i, s: c.get("/api/admin/shop", headers=bearer(s))],
    "admin_api.update_settings": [lambda c, i, s: c.patch("/api/admin/shop/settings", headers=bearer(s),
                                                          json={"tracking_writeback": True})],
    "admin_api.exports": [lambda c, i, s: c.get("/api/admin/privacy/exports", headers=bearer(s))],
    "admin_api.export": [lambda c, i, s: c.get(f"/api/admin/privacy/exports/{i.export_id}", headers=bearer(s))],
    "admin_home.onboarding": [lambda c, i, s: c.get("/api/admin/onboarding", headers=bearer(s))],
    "admin_home.check_onboarding": [lambda c, i, s: c.post("/api/admin/onboarding/check", headers=bearer(s))],
    "admin_home.dashboard": [lambda c, i, s: c.get("/api/admin/dashboard?days=90", headers=bearer(s))],
    "admin_queues.shipments": [lambda c, i, s: c.get("/api/admin/shipments?q=SIMOK", headers=bearer(s))],
    "admin_queues.notifications": [lambda c, i, s: c.get("/api/admin/notifications", headers=bearer(s))],
    "admin_queues.order_notifications": [
        lambda c, i, s: c.get(f"/api/admin/orders/{i.order_id}/notifications", headers=bearer(s))],
    "admin_queues.survey_answers": [lambda c, i, s: c.get("/api/admin/surveys", headers=bearer(s))],
    "admin_page.app_home": [lambda c, i, s: c.get(f"/?shop={s}&host=abc&id_token={session_token(s)}")],
    "admin_page.admin_app": [
        lambda c, i, s: c.get("/app/settings"),
        lambda c, i, s: c.get(f"/app/shipments?shop={s}&host=abc&id_token={session_token(s)}")],
    "admin_page.demo_admin": [lambda c, i, s: c.get(f"/demo/admin?shop={s}"), lambda c, i, s: c.get("/demo/admin")],
    "auth.patch_id_token": [lambda c, i, s: c.get(f"/auth/patch-id-token?shop={s}&shopify-reload=%2F")],
    "storefront_proxy.proxy_lookup": [
        lambda c, i, s: c.get(proxied("/api/orders/lookup", s, number=i.number, email=i.email))],
    "storefront_proxy.proxy_link": [lambda c, i, s: c.get(proxied(f"/api/orders/link/{i.link_token}", s))],
    "storefront_proxy.proxy_recommendations": [
        lambda c, i, s: c.get(proxied("/api/orders/recommendations", s, token=i.link_token))],
    "storefront_proxy.proxy_survey": [lambda c, i, s: c.post(proxied("/api/surveys", s),
                                                             json={"token": i.survey_token, "score": 1})],
    "storefront_proxy.proxy_mine": [lambda c, i, s: c.get(proxied("/api/orders/mine", s, customer=i.customer))],
    "storefront_proxy.proxy_tracking_page": [lambda c, i, s: c.get(proxied("/tracking", s))],
    "storefront_public.public_lookup": [lambda c, i, s: c.get("/api/storefront/orders/lookup?" + urlencode(
        {"shop": s, "number": i.number, "email": i.email}))],
    "storefront_public.public_link": [lambda c, i, s: c.get(f"/api/storefront/orders/link/{i.link_token}?shop={s}")],
    "storefront_public.public_recommendations": [
        lambda c, i, s: c.get(f"/api/storefront/orders/recommendations?shop={s}&token={i.link_token}")],
    "storefront_public.public_survey": [lambda c, i, s: c.post(f"/api/storefront/surveys?shop={s}",
                                                               json={"token": i.survey_token, "score": 1})],
    "storefront_demo.demo_storefront": [lambda c, i, s: c.get(f"/demo/storefront?shop={s}")],
    "webhooks.platform_webhook": [_webhook],
    "webhooks.carrier_push": [lambda c, i, s: c.post("/webhooks/carriers/easypost", json={"shop": s})],
    "admin_notifications.preview": [
        lambda c, i, s: c.get("/api/admin/notifications/preview?journey=shipped", headers=bearer(s)),
        lambda c, i, s: c.get(f"/api/admin/notifications/preview?journey=shipped&shop={SHOP}", headers=bearer(s))],
    "admin_notifications.send_test": [lambda c, i, s: c.post("/api/admin/notifications/test", headers=bearer(s),
                                                             json={"journey": "shipped", "channel": "email",
                                                                   "to": "not an address"})],
    "admin_credentials.overview": [lambda c, i, s: c.get("/api/admin/credentials", headers=bearer(s))],
    "admin_credentials.connect_carrier": [lambda c, i, s: c.put("/api/admin/credentials/carriers/ups",
                                                                headers=bearer(s), json={"fields": {}})],
    "admin_credentials.remove_carrier": [lambda c, i, s: c.delete("/api/admin/credentials/carriers/ups",
                                                                  headers=bearer(s))],
    "admin_credentials.connect_klaviyo": [lambda c, i, s: c.put("/api/admin/credentials/channels/klaviyo",
                                                                headers=bearer(s), json={"api_key": "nope"})],
    "admin_credentials.connect_webhook": [lambda c, i, s: c.put("/api/admin/credentials/channels/webhook",
                                                                headers=bearer(s), json={"url": "ftp://x"})],
    "admin_credentials.disconnect_channel": [lambda c, i, s: c.delete("/api/admin/credentials/channels/webhook",
                                                                      headers=bearer(s))],
    "admin_settings.read_settings": [lambda c, i, s: c.get(f"/api/admin/settings?shop={SHOP}", headers=bearer(s))],
    "admin_settings.write_settings": [lambda c, i, s: c.put(f"/api/admin/settings?shop={SHOP}", headers=bearer(s),
                                                            json={"branding": {"name": "Taken over"}})],
    "admin_settings.storefront_preview": [lambda c, i, s: c.post(f"/api/admin/storefront/preview?shop={SHOP}",
                                                                 headers=bearer(s), json={})],
    # Unsubscribe links are their own credential (signed, one notification); a guessed one opens nothing.
    "storefront.ask": [lambda c, i, s: c.get(f"/notifications/unsubscribe/{i.link_token}")],
    "storefront.confirm": [lambda c, i, s: c.post(f"/notifications/unsubscribe/{i.link_token}")],
    "twilio_webhooks.incoming_sms": [lambda c, i, s: c.post("/webhooks/twilio/sms", data={"From": "+15035550100",
                                                                                          "Body": "STOP"})],
    "woocommerce_auth.connect_form": [lambda c, i, s: c.get(f"/connect/woocommerce?store_url=https://{s}")],
    "woocommerce_auth.connect_start": [lambda c, i, s: c.post("/connect/woocommerce", data={"store_url": s})],
    "woocommerce_auth.connect_callback": [lambda c, i, s: c.post("/connect/woocommerce/callback", json={
        "key_id": 1, "user_id": i.link_token, "consumer_key": "ck_x", "consumer_secret": "cs_x",
        "key_permissions": "read_write"})],
    "woocommerce_auth.connect_return": [lambda c, i, s: c.get(f"/connect/woocommerce/return?success=1&user_id={s}")],
    "woocommerce_auth.disconnect": [lambda c, i, s: c.post("/connect/woocommerce/disconnect")],
    "woocommerce_auth.login": [lambda c, i, s: c.get(f"/auth/woocommerce/login?token={i.link_token}")],
    "woocommerce_auth.admin_page": [lambda c, i, s: c.get("/admin/woocommerce")],
    "woocommerce_auth.plugin_login_link": [lambda c, i, s: c.post(
        "/auth/woocommerce/login-link", json={"store": s, "timestamp": int(time.time())},
        headers={"X-Afterglow-Signature": "forged"})],
    "health.healthz": [lambda c, i, s: c.get("/healthz")],
    "health.readyz": [lambda c, i, s: c.get("/readyz")],
    "static": [lambda c, i, s: c.get("/static/widgets/afterglow-tracking.js")],
}


def test_every_route_is_walked(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(ROUTES)


def leaks(response: Any) -> list[str]:
    text = response.get_data(as_text=True)
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_called_with_another_stores_credentials_reveals_nothing_of_this_store(client, ids, endpoint):
    for call in ROUTES[endpoint]:
        response = call(client, ids, OTHER)
        db.session.rollback()

        assert leaks(response) == [], f"{endpoint} answered {response.status_code}"
    # Nor did it change anything of store A.
    order = db.session.scalars(select(Order).where(Order.external_id == ids.order_external_id)
                               .join(Shop).where(Shop.domain == SHOP)).one()  # fmt: skip
    shop = db.session.scalars(select(Shop).where(Shop.domain == SHOP)).one()
    assert order.deleted_at is None and shop_settings.get(shop, "tracking_writeback") is False
    assert db.session.scalars(select(PrivacyExport.id)).all() == [ids.export_id]


SHOWS_OWN_DATA = ["admin_api.current_shop", "admin_api.export", "admin_queues.notifications",
                  "admin_queues.order_notifications", "admin_page.app_home", "storefront_proxy.proxy_lookup",
                  "storefront_proxy.proxy_link", "storefront_proxy.proxy_mine", "storefront_public.public_lookup",
                  "storefront_public.public_link", "admin_home.onboarding"]  # fmt: skip


@pytest.mark.parametrize("endpoint", SHOWS_OWN_DATA)
def test_route_called_with_the_stores_own_credentials_does_show_its_data(client, ids, endpoint):
    (call,) = ROUTES[endpoint]

    response = call(client, ids, SHOP)

    assert response.status_code == 200 and leaks(response), f"{endpoint} answered {response.status_code}"
