"""Compliance webhooks handled for real, end to end through POST /webhooks/shopify and the privacy job:
customers/data_request exports everything held about the customer (downloadable by that store only),
customers/redact leaves none of their personal data in any column of any table while keeping anonymous aggregates,
and shop/redact leaves no row of the store anywhere."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Customer,
    InboundWebhook,
    Order,
    PrivacyExport,
    Refund,
    Shipment,
    Shop,
    SurveyResponse,
    TrackingEvent,
)
from app.models.types import utcnow
from app.services.privacy_registry import NOT_PERSONAL, REGISTRY
from app.services.tracking import track_now
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OTHER = "other-store.myshopify.com"
MAYA = {"id": 7712345678901, "email": "maya@example.com", "phone": "+15550100200"}
# Everything personal the fixtures hold about Maya: what must be gone after customers/redact.
MAYA_STRINGS = ("maya@example.com", "+15550100200", "Maya", "Lindqvist", "200 Harbor Way", "97209",
                "Happy housewarming", "side door", "Maya loved it")  # fmt: skip
PRIYA_STRINGS = ("priya@example.com", "Priya", "88 Elm Row")


@pytest.fixture
def stores(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two shoppers of our store (Maya with a parcel followed by the carrier and a survey answer; Priya), and the
    same shopper's order in another store."""
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number="SIMOK20260302", tracking_numbers=["SIMOK20260302"])
    post_shopify(client, "fulfillments/create", fulfillment)
    post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"))
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), shop=OTHER)
    shipment = db.session.scalars(select(Shipment).join(Order).where(Order.email == MAYA["email"])
                                  .join(Shop).where(Shop.domain == SHOP)).one()  # fmt: skip
    track_now(shipment_id=shipment.id)
    db.session.add(SurveyResponse(shop_id=shipment.shop_id, order_id=shipment.order_id, shipment_id=shipment.id,
                                  carrier="ups", kind="nps", score=9, comment="Maya loved it"))  # fmt: skip
    # What real carriers print for a delivery scan, and what a merchant types when refunding.
    db.session.add(TrackingEvent(shop_id=shipment.shop_id, shipment_id=shipment.id, dedupe_key="delivered",
                                 occurred_at=utcnow(), status="delivered", description="Delivered, front door",
                                 location="PORTLAND, OR 97209", source="usps"))  # fmt: skip
    db.session.add(Refund(shop_id=shipment.shop_id, order_id=shipment.order_id, external_id="77", amount=Decimal("5"),
                          currency="USD", reason="Maya Lindqvist found a scratch"))  # fmt: skip
    db.session.commit()
    ids = {domain: shop_id for domain, shop_id in db.session.execute(select(Shop.domain, Shop.id))}
    db.session.rollback()
    return ids


def compliance(client, topic: str, customer: dict[str, Any] | None = None, shop: str = SHOP, **extra: Any) -> Any:  # type: ignore[no-untyped-def]
    payload: dict[str, Any] = {"shop_id": 954889, "shop_domain": shop, **extra}
    if customer is not None:
        payload["customer"] = customer
    response = post_shopify(client, topic, payload, shop=shop)
    assert response.status_code == 200
    db.session.rollback()  # the test's session outlives requests; the job committed in its own
    return response


