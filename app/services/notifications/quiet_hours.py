"""Quiet hours: a message that would reach a shopper at night waits for the end of the night where they are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def release_time(*, when: datetime, zone: str | None, window: Mapping[str, str] | None) -> datetime:
    """`when` if it falls outside the quiet window in `zone`, else the window's end (in UTC)."""
    if not window:
        return when
    try:
        tz = ZoneInfo(zone) if zone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    start, end = time.fromisoformat(window["start"]), time.fromisoformat(window["end"])
    local = when.astimezone(tz)
    now = local.time()
    if start == end:
        return when
    if start < end:  # a window within one day, e.g. 12:00-14:00
        if not start <= now < end:
            return when
        day = local.date()
    else:  # across midnight, e.g. 21:00-08:00
        if end <= now < start:
            return when
        day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
