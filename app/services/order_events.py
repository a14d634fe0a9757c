"""The audit trail and domain events: one `OrderEvent` row per change, dispatched to subscribers after commit."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import OrderEvent
from app.models.types import utcnow

log = logging.getLogger(__name__)

EVENT_NAMES = (
    "order.created",
    "order.updated",
    "order.cancelled",
    "order.deleted",
    "order.restored",
    "shipment.created",
    "shipment.updated",
    "refund.created",
)

# Event name -> subscribers ("module:function", called with the event id inside a job). Later stages (tracking,
# journeys, analytics) add a line here; an event nobody subscribes to is marked dispatched as it is written.
SUBSCRIBERS: dict[str, list[str]] = {}


def record(
    *,
    shop_id: int,
    order_id: int,
    name: str,
    message: str,
    data: dict[str, Any] | None = None,
    shipment_id: int | None = None,
    inbound_webhook_id: int | None = None,
) -> OrderEvent:
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown order event {name!r}")
    event = OrderEvent(
        shop_id=shop_id,
        order_id=order_id,
        shipment_id=shipment_id,
        name=name,
        message=message,
        data=data or {},
        inbound_webhook_id=inbound_webhook_id,
    )
    if not SUBSCRIBERS.get(name):
        event.dispatched_at = utcnow()
    db.session.add(event)
    return event


def enqueue_dispatch(events: list[OrderEvent]) -> None:
    """Call after a flush: hands each event with subscribers to a job that runs once the transaction commits."""
    for event in events:
        if event.dispatched_at is None:
            enqueue_after_commit("dispatch_order_event", event.id, job_id=f"order-event-{event.id}")


def dispatch(*, event_id: int) -> bool:
    """Run the event's subscribers once. Returns False when it was already dispatched."""
    event = db.session.scalars(select(OrderEvent).where(OrderEvent.id == event_id).with_for_update()).first()
    if event is None or event.dispatched_at is not None:
        db.session.rollback()
        return False
    for target in SUBSCRIBERS.get(event.name, []):
        _resolve(target)(event.id)
    event.dispatched_at = utcnow()
    db.session.commit()
    return True


def _resolve(target: str) -> Callable[[int], Any]:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
