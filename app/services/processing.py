"""Processing one stored webhook: interpret it and apply it to the order store in a single transaction."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

import integrations.models as canonical
from app.extensions import db
from app.models import InboundWebhook, InboxStatus, Order, OrderEvent, Shop
from app.models.types import utcnow
from app.services import order_events, orders, shipments
from integrations import MappingError, get_platform

log = logging.getLogger(__name__)


class OrderNotYetStored(Exception):
    """A fulfillment or refund arrived before its order: retried later, not dropped."""


def process_inbound_webhook(*, inbox_id: int, force: bool = False) -> str:
    """Apply one inbox row. Idempotent: a processed row is left alone unless `force` (a support replay), and
    re-applying a version already stored changes nothing. Returns the row's resulting status."""
    statement = select(InboundWebhook).where(InboundWebhook.id == inbox_id)
    if db.session.get_bind().dialect.name == "postgresql":
        # A second copy of this job (sweeper re-enqueue, RQ retry) skips a row a live worker is holding.
        statement = statement.with_for_update(skip_locked=True)
    row = db.session.scalars(statement).first()
    if row is None:
        db.session.rollback()
        return "busy-or-missing"
    if not force and row.status != InboxStatus.RECEIVED:
        db.session.rollback()
        return row.status
    row.attempts += 1
    row.started_at = utcnow()
    shop = db.session.get(Shop, row.shop_id) if row.shop_id else None
    try:
        if shop is None:
            raise MappingError(f"no shop row for {row.shop_domain}")
        with db.session.begin_nested():  # a failure leaves no half-written order behind
            platform = get_platform(row.platform)
            envelope = platform.parse_webhook(row.headers, row.body)
            change = platform.interpret_webhook(envelope)
            status, note = apply_change(shop=shop, change=change, inbound_webhook_id=row.id)
    except MappingError as exc:
        return _finish(row, InboxStatus.FAILED, f"cannot be read: {exc}")
    except OrderNotYetStored as exc:
        max_attempts = current_app.config["AFTERGLOW"].job_max_attempts
        if row.attempts >= max_attempts:
            return _finish(row, InboxStatus.FAILED, f"{exc} (gave up after {row.attempts} attempts)")
        return _finish(row, InboxStatus.RECEIVED, f"{exc}; will retry")
    except Exception as exc:
        db.session.rollback()
        record_crash(inbox_id=inbox_id, error=f"{type(exc).__name__}: {exc}")
        raise
    return _finish(row, status, note)


def apply_change(
    *, shop: Shop, change: canonical.WebhookChange, inbound_webhook_id: int | None
) -> tuple[InboxStatus, str | None]:
    match change:
        case canonical.OrderUpsert(order=order):
            outcome = orders.upsert_order(shop=shop, order=order, inbound_webhook_id=inbound_webhook_id)
            return InboxStatus.PROCESSED, "older than the stored version" if outcome.stale else None
        case canonical.OrderDeleted(order_external_id=external_id):
            outcome = orders.mark_deleted(shop=shop, external_id=external_id, inbound_webhook_id=inbound_webhook_id)
            if outcome.order is None:
                return InboxStatus.IGNORED, "order was never stored"
            return InboxStatus.PROCESSED, None
        case canonical.FulfillmentUpsert(order_external_id=external_id, fulfillment=fulfillment):
            order = _order_or_wait(shop, external_id)
            events = [
                order_events.record(
                    shop_id=shop.id, order_id=order.id, name=name, message=message, data=data,
                    shipment_id=shipment_id, inbound_webhook_id=inbound_webhook_id,
                )
                for name, message, data, shipment_id in shipments.sync_fulfillment(order=order, fulfillment=fulfillment)
            ]  # fmt: skip
            _dispatch(events)
            return InboxStatus.PROCESSED, None
        case canonical.RefundCreated(order_external_id=external_id, refund=refund):
            order = _order_or_wait(shop, external_id)
            if orders.add_refund(order=order, refund=refund):
                event = order_events.record(
                    shop_id=shop.id, order_id=order.id, name="refund.created",
                    message=f"Refund of {refund.amount} {order.currency}", data={"refund_id": refund.external_id},
                    inbound_webhook_id=inbound_webhook_id,
                )  # fmt: skip
                _dispatch([event])
            return InboxStatus.PROCESSED, None
        case canonical.Ignored(reason=reason):
            return InboxStatus.IGNORED, reason
    raise MappingError(f"unsupported change {type(change).__name__}")


def record_crash(*, inbox_id: int, error: str) -> None:
    """Count a failed attempt in its own transaction, so a row that keeps crashing workers is visible."""
    row = db.session.get(InboundWebhook, inbox_id)
    if row is None:
        return
    row.attempts += 1
    row.error = error[:2000]
    if row.attempts >= current_app.config["AFTERGLOW"].job_max_attempts:
        row.status = InboxStatus.FAILED
    db.session.commit()


def _order_or_wait(shop: Shop, external_id: str) -> Order:
    order = orders.find_order(shop_id=shop.id, external_id=external_id, lock=True)
    if order is None:
        raise OrderNotYetStored(f"order {external_id} is not stored yet")
    return order


def _dispatch(events: list[OrderEvent]) -> None:
    db.session.flush()
    order_events.enqueue_dispatch(events)


def _finish(row: InboundWebhook, status: InboxStatus, note: str | None) -> str:
    row.status = status
    row.error = note
    if status in (InboxStatus.PROCESSED, InboxStatus.IGNORED):
        row.processed_at = utcnow()
    db.session.commit()
    log.info("webhook processed", extra={"inbox_id": row.id, "status": str(status), "topic": row.topic})
    return str(status)
