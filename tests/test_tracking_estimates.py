"""Delivery estimates: business days, lanes and their back-off, windows, and calibration on held-back history."""

from __future__ import annotations

import dataclasses
import statistics
from datetime import UTC, date, datetime, timedelta

import pytest

from app.services import forecast, lanes
from app.services.business_days import calendar_for
from integrations.models import TrackingStatus as S
from tests.estimate_history import deliveries, width
from tests.estimate_history import statistics as lane_statistics

CALIFORNIA = calendar_for("US", "CA")


def test_business_days_skip_weekends_and_the_destinations_holidays():
    # 2026-07-03 is the observed Independence Day (the 4th is a Saturday); 2026-03-31 is César Chávez Day in CA.
    assert CALIFORNIA.add(date(2026, 7, 2), 1) == date(2026, 7, 6)
    assert CALIFORNIA.add(date(2026, 3, 30), 1) == date(2026, 4, 1)
    assert calendar_for("US", "NY").add(date(2026, 3, 30), 1) == date(2026, 3, 31)
    assert calendar_for("DE").add(date(2026, 12, 23), 2) == date(2026, 12, 28)  # Christmas and Boxing Day


def test_business_days_a_weekend_delivery_counts_as_the_next_business_day():
    friday, saturday = date(2026, 5, 29), date(2026, 5, 30)

    assert CALIFORNIA.transit_days(date(2026, 5, 28), saturday) == CALIFORNIA.transit_days(date(2026, 5, 28), date(
        2026, 6, 1))  # fmt: skip
    assert CALIFORNIA.transit_days(date(2026, 5, 28), friday) == 1


def test_business_days_follow_the_destinations_local_date():
    late_evening_in_la = datetime(2026, 3, 4, 6, 30, tzinfo=UTC)  # 22:30 on the 3rd in Los Angeles

    assert CALIFORNIA.local_date(late_evening_in_la) == date(2026, 3, 3)


def test_lanes_region_of_a_scan_place():
    assert lanes.region_of_location("Memphis, TN, US") == "US-TN"
    assert lanes.region_of_location("Leipzig, SN, DE") == "DE-SN"
    assert lanes.region_of_location("DE") == "DE"
    assert lanes.region_of_location("MEMPHIS TN DISTRIBUTION CENTER") is None


def test_lanes_thin_lane_backs_off_to_a_wider_one():
    lane = lanes.lane_for(carrier="ups", service="UPS  Ground", origin="US-TN", destination="US-CA")
    stats = {lane.key: {3: 5}, "ups|ups ground|*|US-CA": {2: 10, 3: 30, 4: 10}}

    key, histogram = lanes.choose(stats, lane)

    assert key == "ups|ups ground|*|US-CA" and histogram[3] == 30


def test_lanes_enough_history_keeps_the_specific_lane():
    lane = lanes.lane_for(carrier="ups", service="Ground", origin="US-TN", destination="US-CA")
    stats = {lane.key: {2: 20, 3: 20}, "*|*|*|*": {5: 1000}}

    assert lanes.choose(stats, lane)[0] == lane.key


def test_window_is_the_shortest_run_holding_the_target_share():
    histogram = {1: 2, 2: 40, 3: 45, 4: 10, 9: 3}

    window = lanes.window(histogram, coverage=0.9)

    assert (window.low, window.high, window.expected) == (2, 4, 3)
    assert window.confidence == pytest.approx(lanes.assured(95, 100))


def test_window_confidence_is_discounted_for_few_deliveries():
    assert lanes.assured(2, 2) < 0.75
    assert lanes.assured(950, 1000) == pytest.approx(0.943, abs=0.001)
    assert lanes.assured(95, 100) < lanes.assured(950, 1000) < 0.95


def test_window_after_elapsed_days_only_counts_slower_deliveries():
    histogram = {2: 40, 3: 40, 4: 15, 5: 5}

    window = lanes.window(histogram, elapsed=4, coverage=0.9)

    assert (window.low, window.high, window.samples) == (4, 5, 20)


