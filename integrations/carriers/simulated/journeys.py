"""Simulated journeys: the full planned life of a parcel, from label to doorstep (or back), as canonical events.

A journey depends only on the tracking number, `shipped_at` and the destination country, so polling it at a later
`now` reveals more of the same events (`Journey.events_at`). Timing rules, all in the local time of the event's place:

- label created at `shipped_at` (the merchant prints it, any day);
- picked up 15:00-18:30 on a weekday: the same day for labels made before 14:00, else the next weekday;
- 2 to 5 hub scans (and, abroad, an import customs clearance at the destination country's gateway), the last one
  early on the delivery day; Ground parcels move no scan on a Sunday in any zone along their route;
- delivery day: Ground 2-5 weekdays after pickup, Express 1-2 (Saturdays count and deliver), International 4-10
  weekdays;
- out for delivery 07:00-09:30 and delivered 10:00-19:00 in the destination hub's zone; failed attempts, locker
  holds, refusals and collections by the shopper fall in the same daytime window, and so does the arrival back at
  the sender (in the origin's zone).

Estimates: a carrier gives one from pickup on (none while only the label exists): the end of the delivery window
(19:00 local) on the planned day. A failed attempt or a weather delay moves it; a stall keeps it, so it passes;
delivery, a locker hold, a return and a damaged parcel clear it.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from integrations.carriers.simulated.clock import (
    Span,
    add_delivery_days,
    as_utc,
    at_local,
    between,
    local_date,
    spread,
    sundays,
)
from integrations.carriers.simulated.places import Place, country_code
from integrations.carriers.simulated.routes import ARRIVED, AT_FACILITY, DEPARTED, Route, Scan, plan_route
from integrations.carriers.simulated.scenarios import (
    Scenario,
    Service,
    normalise_number,
    scenario_for,
    seeded,
    service_for,
)
from integrations.models import TrackingEvent, TrackingStatus

# Local minutes past midnight.
PICKUP_WINDOW = (15 * 60, 18 * 60 + 30)
SAME_DAY_PICKUP_BEFORE = 14 * 60
OUT_FOR_DELIVERY_WINDOW = (7 * 60, 9 * 60 + 30)
DELIVERY_WINDOW = (10 * 60, 19 * 60)
HORIZON = timedelta(days=90)  # longer than any journey; Sundays are blocked up to here

LABEL_CREATED = "Shipper created a label; the carrier has not received the parcel yet"
PICKED_UP = "Picked up by carrier"
OUT_FOR_DELIVERY = "Out for delivery"
DELIVERED = ("Delivered, front door", "Delivered, left at reception", "Delivered, handed to resident")
ATTEMPT_FAILED = "Delivery attempted – no access to delivery location"
WEATHER = "Weather delay – shipment held at facility"
DAMAGED = "Damaged, contacting sender"
HELD = ("Available for pickup at parcel locker", "Available for pickup at post office")
COLLECTED = "Picked up by customer"
REFUSALS = (
    ("Refused by recipient – returning to sender", "refused"),
    ("Incorrect address – returning to sender", "incorrect_address"),
)
RETURNED = "Returned to sender"


@dataclass(frozen=True)
class Journey:
    tracking_number: str  # normalised
    scenario: Scenario
    service: Service
    route: Route
    events: tuple[TrackingEvent, ...]  # every planned event, future ones included, in time order
    estimates: tuple[tuple[datetime, datetime | None], ...]  # (from when, estimated delivery) in time order

    @property
    def planned_delivery(self) -> datetime | None:
        """The first estimate the carrier gave (None when it never gave one)."""
        return next((estimate for _, estimate in self.estimates if estimate is not None), None)

    def events_at(self, now: datetime) -> tuple[TrackingEvent, ...]:
        now = as_utc(now)
        return tuple(event for event in self.events if event.occurred_at <= now)

    def estimate_at(self, now: datetime) -> datetime | None:
        now = as_utc(now)
        current: datetime | None = None
        for since, estimate in self.estimates:
            if since > now:
                break
            current = estimate
        return current


def journey(number: str, shipped_at: datetime, destination_country: str | None = None) -> Journey:
    """The full planned journey (future events included). Raises ValueError for a number the carrier would not
    know (see `normalise_number`); a missing or malformed destination country means the US."""
    known = normalise_number(number)
    if known is None:
        raise ValueError(f"the simulated carrier has no record of tracking number {number!r}")
    return _build(known, as_utc(shipped_at), country_code(destination_country))


class _Planner:
    def __init__(self, number: str, route: Route, service: Service, shipped: datetime) -> None:
        self.number, self.route, self.service = number, route, service
        self.rng: random.Random = seeded(number, "timing")
        ground = service is Service.GROUND
        self.blocked: list[Span] = sundays(shipped, shipped + HORIZON, route.places) if ground else []
        self.steps: list[tuple[datetime, Place, TrackingStatus, str, str | None]] = []
        self.estimates: list[tuple[datetime, datetime | None]] = []

    def add(
        self, at: datetime, place: Place, status: TrackingStatus, description: str, substatus: str | None = None
    ) -> datetime:
        self.steps.append((at, place, status, description, substatus))
        return at

    def local(self, day: date, window: tuple[int, int], place: Place) -> datetime:
        return at_local(day, self.rng.randint(*window), place)

    def later_day(self, day: date, count: int) -> date:
        return add_delivery_days(day, count, saturdays=self.service is Service.EXPRESS)

    def end_of(self, day: date) -> datetime:
        return at_local(day, DELIVERY_WINDOW[1], self.route.destination)

    def pickup(self, shipped: datetime) -> datetime:
        origin = self.route.origin
        local = shipped.astimezone(origin.tz)
        day = local.date()
        if day.weekday() >= 5 or local.hour * 60 + local.minute >= SAME_DAY_PICKUP_BEFORE:
            day = add_delivery_days(day, 1, saturdays=False)
        return self.local(day, PICKUP_WINDOW, origin)

    def transit_days(self) -> int:
        if self.service is Service.EXPRESS:
            return self.rng.randint(1, 2)
        if self.service is Service.GROUND:
            return self.rng.randint(2, 5)
        return self.rng.randint(2, 4) + self.rng.randint(2, 6)

    def schedule(self, start: datetime, scans: tuple[Scan, ...], day: date) -> tuple[list[datetime], datetime, date]:
        """Times for the hub scans after `start`, the last one early on the delivery day, and out for delivery. Scans
        at the origin follow the pickup within hours. A delivery day without room for the scans (a late pickup, a
        Sunday in the way) moves to the next one."""
        quick = sum(1 for scan in scans if scan.place == self.route.origin)
        while True:
            out = self.local(day, OUT_FOR_DELIVERY_WINDOW, self.route.destination)
            if not scans:
                if out > start + timedelta(minutes=30):
                    return [], out, day
            else:
                last = out - timedelta(minutes=self.rng.randint(90, 360))
                middle = spread(start, last, len(scans) - 1, self.rng, self.blocked, quick=quick)
                if middle is not None and last > start + timedelta(minutes=30):
                    return [*middle, last], out, day
            day = self.later_day(day, 1)

    def add_scans(self, scans: tuple[Scan, ...], times: list[datetime]) -> None:
        for scan, at in zip(scans, times, strict=True):
            self.add(at, scan.place, TrackingStatus.IN_TRANSIT, scan.description, scan.substatus)

    def incident(self, times: list[datetime], out: datetime) -> tuple[int, datetime]:
        """A scan after which the parcel sits in a facility and something happens to it there, and when: within
        three hours, before the next scan."""
        scans = self.route.scans
        candidates = [i for i, scan in enumerate(scans) if scan.description in AT_FACILITY]
        self.rng.shuffle(candidates)
        for index in candidates:
            following = times[index + 1] if index + 1 < len(times) else out
            at = between(times[index], min(times[index] + timedelta(hours=3), following), self.rng, self.blocked)
            if at is not None:
                return index, at
        return candidates[0], times[candidates[0]] + timedelta(minutes=1)  # every gap blocked: not seen in practice

    def finish(self, scenario: Scenario) -> Journey:
        events = tuple(
            TrackingEvent(
                occurred_at=at,
                status=status,
                description=description,
                substatus=substatus,
                location=place.label,
                timezone=place.zone,
                source_id=f"{self.number}-{index}",
            )
            for index, (at, place, status, description, substatus) in enumerate(self.steps)
        )
        return Journey(self.number, scenario, self.service, self.route, events, tuple(self.estimates))


@functools.lru_cache(maxsize=4096)
def _build(number: str, shipped: datetime, destination: str) -> Journey:
    route = plan_route(number, destination)
    scenario = scenario_for(number)
    plan = _Planner(number, route, service_for(number, international=route.international), shipped)
    origin, target, scans = route.origin, route.destination, route.scans
    S = TrackingStatus

    plan.add(shipped, origin, S.INFO_RECEIVED, LABEL_CREATED)
    if scenario is Scenario.NOT_PICKED_UP:
        return plan.finish(scenario)
    picked_up = plan.add(plan.pickup(shipped), origin, S.IN_TRANSIT, PICKED_UP)
    first_day = plan.later_day(local_date(picked_up, origin), plan.transit_days())
    times, out, day = plan.schedule(picked_up, scans, first_day)
    plan.estimates.append((picked_up, plan.end_of(day)))

    if scenario is Scenario.STALL:
        hub_scans = [i for i, scan in enumerate(scans) if scan.substatus is None]
        last = plan.rng.choice(hub_scans)
        plan.add_scans(scans[: last + 1], times[: last + 1])
        return plan.finish(scenario)
    if scenario in (Scenario.DAMAGED, Scenario.WEATHER_DELAY):
        index, at = plan.incident(times, out)
        plan.add_scans(scans[: index + 1], times[: index + 1])
        if scenario is Scenario.DAMAGED:
            plan.add(at, scans[index].place, S.EXCEPTION, DAMAGED, "damaged")
            plan.estimates.append((at, None))
            return plan.finish(scenario)
        plan.add(at, scans[index].place, S.EXCEPTION, WEATHER, "weather")
        rest, out, day = plan.schedule(at, scans[index + 1 :], plan.later_day(day, plan.rng.randint(1, 2)))
        plan.estimates.append((at, plan.end_of(day)))
        plan.add_scans(scans[index + 1 :], rest)
    else:
        plan.add_scans(scans, times)
    plan.add(out, target, S.OUT_FOR_DELIVERY, OUT_FOR_DELIVERY)

    if scenario is Scenario.ATTEMPT_FAILED:
        attempt_at = plan.local(day, DELIVERY_WINDOW, target)
        attempt = plan.add(attempt_at, target, S.ATTEMPT_FAILED, ATTEMPT_FAILED, "no_access")
        day = plan.later_day(day, 1)
        plan.estimates.append((attempt, plan.end_of(day)))
        plan.add(plan.local(day, OUT_FOR_DELIVERY_WINDOW, target), target, S.OUT_FOR_DELIVERY, OUT_FOR_DELIVERY)
    if scenario is Scenario.PICKUP:
        held_at = plan.local(day, DELIVERY_WINDOW, target)
        held = plan.add(held_at, target, S.AVAILABLE_FOR_PICKUP, plan.rng.choice(HELD))
        plan.estimates.append((held, None))
        collected = add_delivery_days(day, plan.rng.randint(1, 4), saturdays=True)
        plan.add(plan.local(collected, DELIVERY_WINDOW, target), target, S.DELIVERED, COLLECTED, "picked_up")
    elif scenario is Scenario.RETURN_TO_SENDER:
        _return_to_sender(plan, day)
    else:
        delivered_at = plan.local(day, DELIVERY_WINDOW, target)
        delivered = plan.add(delivered_at, target, S.DELIVERED, plan.rng.choice(DELIVERED))
        plan.estimates.append((delivered, None))
    return plan.finish(scenario)


def _return_to_sender(plan: _Planner, day: date) -> None:
    origin, target = plan.route.origin, plan.route.destination
    description, reason = plan.rng.choice(REFUSALS)
    refused_at = plan.local(day, DELIVERY_WINDOW, target)
    refused = plan.add(refused_at, target, TrackingStatus.RETURNING_TO_SENDER, description, reason)
    plan.estimates.append((refused, None))
    back = add_delivery_days(day, plan.rng.randint(2, 5) + (3 if plan.route.international else 0), saturdays=False)
    while True:
        returned = plan.local(back, DELIVERY_WINDOW, origin)
        legs = spread(refused, returned - timedelta(hours=2), 2, plan.rng, plan.blocked, quick=1)
        if legs is not None:
            break
        back = add_delivery_days(back, 1, saturdays=False)
    plan.add(legs[0], target, TrackingStatus.RETURNING_TO_SENDER, DEPARTED, "return")
    plan.add(legs[1], origin, TrackingStatus.RETURNING_TO_SENDER, ARRIVED, "return")
    plan.add(returned, origin, TrackingStatus.RETURNED, RETURNED, "return")


__all__ = ["Journey", "journey"]
