"""The `send_notifications` drain: render and hand over every due message, once.

Rows are claimed with `FOR UPDATE SKIP LOCKED` and leased (so any number of workers share the work and a crashed
worker's rows come back after `LEASE`), then sent outside any lock, one commit per message so a crash repeats at
most the message in flight. Just before sending, the rules are checked again with what is true now: the journey
may have been switched off, the order cancelled or the shopper unsubscribed since the row was written; a message
that would land in quiet hours waits. Transient failures (timeouts, 4xx SMTP replies, Twilio 5xx) are retried
with growing delays up to `NOTIFICATION_MAX_ATTEMPTS`; permanent ones (a bad address, an opt-out at the provider,
a template the sandbox refuses) fail at once with the reason.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from contextlib import ExitStack
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, text, tuple_
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Notification, NotificationStatus, Order, Shop
from app.models.types import utcnow
from app.services.notifications import consent, quiet_hours, rendering, transports
from app.services.notifications.journeys import BY_NAME, EVENT_CHANNELS
from app.services.notifications.messages import build_message
from app.services.notifications.planning import SUMMARY_WINDOW
from app.services.notifications.settings import load_effective
from integrations.channels import DeliveryRefused, Receipt, Transport
from integrations.errors import IntegrationError, RetryableError

log = logging.getLogger(__name__)
BATCH = 50
LEASE = timedelta(minutes=5)
# Still worth telling after the order was cancelled; the rest is moot.
AFTER_CANCELLATION = frozenset({"refund_issued", "return_approved"})


def send_due(batch_size: int = BATCH, now: datetime | None = None) -> int:
    """Send every due message. Returns how many rows were handled (sent, failed, suppressed or deferred)."""
    handled = 0
    while True:
        clock = now or utcnow()
        groups = _claim(limit=batch_size, now=clock)
        if not groups:
            return handled
        handled += _deliver(groups, now=clock)


def _claim(*, limit: int, now: datetime) -> list[list[int]]:
    """Lease up to `limit` due rows, plus the waiting parcels of the same order and milestone that can share a
    message with them. Returns the leased ids in groups, each group one message. Commits the lease."""
    due = Notification.status == NotificationStatus.QUEUED
    free = or_(Notification.leased_until.is_(None), Notification.leased_until < now)
    statement = (
        select(Notification).where(due, free, Notification.send_after <= now)
        .order_by(Notification.send_after, Notification.id).limit(limit)
    )  # fmt: skip
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:
        statement = statement.with_for_update(skip_locked=True)
    rows = list(db.session.scalars(statement))
    keys = {(r.order_id, r.milestone, r.channel) for r in rows if BY_NAME[r.milestone].summarise and r.shipment_id}
    if keys:
        siblings = (
            select(Notification).where(
                due, free, Notification.send_after <= now + SUMMARY_WINDOW,
                tuple_(Notification.order_id, Notification.milestone, Notification.channel).in_(keys),
                Notification.id.not_in([r.id for r in rows]),
            )
        )  # fmt: skip
        rows += db.session.scalars(siblings.with_for_update(skip_locked=True) if postgres else siblings)
    if not rows:
        db.session.rollback()
        return []
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.id):
        row.leased_until = now + LEASE
        summarised = BY_NAME[row.milestone].summarise and row.shipment_id
        key = (row.order_id, row.milestone, row.channel, row.recipient) if summarised else (row.id,)
        groups[key].append(row.id)
    db.session.commit()
    return list(groups.values())


def _deliver(groups: list[list[int]], *, now: datetime) -> int:
    ids = [notification_id for group in groups for notification_id in group]
    rows = {row.id: row for row in db.session.scalars(select(Notification).where(Notification.id.in_(ids)))}
    orders = {
        order.id: order
        for order in db.session.scalars(
            select(Order).where(Order.id.in_({row.order_id for row in rows.values()})).options(
                selectinload(Order.line_items), selectinload(Order.shipments), selectinload(Order.refunds),
                selectinload(Order.customer),
            )
        )
    }  # fmt: skip
    shop_ids = {row.shop_id for row in rows.values()}
    shops = {shop.id: shop for shop in db.session.scalars(select(Shop).where(Shop.id.in_(shop_ids)))}
    settings = load_effective(shops)
    stopped = consent.unsubscribed((row.shop_id, row.channel, row.recipient) for row in rows.values() if row.recipient)
    opened: dict[tuple[str, int], Transport] = {}
    session = db.session()
    postgres = session.get_bind().dialect.name == "postgresql"
    # The rows are leased to this worker and the orders only give the messages their words: keeping them loaded
    # across the per-message commits saves reloading each one after every commit.
    session.expire_on_commit = False
    with ExitStack() as stack:
        stack.callback(setattr, session, "expire_on_commit", True)
        for group in groups:
            members = [rows[i] for i in group if i in rows and rows[i].status == NotificationStatus.QUEUED]
            if not members:
                continue
            lead = members[0]
            if postgres:
                # Marking a message sent need not wait for the disk: only a crash of PostgreSQL itself (not of
                # this worker) can lose the last fraction of a second of marks, and those messages are then sent
                # again, which the lease already allows for. Costs one round trip, saves an fsync per message.
                db.session.execute(text("SET LOCAL synchronous_commit = off"))
            try:
                # Email and SMS share the app's providers; Klaviyo and webhooks are each shop's own.
                key = (lead.channel, lead.shop_id if lead.channel in EVENT_CHANNELS else 0)
                if key not in opened:
                    transport = transports.open_transport(lead.channel, settings=settings[lead.shop_id])
                    opened[key] = stack.enter_context(transport)
                _send_group(members, orders[lead.order_id], shops[lead.shop_id], settings[lead.shop_id],
                            opened[key], now=now, stopped=stopped)  # fmt: skip
            except IntegrationError as exc:  # the channel cannot be opened (misconfigured): try again later
                for row in members:
                    row.attempts += 1
                _retry(members, str(exc), now=now, retry_after=None)
            except Exception:
                db.session.rollback()
                log.exception("notification crashed; it is retried after its lease", extra={"notification": lead.id})
                continue
            db.session.commit()
    return len(ids)


def _send_group(members: list[Notification], order: Order, shop: Shop, settings: dict[str, Any],
                transport: Transport, *, now: datetime, stopped: set[tuple[int, str, str]]) -> None:  # fmt: skip
    lead = members[0]
    journey = BY_NAME[lead.milestone]
    switches = settings["journeys"][journey.name]
    reason = None
    if not switches["enabled"] or not switches["channels"].get(lead.channel):
        reason = "journey switched off"
    elif (order.deleted_at or order.status == "cancelled") and journey.name not in AFTER_CANCELLATION:
        reason = "order cancelled"
    elif lead.recipient and (lead.shop_id, lead.channel, lead.recipient) in stopped:
        reason = "unsubscribed"
    if reason:
        _finish(members, NotificationStatus.SUPPRESSED, reason)
        return
    if not switches["urgent"]:
        window = settings["quiet_hours"].get(lead.channel)
        release = quiet_hours.release_time(when=now, zone=lead.timezone, window=window)
        if release > now:
            for row in members:
                row.send_after, row.leased_until = release, None
            return
    for row in members:
        row.attempts += 1
    try:
        message = build_message(lead, members, order=order, shop=shop, settings=settings)
        receipt = transport.send(message)
    except rendering.TemplateRefused as exc:
        _finish(members, NotificationStatus.FAILED, f"template: {exc}")
    except DeliveryRefused as exc:
        _finish(members, NotificationStatus.FAILED, str(exc))
        if exc.unsubscribed and lead.recipient:
            consent.add_unsubscribe(
                shop_id=lead.shop_id, channel=lead.channel, address=lead.recipient, source="carrier"
            )
    except RetryableError as exc:
        _retry(members, str(exc), now=now, retry_after=exc.retry_after)
    except IntegrationError as exc:
        _retry(members, str(exc), now=now, retry_after=None)
    else:
        _sent(members, receipt, now=now)


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """1, 4, 16, 64 minutes ... capped at 6 hours, with jitter so a provider outage does not end in a stampede."""
    delay = min(6 * 3600.0, 60.0 * 4 ** max(attempts - 1, 0)) * random.uniform(0.9, 1.1)
    return timedelta(seconds=max(delay, retry_after or 0.0))


def _retry(members: list[Notification], error: str, *, now: datetime, retry_after: float | None) -> None:
    if members[0].attempts >= current_app.config["AFTERGLOW"].notification_max_attempts:
        _finish(members, NotificationStatus.FAILED, f"gave up after {members[0].attempts} attempts: {error}")
        return
    wait = backoff(members[0].attempts, retry_after)
    for row in members:
        row.reason, row.send_after, row.leased_until = error[:2000], now + wait, None
    log.warning("notification will be retried", extra={"notification": members[0].id, "attempts": members[0].attempts})


def _sent(members: list[Notification], receipt: Receipt, *, now: datetime) -> None:
    lead = members[0]
    for row in members:
        row.status, row.sent_at, row.leased_until = NotificationStatus.SENT, now, None
        row.provider_message_id = receipt.provider_message_id
        row.reason = None if row is lead else f"in one message with notification {lead.id}"


def _finish(members: list[Notification], status: NotificationStatus, reason: str) -> None:
    for row in members:
        row.status, row.reason, row.leased_until = status, reason[:2000], None
