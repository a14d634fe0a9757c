"""What we tell the shopper about when a parcel arrives, and whether it is delayed: pure rules over a parcel's facts.

The estimate is the carrier's date when it gives one that has not passed, checked against our own window from the
shop's history on the parcel's lane (`lanes`): the window shown always contains the carrier's date, and its
confidence is the share of the lane's deliveries that landed in it (discounted when few back it: `lanes.assured`),
so a carrier date our history disagrees with shows as a wide window with the confidence it deserves. Without a
carrier date the window is our own. Either way it is re-read each time from what has happened since: business days
already elapsed cut the history below them, and an out-for-delivery or failed-attempt scan pins the day. No Flask,
no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import integrations.models as canonical
from app.services import lanes
from app.services.business_days import Calendar

S = canonical.TrackingStatus
NOT_MOVING = frozenset({S.PENDING, S.INFO_RECEIVED})
# Statuses whose parcel has no delivery to estimate or to be late for: it arrived, it is waiting for the shopper
# at a pickup point, it is going back, or nobody follows it any more.
SETTLED = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED, S.EXPIRED, S.AVAILABLE_FOR_PICKUP,
                     S.RETURNING_TO_SENDER})  # fmt: skip
NOT_PICKED_UP_DAYS = 2  # whole business days after the label's day without a carrier scan
# Typical domestic and international transit times (business days -> weight) for a shop with no history yet:
# what carriers publish for ground and standard international services, deliberately wide.
DEFAULT_DOMESTIC: Mapping[int, int] = {1: 4, 2: 14, 3: 22, 4: 22, 5: 16, 6: 10, 7: 6, 8: 4, 9: 2}
DEFAULT_INTERNATIONAL: Mapping[int, int] = {3: 3, 4: 6, 5: 10, 6: 13, 7: 14, 8: 13, 9: 11, 10: 9, 11: 7, 12: 5,
                                            13: 4, 14: 3, 15: 2}  # fmt: skip

# Delay reasons, most pressing first: a parcel with several gets the first.
NOT_PICKED_UP = "not_picked_up"
STALLED = "stalled"
NOT_DELIVERED_TODAY = "out_for_delivery_not_delivered"
LATE = "late"
ESTIMATE_SLIPPED = "estimate_slipped"
REASONS = (NOT_PICKED_UP, STALLED, NOT_DELIVERED_TODAY, LATE, ESTIMATE_SLIPPED)


@dataclass(frozen=True)
class Estimate:
    expected: date
    window_start: date
    window_end: date
    confidence: float | None  # None: nothing measured it (a scan pinned the day)
    source: str  # "carrier", "history", "default" (no history yet) or "scan"
    basis: str | None = None  # the lane level the history came from

    def as_data(self) -> dict[str, object]:
        return {"expected": self.expected.isoformat(), "window": [self.window_start.isoformat(),
                self.window_end.isoformat()], "confidence": self.confidence, "source": self.source}  # fmt: skip


@dataclass(frozen=True)
class Parcel:
    """The facts an estimate and a delay are judged on."""

    status: canonical.TrackingStatus
    calendar: Calendar  # the destination's
    lane: lanes.Lane
    labelled_at: datetime
    picked_up_at: datetime | None = None
    last_scan_at: datetime | None = None
    carrier_estimate: datetime | None = None
    promised: date | None = None
    international: bool = False


def start_days(parcel: Parcel, now: datetime) -> tuple[date, date]:
    """Day 0 of the transit count, as the earliest and the latest it can be: the pickup's local date once picked
    up; before that, from the later of the label and today (picked up the same day) to the next business day."""
    calendar = parcel.calendar
    if parcel.picked_up_at is not None:
        picked = calendar.local_date(parcel.picked_up_at)
        return picked, picked
    soonest = max(calendar.local_date(parcel.labelled_at), calendar.local_date(now))
    return soonest, calendar.add(soonest, 1)


def _first_day(calendar: Calendar, start: date, count: int) -> date:
    """The first date a delivery counted `count` business days after `start` can happen on: weekends and holidays
    just before that business day count as it (some services deliver on them)."""
    day = calendar.add(start, max(count - 1, 0)) + timedelta(days=1)
    return day if count > 0 else start


def estimate(parcel: Parcel, stats: Mapping[str, lanes.Histogram], *, now: datetime) -> Estimate | None:
    """The estimate to show now; None for a settled parcel."""
    if parcel.status in SETTLED:
        return None
    calendar = parcel.calendar
    today = calendar.local_date(now)
    if parcel.status in (S.OUT_FOR_DELIVERY, S.ATTEMPT_FAILED) and parcel.last_scan_at is not None:
        scanned = calendar.local_date(parcel.last_scan_at)
        # Out for delivery today: today. A failed attempt, or a van that came back: the next business day.
        # A van that does not make it today comes back the next delivery day: the window keeps that day too.
        if parcel.status is S.OUT_FOR_DELIVERY and scanned >= today:
            day = today
        else:
            day = max(calendar.add(scanned, 1), calendar.on_or_after(today))
        return Estimate(day, day, calendar.add(day, 1), None, "scan")
    start, latest_start = start_days(parcel, now)
    elapsed = calendar.between(latest_start, today) if parcel.picked_up_at is None else calendar.between(start, today)
    chosen = lanes.choose(stats, parcel.lane, elapsed=elapsed)
    source = "history"
    if chosen is None:
        source, basis = "default", None
        histogram: lanes.Histogram = DEFAULT_INTERNATIONAL if parcel.international else DEFAULT_DOMESTIC
    else:
        basis, histogram = chosen
    window = lanes.window(histogram, elapsed=elapsed)
    if window is None:  # slower than anything seen: from the next business day, as wide as the lane usually is
        whole = lanes.window(histogram)
        width = (whole.high - whole.low) if whole else 2
        low = max(elapsed, 1)
        window = lanes.Window(low, low + width, low, 0.0, 0)
    first, last = _first_day(calendar, start, window.low), calendar.add(latest_start, window.high)
    expected = calendar.add(latest_start, window.expected)
    confidence: float | None = round(window.confidence, 3)
    if parcel.carrier_estimate is not None and calendar.local_date(parcel.carrier_estimate) >= today:
        carrier_day = calendar.local_date(parcel.carrier_estimate)
        expected, first, last = carrier_day, min(first, carrier_day), max(last, carrier_day)
        low, high = calendar.transit_days(latest_start, first), calendar.transit_days(start, last)
        confidence = round(lanes.share_within(histogram, low=low, high=high, elapsed=elapsed), 3)
        source = "carrier"
    first, last = max(first, today), max(last, today)
    # The median of the slower deliveries can fall before the earliest day still possible: never show a past day.
    return Estimate(min(max(expected, first), last), first, last, confidence, source, basis)


def delay_reason(
    parcel: Parcel, shown: Estimate | None, *, now: datetime, stall_after: int = lanes.DEFAULT_STALL_DAYS
) -> str | None:
    """Why the parcel is delayed now, or None. `shown` is the current estimate; `stall_after` the lane's
    business days without a scan that count as a stall."""
    if parcel.status in SETTLED:
        return None
    calendar = parcel.calendar
    today = calendar.local_date(now)
    if parcel.status in NOT_MOVING and parcel.picked_up_at is None:
        labelled = calendar.local_date(parcel.labelled_at)
        return NOT_PICKED_UP if calendar.between(labelled, today) > NOT_PICKED_UP_DAYS else None
    last_scan = parcel.last_scan_at or parcel.picked_up_at
    if (parcel.status is not S.OUT_FOR_DELIVERY and last_scan is not None
            and calendar.between(calendar.local_date(last_scan), today) >= stall_after):  # fmt: skip
        return STALLED
    if parcel.status is S.OUT_FOR_DELIVERY and last_scan is not None and calendar.local_date(last_scan) < today:
        return NOT_DELIVERED_TODAY
    if parcel.promised is not None and today > parcel.promised:
        return LATE
    if parcel.promised is not None and shown is not None and shown.expected > parcel.promised:
        return ESTIMATE_SLIPPED
    return None


__all__ = [
    "ESTIMATE_SLIPPED",
    "LATE",
    "NOT_DELIVERED_TODAY",
    "NOT_PICKED_UP",
    "REASONS",
    "SETTLED",
    "STALLED",
    "Estimate",
    "Parcel",
    "delay_reason",
    "estimate",
    "start_days",
]
