"""When to ask a carrier about a parcel again, and handing due parcels to tracking jobs within rate limits.

The policy: soon after the label is created, every few hours in transit, often while out for delivery, rarely
while held in customs, never after a final status; a parcel with no scan for `EXPIRE_AFTER` is retired as
`expired`. Each interval gets a deterministic ±15% jitter so parcels shipped together do not poll together.

`poll_due` runs on the clock: it claims due shipments (`FOR UPDATE SKIP LOCKED`, oldest first), leases them so the
next tick does not hand them out twice while their job runs, takes what each source's per-minute budget allows
and queues one `track_shipments` job per batch. What the budget refuses stays due for the next tick.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

import integrations.models as canonical
from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import Shipment
from app.models.types import utcnow
from app.ratelimit import WindowLimiter

log = logging.getLogger(__name__)
S = canonical.TrackingStatus

FIRST_CHECK = timedelta(minutes=15)  # carriers need a moment to register a new label
LEASE = timedelta(minutes=15)  # how long a handed-out shipment is not handed out again
EXPIRE_AFTER = timedelta(days=30)
BATCH = 50
INTERVALS: dict[canonical.TrackingStatus, timedelta] = {
    S.PENDING: timedelta(hours=2),
    S.INFO_RECEIVED: timedelta(hours=4),
    S.IN_TRANSIT: timedelta(hours=6),
    S.OUT_FOR_DELIVERY: timedelta(minutes=45),
    S.AVAILABLE_FOR_PICKUP: timedelta(hours=12),
    S.ATTEMPT_FAILED: timedelta(hours=3),
    S.EXCEPTION: timedelta(hours=4),
    S.RETURNING_TO_SENDER: timedelta(hours=12),
    S.UNKNOWN: timedelta(hours=12),
}
CUSTOMS_INTERVAL = timedelta(hours=12)
FINAL = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED, S.EXPIRED})
# Requests per minute each source may receive from us on one account (documented quotas, kept below them). A
# merchant's own account has its own budget of the same size. FedEx, DHL Express and Canada Post set quotas per
# account and contract: they get the default until a merchant's quota says otherwise.
# EasyPost publishes no fixed quota (it answers 429 past an account's own): a tracker create per parcel is kept modest.
RATE_LIMITS: dict[str, int] = {"simulated": 6000, "usps": 50, "ups": 200, "easypost": 120}
DEFAULT_RATE_LIMIT = 60


def next_check(
    *, shipment_id: int, status: canonical.TrackingStatus, now: datetime, in_customs: bool = False
) -> datetime | None:
    if status in FINAL:
        return None
    interval = INTERVALS.get(status, INTERVALS[S.UNKNOWN])
    if in_customs and status == S.IN_TRANSIT:
        interval = CUSTOMS_INTERVAL
    return now + interval * _jitter(shipment_id, now)


def first_check(*, shipment_id: int | None, now: datetime) -> datetime:
    return now + FIRST_CHECK * _jitter(shipment_id or 0, now)


def is_expired(*, last_seen: datetime, now: datetime) -> bool:
    return now - last_seen > EXPIRE_AFTER


def _jitter(shipment_id: int, now: datetime) -> float:
    digest = hashlib.sha256(f"{shipment_id}:{int(now.timestamp()) // 60}".encode()).digest()
    return 0.85 + (digest[0] / 255) * 0.30


class RateLimiter:
    """A fixed one-minute window per budget (a source on the app-wide credentials, or a source on one shop's
    account: `SourceChoice.budget`), counted by `app.ratelimit.WindowLimiter`: in Redis when jobs run on RQ (shared
    by every clock and worker), in this process otherwise. A budget's limit is its source's."""

    def __init__(self, redis: object | None = None) -> None:
        self._window = WindowLimiter(redis, prefix="afterglow:rate")

    def take(self, budget: str, wanted: int, now: datetime) -> int:
        limit = RATE_LIMITS.get(budget.partition(":")[0], DEFAULT_RATE_LIMIT)
        return self._window.take(budget, wanted=wanted, limit=limit, window_seconds=60, now=now.timestamp())


def rate_limiter() -> RateLimiter:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    limiter: RateLimiter | None = app.extensions.get("afterglow.rate_limiter")
    if limiter is None:
        backend = app.extensions["afterglow.jobs"]
        limiter = app.extensions["afterglow.rate_limiter"] = RateLimiter(getattr(backend, "connection", None))
    return limiter


def poll_due(now: datetime | None = None, limit: int = 2000) -> dict[str, int]:
    """Hand due shipments to tracking jobs, within each budget. Returns how many per budget: the source's name for
    the app-wide credentials, `<source>:account:<id>` for a shop's own account."""
    from app.services import tracking_sources

    now = now or utcnow()
    # Ids and what picks their source only: loading whole rows for thousands of due parcels costs more than the rest.
    statement = (
        select(Shipment.id, Shipment.shop_id, Shipment.carrier, Shipment.tracking_source)
        .where(Shipment.next_check_at <= now, Shipment.removed_at.is_(None))
        .order_by(Shipment.next_check_at)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    due = db.session.execute(statement).all()
    accounts = tracking_sources.accounts_by_shop(shop_id for _, shop_id, _, _ in due)
    configured, default = tracking_sources.environment_sources(), tracking_sources.default_source()
    batches: dict[tracking_sources.SourceChoice, list[int]] = defaultdict(list)
    choices: dict[tuple[int, str | None, str | None], tracking_sources.SourceChoice] = {}
    for shipment_id, shop_id, carrier, pinned in due:
        key = (shop_id, carrier, pinned)
        if key not in choices:
            shop_accounts = accounts.get(shop_id, {})
            choices[key] = tracking_sources.choose_source(carrier=carrier, pinned=pinned, accounts=shop_accounts,
                                                          configured=configured, default=default)  # fmt: skip
        batches[choices[key]].append(shipment_id)
    handed: dict[str, int] = {}
    limiter = rate_limiter()
    for choice, ids in batches.items():
        granted = limiter.take(choice.budget, len(ids), now)
        chosen = ids[:granted]
        for start in range(0, len(chosen), 1000):
            lease = update(Shipment).where(Shipment.id.in_(chosen[start : start + 1000]))
            db.session.execute(lease.values(next_check_at=now + LEASE))
        for start in range(0, len(chosen), BATCH):
            account = () if choice.account_id is None else (choice.account_id,)
            enqueue_after_commit("track_shipments", choice.source, chosen[start : start + BATCH], *account)
        handed[choice.budget] = granted
    db.session.commit()
    if handed:
        log.info("tracking polls handed out", extra={"budgets": handed})
    return handed


def track_shipments(source: str, shipment_ids: list[int], account_id: int | None = None) -> int:
    """The job: ask `source` (on the shop's account `account_id`, else the app-wide credentials) about these
    shipments in one call and apply each answer. Returns how many applied."""
    from app.services.tracking import apply_source_answers

    started = time.monotonic()
    outcomes = apply_source_answers(source=source, shipment_ids=shipment_ids, account_id=account_id)
    applied = sum(1 for outcome in outcomes if not outcome.ignored)
    seconds = round(time.monotonic() - started, 3)
    log.info("tracking batch done", extra={"source": source, "account_id": account_id, "shipments": len(shipment_ids),
                                           "applied": applied, "seconds": seconds})  # fmt: skip
    return applied