def every_value(*, besides: int | None = None) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-empty cell of every table in the metadata, leaving out the rows
    of store `besides` (the other store holds the same shopper's data, which is not ours to erase)."""
    cells = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            owner = row.get("shop_id", row["id"] if table.name == "shops" else None)
            if besides is not None and owner == besides:
                continue
            for column, value in row.items():
                if value is None:
                    continue
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("utf-8", "replace")
                elif isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                cells.append((table.name, column, str(value)))
    db.session.rollback()
    return cells


def found(strings: tuple[str, ...], *, besides: int | None = None) -> list[tuple[str, str, str]]:
    return [(table, column, needle) for table, column, value in every_value(besides=besides) for needle in strings
            if needle.lower() in value.lower()]  # fmt: skip


def test_data_request_exports_everything_held_about_the_customer_for_that_store_only(client, stores):
    compliance(client, "customers/data_request", MAYA, orders_requested=[6012345678901], data_request={"id": 9999})

    listing = client.get("/api/admin/privacy/exports", headers={"Authorization": f"Bearer {session_token(SHOP)}"})
    (summary,) = listing.get_json()["exports"]
    response = client.get(f"/api/admin/privacy/exports/{summary['id']}",
                          headers={"Authorization": f"Bearer {session_token(SHOP)}"})  # fmt: skip

    assert summary["request_id"] == "9999"
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = response.get_json()
    assert [c["email"] for c in document["customers"]] == ["maya@example.com"]
    (order,) = document["orders"]
    assert (order["external_id"], order["shipping_address"]["address1"]) == ("6012345678901", "200 Harbor Way")
    assert order["line_items"][0]["properties"]["Gift message"] == "Happy housewarming!"
    assert order["shipments"][0]["tracking_number"] == "SIMOK20260302"
    assert [(a["score"], a["comment"]) for a in document["survey_answers"]] == [(9, "Maya loved it")]
    assert "priya@example.com" not in response.get_data(as_text=True)
    other = client.get(f"/api/admin/privacy/exports/{summary['id']}",
                       headers={"Authorization": f"Bearer {session_token(OTHER)}"})  # fmt: skip
    assert other.status_code == 404


def test_data_request_delivered_twice_makes_one_export(client, stores):
    for _ in range(2):
        compliance(client, "customers/data_request", MAYA, orders_requested=[], data_request={"id": 77})

    assert db.session.scalar(select(func.count()).select_from(PrivacyExport)) == 1


def test_customer_redact_leaves_none_of_their_personal_data_in_any_table(client, stores):
    compliance(client, "customers/data_request", MAYA, orders_requested=[6012345678901], data_request={"id": 1})
    before = found(MAYA_STRINGS, besides=stores[OTHER])
    assert {table for table, _, _ in before} >= {"orders", "customers", "inbound_webhooks", "privacy_exports"}

    compliance(client, "customers/redact", MAYA, orders_to_redact=[6012345678901])

    assert found(MAYA_STRINGS, besides=stores[OTHER]) == []
    # Anonymous aggregates stay: the order, its totals, items, parcel and survey score; Priya's data is untouched.
    order = db.session.scalars(select(Order).where(Order.shop_id == stores[SHOP],
                                                   Order.external_id == "6012345678901")).one()  # fmt: skip
    assert (order.total > Decimal("0"), len(order.line_items), len(order.shipments)) == (True, 2, 1)
    assert order.shipping_address == {"country_code": "US", "province_code": "OR"}
    assert [refund.amount for refund in order.refunds] == [Decimal("5.00")]
    assert db.session.scalars(select(SurveyResponse.score)).all() == [9]
    assert {needle for _, _, needle in found(PRIYA_STRINGS, besides=stores[OTHER])} == set(PRIYA_STRINGS)
    # The same shopper's data in another store is that store's to redact, not ours.
    assert db.session.scalar(select(func.count()).select_from(Customer).where(Customer.shop_id == stores[OTHER])) == 1


def test_shop_redact_deletes_every_row_of_the_store_and_nothing_of_another(client, stores):
    compliance(client, "customers/data_request", MAYA, orders_requested=[], data_request={"id": 5})

    compliance(client, "shop/redact")

    shop_id = stores[SHOP]
    for table in db.metadata.sorted_tables:
        if "shop_id" in table.c:
            count = db.session.scalar(select(func.count()).select_from(table).where(table.c.shop_id == shop_id))
            assert count == 0, table.name
    assert db.session.get(Shop, shop_id) is None
    assert [cell for cell in every_value(besides=stores[OTHER]) if SHOP in cell[2]] == []
    assert db.session.scalar(select(func.count()).select_from(Order).where(Order.shop_id == stores[OTHER])) == 1
    assert db.session.scalar(select(func.count()).select_from(InboundWebhook)) == 1  # the other store's delivery


def test_shop_redact_for_a_store_already_erased_is_acknowledged(client, stores):
    compliance(client, "shop/redact")

    compliance(client, "shop/redact")  # Shopify may deliver it again

    assert db.session.get(Shop, stores[SHOP]) is None


PERSONAL_LOOKING = re.compile(r"email|phone|name|address|note|comment|body|propert|document|message|descr|location"
                              r"|payload|reason|title|credential")  # fmt: skip


def test_privacy_registry_covers_every_column_that_may_hold_personal_data(app):
    covered = set(NOT_PERSONAL)
    for entry in REGISTRY:
        table = entry.model.__tablename__
        columns = entry.model.__table__.c.keys() if entry.delete else entry.scrub
        covered |= {f"{table}.{column}" for column in columns}

    suspicious = {f"{table.name}.{column.name}" for table in db.metadata.sorted_tables for column in table.c
                  if PERSONAL_LOOKING.search(column.name) and not column.name.endswith(("_id", "_at"))}  # fmt: skip

    assert sorted(suspicious - covered) == []


def test_compliance_delivery_stays_waiting_until_the_privacy_job_has_done_it(client, stores, monkeypatch):
    from app.jobs import sweeper
    from app.services import privacy

    def lost(inbox_id: int) -> str:
        raise RuntimeError("worker died")

    monkeypatch.setattr(privacy, "handle_request", lost)
    compliance(client, "customers/data_request", MAYA, orders_requested=[], data_request={"id": 3})
    row = db.session.scalars(select(InboundWebhook).where(InboundWebhook.topic == "customers/data_request")).one()
    assert (row.status, db.session.scalar(select(func.count()).select_from(PrivacyExport))) == ("received", 0)

    monkeypatch.undo()
    sweeper.sweep(grace_seconds=0)
    db.session.rollback()

    row = db.session.get(InboundWebhook, row.id)
    assert row.status == "processed" and row.error.startswith("exported as privacy export")
    assert db.session.scalar(select(func.count()).select_from(PrivacyExport)) == 1
