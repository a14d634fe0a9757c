"""The fake Shopify's webhook sender against the real endpoint over HTTP: signed as Shopify signs, stored once
however often Shopify delivers the same event, and refused when signed with another app's secret."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, Order
from fakes.server import FakeServer
from fakes.shopify_webhooks import ShopifyWebhookSender
from tests.conftest import SHOP, SHOPIFY_SECRET
from tests.helpers import shopify_fixture


def test_fake_shopify_webhooks_are_accepted_stored_once_and_applied(app):
    with FakeServer(app) as server:
        sender = ShopifyWebhookSender(url=f"{server.base_url}/webhooks/shopify", secret=SHOPIFY_SECRET)
        first = sender.send(shop=SHOP, topic="orders/create", payload=shopify_fixture("orders_updated.json"))
        sender.deliveries[0].statuses.append(500)  # as if Shopify had not heard the answer
        assert sender.redeliver_failed() == 1

    assert first.statuses[0] == 200 and first.delivered
    assert db.session.scalar(select(func.count()).select_from(InboundWebhook)) == 1
    assert db.session.scalars(select(Order.name)).all() == ["#1042"]


def test_fake_shopify_webhook_signed_with_another_secret_is_refused(app):
    with FakeServer(app) as server:
        sender = ShopifyWebhookSender(url=f"{server.base_url}/webhooks/shopify", secret="another-apps-secret")
        refused = sender.send(shop=SHOP, topic="orders/create", payload=shopify_fixture("orders_updated.json"))

    assert refused.statuses == [401]
    assert db.session.scalar(select(func.count()).select_from(InboundWebhook)) == 0
