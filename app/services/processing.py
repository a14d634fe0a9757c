"""Processing stored webhooks: interpret each delivery and apply it to the order store.

`process_inbox` drains the inbox in batches: it claims up to `BATCH` waiting rows (`FOR UPDATE SKIP LOCKED`, so
any number of workers share the work), loads and locks every order and customer they touch in a few queries,
applies the changes in arrival order and commits once. If a batch hits a database error it is rolled back and
its rows are processed one by one, so one bad row cannot hold the others back. Tracking pushes (EasyPost's
tracker events) share the inbox and are applied in the same batch, after its platform rows, through
`app.services.carrier_pushes`.

A row is claimable while `status = received` and `started_at` is empty. An attempt stamps `started_at`; a row
that must wait (its order has not arrived yet) or whose attempt crashed keeps the stamp until the sweeper,
after a grace period, clears it and wakes the drain again.
"""

from __future__ import annotations

import logging
from collections import Counter

from flask import current_app
from sqlalchemy import select

import integrations.models as canonical
from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import InboundWebhook, InboxStatus, Order, Shop
from app.models.types import utcnow
from app.services import carrier_pushes, order_events, orders, shipments
from app.services.order_index import OrderIndex
from integrations import MappingError, get_platform

log = logging.getLogger(__name__)
BATCH = 100


class OrderNotYetStored(Exception):
    """A fulfillment or refund arrived before its order: retried later, not dropped."""


def process_inbox(batch_size: int = BATCH) -> int:
    """Process every claimable inbox row. Returns how many rows were attempted."""
    attempted = 0
    while True:
        rows = _claim(limit=batch_size)
        if not rows:
            db.session.rollback()
            return attempted
        ids = [row.id for row in rows]
        try:
            process_rows(rows)
        except Exception:
            db.session.rollback()
            log.warning("batch failed, processing its rows one at a time", extra={"rows": len(ids)})
            for inbox_id in ids:
                try:
                    process_inbound_webhook(inbox_id=inbox_id)
                except Exception:
                    log.exception("webhook processing crashed", extra={"inbox_id": inbox_id})
        attempted += len(ids)


def process_inbound_webhook(*, inbox_id: int, force: bool = False) -> str:
    """Apply one inbox row in its own transaction. A processed row is left alone unless `force` (a support
    replay); re-applying a version already stored changes nothing. Returns the row's resulting status."""
    rows = _claim(limit=1, inbox_id=inbox_id)
    if not rows:
        db.session.rollback()
        return "busy-or-missing"
    row = rows[0]
    if not force and row.status != InboxStatus.RECEIVED:
        current = str(row.status)
        db.session.rollback()
        return current
    try:
        process_rows([row])
    except Exception as exc:
        db.session.rollback()
        record_crash(inbox_id=inbox_id, error=f"{type(exc).__name__}: {exc}")
        raise
    return str(db.session.get(InboundWebhook, inbox_id).status)  # type: ignore[union-attr]


def process_rows(rows: list[InboundWebhook]) -> None:
    """Apply claimed rows in one transaction and commit."""
    now = utcnow()
    prepared: list[tuple[InboundWebhook, Shop, canonical.WebhookChange]] = []
    pushes: list[InboundWebhook] = []
    for row in rows:
        row.attempts += 1
        row.started_at = now
        if carrier_pushes.is_push(row):
            pushes.append(row)
            continue
        try:
            shop = db.session.get(Shop, row.shop_id) if row.shop_id else None
            if shop is None:
                raise MappingError(f"no shop row for {row.shop_domain}")
            platform = get_platform(row.platform)
            prepared.append((row, shop, platform.interpret_webhook(platform.parse_webhook(row.headers, row.body))))
        except MappingError as exc:
            _finish(row, InboxStatus.FAILED, f"cannot be read: {exc}")

    index = OrderIndex()
    keys = [(shop.id, external_id) for _, shop, change in prepared if (external_id := _order_key(change))]
    customers, guests = [], []
    for _, shop, change in prepared:
        if isinstance(change, canonical.OrderUpsert):
            found, guest = orders.customer_keys(change.order, shop.id)
            customers += found
            guests += guest
    with db.session.no_autoflush:
        index.load(orders=keys, customers=customers, guests=guests)
        for row, shop, change in prepared:
            try:
                status, note = apply_change(shop=shop, change=change, index=index, inbound_webhook_id=row.id)
            except OrderNotYetStored as exc:
                if row.attempts >= current_app.config["AFTERGLOW"].job_max_attempts:
                    _finish(row, InboxStatus.FAILED, f"{exc} (gave up after {row.attempts} attempts)")
                else:
                    _finish(row, InboxStatus.RECEIVED, f"{exc}; will retry")
                continue
            if status == InboxStatus.RECEIVED and row.attempts >= current_app.config["AFTERGLOW"].job_max_attempts:
                status, note = InboxStatus.FAILED, f"{note}; it did not finish after {row.attempts} attempts"
            _finish(row, status, note)
    # After the platform rows: a push may be about a parcel whose fulfillment arrived in this same batch.
    for row in pushes:
        _finish(row, *carrier_pushes.apply_push(row=row, now=now))
    # Read before the commit: afterwards every attribute is expired and reading one would reload the row.
    outcome = [(row.id, str(row.status)) for row in rows]
    db.session.commit()
    if log.isEnabledFor(logging.INFO):
        counts = Counter(outcome_status for _, outcome_status in outcome)
        log.info("inbox batch done", extra={"first_id": outcome[0][0], "last_id": outcome[-1][0], **counts})


