"""Delivery lanes and transit-time windows: the pure maths of our own delivery estimates (no Flask, no database).

A lane is (carrier, service, origin region, destination region), e.g. `ups|ground|US-TN|US-CA`. A shop's delivered
history gives each lane a histogram of transit times in business days (pickup to delivery, in the destination's
calendar). A lane with too few deliveries backs off to a wider one (`LEVELS`): the same service to the destination
country, the carrier to the country, anyone to the country, anything.

A window is the shortest run of transit days holding at least the target share of the lane's deliveries, given
that the parcel has not arrived after the business days already elapsed (the histogram cut below them). The target
sits a little above the 90% we promise, more so for a thin lane, because a window read off a sample covers a bit
less of what comes next than it covered of the sample.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WILDCARD = "*"
UNKNOWN = "?"
COVERAGE = 0.92  # the in-sample share a window must hold; held-back deliveries must land inside at least 90%
MAX_COVERAGE = 0.99
MIN_SAMPLES = 30  # fewer deliveries than this in a lane and it backs off to a wider one
MIN_STALL_DAYS = 2  # the least a lane's history can make a stall
DEFAULT_STALL_DAYS = 3  # without enough history: carriers scan a moving parcel at least every working day or two
# Back-off order: which parts of a lane key are kept, most specific first.
LEVELS: tuple[tuple[bool, bool, bool, str], ...] = (
    (True, True, True, "region"),  # carrier, service, origin region, destination region
    (True, True, False, "region"),
    (True, True, False, "country"),
    (True, False, False, "country"),
    (False, False, False, "country"),
    (False, False, False, "none"),
)
Histogram = Mapping[int, int]  # business days -> deliveries


@dataclass(frozen=True)
class Lane:
    carrier: str
    service: str
    origin: str  # "US-TN", a country, or UNKNOWN
    destination: str  # "US-CA" or "DE"

    @property
    def key(self) -> str:
        return "|".join((self.carrier, self.service, self.origin, self.destination))

    @classmethod
    def parse(cls, key: str) -> Lane:
        carrier, service, origin, destination = (key.split("|") + [UNKNOWN] * 4)[:4]
        return cls(carrier, service, origin, destination)

    def widened(self) -> tuple[str, ...]:
        """This lane's key at every back-off level, most specific first."""
        return _widened(self)

    def _levels(self) -> tuple[str, ...]:
        keys: list[str] = []
        for keep_carrier, keep_service, keep_origin, destination in LEVELS:
            where = {"region": self.destination, "country": self.destination.split("-")[0], "none": WILDCARD}
            key = "|".join((
                self.carrier if keep_carrier else WILDCARD, self.service if keep_service else WILDCARD,
                self.origin if keep_origin else WILDCARD, where[destination],
            ))  # fmt: skip
            if key not in keys:
                keys.append(key)
        return tuple(keys)


@functools.lru_cache(maxsize=4096)
def _widened(lane: Lane) -> tuple[str, ...]:
    # Every tracking update asks for these (a shop has a few hundred lanes at most): build them once.
    return lane._levels()


@functools.lru_cache(maxsize=4096)
def parse_lane(key: str) -> Lane:
    """`Lane.parse`, remembered: every tracking update reads its shipment's lane back from its key."""
    return Lane.parse(key)


def lane_for(*, carrier: str | None, service: str | None, origin: str | None, destination: str | None) -> Lane:
    return Lane(_part(carrier), _part(service), origin or UNKNOWN, destination or UNKNOWN)


def _part(text: str | None) -> str:
    # Carriers and platforms spell the same service differently ("UPS Ground", "Ground"): compare on words, so a
    # lane is not split in two by capitals or spaces, and keep the key's separator out of it.
    value = " ".join((text or "").lower().replace("|", " ").split())
    return value[:40] or UNKNOWN