def test_lanes_stall_threshold_follows_the_lanes_quiet_spells():
    assert lanes.stall_days({0: 50, 1: 40, 2: 10}) == 3
    assert lanes.stall_days({0: 60, 1: 40}) == lanes.MIN_STALL_DAYS
    assert lanes.stall_days({1: 10, 3: 80, 4: 10}) == 5  # customs holds: quiet for days is normal here


@pytest.fixture(scope="module")
def history():
    """4,000 simulated parcels; the first 80% by label date are the history, the rest are held back."""
    found = deliveries(4000)
    cut = int(len(found) * 0.8)
    return lane_statistics(found[:cut]), found[cut:]


def coverage(stats, held, moment, **extra):  # type: ignore[no-untyped-def]
    landed, widths = 0, []
    for delivery in held:
        now = moment(delivery)
        parcel = dataclasses.replace(delivery.parcel(now), **{k: f(delivery, now) for k, f in extra.items()})
        shown = forecast.estimate(parcel, stats, now=now)
        landed += delivery.landed(shown)
        widths.append(width(shown, delivery.calendar))
    return landed / len(held), statistics.median(widths)


def test_estimate_calibration_on_held_back_simulated_history(history):
    stats, held = history
    assert len(held) > 600

    at_label, label_width = coverage(stats, held, lambda d: d.labelled_at + timedelta(minutes=1))
    at_pickup, pickup_width = coverage(stats, held, lambda d: d.picked_up_at + timedelta(minutes=1))

    print(f"held back {len(held)}: inside the window at label {at_label:.1%} (median {label_width} business days), "
          f"at pickup {at_pickup:.1%} (median {pickup_width})")  # fmt: skip
    assert at_label >= 0.90 and at_pickup >= 0.90
    assert pickup_width <= 4 and label_width <= 5  # not trivially wide: a few business days


def test_estimate_calibration_holds_while_in_transit(history):
    stats, held = history
    landed = shown_count = 0
    for delivery in held:
        for scan in delivery.journey.events:
            if scan.occurred_at >= delivery.delivered_at:
                break
            now = scan.occurred_at + timedelta(minutes=1)
            shown = forecast.estimate(delivery.parcel(now), stats, now=now)
            if shown is not None:  # None: held at a pickup point, waiting for the shopper
                shown_count += 1
                landed += delivery.landed(shown)

    assert shown_count > 3000
    assert landed / shown_count >= 0.90


def test_estimate_with_the_carriers_date_keeps_it_and_stays_calibrated(history):
    stats, held = history

    share, median_width = coverage(stats, held, lambda d: d.picked_up_at + timedelta(minutes=1),
                                   carrier_estimate=lambda d, now: d.journey.estimate_at(now))  # fmt: skip

    assert share >= 0.90 and median_width <= 4
    delivery = held[0]
    now = delivery.picked_up_at + timedelta(minutes=1)
    carrier_day = delivery.calendar.local_date(delivery.journey.estimate_at(now))
    shown = forecast.estimate(dataclasses.replace(delivery.parcel(now), carrier_estimate=delivery.journey.estimate_at(
        now)), stats, now=now)  # fmt: skip
    assert (shown.source, shown.expected) == ("carrier", carrier_day)
    assert shown.window_start <= carrier_day <= shown.window_end


def test_estimate_of_a_parcel_slower_than_its_lane_never_shows_a_past_day():
    picked = datetime(2026, 3, 2, 23, tzinfo=UTC)
    parcel = forecast.Parcel(status=S.IN_TRANSIT, calendar=CALIFORNIA, labelled_at=picked, picked_up_at=picked,
                             lane=lanes.lane_for(carrier="ups", service=None, origin=None, destination="US-CA"))
    lane_key = parcel.lane.key
    now = datetime(2026, 3, 13, 20, tzinfo=UTC)  # Friday, nine business days on

    shown = forecast.estimate(parcel, {lane_key: {2: 40, 3: 40, 4: 15, 9: 1, 10: 1}}, now=now)

    assert date(2026, 3, 13) <= shown.window_start <= shown.expected <= shown.window_end
    assert shown.confidence < 0.7  # two deliveries this slow say little


