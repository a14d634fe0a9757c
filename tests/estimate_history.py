"""Delivered history made by the simulated carrier: many deterministic journeys, as the tracking path would store
them, for measuring our estimates against deliveries they did not see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.services import forecast, lanes
from app.services.business_days import Calendar, calendar_for
from integrations.carriers.simulated import journey
from integrations.carriers.simulated.journeys import Journey
from integrations.models import TrackingStatus as S

# Where the simulated shop's parcels go: mostly the US (state by state), some abroad.
DESTINATIONS = (("US", "CA"), ("US", "NY"), ("US", "TX"), ("US", "IL"), ("US", "FL"), ("US", "WA"), ("US", "GA"),
                ("US", "CO"), ("US", "NJ"), ("US", "AZ"), ("US", "CA"), ("US", "NY"), ("US", "TX"), ("CA", "ON"),
                ("DE", None), ("GB", None))  # fmt: skip
FIRST_LABEL = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Delivery:
    number: str
    journey: Journey
    calendar: Calendar
    lane: lanes.Lane
    picked_up_at: datetime
    delivered_at: datetime
    labelled_at: datetime

    @property
    def transit_days(self) -> int:
        start = self.calendar.local_date(self.picked_up_at)
        return self.calendar.transit_days(start, self.calendar.local_date(self.delivered_at))

    @property
    def longest_gap(self) -> int:
        return self.calendar.longest_quiet(event.occurred_at for event in self.journey.events)

    def parcel(self, now: datetime) -> forecast.Parcel:
        """The parcel as the tracking path knows it at `now` (nothing the carrier said after `now`)."""
        seen = self.journey.events_at(now)
        return forecast.Parcel(
            status=seen[-1].status, calendar=self.calendar, lane=self.lane, labelled_at=self.labelled_at,
            picked_up_at=self.picked_up_at if self.picked_up_at <= now else None, last_scan_at=seen[-1].occurred_at,
            international=self.lane.destination.split("-")[0] != "US",
        )  # fmt: skip

    def landed(self, estimate: forecast.Estimate) -> bool:
        return estimate.window_start <= self.calendar.local_date(self.delivered_at) <= estimate.window_end


def labelled_at(index: int) -> datetime:
    """Labels through half a year, at shifting hours of the day (some after the carrier's same-day cut-off)."""
    return FIRST_LABEL + timedelta(hours=index * 37 % (180 * 24), minutes=index * 7 % 60)


def deliveries(count: int, prefix: str = "CAL") -> list[Delivery]:
    """The delivered ones among `count` simulated parcels (the others stall, go back or are lost), in label order."""
    found = []
    for index in range(count):
        number = f"{prefix}{index:07d}"
        country, state = DESTINATIONS[index % len(DESTINATIONS)]
        shipped = labelled_at(index)
        planned = journey(number, shipped, country)
        delivered = next((e for e in planned.events if e.status is S.DELIVERED), None)
        moving = next((e for e in planned.events if e.status not in forecast.NOT_MOVING), None)
        if delivered is None or moving is None:
            continue
        origin = lanes.region_of_location(planned.events[0].location)
        lane = lanes.lane_for(carrier="ups", service=str(planned.service), origin=origin,
                              destination=lanes.region(country, state))  # fmt: skip
        found.append(Delivery(number, planned, calendar_for(country, state), lane, moving.occurred_at,
                              delivered.occurred_at, shipped))  # fmt: skip
    return sorted(found, key=lambda d: d.labelled_at)


def statistics(history: list[Delivery]) -> dict[str, lanes.Histogram]:
    table = lanes.aggregate((d.lane, d.transit_days, d.longest_gap) for d in history)
    return {key: transit for key, (transit, _) in table.items()}


def width(estimate: forecast.Estimate, calendar: Calendar) -> int:
    """Business days the window spans, both ends included."""
    return calendar.between(estimate.window_start, estimate.window_end) + 1


def day_of(instant: datetime, calendar: Calendar) -> date:
    return calendar.local_date(instant)
