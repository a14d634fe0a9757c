"""An EasyPost Tracker (the API's JSON, from a poll or inside a pushed Event) -> our `TrackingUpdate`, for the
parcel we asked about. Polls and pushes both come through `to_update`, so the same tracker gives the same update.

- Scans (`tracking_details`) come out oldest first. Their `datetime` is printed with a `Z`, but it is the wall
  clock where the scan happened: it is read in the zone of the scan's `tracking_location` (city/state/country/zip,
  `integrations.carriers.timezones`). A place we cannot place in a zone (a US zip without its state) is one
  EasyPost could localise: it takes the previous scan's zone, else the next one's, else the destination's. A scan
  with no place at all is in UTC: EasyPost documents that it falls back to UTC when it has no location. `timezone`
  names the zone used.
- Scans have no id of their own: `source_id` stays None and the store dedupes them by content, so a scan that
  arrives by push and again by poll is stored once.
- The status: the tracker's (status, status_detail), else the latest scan we can read (`units.status_of`).
- `estimated_delivery`: the carrier's local estimate (`carrier_detail.est_delivery_date_local`, with its time when
  given), else the date of `est_delivery_date`; a date alone means the end of that day in the destination's zone.
- The carrier: EasyPost's carrier name as our code, else the code we asked with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from integrations.carriers.easypost.units import carrier_code, status_of
from integrations.carriers.timezones import (
    Place,
    country_code,
    end_of_local_day,
    fill_zones,
    parse_wall_clock,
    to_utc,
    zone_for,
)
from integrations.errors import MappingError
from integrations.models import TrackingEvent, TrackingRequest, TrackingStatus, TrackingUpdate
from integrations.parsing import text

NO_SCANS_YET = "EasyPost has no carrier scans for this number yet"


def read_place(location: Any) -> Place | None:
    """A TrackingLocation -> Place; None when it names nothing. A state without a country is left as printed
    (the zone lookup reads it as a US state, which is where EasyPost leaves the country out)."""
    if not isinstance(location, Mapping):
        return None
    city, state, postal = text(location.get("city")), text(location.get("state")), text(location.get("zip"))
    country = country_code(text(location.get("country")))
    if not (city or state or postal or country):
        return None
    return Place(city=city, state=state.upper() if state else None, postal_code=postal, country=country)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def to_update(tracker: Mapping[str, Any], request: TrackingRequest) -> TrackingUpdate:
    """One Tracker for `request` -> TrackingUpdate (the number stays the one we asked about)."""
    if not isinstance(tracker, Mapping) or tracker.get("object") not in (None, "Tracker"):
        raise MappingError("easypost tracker: expected a Tracker object")
    details = tracker.get("tracking_details") or []
    if not isinstance(details, Sequence) or isinstance(details, str):
        raise MappingError("easypost tracker: tracking_details is not a list")
    carrier_detail = _mapping(tracker.get("carrier_detail"))
    destination = read_place(carrier_detail.get("destination_tracking_location"))
    destination_zone = (destination.zone() if destination else None) or zone_for(country=request.destination_country)
    events = _events(details, destination_zone=destination_zone)
    overall = status_of(tracker.get("status"), tracker.get("status_detail"))
    carrier = carrier_code(tracker.get("carrier")) or request.carrier
    if not events and overall is TrackingStatus.UNKNOWN:
        # EasyPost keeps a tracker for a number its carrier does not know (yet) and says `unknown`: not found.
        words = text(tracker.get("status_detail"))
        messages = (NO_SCANS_YET,) if words in (None, "unknown") else (f"{NO_SCANS_YET} ({words})",)
        return TrackingUpdate(carrier=carrier, tracking_number=request.tracking_number,
                              status=TrackingStatus.UNKNOWN, found=False, messages=messages)  # fmt: skip
    known = [event.status for event in events if event.status is not TrackingStatus.UNKNOWN]
    status = overall if overall is not TrackingStatus.UNKNOWN else (known[-1] if known else overall)
    delivered = [event for event in events if event.status is TrackingStatus.DELIVERED]
    estimate_zone = destination_zone or (events[-1].timezone if events and events[-1].timezone else "UTC")
    return TrackingUpdate(
        carrier=carrier,
        tracking_number=request.tracking_number,
        status=status,
        events=tuple(events),
        estimated_delivery=_estimate(tracker, carrier_detail, estimate_zone),
        delivered_at=delivered[-1].occurred_at if status is TrackingStatus.DELIVERED and delivered else None,
        service=text(carrier_detail.get("service")),
    )


def _events(details: Sequence[Any], *, destination_zone: str | None) -> list[TrackingEvent]:
    scans: list[tuple[datetime, Place | None, Mapping[str, Any]]] = []
    for detail in details:
        if not isinstance(detail, Mapping):
            continue
        wall_clock = parse_wall_clock(text(detail.get("datetime")))
        if wall_clock is not None:  # a scan without a time has no instant: dropped rather than invented
            scans.append((wall_clock, read_place(detail.get("tracking_location")), detail))
    scans.sort(key=lambda scan: scan[0])  # EasyPost lists oldest first; the zone filling relies on that order
    nearby = fill_zones([place.zone() if place else None for _, place, _ in scans], fallback=destination_zone)
    zones = [zone if place else "UTC" for (_, place, _), zone in zip(scans, nearby, strict=True)]
    return sorted(
        (
            TrackingEvent(
                occurred_at=to_utc(wall_clock, zone),
                status=status_of(detail.get("status"), detail.get("status_detail")),
                description=text(detail.get("message")) or text(detail.get("description")) or "",
                substatus=text(detail.get("status_detail")),
                location=place.label() if place else None,
                timezone=zone,
                source_id=None,
            )
            for (wall_clock, place, detail), zone in zip(scans, zones, strict=True)
        ),
        key=lambda event: event.occurred_at,
    )


def _estimate(tracker: Mapping[str, Any], carrier_detail: Mapping[str, Any], zone: str) -> datetime | None:
    local_day, local_time = text(carrier_detail.get("est_delivery_date_local")), text(
        carrier_detail.get("est_delivery_time_local")
    )
    if local_day and local_time and (wall_clock := parse_wall_clock(None, local_day, local_time)):
        return to_utc(wall_clock, zone)
    for raw in (local_day, text(tracker.get("est_delivery_date"))):
        try:
            return end_of_local_day(date.fromisoformat((raw or "")[:10]), zone)
        except ValueError:
            continue
    return None


__all__ = ["NO_SCANS_YET", "read_place", "to_update"]
