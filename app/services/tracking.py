"""Applying what a tracking source says about a parcel: one code path for polls and pushes.

Rules: a scan is stored once (the carrier's event id, else its content); the canonical status follows the
carrier but never leaves a final state (a late "in transit" scan after "delivered" is kept as an event and
changes nothing) and never falls back to before the parcel moved; every status change writes a
`shipment.<status>` order event for the journeys that message shoppers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

import integrations.models as canonical
from app.extensions import db
from app.models import Shipment, TrackingEvent
from app.models.types import utcnow
from app.services import order_events
from integrations import get_carrier_source

log = logging.getLogger(__name__)

FINAL = frozenset({canonical.TrackingStatus.DELIVERED, canonical.TrackingStatus.RETURNED,
                   canonical.TrackingStatus.CANCELLED})  # fmt: skip
BEFORE_TRANSIT = frozenset({canonical.TrackingStatus.PENDING, canonical.TrackingStatus.INFO_RECEIVED})
# Status words that say nothing new about where a parcel is.
UNINFORMATIVE = frozenset({canonical.TrackingStatus.UNKNOWN})


@dataclass
class TrackingOutcome:
    shipment_id: int
    new_events: int = 0
    status_change: tuple[str, str] | None = None
    ignored: str | None = None  # why the update was not applied
    notes: list[str] = field(default_factory=list)


def next_status(current: canonical.TrackingStatus, reported: canonical.TrackingStatus) -> canonical.TrackingStatus:
    """The status after a carrier reports `reported` for a parcel now at `current`."""
    if reported in UNINFORMATIVE or reported == current:
        return current
    if current in FINAL:
        return current
    if reported in BEFORE_TRANSIT and current not in BEFORE_TRANSIT:
        return current
    if current == canonical.TrackingStatus.INFO_RECEIVED and reported == canonical.TrackingStatus.PENDING:
        return current
    return reported


def record_tracking_update(*, shipment_id: int, update: canonical.TrackingUpdate, source: str) -> TrackingOutcome:
    """Store a source's update for one shipment and commit. Idempotent: the same update twice changes nothing."""
    outcome = TrackingOutcome(shipment_id=shipment_id)
    statement = select(Shipment).where(Shipment.id == shipment_id)
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    shipment = db.session.scalars(statement).first()
    if shipment is None:
        db.session.rollback()
        outcome.ignored = "no such shipment"
        return outcome
    if (shipment.tracking_number or "").upper() != update.tracking_number.upper():
        # The merchant changed the number since this was asked: the answer is about another parcel.
        db.session.rollback()
        outcome.ignored = "tracking number changed since the request"
        return outcome
    shipment.tracking_checked_at = utcnow()
    if not update.found:
        outcome.notes.extend(update.messages)
        db.session.commit()
        return outcome

    known = set(db.session.scalars(select(TrackingEvent.dedupe_key).where(TrackingEvent.shipment_id == shipment.id)))
    for event in sorted(update.events, key=lambda e: e.occurred_at):
        key = event.dedupe_key()[:255]
        if key in known:
            continue
        known.add(key)
        db.session.add(
            TrackingEvent(
                shop_id=shipment.shop_id, shipment_id=shipment.id, dedupe_key=key, occurred_at=event.occurred_at,
                timezone=event.timezone, status=str(event.status), substatus=event.substatus,
                description=event.description, location=event.location, source=source,
            )
        )  # fmt: skip
        outcome.new_events += 1
        if shipment.last_event_at is None or event.occurred_at > shipment.last_event_at:
            shipment.last_event_at = event.occurred_at

    current = canonical.TrackingStatus(shipment.tracking_status)
    status = next_status(current, update.status)
    if update.estimated_delivery is not None and status not in FINAL:
        shipment.estimated_delivery = update.estimated_delivery
    if status == canonical.TrackingStatus.DELIVERED and shipment.delivered_at is None:
        shipment.delivered_at = update.delivered_at or shipment.last_event_at or utcnow()
    if status != current:
        shipment.tracking_status = str(status)
        outcome.status_change = (str(current), str(status))
        order_events.record(
            order=shipment.order, shipment=shipment, name=f"shipment.{status}",
            message=f"Shipment {shipment.tracking_number}: {_describe(status)}",
            data={"from": str(current), "to": str(status), "source": source},
        )  # fmt: skip
    elif update.status != current and update.status not in UNINFORMATIVE:
        outcome.notes.append(f"kept {current}: the carrier now says {update.status}")
    db.session.commit()
    return outcome


def track_now(*, shipment_id: int, now: datetime | None = None) -> TrackingOutcome:
    """Ask the shipment's source about it and apply the answer (support command and, later, the poller)."""
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None or not shipment.tracking_number or not shipment.carrier:
        db.session.rollback()
        return TrackingOutcome(shipment_id=shipment_id, ignored="no tracking number or carrier to follow")
    name = source_name(shipment)
    address = shipment.order.shipping_address or {}
    request = canonical.TrackingRequest(
        carrier=shipment.carrier, tracking_number=shipment.tracking_number,
        shipped_at=shipment.platform_created_at or shipment.created_at,
        destination_country=address.get("country_code"), destination_postal_code=address.get("postal_code"),
    )  # fmt: skip
    db.session.rollback()  # no transaction open while the carrier answers
    (update,) = get_carrier_source(name).track([request], now=now or utcnow())
    return record_tracking_update(shipment_id=shipment_id, update=update, source=name)


def source_name(shipment: Shipment) -> str:
    return shipment.tracking_source or str(current_app.config["AFTERGLOW"].default_tracking_source)


def _describe(status: canonical.TrackingStatus) -> str:
    return {
        canonical.TrackingStatus.INFO_RECEIVED: "label created, waiting for the carrier",
        canonical.TrackingStatus.IN_TRANSIT: "on its way",
        canonical.TrackingStatus.OUT_FOR_DELIVERY: "out for delivery",
        canonical.TrackingStatus.AVAILABLE_FOR_PICKUP: "ready for pickup",
        canonical.TrackingStatus.ATTEMPT_FAILED: "delivery attempt failed",
        canonical.TrackingStatus.EXCEPTION: "carrier reports a problem",
        canonical.TrackingStatus.DELIVERED: "delivered",
        canonical.TrackingStatus.RETURNING_TO_SENDER: "on its way back to the store",
        canonical.TrackingStatus.RETURNED: "returned to the store",
        canonical.TrackingStatus.CANCELLED: "cancelled",
        canonical.TrackingStatus.EXPIRED: "no longer tracked",
    }.get(status, str(status))
