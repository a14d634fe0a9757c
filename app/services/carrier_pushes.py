"""Applying a stored tracking push: the parcels it is about, across stores, through the path polls take.

A push names a carrier and a tracking number, not a store: every shipment (of any store, or of the one store whose
own push address received it) with that carrier and number gets it, read with the same request a poll of that
shipment would send (`tracking.tracking_request`), so a push and a poll that report the same scans store them once.
A push for a number no shipment has is ignored (the merchant may point a whole EasyPost account at us); one about a
carrier we have no code for cannot be matched.

Aggregators retry failed deliveries, so an older push can arrive after a newer one: its scans are kept, but a
push whose newest scan is older than the newest we hold says nothing about where the parcel is now, and its
status and estimate are not applied.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import integrations.models as canonical
from app.extensions import db
from app.models import InboundWebhook, InboxStatus, Shipment
from app.services.tracking import stage_tracking_updates, tracking_request
from integrations import MappingError
from integrations.carriers.sources import PUSH_SOURCES, get_push_source

log = logging.getLogger(__name__)


def is_push(row: InboundWebhook) -> bool:
    """True for an inbox row that holds a tracking push rather than a platform webhook."""
    return row.platform in PUSH_SOURCES


def apply_push(*, row: InboundWebhook, now: datetime) -> tuple[InboxStatus, str | None]:
    """Apply one push inside the caller's transaction. Returns the row's status and a note."""
    source = get_push_source(row.platform)
    try:
        push = source.parse_push(row.body)
        if not push.tracking:
            return InboxStatus.IGNORED, f"{push.topic} is not about a parcel"
        if push.carrier is None or push.tracking_number is None:
            return InboxStatus.IGNORED, "the push names a carrier Afterglow has no code for"
        shipments = _shipments(push.carrier, push.tracking_number, shop_id=row.shop_id)
        if not shipments:
            log.info("tracking push for no known shipment ignored",
                     extra={"inbox_id": row.id, "source": row.platform, "reference": push.reference})  # fmt: skip
            return InboxStatus.IGNORED, "no shipment has this carrier and tracking number"
        answers = [(shipment.id, _current(source.to_update(push, tracking_request(shipment)), shipment))
                   for shipment in shipments]  # fmt: skip
    except MappingError as exc:
        return InboxStatus.FAILED, f"cannot be read: {exc}"
    outcomes = stage_tracking_updates(answers=answers, source=row.platform, now=now)
    scans = sum(outcome.new_events for outcome in outcomes)
    changed = [f"{o.status_change[0]} → {o.status_change[1]}" for o in outcomes if o.status_change]
    log.info("tracking push applied", extra={"inbox_id": row.id, "shipments": len(outcomes), "scans": scans})
    return InboxStatus.PROCESSED, f"{len(outcomes)} shipment(s), {scans} new scan(s)" + "".join(
        f"; {change}" for change in changed
    )


def _shipments(carrier: str, number: str, *, shop_id: int | None) -> list[Shipment]:
    """The parcels a push is about: any store's for a push to the app's address, one store's for a push to its own."""
    # Numbers are stored as the merchant typed them; the variants keep the (carrier, number) index usable.
    variants = {number, number.upper(), number.lower()}
    statement = (
        select(Shipment)
        .where(Shipment.carrier == carrier, Shipment.tracking_number.in_(variants), Shipment.removed_at.is_(None))
        .options(selectinload(Shipment.order))
        .order_by(Shipment.id)
    )
    if shop_id is not None:
        statement = statement.where(Shipment.shop_id == shop_id)
    return list(db.session.scalars(statement))


def _current(update: canonical.TrackingUpdate, shipment: Shipment) -> canonical.TrackingUpdate:
    """The update as applied: an older push keeps its scans and loses its say on status and estimate."""
    newest = max((event.occurred_at for event in update.events), default=None)
    if newest is not None and shipment.last_event_at is not None and newest < shipment.last_event_at:
        return dataclasses.replace(update, status=canonical.TrackingStatus.UNKNOWN, estimated_delivery=None)
    return update