def apply_change(
    *, shop: Shop, change: canonical.WebhookChange, index: OrderIndex, inbound_webhook_id: int | None
) -> tuple[InboxStatus, str | None]:
    match change:
        case canonical.OrderUpsert(order=order):
            outcome = orders.upsert_order(shop=shop, order=order, index=index, inbound_webhook_id=inbound_webhook_id)
            return InboxStatus.PROCESSED, "older than the stored version" if outcome.stale else None
        case canonical.OrderDeleted(order_external_id=external_id):
            outcome = orders.mark_deleted(
                shop=shop, external_id=external_id, index=index, inbound_webhook_id=inbound_webhook_id
            )
            if outcome.order is None:
                return InboxStatus.IGNORED, "order was never stored"
            return InboxStatus.PROCESSED, None
        case canonical.FulfillmentUpsert(order_external_id=external_id, fulfillment=fulfillment):
            order = _order_or_wait(index, shop, external_id)
            for name, message, data, shipment in shipments.sync_fulfillment(order=order, fulfillment=fulfillment):
                order_events.record(
                    order=order, name=name, message=message, data=data, shipment=shipment,
                    inbound_webhook_id=inbound_webhook_id,
                )  # fmt: skip
            return InboxStatus.PROCESSED, None
        case canonical.RefundCreated(order_external_id=external_id, refund=refund):
            order = _order_or_wait(index, shop, external_id)
            if orders.add_refund(order=order, refund=refund):
                order_events.record(
                    order=order, name="refund.created", message=f"Refund of {refund.amount} {order.currency}",
                    data={"refund_id": refund.external_id}, inbound_webhook_id=inbound_webhook_id,
                )  # fmt: skip
            return InboxStatus.PROCESSED, None
        case canonical.PrivacyRequest():
            if inbound_webhook_id is None:
                raise MappingError("a privacy request must come from a stored delivery")
            # Its own job after this batch commits: an export or an erasure must not hold the drain up. The row
            # stays `received` (attempt stamped) until the job marks it processed, so the sweeper retries a lost one.
            enqueue_after_commit("handle_privacy_request", inbound_webhook_id)
            return InboxStatus.RECEIVED, "handed to the privacy service"
        case canonical.Ignored(reason=reason):
            return InboxStatus.IGNORED, reason
    raise MappingError(f"unsupported change {type(change).__name__}")


def record_crash(*, inbox_id: int, error: str) -> None:
    """Count a crashed attempt in its own transaction; the row then waits for the sweeper's grace period."""
    row = db.session.get(InboundWebhook, inbox_id)
    if row is None:
        return
    row.attempts += 1
    row.started_at = utcnow()
    row.error = error[:2000]
    if row.attempts >= current_app.config["AFTERGLOW"].job_max_attempts:
        row.status = InboxStatus.FAILED
    db.session.commit()


def _claim(*, limit: int, inbox_id: int | None = None) -> list[InboundWebhook]:
    statement = select(InboundWebhook).order_by(InboundWebhook.id).limit(limit)
    if inbox_id is not None:
        statement = statement.where(InboundWebhook.id == inbox_id)
    else:
        statement = statement.where(
            InboundWebhook.status == InboxStatus.RECEIVED, InboundWebhook.started_at.is_(None)
        )
    if db.session.get_bind().dialect.name == "postgresql":
        # Another worker's rows (or a live worker still holding this one) are skipped, not waited for.
        statement = statement.with_for_update(skip_locked=True)
    return list(db.session.scalars(statement))


def _order_key(change: canonical.WebhookChange) -> str | None:
    match change:
        case canonical.OrderUpsert(order=order):
            return order.external_id
        case canonical.OrderDeleted(order_external_id=external_id):
            return external_id
        case canonical.FulfillmentUpsert(order_external_id=external_id):
            return external_id
        case canonical.RefundCreated(order_external_id=external_id):
            return external_id
    return None


def _order_or_wait(index: OrderIndex, shop: Shop, external_id: str) -> Order:
    order = index.order(shop.id, external_id)
    if order is None:
        raise OrderNotYetStored(f"order {external_id} is not stored yet")
    return order


def _finish(row: InboundWebhook, status: InboxStatus, note: str | None) -> None:
    row.status = status
    row.error = note
    if status in (InboxStatus.PROCESSED, InboxStatus.IGNORED):
        row.processed_at = utcnow()
