"""Delay detection on shipments: when a tracking update is applied, and on the clock for parcels that say nothing.

A delay is a flag with a reason (`forecast.REASONS`), not a status. It is judged on the destination's calendar by
`forecast.delay_reason`. A delay episode starts when a parcel that was not delayed becomes delayed: that writes
one `shipment.delayed` order event with the reason and the current estimate, whatever the number of polls that
see it afterwards. The reason shown follows the parcel (a stall that turns late reads "late") without a second
event; the episode ends when nothing is wrong any more (a scan after a stall, the delivery), and the next delay is
a new episode with its own event.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

import integrations.models as canonical
from app.extensions import db
from app.models import Shipment
from app.models.types import utcnow
from app.services import estimates, forecast, order_events
from app.services.estimates import LaneTable

log = logging.getLogger(__name__)
BATCH = 500
S = canonical.TrackingStatus
DESCRIBE = {
    forecast.NOT_PICKED_UP: "the carrier has not picked it up",
    forecast.STALLED: "no carrier scan for {days} business days",
    forecast.NOT_DELIVERED_TODAY: "out for delivery but not delivered that day",
    forecast.LATE: "not delivered by the promised {promised}",
    forecast.ESTIMATE_SLIPPED: "now expected {expected}, after the promised {promised}",
}


def judge(
    shipment: Shipment, table: LaneTable, *, now: datetime, parcel: forecast.Parcel | None = None,
    shown: forecast.Estimate | None = None,
) -> str | None:
    """Set or clear the shipment's delay; record `shipment.delayed` when an episode starts. Returns the reason.
    `parcel` and `shown` come from `estimates.apply_estimate` when it just ran; else they are read back."""
    if not shipment.tracking_number:
        return None
    parcel = parcel or estimates.parcel_of(shipment)
    if shown is None and shipment.expected_delivery_on is not None and shipment.estimate_source:
        shown = forecast.Estimate(shipment.expected_delivery_on, shipment.delivery_window_start or
                                  shipment.expected_delivery_on, shipment.delivery_window_end or
                                  shipment.expected_delivery_on, shipment.estimate_confidence,
                                  shipment.estimate_source)  # fmt: skip
    stall = estimates.stall_after(parcel, table)
    reason = forecast.delay_reason(parcel, shown, now=now, stall_after=stall)
    if reason is None:
        if shipment.delay_reason is not None:
            shipment.delay_reason = shipment.delayed_since = None
        return None
    started = shipment.delay_reason is None
    if shipment.delay_reason != reason:
        shipment.delay_reason = reason
    if started:
        shipment.delayed_since = now
        why = DESCRIBE[reason].format(days=stall, promised=shipment.promised_delivery_on,
                                      expected=shown.expected if shown else None)  # fmt: skip
        order_events.record(
            order=shipment.order, shipment=shipment, name="shipment.delayed",
            message=f"Shipment {shipment.tracking_number} delayed: {why}",
            data={"reason": reason, "status": shipment.tracking_status,
                  "promised": shipment.promised_delivery_on.isoformat() if shipment.promised_delivery_on else None,
                  "estimate": shown.as_data() if shown else None},
        )  # fmt: skip
    return reason


def detect_delays(now: datetime | None = None, batch_size: int = BATCH) -> int:
    """The clock job: judge followed parcels that time alone may have delayed (no scan for a day, a label not
    picked up, out for delivery since an earlier day, a promise whose day has passed). Parcels already delayed are
    left to their next tracking update. One transaction per batch; returns how many delays started."""
    now = now or utcnow()
    quiet = now - timedelta(days=1)  # a stall needs two business days, a missed pickup two after the label
    # The latest local date on Earth now: a promise before it may have passed somewhere.
    latest_today = (now + timedelta(hours=14)).date()
    candidates = and_(
        Shipment.removed_at.is_(None), Shipment.tracking_number.is_not(None), Shipment.delay_reason.is_(None),
        Shipment.tracking_status.not_in([str(s) for s in forecast.SETTLED]),
        or_(Shipment.last_event_at < quiet, Shipment.tracking_status == str(S.OUT_FOR_DELIVERY),
            Shipment.promised_delivery_on < latest_today,
            and_(Shipment.last_event_at.is_(None), Shipment.created_at < quiet)),
    )  # fmt: skip
    started, after = 0, 0
    while True:
        # No orders loaded: a parcel's lane names its destination; only a parcel that starts a delay (its event
        # names the order) or has no lane yet reads its order.
        statement = select(Shipment).where(candidates, Shipment.id > after).order_by(Shipment.id).limit(batch_size)
        if db.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(of=Shipment, skip_locked=True)
        shipments = db.session.scalars(statement).all()
        if not shipments:
            db.session.rollback()
            break
        tables = estimates.cache.get({s.shop_id for s in shipments})
        with db.session.no_autoflush:
            for shipment in shipments:
                if judge(shipment, tables[shipment.shop_id], now=now) is not None:
                    started += 1
        after = shipments[-1].id
        db.session.commit()
    if started:
        log.info("delays detected", extra={"started": started})
    return started
