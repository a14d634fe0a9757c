"""Fulfillments become shipments: one row per parcel (tracking number), keyed by the fulfillment and position."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete

import integrations.models as canonical
from app.extensions import db
from app.models import Order, Shipment, TrackingEvent
from app.models.types import utcnow
from app.services import tracking_schedule as schedule
from app.services.changes import apply_values, plain

# (event name, message for people, data, the shipment)
ShipmentChange = tuple[str, str, dict[str, Any], Shipment]


def sync_fulfillment(*, order: Order, fulfillment: canonical.Fulfillment) -> Iterator[ShipmentChange]:
    """Bring the order's shipments for one fulfillment in line with it, yielding one change per parcel touched.

    A fulfillment update older than what we hold is ignored, per parcel, like an older order update.
    """
    existing = {
        shipment.position: shipment
        for shipment in order.shipments
        if shipment.fulfillment_external_id == fulfillment.external_id
    }
    numbers: tuple[str | None, ...] = fulfillment.tracking_numbers or (None,)
    for position, number in enumerate(numbers):
        values = _values(fulfillment, position, number)
        shipment = existing.pop(position, None)
        if shipment is None:
            shipment = Shipment(
                shop_id=order.shop_id,
                fulfillment_external_id=fulfillment.external_id,
                position=position,
                **values,
            )
            if number and shipment.carrier:
                shipment.next_check_at = schedule.first_check(shipment_id=None, now=utcnow())
            order.shipments.append(shipment)
            yield (
                "shipment.created",
                f"Shipment {_label(shipment)} created",
                {"carrier": shipment.carrier, "state": shipment.state},
                shipment,
            )
            continue
        if _is_stale(shipment, fulfillment):
            continue
        changes = {name: [plain(old), plain(new)] for name, (old, new) in apply_values(shipment, values).items()}
        if shipment.removed_at is not None:
            shipment.removed_at = None
            changes["removed_at"] = ["removed", None]
        changes.pop("platform_updated_at", None)
        if "tracking_number" in changes or "carrier" in changes:
            _restart_tracking(shipment)
        if changes:
            yield ("shipment.updated", _update_message(shipment, changes), {"changes": changes}, shipment)
    for leftover in existing.values():
        if leftover.removed_at is None and not _is_stale(leftover, fulfillment):
            leftover.removed_at = utcnow()
            yield (
                "shipment.updated",
                f"Shipment {_label(leftover)} no longer listed on the fulfillment",
                {"changes": {"removed_at": [None, "removed"]}},
                leftover,
            )


def _restart_tracking(shipment: Shipment) -> None:
    """A new number is another parcel: what we knew about the old one no longer describes this shipment."""
    if shipment.id is not None:
        db.session.execute(delete(TrackingEvent).where(TrackingEvent.shipment_id == shipment.id))
    shipment.tracking_status = str(canonical.TrackingStatus.PENDING)
    shipment.estimated_delivery = shipment.delivered_at = shipment.last_event_at = None
    shipment.tracking_checked_at = None
    # The lane and pickup were the old parcel's; the promise stays, as the shopper was shown it.
    shipment.lane = shipment.picked_up_at = shipment.delay_reason = shipment.delayed_since = None
    has_number = bool(shipment.tracking_number and shipment.carrier)
    shipment.next_check_at = schedule.first_check(shipment_id=shipment.id, now=utcnow()) if has_number else None


def _values(fulfillment: canonical.Fulfillment, position: int, number: str | None) -> dict[str, Any]:
    urls = fulfillment.tracking_urls
    url = urls[position] if position < len(urls) else None
    return {
        "tracking_number": number,
        "tracking_url": url,
        "carrier": fulfillment.carrier,
        "carrier_name": fulfillment.carrier_name,
        "service": fulfillment.service,
        "state": str(fulfillment.status),
        "line_items": dict(fulfillment.line_items),
        "platform_created_at": fulfillment.created_at,
        "platform_updated_at": fulfillment.updated_at,
    }


def _is_stale(shipment: Shipment, fulfillment: canonical.Fulfillment) -> bool:
    return (
        fulfillment.updated_at is not None
        and shipment.platform_updated_at is not None
        and fulfillment.updated_at < shipment.platform_updated_at
    )


def _label(shipment: Shipment) -> str:
    if shipment.tracking_number:
        return f"{(shipment.carrier or shipment.carrier_name or 'parcel').upper()} {shipment.tracking_number}"
    return f"for fulfillment {shipment.fulfillment_external_id}"


def _update_message(shipment: Shipment, changes: dict[str, list[Any]]) -> str:
    if "tracking_number" in changes:
        old, new = changes["tracking_number"]
        return f"Tracking number changed from {old or 'none'} to {new or 'none'}"
    if "state" in changes:
        return f"Shipment {_label(shipment)} is now {changes['state'][1]}"
    return f"Shipment {_label(shipment)} updated: {', '.join(sorted(changes))}"

