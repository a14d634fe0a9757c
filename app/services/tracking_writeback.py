"""Tracking milestones written back to Shopify, so the store's own order status page agrees with ours.

Off by default; a shop turns it on with the `tracking_writeback` setting. When a shipment's canonical status
changes, the tracking store records a `shipment.<status>` order event; once that commits, `on_milestone` (an order
event subscriber) stores one `FulfillmentWriteback` row per shop, shipment and milestone, holding the exact
`FulfillmentEventInput` to send, and queues `write(id)`. The row exists before any call, and a job marks it
`sending` (committed) before calling, so duplicate dispatches and retries never write a second event: a row left
`sending` by a worker that died, or whose call failed without a clear answer, is first looked for on the
fulfillment and only sent if it is not there.
Passing failures are retried with backoff by the clock (`retry_due`); refusals (userErrors, store uninstalled or
not connected, a missing scope) are recorded as `failed` with the reason.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import FulfillmentWriteback, OrderEvent, Shipment, Shop, ShopifyCredential, TrackingEvent
from app.models.types import utcnow
from app.services import shop_settings, shopify_api
from integrations.errors import AuthenticationError, IntegrationError, MappingError, RetryableError
from integrations.models import TrackingStatus
from integrations.shopify.admin import create_fulfillment_event, find_fulfillment_event, fulfillment_event_input

log = logging.getLogger(__name__)

SETTING = "tracking_writeback"
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# A row still `sending` after this long was left by a worker that died mid-call (a call ends well within it:
# timeouts, backoff and throttle waits included), so its write is in doubt and is checked for on Shopify.
IN_DOUBT_AFTER = timedelta(minutes=15)
RETRY_BATCH = 500


def on_milestone(event_id: int) -> None:
    """Order event subscriber: runs inside the dispatch transaction, so it only stores the row and queues the job."""
    event = db.session.get(OrderEvent, event_id)
    if event is None or event.shipment_id is None:
        return
    try:
        status = TrackingStatus(event.name.removeprefix("shipment."))
    except ValueError:
        return
    shop = db.session.get(Shop, event.shop_id)
    if shop is None or shop.platform != "shopify" or not shop_settings.get(shop, SETTING):
        return
    shipment = db.session.get(Shipment, event.shipment_id)
    if shipment is None or shipment.shop_id != shop.id:
        return
    if _existing(shop.id, shipment.id, status) is not None:
        return  # dispatched again (a retried drain): the milestone is written, or being written, once
    try:
        payload = _payload(shipment, status)
    except MappingError as exc:
        log.info("milestone not written back", extra={"shipment_id": shipment.id, "reason": str(exc)})
        return
    if payload is None:
        return
    row = FulfillmentWriteback(
        shop_id=shop.id, shipment_id=shipment.id, order_event_id=event.id, status=str(status),
        shopify_status=payload["status"], fulfillment_gid=payload["fulfillmentId"], payload=payload,
        state="pending", attempts=0, next_attempt_at=utcnow(),
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return  # another dispatcher stored it a moment ago; its job writes it
    enqueue_after_commit("write_fulfillment_event", row.id)


def write(writeback_id: int, now: datetime | None = None) -> str:
    """Job: send one stored milestone to Shopify if it is due. Returns the row's state afterwards."""
    now = now or utcnow()
    row = _claim(writeback_id)
    if row is None:
        db.session.rollback()
        return "busy"
    state = row.state
    # Sent before (a worker died mid-call, or the call failed without a clear answer): Shopify may have it already.
    in_doubt = state == "sending" or row.attempts > 0
    if state in ("sent", "failed") or (state == "pending" and row.next_attempt_at and row.next_attempt_at > now):
        db.session.rollback()
        return state
    if state == "sending" and row.updated_at > now - IN_DOUBT_AFTER:
        db.session.rollback()
        return state  # another job is calling Shopify for it right now
    if row.attempts >= MAX_ATTEMPTS:  # only rows left in doubt get here: the others fail in _retry_later
        return _finish(row, "failed", f"gave up after {row.attempts} attempts: {row.reason or 'no answer'}", now=now)
    shop = db.session.get(Shop, row.shop_id)
    assert shop is not None  # the row's foreign key
    refusal = _refusal(shop)
    if refusal:
        return _finish(row, "failed", refusal, now=now)
    row.state, row.attempts, row.updated_at = "sending", row.attempts + 1, now
    fulfillment_gid, shopify_status, payload = row.fulfillment_gid, row.shopify_status, dict(row.payload)
    db.session.commit()  # stored before the call: from here a retry checks Shopify before writing again

    client = shopify_api.admin_client(shop=shop)
    try:
        event_id = None
        if in_doubt:
            event_id = find_fulfillment_event(client, fulfillment_gid=fulfillment_gid, status=shopify_status,
                                              happened_at=str(payload.get("happenedAt")))  # fmt: skip
        event_id = event_id or create_fulfillment_event(client, payload)
    except RetryableError as exc:
        return _retry_later(writeback_id, exc, now=now)
    except AuthenticationError as exc:
        return _finish(_reload(writeback_id), "failed", f"store not connected: {exc}", now=now)
    except IntegrationError as exc:  # userErrors, GraphQL errors, 402/403/404/423: the same call fails again
        return _finish(_reload(writeback_id), "failed", str(exc), now=now)
    row = _reload(writeback_id)
    row.shopify_event_id, row.sent_at = event_id, now
    return _finish(row, "sent", None, now=now)


