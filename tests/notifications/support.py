"""Getting an order to a milestone the way production does: webhooks in, carrier answers applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

import integrations.models as canonical
from app.extensions import db
from app.models import Notification, Order, Shipment, Shop
from app.services.tracking import record_tracking_update
from tests.helpers import post_shopify, shopify_fixture


def place_order(client: Any, **changes: Any) -> dict[str, Any]:
    order = shopify_fixture("orders_updated.json")
    order.update(changes)
    assert post_shopify(client, "orders/create", order).status_code == 200
    return order


def recent(minutes_ago: float) -> str:
    """A platform timestamp `minutes_ago` before now: milestones are only news while they are recent."""
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()


def fulfillment(**changes: Any) -> dict[str, Any]:
    """The fixture's fulfillment, created an hour ago."""
    payload = shopify_fixture("fulfillments_update.json")
    payload.update(created_at=recent(60), updated_at=recent(59))
    payload.update(changes)
    return payload


def recently(payload: dict[str, Any]) -> dict[str, Any]:
    """An order payload whose fulfillments and refunds happened in the last hour."""
    for item in payload.get("fulfillments") or []:
        item.update(created_at=recent(60), updated_at=recent(59))
    for refund in payload.get("refunds") or []:
        refund.update(created_at=recent(30), processed_at=recent(30))
    payload["updated_at"] = recent(20)
    return payload


def shop() -> Shop:
    return db.session.scalars(select(Shop)).one()


def only_shipment() -> Shipment:
    db.session.expire_all()
    return db.session.scalars(select(Shipment)).one()


def the_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(select(Order)).one()


def notifications(**filters: Any) -> list[Notification]:
    db.session.expire_all()
    statement = select(Notification).order_by(Notification.id)
    for name, value in filters.items():
        statement = statement.where(getattr(Notification, name) == value)
    return list(db.session.scalars(statement))


def carrier_says(shipment: Shipment, status: canonical.TrackingStatus, *, at: datetime | None = None) -> None:
    """The carrier reports `status` for the parcel, as a poll would bring it in."""
    when = at or datetime.now(UTC) - timedelta(minutes=5)
    update = canonical.TrackingUpdate(
        carrier=str(shipment.carrier), tracking_number=str(shipment.tracking_number), status=status,
        events=(canonical.TrackingEvent(occurred_at=when, status=status, description=str(status),
                                        location="Portland, OR, US", timezone="America/Los_Angeles"),),
    )  # fmt: skip
    record_tracking_update(shipment_id=shipment.id, update=update, source="simulated")


def quiet_now(zone: str = "America/Los_Angeles") -> dict[str, str]:
    """A quiet-hours window from an hour ago to an hour from now where the shopper is, whatever the time."""
    local = datetime.now(ZoneInfo(zone))
    return {"start": f"{local - timedelta(hours=1):%H:%M}", "end": f"{local + timedelta(hours=1):%H:%M}"}
