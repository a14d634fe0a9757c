"""The fake WooCommerce's webhook sender against our real `/webhooks/woocommerce`: pings, PHP-escaped bodies
signed with the store's secret, created / updated / deleted orders applied, and a wrong secret refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, Order, Shop
from app.services.shops import register_woocommerce_shop
from fakes.woocommerce_hooks import touch
from tests.woo_fake import APP_URL, running_woo, woo_settings

SECRET = "store-secret-0123456789"


@pytest.fixture
def app_settings():
    return woo_settings()


def _hook(woo, topic: str, secret: str = SECRET) -> dict:
    hook = {"id": 100 + len(woo.store.webhooks), "name": topic, "status": "active", "topic": topic,
            "delivery_url": f"{APP_URL}/webhooks/woocommerce", "secret": secret, "failure_count": 0}  # fmt: skip
    woo.store.webhooks[hook["id"]] = hook
    return hook


def test_fake_sender_ping_is_acknowledged_and_not_stored(app):
    with running_woo(app) as woo:
        status = woo.fake.hooks.ping(woo.store, _hook(woo, "order.created"))

    assert status == 200
    assert db.session.scalar(select(func.count()).select_from(InboundWebhook)) == 0


def test_fake_sender_deliveries_are_accepted_and_applied(app):
    with running_woo(app) as woo:
        register_woocommerce_shop(domain=woo.domain, webhook_secret=SECRET)
        for topic in ("order.created", "order.updated", "order.deleted"):
            _hook(woo, topic)
        order = woo.fake.add_orders(woo.store, 1)[0]

        created = woo.fake.hooks.emit(woo.store, "order.created", order["id"])
        touch(order, status="completed")
        updated = woo.fake.hooks.emit(woo.store, "order.updated", order["id"])

        assert created == [200] and updated == [200]
        shop = db.session.scalar(select(Shop))
        stored = db.session.scalar(select(Order).where(Order.shop_id == shop.id))
        assert stored.external_id == str(order["id"]) and stored.status == "closed"
        raw = db.session.scalars(select(InboundWebhook.body).order_by(InboundWebhook.id)).first()
        assert b"https:\\/\\/" in raw and b"Zo\\u00eb" in raw  # the PHP-escaped bytes, verified as received
        assert stored.customer.first_name == "Zoë"

        assert woo.fake.hooks.emit(woo.store, "order.deleted", order["id"]) == [200]
        db.session.expire_all()
        assert db.session.get(Order, stored.id).deleted_at is not None


def test_fake_sender_with_another_secret_is_refused(app):
    with running_woo(app) as woo:
        register_woocommerce_shop(domain=woo.domain, webhook_secret=SECRET)
        _hook(woo, "order.created", secret="not-the-store-secret")
        order = woo.fake.add_orders(woo.store, 1)[0]

        assert woo.fake.hooks.emit(woo.store, "order.created", order["id"]) == [401]
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
