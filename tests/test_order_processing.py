"""Processing: what the order store holds after each kind of event, and what it refuses to do."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, InboxStatus, LineItem, Order, OrderEvent, Refund, Shipment
from tests.helpers import (
    connect_woo_shop,
    post_shopify,
    post_woo,
    shopify_fixture,
    woo_fixture,
)


def events() -> list[str]:
    return list(db.session.scalars(select(OrderEvent.name).order_by(OrderEvent.id)))


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def test_order_created_stores_money_dates_items_and_customer_exactly(client):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    order = only_order()
    assert (order.number, order.name, order.external_id) == ("1042", "#1042", "6012345678901")
    assert str(order.total) == "133.42" and order.currency == "USD"
    assert order.platform_created_at.isoformat() == "2026-03-02T15:15:00+00:00"
    assert [item.external_id for item in order.line_items] == ["14998877665501", "14998877665502"]
    assert order.customer is not None and order.customer.email == "maya@example.com"
    assert events() == ["order.created"]


def test_order_older_update_after_newer_changes_nothing(client):
    newer = shopify_fixture("orders_updated.json")
    older = shopify_fixture("orders_updated.json")
    newer["updated_at"] = "2026-03-02T12:00:00-05:00"
    newer["note"] = "Leave with the neighbour"
    older["updated_at"] = "2026-03-02T11:00:00-05:00"
    older["note"] = "Stale note"

    post_shopify(client, "orders/updated", newer)
    post_shopify(client, "orders/updated", older)

    order = only_order()
    assert order.note == "Leave with the neighbour"
    assert order.platform_updated_at.isoformat() == "2026-03-02T17:00:00+00:00"
    assert events() == ["order.created"]
    notes = db.session.scalars(select(InboundWebhook.error).order_by(InboundWebhook.id)).all()
    assert notes == [None, "older than the stored version"]


def test_order_same_version_under_another_event_id_writes_no_event(client):
    payload = shopify_fixture("orders_updated.json")

    post_shopify(client, "orders/updated", payload)
    post_shopify(client, "orders/paid", payload)  # Shopify sends several topics for one change

    assert events() == ["order.created"]


def test_order_update_records_what_changed_without_personal_data(client):
    payload = shopify_fixture("orders_updated.json")
    post_shopify(client, "orders/create", payload)
    payload["updated_at"] = "2026-03-03T10:00:00-05:00"
    payload["financial_status"] = "partially_refunded"
    payload["email"] = "new-address@example.com"

    post_shopify(client, "orders/updated", payload)

    event = db.session.scalars(select(OrderEvent).where(OrderEvent.name == "order.updated")).one()
    assert set(event.data["changed"]) >= {"financial_status", "email"}
    assert event.data["fields"]["financial_status"] == ["paid", "partially_refunded"]
    assert "email" not in event.data["fields"]
    assert "new-address@example.com" not in str(event.data) + event.message


def test_order_cancelled_emits_cancellation(client):
    payload = shopify_fixture("orders_updated.json")
    post_shopify(client, "orders/create", payload)
    payload.update(updated_at="2026-03-03T10:00:00-05:00", cancelled_at="2026-03-03T10:00:00-05:00",
                   cancel_reason="customer", financial_status="voided")  # fmt: skip

    post_shopify(client, "orders/cancelled", payload)

    order = only_order()
    assert order.status == "cancelled"
    assert order.cancelled_at.isoformat() == "2026-03-03T15:00:00+00:00"
    assert events() == ["order.created", "order.cancelled", "order.updated"]


def test_order_edit_marks_removed_line_items(client):
    payload = shopify_fixture("orders_updated.json")
    post_shopify(client, "orders/create", payload)
    payload["updated_at"] = "2026-03-03T10:00:00-05:00"
    payload["line_items"] = payload["line_items"][:1]

    post_shopify(client, "orders/updated", payload)

    removed = db.session.scalars(select(LineItem.external_id).where(LineItem.removed_at.is_not(None))).all()
    assert removed == ["14998877665502"]


def test_order_partially_fulfilled_creates_one_shipment_per_tracking_number(client):
    post_shopify(client, "orders/partially_fulfilled", shopify_fixture("orders_partially_fulfilled.json"))

    shipments = db.session.scalars(select(Shipment).order_by(Shipment.id)).all()
    assert [(s.carrier, s.tracking_number, s.position) for s in shipments] == [
        ("ups", "1Z999AA10123456784", 0),
        ("ups", "1Z999AA10123456793", 1),
        ("usps", "9400111899223197428497", 0),
    ]
    assert only_order().external_id == "9007199254740993"  # above 2**53, kept exact
    assert events().count("shipment.created") == 3


def test_fulfillment_update_changing_tracking_number_updates_the_same_shipment(client):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    post_shopify(client, "fulfillments/create", fulfillment)
    shipment_id = db.session.scalars(select(Shipment.id)).one()
    fulfillment["tracking_numbers"] = ["1Z999AA10123456793"]
    fulfillment["tracking_number"] = "1Z999AA10123456793"
    fulfillment["updated_at"] = "2026-03-04T09:00:00-05:00"

    post_shopify(client, "fulfillments/update", fulfillment)

    shipment = db.session.scalars(select(Shipment)).one()
    assert (shipment.id, shipment.tracking_number) == (shipment_id, "1Z999AA10123456793")
    message = db.session.scalars(select(OrderEvent.message).where(OrderEvent.name == "shipment.updated")).one()
    assert message == "Tracking number changed from 1Z999AA10123456784 to 1Z999AA10123456793"


def test_fulfillment_before_its_order_waits_and_applies_once_the_order_exists(client, runner):
    response = post_shopify(client, "fulfillments/create", shopify_fixture("fulfillments_update.json"))
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert (row.status, row.error) == (InboxStatus.RECEIVED, "order 6012345678901 is not stored yet; will retry")

    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    result = runner.invoke(args=["webhooks", "sweep", "--grace", "0"])

    assert "1 webhooks waiting; woke the inbox drain" in result.output
    db.session.expire_all()
    assert db.session.get(InboundWebhook, row.id).status == InboxStatus.PROCESSED
    assert db.session.scalars(select(Shipment.tracking_number)).all() == ["1Z999AA10123456784"]


def test_refund_created_is_stored_once_and_totals_the_order(client):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    refund = {"id": 88001, "order_id": 6012345678901, "created_at": "2026-03-05T10:00:00-05:00", "note": "Damaged",
              "refund_line_items": [{"line_item_id": 14998877665501, "quantity": 1, "subtotal": "10.00"}],
              "transactions": [{"id": 1, "kind": "refund", "status": "success", "amount": "10.00"}]}  # fmt: skip

    post_shopify(client, "refunds/create", refund)
    post_shopify(client, "refunds/create", refund)  # redelivered under a new event id

    assert [(str(r.amount), r.reason) for r in db.session.scalars(select(Refund))] == [("10.00", "Damaged")]
    assert str(only_order().refunded_total) == "10.00"
    assert events() == ["order.created", "refund.created"]


def test_order_delete_keeps_the_order_marked_deleted(client):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    post_shopify(client, "orders/delete", {"id": 6012345678901})

    assert only_order().deleted_at is not None
    assert events() == ["order.created", "order.deleted"]


def test_mapping_error_is_recorded_and_replayable_after_a_fix(client, runner):
    payload = shopify_fixture("orders_updated.json")
    del payload["created_at"]
    response = post_shopify(client, "orders/create", payload)
    row_id = response.json["inbox_id"]

    row = db.session.get(InboundWebhook, row_id)
    assert row.status == InboxStatus.FAILED
    assert "created_at" in row.error
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0

    result = runner.invoke(args=["webhooks", "replay", str(row_id)])
    assert result.exit_code == 1
    assert "failed" in result.output and "created_at" in result.output


def test_woocommerce_order_lifecycle_created_tracked_deleted_restored(client, app):
    connect_woo_shop(app)
    order = woo_fixture("order-ast-two-parcels.json")

    post_woo(client, "order.created", order)
    post_woo(client, "order.deleted", {"id": order["id"]})
    post_woo(client, "order.restored", dict(order, date_modified_gmt="2031-01-01T00:00:00"))

    stored = only_order()
    assert stored.platform == "woocommerce" and stored.deleted_at is None
    assert len(stored.shipments) == 2
    assert events()[-2:] == ["order.deleted", "order.restored"]


def test_woocommerce_checkout_draft_is_ignored_with_reason(client, app):
    connect_woo_shop(app)

    response = post_woo(client, "order.created", woo_fixture("order-checkout-draft.json"))

    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert row.status == InboxStatus.IGNORED
    assert "draft" in row.error
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_woocommerce_custom_status_is_accepted_and_kept_verbatim(client, app):
    connect_woo_shop(app)
    payload = woo_fixture("order-custom-status.json")

    post_woo(client, "order.updated", payload)

    order = only_order()
    assert order.platform_status == payload["status"]
    assert order.status == "open"
