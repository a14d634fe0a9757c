"""The audit trail and domain events: one `OrderEvent` row per change, handed to subscribers after commit.

The table is the outbox: an event with subscribers is written with `dispatched_at` empty, a drain job
(`dispatch_pending`) runs the subscribers once the transaction has committed, and the sweeper wakes the drain
for anything left behind.

Work that must share the event's fate (the notification outbox: a message row exists if and only if the event
does) runs in `BEFORE_COMMIT` handlers instead: just before the transaction that recorded events commits, each
handler gets that transaction's events, flushed and with ids, and writes its rows in the same transaction.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.jobs.queue import wake_after_commit
from app.models import Order, OrderEvent, Shipment
from app.models.types import utcnow
from integrations.models import TrackingStatus
from integrations.shopify.admin import FULFILLMENT_EVENT_STATUS

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
    # A delay episode started (data: reason, promised date, current estimate); see app/services/delays.py.
    "shipment.delayed",
    # A tracking milestone: the shipment's canonical status changed to <status>.
    *(f"shipment.{s}" for s in TrackingStatus if s not in (TrackingStatus.PENDING, TrackingStatus.UNKNOWN)),
)
BATCH = 100

# Event name -> subscribers ("module:function", called with the event id inside the drain job). Later stages
# (tracking, journeys, analytics) add a line here; an event nobody subscribes to is marked dispatched as written.
SUBSCRIBERS: dict[str, list[str]] = {
    # Tracking milestones written back to the Shopify fulfillment (shops with the tracking_writeback setting on).
    **{f"shipment.{status}": ["app.services.tracking_writeback:on_milestone"] for status in FULFILLMENT_EVENT_STATUS},
}
# Handlers ("module:function") called with the list of events a transaction recorded, just before it commits.
BEFORE_COMMIT: list[str] = ["app.services.notifications.planning:plan_messages"]
_RECORDED_KEY = "afterglow.recorded_events"


def record(
    *,
    order: Order,
    name: str,
    message: str,
    data: dict[str, Any] | None = None,
    shipment: Shipment | None = None,
    inbound_webhook_id: int | None = None,
) -> OrderEvent:
    """Add an event for `order` to the session (no flush: a batch writes all its events in one statement)."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown order event {name!r}")
    event = OrderEvent(
        shop_id=order.shop_id,
        order=order,
        shipment=shipment,
        name=name,
        message=message,
        data=data or {},
        inbound_webhook_id=inbound_webhook_id,
    )
    if SUBSCRIBERS.get(name):
        wake_after_commit("dispatch_order_events")
    else:
        event.dispatched_at = utcnow()
    db.session.add(event)
    if BEFORE_COMMIT:
        db.session.info.setdefault(_RECORDED_KEY, []).append(event)
    return event


def dispatch_pending(batch_size: int = BATCH) -> int:
    """Run subscribers for every undispatched event, oldest first; each event once. Returns how many ran."""
    done = 0
    while True:
        statement = (
            select(OrderEvent).where(OrderEvent.dispatched_at.is_(None)).order_by(OrderEvent.id).limit(batch_size)
        )
        if db.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        events = db.session.scalars(statement).all()
        if not events:
            db.session.rollback()
            return done
        for event in events:
            for target in SUBSCRIBERS.get(event.name, []):
                _resolve(target)(event.id)
            event.dispatched_at = utcnow()
        db.session.commit()
        done += len(events)


def _resolve(target: str) -> Callable[..., Any]:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


def _before_commit(session: Session) -> None:
    # Releasing a SAVEPOINT also fires before_commit; the events are handled once, as the outer transaction ends.
    if session.get_nested_transaction() is not None:
        return
    recorded: list[OrderEvent] = session.info.pop(_RECORDED_KEY, [])
    if not recorded:
        return
    session.flush()
    # Events added inside a SAVEPOINT that rolled back are no longer part of this transaction.
    events = [recorded_event for recorded_event in recorded if inspect(recorded_event).persistent]
    if events:
        for target in BEFORE_COMMIT:
            _resolve(target)(events)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(_RECORDED_KEY, None)


sa_event.listen(db.session, "before_commit", _before_commit)
sa_event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
