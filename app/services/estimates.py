"""Delivery estimates on shipments: the shop's lane statistics (refreshed by the clock from its delivered history)
and the estimate stored on a shipment each time a tracking update is applied.

Applying an update must stay cheap (hundreds per second per worker), so it never reads history: it reads the
shop's `lane_stats` rows, kept in this process for `CACHE_SECONDS`, and does the arithmetic of `forecast`.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

import integrations.models as canonical
from app.extensions import db
from app.models import LaneStats, Order, Shipment, TrackingEvent
from app.models.types import utcnow
from app.services import forecast, lanes
from app.services.business_days import Calendar, calendar_for

log = logging.getLogger(__name__)
HISTORY = timedelta(days=180)  # deliveries older than this say little about today's network
HISTORY_LIMIT = 20_000  # the newest deliveries per shop a refresh reads
CACHE_SECONDS = 300.0

LaneTable = dict[str, tuple[dict[int, int], dict[int, int]]]  # lane key -> (transit days, longest gaps)


class StatsCache:
    """Each shop's lane statistics, read at most once per `CACHE_SECONDS` per process."""

    def __init__(self) -> None:
        self._loaded: dict[int, tuple[float, LaneTable]] = {}
        self._lock = threading.Lock()

    def get(self, shop_ids: Iterable[int]) -> dict[int, LaneTable]:
        now = time.monotonic()
        wanted = set(shop_ids)
        with self._lock:
            fresh = {i: entry[1] for i, entry in self._loaded.items() if i in wanted and now - entry[0] < CACHE_SECONDS}
        missing = wanted - fresh.keys()
        if missing:
            loaded: dict[int, LaneTable] = {i: {} for i in missing}
            rows = db.session.execute(
                select(LaneStats.shop_id, LaneStats.lane, LaneStats.transit_days, LaneStats.longest_gaps)
                .where(LaneStats.shop_id.in_(missing))
            )  # fmt: skip
            for shop_id, lane, transit, gaps in rows:
                loaded[shop_id][lane] = (_ints(transit), _ints(gaps))
            with self._lock:
                self._loaded.update((i, (now, table)) for i, table in loaded.items())
            fresh.update(loaded)
        return fresh

    def forget(self, shop_id: int | None = None) -> None:
        with self._lock:
            if shop_id is None:
                self._loaded.clear()
            else:
                self._loaded.pop(shop_id, None)


cache = StatsCache()


def _ints(histogram: Mapping[str, int] | None) -> dict[int, int]:
    return {int(day): int(count) for day, count in (histogram or {}).items()}


def destination_calendar(order: Order) -> Calendar:
    address = order.shipping_address or {}
    return calendar_for(address.get("country_code"), address.get("province_code"))


def destination_region(order: Order) -> str | None:
    address = order.shipping_address or {}
    return lanes.region(address.get("country_code"), address.get("province_code"))


def _calendar_of(lane: lanes.Lane) -> Calendar | None:
    """The destination's calendar from the lane's key, which names its region: the clock's delay pass then needs
    no order rows."""
    if lane.destination == lanes.UNKNOWN:
        return None
    country, _, subdivision = lane.destination.partition("-")
    return calendar_for(country, subdivision or None)


def parcel_of(shipment: Shipment, calendar: Calendar | None = None) -> forecast.Parcel:
    lane = lanes.parse_lane(shipment.lane) if shipment.lane else lanes.lane_for(
        carrier=shipment.carrier, service=shipment.service, origin=None, destination=destination_region(shipment.order))
    origin_country = lane.origin.split("-")[0]
    destination_country = lane.destination.split("-")[0]
    return forecast.Parcel(
        status=canonical.TrackingStatus(shipment.tracking_status),
        calendar=calendar or _calendar_of(lane) or destination_calendar(shipment.order),
        lane=lane,
        labelled_at=shipment.platform_created_at or shipment.created_at or utcnow(),
        picked_up_at=shipment.picked_up_at,
        last_scan_at=shipment.last_event_at,
        carrier_estimate=shipment.estimated_delivery,
        promised=shipment.promised_delivery_on,
        international=lanes.UNKNOWN not in (origin_country, destination_country)
        and origin_country != destination_country,
    )  # fmt: skip


def update_lane(shipment: Shipment, *, events: Iterable[canonical.TrackingEvent], service: str | None) -> None:
    """Fill the shipment's lane and pickup time from a source's scans (oldest first): the origin region is where
    the first located scan happened, the pickup the first scan of the parcel moving."""
    for event in events:
        if event.status not in forecast.NOT_MOVING and event.status is not canonical.TrackingStatus.UNKNOWN and (
            shipment.picked_up_at is None or event.occurred_at < shipment.picked_up_at
        ):
            shipment.picked_up_at = event.occurred_at
    current = lanes.parse_lane(shipment.lane) if shipment.lane else None
    origin = current.origin if current and current.origin != lanes.UNKNOWN else None
    if origin is None:
        origin = next((r for r in (lanes.region_of_location(e.location) for e in events) if r), None)
    lane = lanes.lane_for(
        carrier=shipment.carrier, service=service or shipment.service or (current.service if current else None),
        origin=origin, destination=destination_region(shipment.order),
    )  # fmt: skip
    if current is not None and lane.service == lanes.UNKNOWN:
        lane = lanes.Lane(lane.carrier, current.service, lane.origin, lane.destination)
    if lane.key != shipment.lane:
        shipment.lane = lane.key


