"""Finish what was acknowledged but never finished: Redis was down when a drain should have been woken, a worker
died mid-batch, or a fulfillment arrived before its order. Runs on the clock; safe anywhere, any number of times.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import CursorResult, exists, func, select, update

from app.extensions import db
from app.jobs.queue import PendingJob, backend_of
from app.models import InboundWebhook, InboxStatus, OrderEvent
from app.models.types import utcnow

log = logging.getLogger(__name__)


def sweep(grace_seconds: int | None = None) -> dict[str, int]:
    settings = current_app.config["AFTERGLOW"]
    grace = settings.sweeper_grace_seconds if grace_seconds is None else grace_seconds
    cutoff = utcnow() - timedelta(seconds=grace)
    waiting = InboundWebhook.status == InboxStatus.RECEIVED

    # Attempted rows wait out the grace period (a backoff), then become claimable again.
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(InboundWebhook).where(waiting, InboundWebhook.started_at <= cutoff).values(started_at=None)
    )
    released = result.rowcount
    stranded = db.session.scalar(
        select(func.count()).where(waiting, InboundWebhook.started_at.is_(None), InboundWebhook.received_at <= cutoff)
    )
    events = db.session.scalar(
        select(exists().where(OrderEvent.dispatched_at.is_(None), OrderEvent.created_at <= cutoff))
    )
    db.session.commit()

    backend = backend_of(current_app._get_current_object())  # type: ignore[attr-defined]
    counts = {"webhooks": int(stranded or 0), "events": int(bool(events))}
    if counts["webhooks"]:
        backend.submit(PendingJob("process_inbox", wake=True))
    if counts["events"]:
        backend.submit(PendingJob("dispatch_order_events", wake=True))
    if any(counts.values()) or released:
        log.info("sweeper woke the drains", extra={"released": released, **counts})
    return counts
