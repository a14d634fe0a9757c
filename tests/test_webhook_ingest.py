"""Ingress: what a platform sees when it calls us, and what we keep."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, InboxStatus, Order, OrderEvent
from tests.conftest import SHOP
from tests.helpers import (
    WOO_SHOP,
    connect_woo_shop,
    post_shopify,
    post_woo,
    shopify_delivery,
    shopify_fixture,
    woo_delivery,
    woo_fixture,
)


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_shopify_webhook_valid_delivery_is_stored_processed_and_acknowledged(client):
    response = post_shopify(client, "orders/updated", shopify_fixture("orders_updated.json"))

    assert response.status_code == 200
    assert response.json["ok"] is True
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert (row.platform, row.shop_domain, row.topic, row.status) == ("shopify", SHOP, "orders/updated", "processed")
    assert row.headers["x-shopify-topic"] == "orders/updated"
    assert count(Order) == 1


def test_shopify_webhook_three_deliveries_of_one_event_give_one_order_and_one_audit_row(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"), event_id="evt-1")

    responses = [client.post("/webhooks/shopify", data=body, headers=headers) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json.get("duplicate", False) for r in responses] == [False, True, True]
    assert count(InboundWebhook) == 1
    assert db.session.scalar(select(InboundWebhook.duplicate_count)) == 2
    assert count(Order) == 1
    assert db.session.scalars(select(OrderEvent.name)).all() == ["order.created"]


def test_shopify_webhook_forged_signature_gets_401_and_stores_nothing(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"), secret="not-the-secret")

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 401
    assert "signature" in response.json["error"].lower()
    assert count(InboundWebhook) == 0
    assert count(Order) == 0


def test_shopify_webhook_body_altered_after_signing_gets_401(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))

    response = client.post("/webhooks/shopify", data=body.replace(b"133.42", b"0.01"), headers=headers)

    assert response.status_code == 401
    assert count(InboundWebhook) == 0


def test_shopify_webhook_missing_signature_gets_400(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))
    del headers["X-Shopify-Hmac-Sha256"]

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 400
    assert count(InboundWebhook) == 0


def test_shopify_webhook_without_shop_header_gets_400_with_reason(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))
    del headers["X-Shopify-Shop-Domain"]

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 400
    assert "store" in response.json["error"]


def test_webhook_oversized_body_gets_413(client, app):
    body = b'{"padding": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1) + b'"}'
    headers, _ = shopify_delivery("orders/create", {})

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 413
    assert "size" in response.json["error"]
    assert count(InboundWebhook) == 0


def test_shopify_webhook_malformed_json_is_recorded_as_failed_with_reason(client):
    body = b'{"id": 1, "created_at": '
    headers, _ = shopify_delivery("orders/create", {})
    from tests.conftest import SHOPIFY_SECRET, sign

    headers["X-Shopify-Hmac-Sha256"] = sign(body, SHOPIFY_SECRET)

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 400
    assert "JSON" in response.json["error"]
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert row.status == InboxStatus.FAILED
    assert row.body == body
    assert "JSON" in row.error


@pytest.mark.parametrize("name", ["X-Shopify-Topic", "X-Shopify-Event-Id", "X-Shopify-Webhook-Id",
                                  "X-Shopify-API-Version"])  # fmt: skip
def test_shopify_webhook_with_an_overlong_header_is_recorded_as_failed_with_reason(client, name):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))
    headers[name] = "x" * 300

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 400 and "longer than" in response.json["error"]
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert row.status == InboxStatus.FAILED and row.body == body and "longer than" in row.error


def test_shopify_webhook_with_an_overlong_store_domain_gets_400_and_stores_nothing(client):
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))
    headers["X-Shopify-Shop-Domain"] = "a" * 300 + ".myshopify.com"

    response = client.post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 400 and "domain" in response.json["error"]
    assert count(InboundWebhook) == 0


def test_webhook_unknown_platform_gets_404(client):
    response = client.post("/webhooks/magento", data=b"{}", headers={"Content-Type": "application/json"})

    assert response.status_code == 404
    assert "magento" in response.json["error"]


def test_woocommerce_webhook_creation_ping_gets_200_and_stores_nothing(client):
    response = client.post(
        "/webhooks/woocommerce",
        data=b"webhook_id=16",
        headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "WooCommerce/10.2.1 Hookshot"},
    )

    assert response.status_code == 200
    assert count(InboundWebhook) == 0


def test_woocommerce_webhook_from_unconnected_store_gets_401(client):
    response = post_woo(client, "order.created", woo_fixture("order-created-body.json"))

    assert response.status_code == 401
    assert WOO_SHOP in response.json["error"]
    assert count(InboundWebhook) == 0


def test_woocommerce_webhook_signed_php_body_is_stored_and_processed(client, app):
    connect_woo_shop(app)

    response = post_woo(client, "order.created", woo_fixture("order-created-body.json"))

    assert response.status_code == 200, response.json
    assert db.session.get(InboundWebhook, response.json["inbox_id"]).status == "processed"
    assert count(Order) == 1


def test_woocommerce_webhook_repeated_delivery_id_with_other_content_is_not_dropped(client, app):
    connect_woo_shop(app)
    first = woo_fixture("order-created-body.json")
    second = dict(first, id=first["id"] + 1, number=str(first["id"] + 1))

    responses = [
        post_woo(client, "order.created", payload, delivery_id="same-second-hash") for payload in (first, second)
    ]

    assert [r.json.get("duplicate", False) for r in responses] == [False, False]
    assert count(Order) == 2


def test_woocommerce_webhook_wrong_secret_gets_401(client, app):
    connect_woo_shop(app)
    headers, body = woo_delivery("order.created", woo_fixture("order-created-body.json"), secret="wrong")

    response = client.post("/webhooks/woocommerce", data=body, headers=headers)

    assert response.status_code == 401
    assert count(InboundWebhook) == 0


def test_healthz_answers_without_touching_dependencies(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_reports_database_and_queue(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["queue"].startswith("ok")


def test_shopify_webhook_after_the_shop_row_was_deleted_registers_it_again(client, app):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))  # caches the shop's key
    from sqlalchemy import delete

    from app.models import Shop

    db.session.execute(delete(Shop))
    db.session.commit()

    response = post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    assert response.status_code == 200
    assert count(Order) == 1


def test_woocommerce_webhook_after_disconnect_gets_401_not_a_500(client, app):
    connect_woo_shop(app)
    post_woo(client, "order.created", woo_fixture("order-created-body.json"))  # caches the store's key
    from sqlalchemy import delete

    from app.models import Shop

    db.session.execute(delete(Shop))
    db.session.commit()

    response = post_woo(client, "order.created", woo_fixture("order-custom-status.json"))

    assert response.status_code == 401
    assert "not connected" in response.json["error"]


def test_webhook_with_the_database_down_gets_503_to_be_delivered_again():
    import socket

    from app import create_app
    from tests.conftest import make_settings

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(make_settings(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"))
    headers, body = shopify_delivery("orders/create", shopify_fixture("orders_updated.json"))

    response = app.test_client().post("/webhooks/shopify", data=body, headers=headers)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "deliver again" in response.json["error"]