def apply_estimate(
    shipment: Shipment, table: LaneTable, *, now: datetime
) -> tuple[forecast.Parcel, forecast.Estimate | None]:
    """Recompute and store the shipment's estimate; the first one shown becomes the promise. Returns the parcel it
    was judged on and the estimate (None when the parcel is settled: its last estimate stays as it was shown)."""
    parcel = parcel_of(shipment)
    shown = forecast.estimate(parcel, TransitView(table), now=now)
    if shown is None:
        return parcel, None
    values = {"expected_delivery_on": shown.expected, "delivery_window_start": shown.window_start,
              "delivery_window_end": shown.window_end, "estimate_confidence": shown.confidence,
              "estimate_source": shown.source}  # fmt: skip
    for name, value in values.items():
        if getattr(shipment, name) != value:  # an unchanged estimate costs the ORM nothing to flush
            setattr(shipment, name, value)
    if shipment.promised_delivery_on is None:
        shipment.promised_delivery_on = shown.window_end
    return dataclasses.replace(parcel, promised=shipment.promised_delivery_on), shown


class TransitView(Mapping[str, lanes.Histogram]):
    """A lane table's transit histograms, without copying the table on every update."""

    def __init__(self, table: LaneTable) -> None:
        self._table = table

    def __getitem__(self, key: str) -> lanes.Histogram:
        return self._table[key][0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def stall_after(parcel: forecast.Parcel, table: LaneTable) -> int:
    """The lane's business days without a scan that make a stall (from the level its history comes from)."""
    for key in parcel.lane.widened():
        if key in table and sum(table[key][1].values()) >= lanes.MIN_SAMPLES:
            return lanes.stall_days(table[key][1])
    return lanes.DEFAULT_STALL_DAYS + (1 if parcel.international else 0)  # customs holds parcels for a day or two


def refresh_lane_stats(*, shop_id: int | None = None, now: datetime | None = None) -> int:
    """Rebuild lane statistics from delivered history: of one shop, or of every shop with deliveries (the clock
    job). One transaction per shop. Returns how many shops were refreshed."""
    now = now or utcnow()
    if shop_id is not None:
        shop_ids = [shop_id]
    else:
        # Shops with statistics but no recent delivery too: their history has aged out and must not linger.
        recent = select(Shipment.shop_id).where(Shipment.delivered_at >= now - HISTORY)
        shop_ids = sorted(set(db.session.scalars(recent.distinct())) | set(db.session.scalars(
            select(LaneStats.shop_id).distinct())))  # fmt: skip
    for shop in shop_ids:
        _refresh_shop(shop, now)
        cache.forget(shop)
    log.info("lane statistics refreshed", extra={"shops": len(shop_ids)})
    return len(shop_ids)


def _refresh_shop(shop_id: int, now: datetime) -> None:
    rows = db.session.execute(
        select(Shipment.id, Shipment.lane, Shipment.picked_up_at, Shipment.delivered_at, Order.shipping_address)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.shop_id == shop_id, Shipment.tracking_status == str(canonical.TrackingStatus.DELIVERED),
               Shipment.delivered_at >= now - HISTORY, Shipment.picked_up_at.is_not(None), Shipment.lane.is_not(None))
        .order_by(Shipment.delivered_at.desc()).limit(HISTORY_LIMIT)
    ).all()  # fmt: skip
    scans: dict[int, list[datetime]] = defaultdict(list)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 1000):
        for shipment_id, at in db.session.execute(
            select(TrackingEvent.shipment_id, TrackingEvent.occurred_at)
            .where(TrackingEvent.shop_id == shop_id, TrackingEvent.shipment_id.in_(ids[start : start + 1000]))
        ):  # fmt: skip
            scans[shipment_id].append(at)
    deliveries = []
    for row in rows:
        address = row.shipping_address or {}
        calendar = calendar_for(address.get("country_code"), address.get("province_code"))
        start_day = calendar.local_date(row.picked_up_at)
        days = calendar.transit_days(start_day, calendar.local_date(row.delivered_at))
        deliveries.append((lanes.Lane.parse(row.lane), days, calendar.longest_quiet(scans[row.id])))
    stats = lanes.aggregate(deliveries)
    db.session.execute(delete(LaneStats).where(LaneStats.shop_id == shop_id))
    if stats:
        db.session.execute(insert(LaneStats), [
            {"shop_id": shop_id, "lane": key, "samples": sum(transit.values()), "refreshed_at": now,
             "transit_days": {str(d): c for d, c in transit.items()},
             "longest_gaps": {str(d): c for d, c in gaps.items()}}
            for key, (transit, gaps) in stats.items()
        ])  # fmt: skip
    db.session.commit()

