"""Applying what a tracking source says about a parcel: one code path for polls and pushes.

Rules: a scan is stored once (the carrier's event id, else its content); the canonical status follows the
carrier but never leaves a final state (a late "in transit" scan after "delivered" is kept as an event and
changes nothing) and never falls back to before the parcel moved; every status change writes a
`shipment.<status>` order event for the journeys that message shoppers. Each applied update then recomputes the
delivery estimate (`estimates`) and judges delays (`delays`), which write `shipment.delayed` once per episode.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

import integrations.models as canonical
from app import crypto
from app.extensions import db
from app.models import CarrierAccount, Shipment, TrackingEvent
from app.models.types import utcnow
from app.services import carrier_accounts, delays, estimates, order_events, tracking_sources
from app.services import tracking_schedule as schedule
from integrations import IntegrationError, RetryableError

log = logging.getLogger(__name__)
RETRY_SOON = timedelta(minutes=30)
RETRY_MISCONFIGURED = timedelta(hours=6)

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


def record_tracking_update(
    *, shipment_id: int, update: canonical.TrackingUpdate, source: str, now: datetime | None = None
) -> TrackingOutcome:
    """Store a source's update for one shipment and commit (a batch of one: see `record_tracking_updates`)."""
    return record_tracking_updates(answers=[(shipment_id, update)], source=source, now=now)[0]


def record_tracking_updates(
    *, answers: list[tuple[int, canonical.TrackingUpdate]], source: str, now: datetime | None = None
) -> list[TrackingOutcome]:
    """Store a source's updates for several shipments in one transaction and commit. Idempotent: the same update
    twice changes nothing. `now` is when the source answered (the poll's clock), which drives rescheduling and
    expiry."""
    outcomes = stage_tracking_updates(answers=answers, source=source, now=now)
    db.session.commit()
    return outcomes


