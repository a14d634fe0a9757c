"""Estimates and delays on stored shipments: lane statistics from delivered history, the estimate kept on each
update, and delays found by updates and by the clock, each episode announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import LaneStats, Order, OrderEvent, Shipment
from app.services import delays, estimates
from app.services.tracking import record_tracking_update
from integrations import get_carrier_source
from integrations.models import TrackingEvent as Scan
from integrations.models import TrackingRequest, TrackingUpdate
from integrations.models import TrackingStatus as S
from tests.conftest import SHOP
from tests.estimate_history import deliveries
from tests.helpers import post_shopify, shopify_fixture

NUMBER = "1Z999AA10123456784"  # the fixture's parcel, to Portland, Oregon (America/Los_Angeles)


@pytest.fixture
def shipment_id(client) -> int:
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    post_shopify(client, "fulfillments/create", shopify_fixture("fulfillments_update.json"))
    return int(db.session.scalars(select(Shipment.id)).one())


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def scan(at: datetime, status: S = S.IN_TRANSIT, where: str = "Memphis, TN, US") -> Scan:
    return Scan(occurred_at=at, status=status, description=str(status), location=where, source_id=f"{at}{status}")


def report(shipment_id: int, *scans: Scan, now: datetime, **extra: object) -> SimpleNamespace:
    status = scans[-1].status if scans else S.IN_TRANSIT
    record_tracking_update(shipment_id=shipment_id, source="ups", now=now, update=TrackingUpdate(
        carrier="ups", tracking_number=NUMBER, status=status, events=scans, **extra))  # type: ignore[arg-type]
    return stored(shipment_id)


def stored(shipment_id: int) -> SimpleNamespace:
    """The shipment's columns as they are now (the ORM object itself would show later updates too)."""
    db.session.expire_all()
    shipment = db.session.get(Shipment, shipment_id)
    return SimpleNamespace(**{column.key: getattr(shipment, column.key) for column in Shipment.__table__.columns})


def delayed_events() -> list[dict[str, object]]:
    return [e.data for e in db.session.scalars(select(OrderEvent).where(OrderEvent.name == "shipment.delayed"))]


def test_estimate_is_stored_on_each_update_and_the_first_becomes_the_promise(shipment_id):
    first = report(shipment_id, scan(utc(2, 23)), now=utc(3, 1))
    promise = first.promised_delivery_on

    later = report(shipment_id, scan(utc(2, 23)), scan(utc(4, 9)), now=utc(4, 10))

    assert (first.estimate_source, first.lane) == ("default", "ups|?|US-TN|US-OR")
    assert first.delivery_window_start <= first.expected_delivery_on <= first.delivery_window_end == promise
    assert later.promised_delivery_on == promise and later.picked_up_at == utc(2, 23)


def test_delays_stalled_parcel_is_found_by_the_clock_once_and_cleared_by_a_scan(shipment_id):
    report(shipment_id, scan(utc(2, 23)), scan(utc(3, 10)), now=utc(3, 12))

    quiet_two_days = delays.detect_delays(now=utc(5, 20))  # Thu, Fri in Portland: 2 business days without a scan
    quiet_three_days = delays.detect_delays(now=utc(6, 20))
    again = delays.detect_delays(now=utc(9, 20))
    polled = report(shipment_id, now=utc(9, 21))

    assert (quiet_two_days, quiet_three_days, again) == (0, 1, 0)
    assert (polled.delay_reason, polled.delayed_since) == ("stalled", utc(6, 20))
    assert [e["reason"] for e in delayed_events()] == ["stalled"]
    moving = report(shipment_id, scan(utc(9, 22)), now=utc(9, 23))
    assert moving.delay_reason != "stalled" and len(delayed_events()) == 1


def test_delays_out_for_delivery_counts_by_the_destinations_local_day(shipment_id):
    report(shipment_id, scan(utc(2, 23)), scan(utc(4, 15), S.OUT_FOR_DELIVERY, "Portland, OR, US"), now=utc(4, 16))

    before_midnight = delays.detect_delays(now=utc(5, 7, 30))  # 23:30 on the 4th in Portland
    after_midnight = delays.detect_delays(now=utc(5, 8, 30))  # 00:30 on the 5th

    assert (before_midnight, after_midnight) == (0, 1)
    assert stored(shipment_id).delay_reason == "out_for_delivery_not_delivered"


def test_delays_delivered_parcel_is_never_delayed(shipment_id):
    report(shipment_id, scan(utc(2, 23)), scan(utc(3, 10)), now=utc(3, 12))
    delays.detect_delays(now=utc(9, 20))

    delivered = report(shipment_id, scan(utc(9, 21), S.DELIVERED, "Portland, OR, US"), now=utc(9, 22))
    much_later = delays.detect_delays(now=utc(30, 20))

    assert (delivered.delay_reason, delivered.delayed_since, much_later) == (None, None, 0)
    assert len(delayed_events()) == 1


def test_delays_label_never_picked_up(shipment_id):
    report(shipment_id, scan(utc(2, 22), S.INFO_RECEIVED), now=utc(2, 23))

    assert delays.detect_delays(now=utc(4, 20)) == 0  # the 3rd and the 4th: picked up by now would be normal
    assert delays.detect_delays(now=utc(5, 20)) == 1
    assert delayed_events()[0]["reason"] == "not_picked_up"


