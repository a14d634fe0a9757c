"""The simulated carrier: deterministic, realistic journeys revealed over time, forced scenarios for tests and demos."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest

from integrations import get_carrier_source as get_carrier_source_entry_point
from integrations.carriers.simulated import SHARES, Journey, Scenario, Service, journey, scenario_for, source
from integrations.carriers.simulated.journeys import _build
from integrations.carriers.simulated.places import hubs_in
from integrations.carriers.sources import get_carrier_source
from integrations.models import TrackingEvent, TrackingRequest, TrackingStatus, TrackingUpdate

S = TrackingStatus
SHIPPED = datetime(2026, 3, 4, 15, 12, tzinfo=UTC)  # a Wednesday, the week US clocks change
LONG_AFTER = SHIPPED + timedelta(days=60)
DESTINATIONS = ("US", "US", "US", "CA", "DE", "GB", "NL", "JP")
HUB_SCANS = ("Origin scan", "Arrived at facility", "Departed from facility")
ZONES = available_timezones()
PROJECT = Path(__file__).resolve().parents[2]


def sample() -> list[Journey]:
    """Seeded numbers to many destinations, shipped at times spread over months (weekends and DST changes too)."""
    start = datetime(2026, 1, 2, 6, 0, tzinfo=UTC)
    return [
        journey(f"1Z{i:016d}", start + timedelta(hours=7 * i, minutes=13 * i), DESTINATIONS[i % len(DESTINATIONS)])
        for i in range(600)
    ]


def local(event: TrackingEvent) -> datetime:
    assert event.timezone is not None
    return event.occurred_at.astimezone(ZoneInfo(event.timezone))


def track(number: str, *, now: datetime, shipped_at: datetime | None = SHIPPED, country: str = "US") -> TrackingUpdate:
    request = TrackingRequest("ups", number, shipped_at=shipped_at, destination_country=country)
    return source.track([request], now=now)[0]


def statuses(events: tuple[TrackingEvent, ...]) -> list[TrackingStatus]:
    return [event.status for event in events]


# --- contract ------------------------------------------------------------------------------------------------------


def test_get_carrier_source_simulated_returns_the_source() -> None:
    assert get_carrier_source("simulated") is source
    assert get_carrier_source_entry_point("simulated") is source
    assert source.name == "simulated"


def test_track_many_requests_one_update_each_in_order() -> None:
    requests = [
        TrackingRequest("ups", "SIMOK0001", shipped_at=SHIPPED),
        TrackingRequest("usps", ""),
        TrackingRequest("fedex", "SIMLOST0001", shipped_at=SHIPPED, destination_country="DE"),
    ]

    updates = source.track(requests, now=LONG_AFTER)

    assert [(u.carrier, u.tracking_number) for u in updates] == [(r.carrier, r.tracking_number) for r in requests]
    assert [u.status for u in updates] == [S.DELIVERED, S.UNKNOWN, S.INFO_RECEIVED]


def test_track_same_inputs_identical_update() -> None:
    now = SHIPPED + timedelta(days=3)

    first = [track(f"1Z{i:016d}", now=now) for i in range(50)]
    _build.cache_clear()  # rebuild from scratch rather than compare cached objects
    second = [track(f"1Z{i:016d}", now=now) for i in range(50)]

    assert first == second


def test_journey_same_inputs_identical_across_interpreters_with_different_hash_seeds() -> None:
    code = (
        "import json, datetime as d; from integrations.carriers.simulated import journey; "
        "j = journey('1Z999AA10123456784', d.datetime(2026, 3, 4, 15, 12, tzinfo=d.UTC), 'DE'); "
        "print(json.dumps([[e.occurred_at.isoformat(), e.status, e.description, e.location] for e in j.events]))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=PROJECT,
        )
        for seed in ("1", "2")
    ]
    outputs = [run.stdout for run in runs]

    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])) >= 6


def test_track_later_now_reveals_more_of_the_same_journey() -> None:
    for number in ("1Z999AA10123456784", "SIMFAIL42", "SIMRTS7", "SIMWEATHER3", "9400111899223197428490"):
        previous: tuple[TrackingEvent, ...] = ()
        for hours in range(0, 24 * 40, 5):
            events = track(number, now=SHIPPED + timedelta(hours=hours), country="GB").events

            assert events[: len(previous)] == previous
            assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
            previous = events
        assert previous == journey(number, SHIPPED, "GB").events


def test_track_number_case_and_spaces_same_journey() -> None:
    assert track("simok 1234 5678", now=LONG_AFTER).events == track("SIMOK12345678", now=LONG_AFTER).events


def test_track_unknown_format_not_found_as_data() -> None:
    for number in ("", "   ", "1Z9", "12-34-56?", "SIMNOTFOUND0001", "X" * 41):
        update = track(number, now=LONG_AFTER)

        assert update.found is False
        assert update.status is S.UNKNOWN
        assert update.messages == ("No record of that tracking number",)
        assert update.events == ()
        assert (update.carrier, update.tracking_number) == ("ups", number)


def test_track_without_shipped_at_pending_with_a_reason() -> None:
    update = track("SIMOK0001", now=LONG_AFTER, shipped_at=None)

    assert update.found is True
    assert update.status is S.PENDING
    assert update.events == ()
    assert update.estimated_delivery is None
    assert update.messages


def test_track_before_shipping_pending_then_label_without_estimate() -> None:
    before = track("SIMOK0001", now=SHIPPED - timedelta(minutes=1))
    label_only = track("SIMOK0001", now=SHIPPED)

    assert (before.status, before.events) == (S.PENDING, ())
    assert statuses(label_only.events) == [S.INFO_RECEIVED]
    assert label_only.estimated_delivery is None


# --- realism -------------------------------------------------------------------------------------------------------


def test_journey_events_aware_utc_increasing_with_real_zones_and_stable_ids() -> None:
    for planned in sample():
        times = [event.occurred_at for event in planned.events]

        assert all(t.tzinfo is UTC for t in times)
        assert all(later > earlier for earlier, later in pairwise(times))
        assert all(event.timezone in ZONES and event.location for event in planned.events)
        assert [e.source_id for e in planned.events] == [
            f"{planned.tracking_number}-{i}" for i in range(len(planned.events))
        ]
        assert all(event.description.strip() for event in planned.events)


def test_journey_out_for_delivery_morning_and_delivered_afternoon_in_destination_zone() -> None:
    for planned in sample():
        for event in planned.events:
            if event.status in (S.OUT_FOR_DELIVERY, S.DELIVERED):
                assert event.timezone == planned.route.destination.zone
            if event.status is S.OUT_FOR_DELIVERY:
                assert time(7, 0) <= local(event).time() <= time(9, 30), event
            if event.status in (S.DELIVERED, S.ATTEMPT_FAILED, S.AVAILABLE_FOR_PICKUP, S.RETURNED):
                assert time(10, 0) <= local(event).time() <= time(19, 0), event


def test_journey_ground_no_carrier_scan_on_sunday() -> None:
    # The label is the merchant's doing and may be printed on a Sunday; nothing the carrier does happens on one.
    ground = [planned for planned in sample() if planned.service is Service.GROUND]

    assert len(ground) > 100
    for planned in ground:
        for event in planned.events[1:]:
            assert local(event).weekday() != 6, (planned.tracking_number, event)


def test_journey_pickup_on_weekday_afternoon_after_label() -> None:
    for planned in sample():
        if planned.scenario is Scenario.NOT_PICKED_UP:
            continue
        label, pickup = planned.events[:2]

        assert (label.status, pickup.status) == (S.INFO_RECEIVED, S.IN_TRANSIT)
        assert local(pickup).weekday() < 5
        assert time(15, 0) <= local(pickup).time() <= time(18, 30)
        assert pickup.occurred_at - label.occurred_at < timedelta(days=4)


def test_journey_two_to_five_hub_scans_before_delivery() -> None:
    for planned in sample():
        if planned.scenario is Scenario.NORMAL:
            hub_scans = [e for e in planned.events if e.description in HUB_SCANS]

            assert 2 <= len(hub_scans) <= 5


def test_journey_delivery_day_counts_by_service() -> None:
    expected = {Service.GROUND: (2, 5), Service.EXPRESS: (1, 2), Service.INTERNATIONAL: (4, 10)}
    seen: Counter[Service] = Counter()
    for planned in sample():
        if planned.scenario is not Scenario.NORMAL:
            continue
        pickup, delivered = planned.events[1], planned.events[-1]
        days = delivery_days(
            local(pickup).date(), local(delivered).date(), saturdays=planned.service is Service.EXPRESS
        )
        low, high = expected[planned.service]

        assert low <= days <= high, (planned.tracking_number, planned.service, days)
        seen[planned.service] += 1
    assert min(seen.values()) > 30


def delivery_days(start: date, end: date, *, saturdays: bool) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += day.weekday() < (6 if saturdays else 5)
    return count


def test_journey_international_clears_customs_in_the_destination_country() -> None:
    for planned in sample():
        customs = [e for e in planned.events if e.substatus == "customs"]
        if planned.route.international:
            gateway = hubs_in(planned.route.destination.country)[0]
            assert planned.service is Service.INTERNATIONAL
            if planned.scenario is Scenario.NORMAL:
                assert [(e.status, e.location) for e in customs] == [(S.IN_TRANSIT, gateway.label)]
                assert customs[0].occurred_at < planned.events[-2].occurred_at  # before out for delivery
        else:
            assert customs == []
            assert planned.service in (Service.GROUND, Service.EXPRESS)


def test_journey_unknown_country_shown_by_code_on_utc() -> None:
    planned = journey("SIMOK0001", SHIPPED, "JP")

    assert planned.events[-1].location == "JP"
    assert planned.events[-1].timezone == "UTC"
    assert planned.events[-1].status is S.DELIVERED


def test_scenario_for_2000_seeded_numbers_shares_near_the_documented_mix() -> None:
    counts = Counter(scenario_for(f"1Z{i:016d}") for i in range(2000))
    shares = {scenario: counts[scenario] / 2000 for scenario, _ in SHARES}

    assert 0.70 <= shares[Scenario.NORMAL] <= 0.86, shares
    for scenario, expected in SHARES[1:]:
        assert expected / 2 <= shares[scenario] <= expected * 1.6 + 0.005, (scenario, shares)


# --- forced scenarios ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["US", "DE"])
def test_track_simok_delivered_with_estimate_cleared(country: str) -> None:
    update = track("SIMOK0001", now=LONG_AFTER, country=country)
    planned = journey("SIMOK0001", SHIPPED, country)
    picked_up = planned.events[1].occurred_at

    assert statuses(update.events)[-3:] == [S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED]
    assert update.status is S.DELIVERED
    assert update.delivered_at == update.events[-1].occurred_at
    assert update.estimated_delivery is None
    assert update.service in ({"Ground", "Express"} if country == "US" else {"International"})
    # While on its way the estimate is the end of the delivery window (19:00 local) on the delivery day.
    estimate = track("SIMOK0001", now=picked_up, country=country).estimated_delivery
    assert estimate == planned.planned_delivery
    assert estimate is not None
    local_estimate = estimate.astimezone(ZoneInfo(planned.route.destination.zone))
    assert (local_estimate.date(), local_estimate.time()) == (local(update.events[-1]).date(), time(19, 0))


def test_track_simfail_attempt_then_delivered_next_delivery_day() -> None:
    update = track("SIMFAIL0001", now=LONG_AFTER)

    assert statuses(update.events)[-4:] == [S.OUT_FOR_DELIVERY, S.ATTEMPT_FAILED, S.OUT_FOR_DELIVERY, S.DELIVERED]
    attempt, delivered = update.events[-3], update.events[-1]
    assert attempt.description == "Delivery attempted – no access to delivery location"
    assert 1 <= (local(delivered).date() - local(attempt).date()).days <= 3
    after_attempt = track("SIMFAIL0001", now=attempt.occurred_at)
    assert after_attempt.status is S.ATTEMPT_FAILED
    assert after_attempt.estimated_delivery is not None and after_attempt.estimated_delivery > delivered.occurred_at


def test_track_simweather_exception_then_delivered_later_than_first_estimate() -> None:
    planned = journey("SIMWEATHER0001", SHIPPED, "US")
    weather = next(e for e in planned.events if e.status is S.EXCEPTION)

    assert weather.substatus == "weather" and weather.description.startswith("Weather delay")
    assert planned.events[-1].status is S.DELIVERED
    assert planned.planned_delivery is not None and planned.events[-1].occurred_at > planned.planned_delivery
    held = track("SIMWEATHER0001", now=weather.occurred_at)
    assert held.status is S.EXCEPTION
    assert held.estimated_delivery is not None and held.estimated_delivery > planned.planned_delivery


@pytest.mark.parametrize("country", ["US", "DE"])
def test_track_simexc_damaged_exception_is_final(country: str) -> None:
    update = track("SIMEXC0001", now=LONG_AFTER, country=country)

    assert update.status is S.EXCEPTION
    assert update.events[-1].description == "Damaged, contacting sender"
    assert update.events[-2].description in HUB_SCANS
    assert update.estimated_delivery is None
    assert update.delivered_at is None


def test_track_simpickup_held_then_collected_days_later() -> None:
    update = track("SIMPICKUP0001", now=LONG_AFTER)
    held, collected = update.events[-2], update.events[-1]

    assert (held.status, collected.status) == (S.AVAILABLE_FOR_PICKUP, S.DELIVERED)
    assert collected.description == "Picked up by customer"
    assert local(collected).date() > local(held).date()
    assert local(collected).weekday() != 6
    assert track("SIMPICKUP0001", now=held.occurred_at).estimated_delivery is None
    assert update.delivered_at == collected.occurred_at


@pytest.mark.parametrize("country", ["US", "DE"])
def test_track_simrts_returning_then_returned_at_origin(country: str) -> None:
    planned = journey("SIMRTS0001", SHIPPED, country)
    update = track("SIMRTS0001", now=LONG_AFTER, country=country)
    tail = statuses(update.events)[-4:]

    assert tail == [S.RETURNING_TO_SENDER, S.RETURNING_TO_SENDER, S.RETURNING_TO_SENDER, S.RETURNED]
    assert update.status is S.RETURNED
    assert update.events[-1].location == planned.route.origin.label
    assert update.estimated_delivery is None and update.delivered_at is None


@pytest.mark.parametrize("country", ["US", "CA"])
def test_track_simdelay_stops_after_hub_scan_in_transit_with_passed_estimate(country: str) -> None:
    update = track("SIMDELAY0001", now=SHIPPED + timedelta(days=30), country=country)

    assert update.status is S.IN_TRANSIT
    assert update.events[-1].description in HUB_SCANS
    assert update.estimated_delivery == journey("SIMDELAY0001", SHIPPED, country).planned_delivery
    assert update.estimated_delivery is not None and update.estimated_delivery < SHIPPED + timedelta(days=30)
    assert update.events == track("SIMDELAY0001", now=SHIPPED + timedelta(days=300), country=country).events


def test_track_simlost_label_created_only() -> None:
    update = track("SIMLOST0001", now=SHIPPED + timedelta(days=30))

    assert statuses(update.events) == [S.INFO_RECEIVED]
    assert update.status is S.INFO_RECEIVED
    assert update.estimated_delivery is None


def test_scenario_for_forced_prefixes_and_seeded_others() -> None:
    forced = {
        "SIMOK9": Scenario.NORMAL,
        "SIMFAIL9": Scenario.ATTEMPT_FAILED,
        "SIMWEATHER9": Scenario.WEATHER_DELAY,
        "SIMEXC9": Scenario.DAMAGED,
        "SIMPICKUP9": Scenario.PICKUP,
        "SIMRTS9": Scenario.RETURN_TO_SENDER,
        "SIMDELAY9": Scenario.STALL,
        "SIMLOST9": Scenario.NOT_PICKED_UP,
    }

    assert {number: scenario_for(number) for number in forced} == forced
    assert scenario_for("1Z999AA10123456784") is scenario_for("1Z999AA10123456784")
