"""Re-enqueue work that was acknowledged but never finished: Redis was down at enqueue time, a worker died, or a
fulfillment arrived before its order. Runs on the clock; safe to run anywhere and any number of times."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.queue import JobBackend, PendingJob
from app.models import InboundWebhook, InboxStatus, OrderEvent
from app.models.types import utcnow

log = logging.getLogger(__name__)
BATCH = 500


def sweep(grace_seconds: int | None = None) -> dict[str, int]:
    settings = current_app.config["AFTERGLOW"]
    grace = settings.sweeper_grace_seconds if grace_seconds is None else grace_seconds
    cutoff = utcnow() - timedelta(seconds=grace)
    backend: JobBackend = current_app.extensions["afterglow.jobs"]

    inbox_ids = db.session.scalars(
        select(InboundWebhook.id)
        .where(
            InboundWebhook.status == InboxStatus.RECEIVED,
            func.coalesce(InboundWebhook.started_at, InboundWebhook.received_at) <= cutoff,
        )
        .order_by(InboundWebhook.id)
        .limit(BATCH)
    ).all()
    event_ids = db.session.scalars(
        select(OrderEvent.id)
        .where(OrderEvent.dispatched_at.is_(None), OrderEvent.created_at <= cutoff)
        .order_by(OrderEvent.id)
        .limit(BATCH)
    ).all()
    db.session.rollback()  # read-only; release the snapshot before handing work out

    counts = {"webhooks": 0, "events": 0}
    for inbox_id in inbox_ids:
        job_id = f"inbox-{inbox_id}"
        job = PendingJob("process_inbound_webhook", (inbox_id,), job_id)
        if not backend.is_pending(job_id) and backend.enqueue(job):
            counts["webhooks"] += 1
    for event_id in event_ids:
        job_id = f"order-event-{event_id}"
        job = PendingJob("dispatch_order_event", (event_id,), job_id)
        if not backend.is_pending(job_id) and backend.enqueue(job):
            counts["events"] += 1
    if any(counts.values()):
        log.info("sweeper re-enqueued work", extra=counts)
    return counts