def test_delays_late_against_the_promised_date(shipment_id):
    shipment = report(shipment_id, scan(utc(2, 23)), now=utc(3, 1))
    promised = shipment.promised_delivery_on
    day_after = datetime(promised.year, promised.month, promised.day, 20, tzinfo=UTC) + timedelta(days=1)

    on_time = report(shipment_id, scan(day_after - timedelta(days=1)), now=day_after - timedelta(days=1, hours=-1))
    late = report(shipment_id, scan(day_after), now=day_after + timedelta(hours=1))

    assert (on_time.delay_reason, late.delay_reason) == (None, "late")
    assert delayed_events()[0]["promised"] == promised.isoformat()


def test_delays_estimate_slipped_past_the_promise_carries_the_new_estimate(shipment_id):
    shipment = report(shipment_id, scan(utc(2, 23)), now=utc(3, 1), estimated_delivery=utc(5, 3))
    promised = shipment.promised_delivery_on
    moved = datetime(promised.year, promised.month, promised.day, 20, tzinfo=UTC) + timedelta(days=3)

    slipped = report(shipment_id, scan(utc(3, 9)), now=utc(3, 10), estimated_delivery=moved)

    assert (shipment.estimate_source, shipment.expected_delivery_on.isoformat()) == ("carrier", "2026-03-04")
    assert slipped.delay_reason == "estimate_slipped"
    (event,) = delayed_events()
    assert event["estimate"]["expected"] == moved.date().isoformat() and event["estimate"]["source"] == "carrier"


def test_shipments_show_prints_the_estimate_and_the_delay(shipment_id, runner):
    report(shipment_id, scan(utc(2, 23)), scan(utc(4, 15), S.OUT_FOR_DELIVERY, "Portland, OR, US"), now=utc(4, 16))
    delays.detect_delays(now=utc(5, 9))

    result = runner.invoke(args=["shipments", "show", "--shop", SHOP, NUMBER])

    assert result.exit_code == 0, result.output
    assert "estimate: expected Wed 2026-03-04, window Wed 2026-03-04 – Thu 2026-03-05" in result.output
    assert "source scan" in result.output
    assert "DELAYED: out_for_delivery_not_delivered since 2026-03-05 09:00 UTC" in result.output


def test_estimates_lane_stats_come_from_history_delivered_through_the_tracking_path(shipment_id):
    order = db.session.scalars(select(Order)).one()
    history = [d for d in deliveries(80, prefix="HIST") if d.lane.destination.startswith("US-")]  # this order's
    source = get_carrier_source("simulated")
    ids = []
    for index, delivery in enumerate(history):
        parcel = Shipment(shop_id=order.shop_id, order=order, fulfillment_external_id=f"h{index}", position=0,
                          tracking_number=delivery.number, carrier="ups", state="success", tracking_source="simulated",
                          platform_created_at=delivery.labelled_at)  # fmt: skip
        db.session.add(parcel)
        db.session.flush()
        ids.append(parcel.id)
    db.session.commit()
    for shipment, delivery in zip(ids, history, strict=True):
        request = TrackingRequest(carrier="ups", tracking_number=delivery.number, shipped_at=delivery.labelled_at,
                                  destination_country="US")  # fmt: skip
        update = source.track([request], now=delivery.delivered_at + timedelta(hours=1))[0]
        record_tracking_update(shipment_id=shipment, update=update, source="simulated",
                               now=delivery.delivered_at + timedelta(hours=1))  # fmt: skip

    assert estimates.refresh_lane_stats(now=max(d.delivered_at for d in history) + timedelta(days=1)) == 1

    rows = {row.lane: row for row in db.session.scalars(select(LaneStats))}
    expected: dict[str, int] = {}
    for delivery in history:  # the same parcels, counted in Portland's calendar from their planned journeys
        portland = estimates.calendar_for("US", "OR")
        start = portland.local_date(delivery.picked_up_at)
        days = str(portland.transit_days(start, portland.local_date(delivery.delivered_at)))
        expected[days] = expected.get(days, 0) + 1
    assert rows["*|*|*|*"].transit_days == expected and rows["*|*|*|*"].samples == len(history)
    assert rows["ups|*|*|US"].samples == len(history)
    fresh = report(shipment_id, scan(utc(2, 23)), now=utc(3, 1))
    assert fresh.estimate_source == "history"
    estimates.refresh_lane_stats(now=max(d.delivered_at for d in history) + estimates.HISTORY + timedelta(days=1))
    assert db.session.scalars(select(LaneStats)).all() == []  # aged out: gone, not frozen


def test_delays_a_poll_with_no_news_is_judged_again_on_the_next_local_day(shipment_id):
    out = scan(utc(4, 15), S.OUT_FOR_DELIVERY, "Portland, OR, US")
    report(shipment_id, scan(utc(2, 23)), out, now=utc(4, 16))

    same_day = report(shipment_id, scan(utc(2, 23)), out, now=utc(5, 7, 30))  # 23:30 in Portland
    next_day = report(shipment_id, scan(utc(2, 23)), out, now=utc(5, 8, 30))  # 00:30 the next day

    assert (same_day.delay_reason, next_day.delay_reason) == (None, "out_for_delivery_not_delivered")
    assert next_day.expected_delivery_on.isoformat() == "2026-03-05"


def test_delays_and_lane_statistics_are_on_the_clock():
    from app.jobs.registry import resolve
    from app.jobs.schedule import SCHEDULE

    jobs = {periodic.name: periodic for periodic in SCHEDULE}

    assert resolve(jobs["detect-delays"].job) is delays.detect_delays
    assert resolve(jobs["refresh-lane-stats"].job) is estimates.refresh_lane_stats
    assert jobs["detect-delays"].interval_seconds <= 15 * 60