def retry_due(now: datetime | None = None) -> int:
    """Clock job: queue the writes that are due again (backoff over, or left in doubt). Returns how many."""
    now = now or utcnow()
    due = or_(
        (FulfillmentWriteback.state == "pending") & (FulfillmentWriteback.next_attempt_at <= now),
        (FulfillmentWriteback.state == "sending") & (FulfillmentWriteback.updated_at <= now - IN_DOUBT_AFTER),
    )
    ids = db.session.scalars(
        select(FulfillmentWriteback.id).where(due).order_by(FulfillmentWriteback.id).limit(RETRY_BATCH)
    ).all()
    for writeback_id in ids:
        enqueue_after_commit("write_fulfillment_event", writeback_id)
    db.session.commit()
    return len(ids)


# --- the milestone as Shopify sees it ----------------------------------------------------------------------------


def _payload(shipment: Shipment, status: TrackingStatus) -> dict[str, Any] | None:
    """The FulfillmentEventInput: happenedAt is the first scan in this status (when the milestone happened)."""
    scan = db.session.scalars(
        select(TrackingEvent)
        .where(TrackingEvent.shop_id == shipment.shop_id, TrackingEvent.shipment_id == shipment.id,
               TrackingEvent.status == str(status))
        .order_by(TrackingEvent.occurred_at, TrackingEvent.id)
    ).first()  # fmt: skip
    happened_at = (
        (scan.occurred_at if scan else None)
        or (shipment.delivered_at if status == TrackingStatus.DELIVERED else None)
        or shipment.last_event_at
        or utcnow()
    )
    return fulfillment_event_input(
        fulfillment_id=shipment.fulfillment_external_id, status=status, happened_at=happened_at,
        message=(scan.description if scan else None) or str(status).replace("_", " ").capitalize(),
        estimated_delivery=shipment.estimated_delivery, location=scan.location if scan else None,
    )  # fmt: skip


def _refusal(shop: Shop) -> str | None:
    if not shop_settings.get(shop, SETTING):
        return "tracking_writeback was turned off for the store before this was sent"
    if shop.uninstalled_at is not None:
        return "store uninstalled the app"
    if not db.session.scalar(select(ShopifyCredential.id).where(ShopifyCredential.shop_id == shop.id)):
        return "store not connected: no access token"
    return None


# --- the row's life ----------------------------------------------------------------------------------------------


def _existing(shop_id: int, shipment_id: int, status: TrackingStatus) -> int | None:
    return db.session.scalar(
        select(FulfillmentWriteback.id).where(
            FulfillmentWriteback.shop_id == shop_id, FulfillmentWriteback.shipment_id == shipment_id,
            FulfillmentWriteback.status == str(status),
        )
    )  # fmt: skip


def _claim(writeback_id: int) -> FulfillmentWriteback | None:
    statement = select(FulfillmentWriteback).where(FulfillmentWriteback.id == writeback_id)
    statement = statement.execution_options(populate_existing=True)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return db.session.scalars(statement).first()


def _reload(writeback_id: int) -> FulfillmentWriteback:
    row = db.session.scalars(
        select(FulfillmentWriteback).where(FulfillmentWriteback.id == writeback_id)
        .execution_options(populate_existing=True)
    ).one()  # fmt: skip
    return row


def _retry_later(writeback_id: int, exc: RetryableError, *, now: datetime) -> str:
    row = _reload(writeback_id)
    if row.attempts >= MAX_ATTEMPTS:
        return _finish(row, "failed", f"gave up after {row.attempts} attempts: {exc}", now=now)
    wait = min(LONGEST_RETRY, FIRST_RETRY * 2 ** (row.attempts - 1))
    if exc.retry_after:
        wait = max(wait, timedelta(seconds=exc.retry_after))
    row.next_attempt_at = now + wait
    return _finish(row, "pending", str(exc), now=now)


def _finish(row: FulfillmentWriteback, state: str, reason: str | None, *, now: datetime) -> str:
    row.state, row.reason, row.updated_at = state, reason, now
    db.session.commit()
    level = logging.WARNING if state == "failed" else logging.INFO
    log.log(level, "fulfillment write-back", extra={"writeback_id": row.id, "shop_id": row.shop_id,
                                                     "shipment_id": row.shipment_id, "state": state})  # fmt: skip
    return state
