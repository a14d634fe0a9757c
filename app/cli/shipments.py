"""`flask shipments ...`: a parcel's tracking, as support needs to see it."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Shipment, Shop, TrackingEvent
from app.services import tracking


@click.group()
def shipments() -> None:
    """Look at shipments and their tracking."""


def _find(shop_domain: str, tracking_number: str) -> Shipment:
    shop_ids = db.session.scalars(select(Shop.id).where(Shop.domain == shop_domain.lower())).all()
    if not shop_ids:
        raise click.ClickException(f"no store {shop_domain}")
    found = db.session.scalars(
        select(Shipment).where(Shipment.shop_id.in_(shop_ids), Shipment.tracking_number == tracking_number.strip())
        .order_by(Shipment.id.desc())
    ).first()  # fmt: skip
    if found is None:
        raise click.ClickException(f"no shipment {tracking_number} in {shop_domain}")
    return found


@shipments.command("show")
@click.option("--shop", "shop_domain", required=True)
@click.argument("tracking_number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def show(shop_domain: str, tracking_number: str, as_json: bool) -> None:
    """Print a shipment's status, estimate and scans (in the scan's local time)."""
    shipment = _find(shop_domain, tracking_number)
    events = db.session.scalars(
        select(TrackingEvent).where(TrackingEvent.shop_id == shipment.shop_id, TrackingEvent.shipment_id == shipment.id)
        .order_by(TrackingEvent.occurred_at, TrackingEvent.id)
    ).all()  # fmt: skip
    document = describe(shipment, events)
    click.echo(json.dumps(document, indent=2, default=str) if as_json else render(document))


@shipments.command("track")
@click.option("--shop", "shop_domain", required=True)
@click.argument("tracking_number")
@with_appcontext
def track(shop_domain: str, tracking_number: str) -> None:
    """Ask the shipment's tracking source now and apply the answer."""
    shipment = _find(shop_domain, tracking_number)
    outcome = tracking.track_now(shipment_id=shipment.id)
    if outcome.ignored:
        raise click.ClickException(outcome.ignored)
    change = f"; status {outcome.status_change[0]} → {outcome.status_change[1]}" if outcome.status_change else ""
    click.echo(f"{outcome.new_events} new scans{change}" + "".join(f"\n  {note}" for note in outcome.notes))


def describe(shipment: Shipment, events: Any) -> dict[str, Any]:
    return {
        "shipment": {
            "id": shipment.id, "order": shipment.order.name, "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number, "source": tracking.source_name(shipment),
            "status": shipment.tracking_status, "estimated_delivery": shipment.estimated_delivery,
            "delivered_at": shipment.delivered_at, "last_scan_at": shipment.last_event_at,
            "checked_at": shipment.tracking_checked_at, "lane": shipment.lane,
        },
        "estimate": None if shipment.expected_delivery_on is None else {
            "expected": shipment.expected_delivery_on, "window_start": shipment.delivery_window_start,
            "window_end": shipment.delivery_window_end, "confidence": shipment.estimate_confidence,
            "source": shipment.estimate_source, "promised": shipment.promised_delivery_on,
        },
        "delay": None if shipment.delay_reason is None else {
            "reason": shipment.delay_reason, "since": shipment.delayed_since,
        },
        "events": [
            {"at": event.occurred_at, "local_time": _local(event.occurred_at, event.timezone), "status": event.status,
             "description": event.description, "location": event.location}
            for event in events
        ],
    }  # fmt: skip


def render(document: dict[str, Any]) -> str:
    s = document["shipment"]
    lines = [
        f"Shipment {s['carrier'] or '?'} {s['tracking_number']} (order {s['order']}, source {s['source']})",
        f"  status {s['status']}"
        + (f" · delivered {s['delivered_at']:%Y-%m-%d %H:%M} UTC" if s["delivered_at"] else "")
        + (f" · carrier expects {s['estimated_delivery']:%Y-%m-%d}" if s["estimated_delivery"] and not
           s["delivered_at"] else ""),
    ]
    if (estimate := document["estimate"]) is not None:
        confidence = f"{estimate['confidence']:.0%} confidence" if estimate["confidence"] is not None else "no measure"
        lines.append(
            f"  estimate: expected {estimate['expected']:%a %Y-%m-%d}, window {estimate['window_start']:%a %Y-%m-%d}"
            f" – {estimate['window_end']:%a %Y-%m-%d} ({confidence}, source {estimate['source']})"
            + (f"; promised by {estimate['promised']:%Y-%m-%d}" if estimate["promised"] else "")
        )
    if (delay := document["delay"]) is not None:
        lines.append(f"  DELAYED: {delay['reason']} since {delay['since']:%Y-%m-%d %H:%M} UTC")
    if not document["events"]:
        lines.append("  no scans yet")
    for event in document["events"]:
        where = f"  {event['location']}" if event["location"] else ""
        lines.append(f"  {event['local_time']:<24} {event['status']:<20} {event['description']}{where}")
    return "\n".join(lines)


def _local(moment: Any, zone: str | None) -> str:
    if zone:
        try:
            return str(moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z"))
        except ZoneInfoNotFoundError:
            pass
    return str(moment.strftime("%Y-%m-%d %H:%M UTC"))