def region(country: str | None, subdivision: str | None = None) -> str | None:
    """"US-CA" for a country and a subdivision, "DE" for a country alone, None without a country."""
    country = (country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        return None
    subdivision = (subdivision or "").strip().upper()
    return f"{country}-{subdivision}" if subdivision.isalnum() and len(subdivision) <= 3 else country


def region_of_location(location: str | None) -> str | None:
    """A scan's region from the place a carrier printed ("Memphis, TN, US" -> "US-TN"; "Leipzig, SN, DE" -> "DE-SN").
    None when it names no country."""
    parts = [part.strip() for part in (location or "").split(",") if part.strip()]
    if not parts or len(parts[-1]) != 2 or not parts[-1].isalpha():
        return None
    state = parts[-2] if len(parts) >= 3 else None
    return region(parts[-1], state)


@dataclass(frozen=True)
class Window:
    """A delivery window in business days after the start: deliveries land on days `low`..`high` with probability
    `confidence`; `expected` is the median day."""

    low: int
    high: int
    expected: int
    confidence: float
    samples: int


def target_coverage(samples: int) -> float:
    return min(MAX_COVERAGE, COVERAGE + 1 / max(samples, 1))


def window(histogram: Histogram, *, elapsed: int = 0, coverage: float | None = None) -> Window | None:
    """The shortest window holding `coverage` of the deliveries that took at least `elapsed` days (a parcel not
    delivered after `elapsed` business days will not take fewer). None when no delivery took that long."""
    # Many parcels share a lane and a day count: the search runs once per histogram, days elapsed and coverage.
    return _window(tuple(sorted(histogram.items())), elapsed, coverage)


@functools.lru_cache(maxsize=8192)
def _window(items: tuple[tuple[int, int], ...], elapsed: int, coverage: float | None) -> Window | None:
    histogram = dict(items)
    days = sorted(day for day, count in histogram.items() if day >= elapsed and count > 0)
    total = sum(histogram[day] for day in days)
    if total == 0:
        return None
    wanted = (coverage if coverage is not None else target_coverage(total)) * total
    best: tuple[int, int, int] | None = None  # (width, low, high)
    for i, low in enumerate(days):
        mass = 0
        for high in days[i:]:
            mass += histogram[high]
            if mass >= wanted - 1e-9:
                if best is None or high - low < best[0]:
                    best = (high - low, low, high)
                break
    assert best is not None  # the whole range holds everything
    _, low, high = best
    inside = sum(histogram[day] for day in days if low <= day <= high)
    return Window(low=low, high=high, expected=_median(histogram, days, total), confidence=assured(inside, total),
                  samples=total)  # fmt: skip


def share_within(histogram: Histogram, *, low: int, high: int, elapsed: int = 0) -> float:
    """The share of deliveries that took at least `elapsed` days which landed in `low`..`high` (as `assured`)."""
    counted = {day: count for day, count in histogram.items() if day >= elapsed}
    total = sum(counted.values())
    return assured(sum(count for day, count in counted.items() if low <= day <= high), total)


def assured(inside: int, total: int, z: float = 1.0) -> float:
    """The share `inside / total`, discounted for a small sample: the lower end of its Wilson score interval. Two
    deliveries out of two is not "100% sure"; 950 out of 1,000 stays about 94%."""
    if total <= 0:
        return 0.0
    share = inside / total
    spread = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return max(0.0, (share + z * z / (2 * total) - spread) / (1 + z * z / total))


def _median(histogram: Histogram, days: list[int], total: int) -> int:
    running = 0
    for day in days:
        running += histogram[day]
        if running * 2 >= total:
            return day
    return days[-1]


def choose(stats: Mapping[str, Histogram], lane: Lane, *, elapsed: int = 0) -> tuple[str, Histogram] | None:
    """The most specific level of `lane` with enough deliveries still possible after `elapsed` days; else the
    level with the most of them; None without any history."""
    fallback: tuple[int, str, Histogram] | None = None
    for key in lane.widened():
        histogram = stats.get(key)
        if not histogram:
            continue
        remaining = sum(count for day, count in histogram.items() if day >= elapsed)
        if remaining >= MIN_SAMPLES:
            return key, histogram
        if remaining and (fallback is None or remaining > fallback[0]):
            fallback = (remaining, key, histogram)
    return (fallback[1], fallback[2]) if fallback else None


def quantile(histogram: Histogram, share: float) -> int | None:
    """The smallest day by which at least `share` of the deliveries had happened."""
    total = sum(histogram.values())
    if not total:
        return None
    running = 0
    for day in sorted(histogram):
        running += histogram[day]
        if running >= share * total - 1e-9:
            return day
    return max(histogram)


def stall_days(gaps: Histogram | None) -> int:
    """Business days without a scan after which a parcel on this lane counts as stalled: one more than 95% of its
    delivered parcels ever went quiet for, and at least `MIN_STALL_DAYS`."""
    longest = quantile(gaps or {}, 0.95)
    return max(MIN_STALL_DAYS, (longest or 0) + 1)


def aggregate(deliveries: Iterable[tuple[Lane, int, int]]) -> dict[str, tuple[dict[int, int], dict[int, int]]]:
    """Histograms of transit days and of longest scan gaps for every back-off level of every lane delivered:
    key -> (transit days, longest gaps)."""
    stats: dict[str, tuple[dict[int, int], dict[int, int]]] = {}
    for lane, days, gap in deliveries:
        for key in lane.widened():
            transit, gaps = stats.setdefault(key, ({}, {}))
            transit[days] = transit.get(days, 0) + 1
            gaps[gap] = gaps.get(gap, 0) + 1
    return stats


__all__ = [
    "COVERAGE",
    "DEFAULT_STALL_DAYS",
    "LEVELS",
    "MIN_SAMPLES",
    "Histogram",
    "Lane",
    "Window",
    "aggregate",
    "assured",
    "choose",
    "lane_for",
    "parse_lane",
    "quantile",
    "region",
    "region_of_location",
    "share_within",
    "stall_days",
    "target_coverage",
    "window",
]
