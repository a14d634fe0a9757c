"""Wall-clock arithmetic for simulated journeys: local times in a place's zone, delivery days, and spreading scans
over an interval while keeping them out of blocked spans (Sundays, for ground parcels).

Scan times are whole minutes, as carriers print them. Public holidays are not modelled.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from integrations.carriers.simulated.places import Place

SATURDAY, SUNDAY = 5, 6
Span = tuple[datetime, datetime]  # [start, end) in UTC


def as_utc(instant: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def at_local(day: date, minutes: int, place: Place) -> datetime:
    """The UTC instant of `minutes` past local midnight on `day` in the place's zone."""
    local = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return local.replace(tzinfo=place.tz).astimezone(UTC)


def local_date(instant: datetime, place: Place) -> date:
    return instant.astimezone(place.tz).date()


def add_delivery_days(day: date, count: int, *, saturdays: bool) -> date:
    """`count` delivery days after `day`: Monday to Friday, plus Saturday when `saturdays`."""
    last = SUNDAY if saturdays else SATURDAY
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < last:
            count -= 1
    return day


def sundays(start: datetime, end: datetime, places: Iterable[Place]) -> list[Span]:
    """Spans in which it is Sunday in at least one of the places' zones, between `start` and `end`."""
    # Parcels shipped the same day through the same zones share these; working them out was a fifth of the cost
    # of answering a poll.
    return list(_sundays(start.date(), end.date(), tuple(sorted({place.zone for place in places}))))


@functools.lru_cache(maxsize=2048)
def _sundays(first: date, last: date, zones: tuple[str, ...]) -> tuple[Span, ...]:
    spans: list[Span] = []
    day = first - timedelta(days=1)
    day += timedelta(days=(SUNDAY - day.weekday()) % 7)
    while day <= last + timedelta(days=1):
        monday = day + timedelta(days=1)
        starts = [datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC) for zone in zones]
        ends = [datetime.combine(monday, time(), ZoneInfo(zone)).astimezone(UTC) for zone in zones]
        spans.append((min(starts), max(ends)))
        day += timedelta(days=7)
    return tuple(spans)


def _minute(instant: datetime) -> int:
    return int(instant.timestamp() // 60)


def _free_minutes(first: int, last: int, blocked: Sequence[Span]) -> list[tuple[int, int]]:
    """Inclusive runs of whole minutes in [first, last] that fall in no blocked span."""
    runs: list[tuple[int, int]] = []
    cursor = first
    for block_start, block_end in sorted(blocked):
        lo = -(-int(block_start.timestamp()) // 60)  # first minute inside the block
        hi = -(-int(block_end.timestamp()) // 60)  # first minute after it
        if hi <= cursor or lo > last:
            continue
        if lo > cursor:
            runs.append((cursor, min(lo - 1, last)))
        cursor = max(cursor, hi)
    if cursor <= last:
        runs.append((cursor, last))
    return runs


def _at_offset(runs: Sequence[tuple[int, int]], offset: int) -> datetime:
    """The instant `offset` free minutes into the runs."""
    for lo, hi in runs:
        if offset <= hi - lo:
            break
        offset -= hi - lo + 1
    return datetime.fromtimestamp((lo + offset) * 60, UTC)


def spread(
    start: datetime, end: datetime, count: int, rng: random.Random, blocked: Sequence[Span] = (), *, quick: int = 0
) -> list[datetime] | None:
    """`count` increasing whole-minute instants strictly between `start` and `end`, none in a blocked span, spaced
    irregularly (as scans are); the first `quick` of them follow each other closely. None when there is too little
    room for them to look plausible."""
    if count == 0:
        return []
    runs = _free_minutes(_minute(start) + 1, -(-int(end.timestamp()) // 60) - 1, blocked)
    room = sum(hi - lo + 1 for lo, hi in runs)
    if room < 60 * (count + 1):
        return None
    weights = [rng.uniform(0.1, 0.3) if i < quick else rng.uniform(0.5, 1.5) for i in range(count + 1)]
    total = sum(weights)
    picked: list[int] = []
    so_far = 0.0
    for weight in weights[:-1]:
        so_far += weight
        offset = min(int(so_far / total * room), room - 1)
        picked.append(max(offset, picked[-1] + 1) if picked else offset)
    return [_at_offset(runs, offset) for offset in picked]


def between(start: datetime, end: datetime, rng: random.Random, blocked: Sequence[Span] = ()) -> datetime | None:
    """One instant strictly inside (start, end), outside the blocked spans; None when there is no room."""
    runs = _free_minutes(_minute(start) + 1, -(-int(end.timestamp()) // 60) - 1, blocked)
    room = sum(hi - lo + 1 for lo, hi in runs)
    if room <= 0:
        return None
    return _at_offset(runs, rng.randrange(room))


__all__ = [
    "Span",
    "add_delivery_days",
    "as_utc",
    "at_local",
    "between",
    "local_date",
    "spread",
    "sundays",
]