def test_estimate_without_history_uses_the_default_and_says_so():
    parcel = forecast.Parcel(status=S.IN_TRANSIT, calendar=CALIFORNIA, labelled_at=datetime(2026, 3, 2, 15, tzinfo=UTC),
                             lane=lanes.lane_for(carrier="ups", service=None, origin=None, destination="US-CA"),
                             picked_up_at=datetime(2026, 3, 2, 23, tzinfo=UTC))  # fmt: skip

    shown = forecast.estimate(parcel, {}, now=datetime(2026, 3, 3, 12, tzinfo=UTC))

    assert shown.source == "default"
    assert date(2026, 3, 3) <= shown.window_start <= shown.expected <= shown.window_end


def test_estimate_out_for_delivery_is_today_in_the_destinations_calendar():
    out = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # 07:00 in Los Angeles
    parcel = forecast.Parcel(status=S.OUT_FOR_DELIVERY, calendar=CALIFORNIA, labelled_at=out - timedelta(days=3),
                             lane=lanes.lane_for(carrier="ups", service=None, origin=None, destination="US-CA"),
                             picked_up_at=out - timedelta(days=2), last_scan_at=out)  # fmt: skip

    shown = forecast.estimate(parcel, {}, now=out + timedelta(hours=1))

    assert (shown.expected, shown.window_start, shown.window_end) == (date(2026, 3, 4), date(2026, 3, 4),
                                                                      date(2026, 3, 5))  # fmt: skip


def test_estimate_settled_parcel_has_none():
    parcel = forecast.Parcel(status=S.DELIVERED, calendar=CALIFORNIA, labelled_at=datetime(2026, 3, 2, tzinfo=UTC),
                             lane=lanes.lane_for(carrier="ups", service=None, origin=None, destination="US-CA"))

    assert forecast.estimate(parcel, {}, now=datetime(2026, 3, 5, tzinfo=UTC)) is None


def test_business_days_longest_quiet_spell_between_scans():
    scans = [datetime(2026, 3, 2, 20, tzinfo=UTC), datetime(2026, 3, 3, 20, tzinfo=UTC),
             datetime(2026, 3, 9, 20, tzinfo=UTC)]  # fmt: skip

    assert CALIFORNIA.longest_quiet(scans) == 4  # Wed, Thu, Fri, Mon
    assert CALIFORNIA.longest_quiet(scans[:1]) == 0


@pytest.mark.parametrize("place", [("US", "CA"), ("DE", None), (None, None)])
def test_business_days_arithmetic_matches_a_day_by_day_walk(place):
    calendar = calendar_for(*place)

    def walk_add(day: date, count: int) -> date:
        while count > 0:
            day += timedelta(days=1)
            count -= calendar.is_business_day(day)
        return day

    def walk_between(start: date, end: date) -> int:
        return sum(calendar.is_business_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    for offset in range(0, 800, 3):  # every weekday, across two new years and their holidays
        day = date(2025, 11, 1) + timedelta(days=offset)
        for count in (0, 1, 2, 5, 9, 23):
            assert calendar.add(day, count) == walk_add(day, count), (day, count)
            later = day + timedelta(days=count * 2)
            assert calendar.between(day, later) == walk_between(day, later), (day, later)


def test_estimate_after_a_failed_attempt_is_the_next_business_day():
    attempt = datetime(2026, 3, 6, 22, 0, tzinfo=UTC)  # Friday 14:00 in Los Angeles
    parcel = forecast.Parcel(status=S.ATTEMPT_FAILED, calendar=CALIFORNIA, labelled_at=attempt - timedelta(days=4),
                             lane=lanes.lane_for(carrier="ups", service=None, origin=None, destination="US-CA"),
                             picked_up_at=attempt - timedelta(days=3), last_scan_at=attempt)  # fmt: skip

    that_evening = forecast.estimate(parcel, {}, now=attempt + timedelta(hours=2))
    on_tuesday = forecast.estimate(parcel, {}, now=attempt + timedelta(days=4))

    assert that_evening.expected == date(2026, 3, 9)  # Monday
    assert on_tuesday.expected == date(2026, 3, 10)