def stage_tracking_updates(
    *, answers: list[tuple[int, canonical.TrackingUpdate]], source: str, now: datetime | None = None
) -> list[TrackingOutcome]:
    """What `record_tracking_updates` does, inside the caller's transaction, which the caller commits: a pushed
    update is applied with the rest of its inbox batch, so the push and its inbox row are saved together.

    The batch's shipments (locked, with their orders) and their known scans are read in two queries, whatever
    the batch size, and the new rows are written in one flush."""
    now = now or utcnow()
    ids = [shipment_id for shipment_id, _ in answers]
    statement = (
        select(Shipment).where(Shipment.id.in_(ids)).options(selectinload(Shipment.order)).order_by(Shipment.id)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(of=Shipment)
    shipments = {shipment.id: shipment for shipment in db.session.scalars(statement)}
    known: dict[int, set[str]] = defaultdict(set)
    for shipment_id, key in db.session.execute(
        select(TrackingEvent.shipment_id, TrackingEvent.dedupe_key).where(TrackingEvent.shipment_id.in_(ids))
    ):
        known[shipment_id].add(key)
    outcomes: list[TrackingOutcome] = []
    scans: list[dict[str, Any]] = []
    tables = estimates.cache.get({shipment.shop_id for shipment in shipments.values()})
    with db.session.no_autoflush:
        for shipment_id, update in answers:
            shipment = shipments.get(shipment_id)
            before = (shipment.tracking_checked_at, shipment.estimated_delivery) if shipment else (None, None)
            outcome = _apply(shipment, update, known[shipment_id], source=source, now=now, scans=scans)
            if shipment is not None and not outcome.ignored and not _same_as_earlier_today(shipment, outcome,
                                                                                         before, now):  # fmt: skip
                # Estimate and delay after the status and schedule are settled: both read them.
                parcel, shown = estimates.apply_estimate(shipment, tables[shipment.shop_id], now=now)
                delays.judge(shipment, tables[shipment.shop_id], now=now, parcel=parcel, shown=shown)
            outcomes.append(outcome)
    if scans:  # one executemany: nothing refers to a scan's id, so none is fetched back
        db.session.execute(insert(TrackingEvent.__table__), scans)
    return outcomes


def _same_as_earlier_today(
    shipment: Shipment, outcome: TrackingOutcome, before: tuple[datetime | None, datetime | None], now: datetime
) -> bool:
    """Whether the estimate and the delay are already what they would be: nothing new since a check earlier on the
    same local day (both only read the day, not the hour), so most polls cost no recomputation."""
    checked, carrier_estimate = before
    if checked is None or outcome.new_events or outcome.status_change or shipment.estimate_source is None:
        return False
    if carrier_estimate != shipment.estimated_delivery:
        return False
    calendar = estimates.destination_calendar(shipment.order)
    return calendar.local_date(checked) == calendar.local_date(now) and checked <= now


def _apply(
    shipment: Shipment | None,
    update: canonical.TrackingUpdate,
    known: set[str],
    *,
    source: str,
    now: datetime,
    scans: list[dict[str, Any]],
) -> TrackingOutcome:
    outcome = TrackingOutcome(shipment_id=shipment.id if shipment else 0)
    if shipment is None:
        outcome.ignored = "no such shipment"
        return outcome
    if (shipment.tracking_number or "").upper() != update.tracking_number.upper():
        # The merchant changed the number since this was asked: the answer is about another parcel.
        outcome.ignored = "tracking number changed since the request"
        return outcome
    shipment.tracking_checked_at = now
    if not update.found:
        outcome.notes.extend(update.messages)
        _reschedule(shipment, outcome, now=now, in_customs=False)
        return outcome

    ordered = sorted(update.events, key=lambda e: e.occurred_at)
    for event in ordered:
        key = event.dedupe_key()[:255]
        if key in known:
            continue
        known.add(key)
        scans.append({
            "shop_id": shipment.shop_id, "shipment_id": shipment.id, "dedupe_key": key,
            "occurred_at": event.occurred_at, "timezone": event.timezone, "status": str(event.status),
            "substatus": event.substatus, "description": event.description, "location": event.location,
            "source": source, "created_at": now,
        })  # fmt: skip
        outcome.new_events += 1
        if shipment.last_event_at is None or event.occurred_at > shipment.last_event_at:
            shipment.last_event_at = event.occurred_at

    if outcome.new_events or shipment.lane is None:
        estimates.update_lane(shipment, events=ordered, service=update.service)

    current = canonical.TrackingStatus(shipment.tracking_status)
    status = next_status(current, update.status)
    if update.estimated_delivery is not None and status not in FINAL:
        shipment.estimated_delivery = update.estimated_delivery
    if status == canonical.TrackingStatus.DELIVERED and shipment.delivered_at is None:
        shipment.delivered_at = update.delivered_at or shipment.last_event_at or now
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
    newest = max(update.events, key=lambda e: e.occurred_at, default=None)
    _reschedule(shipment, outcome, now=now, in_customs=bool(newest and newest.substatus == "customs"))
    return outcome


def _reschedule(shipment: Shipment, outcome: TrackingOutcome, *, now: datetime, in_customs: bool) -> None:
    """Set the next poll; retire a parcel nothing has been heard of for `EXPIRE_AFTER`."""
    status = canonical.TrackingStatus(shipment.tracking_status)
    last_seen = shipment.last_event_at or shipment.platform_created_at or shipment.created_at or now
    if status not in schedule.FINAL and schedule.is_expired(last_seen=last_seen, now=now):
        shipment.tracking_status = str(canonical.TrackingStatus.EXPIRED)
        outcome.status_change = (str(status), shipment.tracking_status)
        order_events.record(
            order=shipment.order, shipment=shipment, name="shipment.expired",
            message=f"Shipment {shipment.tracking_number}: no carrier news for {schedule.EXPIRE_AFTER.days} days",
            data={"from": str(status), "to": shipment.tracking_status},
        )  # fmt: skip
        status = canonical.TrackingStatus.EXPIRED
    shipment.next_check_at = schedule.next_check(
        shipment_id=shipment.id, status=status, now=now, in_customs=in_customs
    )


def track_now(*, shipment_id: int, now: datetime | None = None) -> TrackingOutcome:
    """Ask the shipment's source about it now and apply the answer (support command)."""
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None or not shipment.tracking_number or not shipment.carrier:
        db.session.rollback()
        return TrackingOutcome(shipment_id=shipment_id, ignored="no tracking number or carrier to follow")
    choice = tracking_sources.source_for(shipment)
    db.session.rollback()
    return apply_source_answers(source=choice.source, shipment_ids=[shipment_id], now=now,
                                account_id=choice.account_id)[0]  # fmt: skip


def apply_source_answers(
    *, source: str, shipment_ids: list[int], now: datetime | None = None, account_id: int | None = None
) -> list[TrackingOutcome]:
    """One call to `source` for these shipments, on the shop's account `account_id` (None: the app-wide
    credentials), then the answers applied in one transaction. A source that fails leaves them to be asked again
    later: soon for a passing fault, in hours when it is misconfigured. An account removed since the batch was
    handed out leaves its shipments due at once, to be given a source again."""
    now = now or utcnow()
    # Each request reads its order's address: the orders come in one query, not one per parcel.
    statement = (
        select(Shipment).where(Shipment.id.in_(shipment_ids)).options(selectinload(Shipment.order)).order_by(Shipment.id)
    )
    account = db.session.get(CarrierAccount, account_id) if account_id is not None else None
    if account_id is not None and (account is None or account.source != source):
        db.session.execute(update(Shipment).where(Shipment.id.in_(shipment_ids)).values(next_check_at=now))
        db.session.commit()
        return [TrackingOutcome(shipment_id=i, ignored="carrier account removed") for i in shipment_ids]
    if account is not None:  # a shop's credentials follow that shop's parcels only
        statement = statement.where(Shipment.shop_id == account.shop_id)
    shipments = [s for s in db.session.scalars(statement) if s.tracking_number and s.carrier]
    requests = [tracking_request(s) for s in shipments]
    ids = [s.id for s in shipments]
    try:
        tracker = tracking_sources.build(source, account)  # before the rollback: it reads the account
        db.session.rollback()  # no transaction open while the carrier answers
        updates = tracker.track(requests, now=now)
    except (IntegrationError, crypto.DecryptionError) as exc:  # an account written under another key: misconfigured
        db.session.rollback()
        retryable = isinstance(exc, RetryableError)
        log.warning("tracking source failed", extra={"source": source, "account_id": account_id,
                                                     "shipments": len(ids), "error": str(exc)})  # fmt: skip
        if account_id is not None and not retryable:
            carrier_accounts.record_answer(account_id=account_id, now=now, error=str(exc))
        retry = RETRY_SOON if retryable else RETRY_MISCONFIGURED
        db.session.execute(update(Shipment).where(Shipment.id.in_(ids)).values(next_check_at=now + retry))
        db.session.commit()
        return [TrackingOutcome(shipment_id=i, ignored=f"source failed: {exc}") for i in ids]
    if account_id is not None and ids:
        carrier_accounts.record_answer(account_id=account_id, now=now)
    return record_tracking_updates(answers=list(zip(ids, updates, strict=True)), source=source, now=now)


def tracking_request(shipment: Shipment) -> canonical.TrackingRequest:
    """What a source needs to know about a shipment to follow it (a poll asks with it; a push is read with it)."""
    address = shipment.order.shipping_address or {}
    return canonical.TrackingRequest(
        carrier=str(shipment.carrier), tracking_number=str(shipment.tracking_number),
        shipped_at=shipment.platform_created_at or shipment.created_at,
        destination_country=address.get("country_code"), destination_postal_code=address.get("postal_code"),
    )  # fmt: skip


def source_name(shipment: Shipment) -> str:
    """The source that follows the shipment, and whose account: "ups" (app-wide) or "ups (shop account)"."""
    choice = tracking_sources.source_for(shipment)
    return choice.source if choice.account_id is None else f"{choice.source} (shop account)"


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
