"""The notification outbox rows, written in the same transaction as the order events that cause them.

`order_events` calls `plan_messages` just before a transaction that recorded events commits. Each event goes
through the shop's journeys; every (journey, enabled channel) becomes one row whose idempotency key is (shop,
subject, milestone, channel), inserted with ON CONFLICT DO NOTHING: a duplicate webhook, a retried batch or a
carrier re-scan finds the key taken and adds nothing, even from another worker at the same moment. A message the
shopper must not get (no consent, no address, unsubscribed) is still written, as `suppressed` with the reason,
so support can answer "why did they not get a text?". The send drain is woken once the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import wake_after_commit
from app.models import Customer, Notification, NotificationStatus, Order, OrderEvent, Shop
from app.models.types import utcnow
from app.services.notifications import consent, locales, quiet_hours
from app.services.notifications.inserts import insert_new
from app.services.notifications.journeys import EVENT_CHANNELS, Journey, journeys_for, subject_key
from app.services.notifications.settings import load_effective
from integrations.carriers.timezones import zone_for
from integrations.models import TrackingStatus

log = logging.getLogger(__name__)
SCANNED_STATUSES = frozenset(str(status) for status in TrackingStatus)
# Parcels of one order that reach a milestone within this window share one message.
SUMMARY_WINDOW = timedelta(minutes=2)
# Merchants often fulfil first and type the tracking number a few minutes later: a "shipped" message for a parcel
# without a number waits this long, and is rendered with whatever number the parcel has by then.
NUMBER_GRACE = timedelta(minutes=15)


def plan_messages(events: Sequence[OrderEvent]) -> int:
    """Write the outbox rows for `events` (flushed, in the open transaction). Returns how many rows were offered."""
    work = [(event, journey) for event in events for journey in journeys_for(event.name, event.data or {})]
    if not work:
        return 0
    settings = load_effective({event.shop_id for event, _ in work})
    shops = {shop.id: shop for shop in db.session.scalars(select(Shop).where(Shop.id.in_(settings)))}
    customer_ids = {event.order.customer_id for event, _ in work if event.order.customer_id}
    if customer_ids:  # into the identity map, so `order.customer` below costs no query per order
        db.session.scalars(select(Customer).where(Customer.id.in_(customer_ids))).all()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for event, journey in work:
        shop_settings = settings[event.shop_id]
        switches = shop_settings["journeys"][journey.name]
        if not switches["enabled"]:
            continue
        for channel in journey.channels:
            if switches["channels"].get(channel):
                rows.append(_row(event, journey, channel, shop_settings, shops[event.shop_id], now))
    taken = consent.unsubscribed((row["shop_id"], row["channel"], row["recipient"]) for row in rows if row["recipient"])
    for row in rows:
        if row["status"] == NotificationStatus.QUEUED and (row["shop_id"], row["channel"], row["recipient"]) in taken:
            row["status"], row["reason"] = NotificationStatus.SUPPRESSED, "unsubscribed"
    # One key order for every writer: two transactions offering overlapping keys then wait for each other in the
    # same order instead of deadlocking.
    rows.sort(key=lambda row: str(row["idempotency_key"]))
    insert_new(Notification.__table__, rows)
    if any(row["status"] == NotificationStatus.QUEUED and row["send_after"] <= now for row in rows):
        wake_after_commit("send_notifications")
    return len(rows)


def _row(event: OrderEvent, journey: Journey, channel: str, settings: Mapping[str, Any], shop: Shop,
         now: datetime) -> dict[str, Any]:  # fmt: skip
    order = event.order
    customer = order.customer
    address = consent.recipient(channel="sms" if channel == "sms" else "email", order=order, customer=customer)
    locale = locales.negotiate(
        customer.locale if customer else None, order.locale, default=settings["branding"]["default_locale"]
    )
    zone = shopper_zone(order, shop)
    status, reason = NotificationStatus.QUEUED, None
    refused = consent.refusal(channel=channel, marketing=journey.marketing, customer=customer)
    if channel in EVENT_CHANNELS:
        if not (settings.get("connections") or {}).get(channel):
            status, reason = NotificationStatus.SUPPRESSED, f"{channel} not connected"
    elif address is None:
        status, reason = NotificationStatus.SUPPRESSED, "no email address" if channel == "email" else "no mobile number"
    elif refused:
        status, reason = NotificationStatus.SUPPRESSED, refused
    happened = _happened_at(event, journey)
    if status == NotificationStatus.QUEUED and happened and now - happened > timedelta(hours=journey.fresh_hours):
        status, reason = NotificationStatus.SUPPRESSED, f"stale: happened {_age(now - happened)} ago"
    switches = settings["journeys"][journey.name]
    send_after = now + timedelta(minutes=int(switches["delay_minutes"]))
    live = [shipment for shipment in order.shipments if shipment.removed_at is None]
    if journey.summarise and len(live) > 1:
        send_after += SUMMARY_WINDOW
    if journey.name == "shipped" and event.shipment is not None and not event.shipment.tracking_number:
        send_after += NUMBER_GRACE
    if not switches["urgent"]:
        send_after = quiet_hours.release_time(when=send_after, zone=zone, window=settings["quiet_hours"].get(channel))
    data = _facts(event)
    subject = subject_key(journey, order_id=order.id, shipment_id=event.shipment_id, data=data)
    return {
        "shop_id": event.shop_id, "order_id": order.id, "shipment_id": event.shipment_id,
        "order_event_id": event.id, "idempotency_key": f"{event.shop_id}:{subject}:{journey.name}:{channel}",
        "milestone": journey.name, "channel": channel, "recipient": address, "locale": locale, "timezone": zone,
        "status": status, "reason": reason, "data": data, "send_after": send_after, "attempts": 0,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def shopper_zone(order: Order, shop: Shop) -> str | None:
    """The shopper's time zone: where the parcel goes, else the shop's own."""
    address = order.shipping_address or {}
    return zone_for(country=address.get("country_code"), state=address.get("province_code")) or shop.timezone


def _happened_at(event: OrderEvent, journey: Journey) -> datetime | None:
    """When the milestone happened in the world (not when we heard of it), where we know."""
    shipment = event.shipment
    if event.name == "shipment.created" and shipment is not None:
        return shipment.platform_created_at
    if event.name == "refund.created":
        refund_id = (event.data or {}).get("refund_id")
        return next((r.platform_created_at for r in event.order.refunds if r.external_id == refund_id), None)
    if event.name.removeprefix("shipment.") in SCANNED_STATUSES and shipment is not None:
        return shipment.last_event_at  # the scan that moved the status
    # Anything else (a detected delay: often found precisely because no scan came for days) happens as recorded.
    return None


def _age(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24} days" if hours >= 48 else f"{hours} hours"


def _facts(event: OrderEvent) -> dict[str, Any]:
    """What a message needs from its event (never personal data: rows outlive the order's redaction)."""
    data = event.data or {}
    facts = {key: data[key] for key in ("reason", "estimate", "refund_id") if data.get(key) is not None}
    old_number = ((data.get("changes") or {}).get("tracking_number") or [None])[0]
    if old_number:
        facts["previous_tracking_number"] = old_number
    return facts
