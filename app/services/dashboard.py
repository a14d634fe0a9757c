"""The admin dashboard's figures for one shop over the last `days` days, computed by the database where it can:

- parcels in flight by tracking status, and those delayed right now by reason (`forecast.REASONS`); beside them,
  the delays that began in the period by the reason they began with (one `shipment.delayed` event per episode,
  found through the partial index `ix_order_events_delays`);
- per carrier, parcels delivered in the period, the on-time rate (delivered on or before the promised day, in the
  destination's calendar, among parcels that were promised a day) and the median transit time in business days
  from pickup to delivery. Counts come from SQL; the rate and the median need each parcel's destination calendar,
  so they are computed over the period's most recent `SAMPLE_LIMIT` deliveries (`sampled` says when capped);
- messages sent per day by channel, and survey answers (NPS: promoters' share minus detractors', in points; CES:
  the average score) with a weekly trend. These are counted by SQL per hour (UTC) and the hours placed on the
  shop's own calendar days here, which keeps the grouping identical on PostgreSQL and SQLite.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, case, func, select, text

from app.extensions import db
from app.models import Notification, NotificationStatus, Order, OrderEvent, Shipment, Shop, SurveyResponse
from app.models.events import DELAYS
from app.models.types import utcnow
from app.services import forecast, shop_settings
from app.services.business_days import calendar_for

PERIODS = (7, 30, 90)
SAMPLE_LIMIT = 20_000
NOT_IN_FLIGHT = ("delivered", "returned", "cancelled", "expired")
UNKNOWN_CARRIER = "other"


def dashboard(*, shop: Shop, days: int, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    since = now - timedelta(days=days)
    zone = _zone(shop.timezone)
    first_day, last_day = since.astimezone(zone).date(), now.astimezone(zone).date()
    day_list = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return {
        "days": days, "since": since.isoformat(), "timezone": zone.key,
        "in_flight": in_flight(shop_id=shop.id),
        "delays": delays(shop_id=shop.id),
        "delays_started": delays_started(shop_id=shop.id, since=since),
        "carriers": carriers(shop_id=shop.id, since=since),
        "notifications": notifications(shop_id=shop.id, since=since, zone=zone, day_list=day_list),
        "surveys": surveys(shop=shop, since=since, zone=zone),
    }  # fmt: skip


def in_flight(*, shop_id: int) -> dict[str, Any]:
    rows = db.session.execute(
        select(Shipment.tracking_status, func.count())
        .where(Shipment.shop_id == shop_id, Shipment.removed_at.is_(None),
               Shipment.tracking_status.not_in(NOT_IN_FLIGHT))
        .group_by(Shipment.tracking_status)
    ).all()  # fmt: skip
    by_status = {str(status): int(count) for status, count in rows}
    return {"total": sum(by_status.values()), "by_status": by_status}


def delays(*, shop_id: int) -> dict[str, Any]:
    rows = db.session.execute(
        select(Shipment.delay_reason, func.count())
        .where(Shipment.shop_id == shop_id, Shipment.removed_at.is_(None), Shipment.delay_reason.is_not(None),
               Shipment.tracking_status.not_in(NOT_IN_FLIGHT))
        .group_by(Shipment.delay_reason)
    ).all()  # fmt: skip
    return _by_reason({str(reason): int(count) for reason, count in rows})


def delays_started(*, shop_id: int, since: datetime) -> dict[str, Any]:
    reason = OrderEvent.data["reason"].as_string()
    rows = db.session.execute(
        select(reason, func.count())
        .where(OrderEvent.shop_id == shop_id, text(DELAYS), OrderEvent.created_at >= since)  # the index's own words
        .group_by(reason)
    ).all()  # fmt: skip
    return _by_reason({str(reason): int(count) for reason, count in rows})


def _by_reason(counts: dict[str, int]) -> dict[str, Any]:
    ordered = [reason for reason in forecast.REASONS if reason in counts] + sorted(set(counts) - set(forecast.REASONS))
    return {"total": sum(counts.values()), "by_reason": [{"reason": r, "count": counts[r]} for r in ordered]}


def carriers(*, shop_id: int, since: datetime) -> list[dict[str, Any]]:
    delivered = (Shipment.shop_id == shop_id, Shipment.tracking_status == "delivered", Shipment.removed_at.is_(None),
                 Shipment.delivered_at.is_not(None), Shipment.delivered_at >= since)  # fmt: skip
    carrier = func.coalesce(Shipment.carrier, UNKNOWN_CARRIER)
    counts = {str(name): int(count) for name, count in db.session.execute(
        select(carrier, func.count()).where(*delivered).group_by(carrier)).all()}  # fmt: skip
    rows = db.session.execute(
        select(carrier.label("carrier"), Shipment.delivered_at, Shipment.picked_up_at, Shipment.promised_delivery_on,
               Order.shipping_address)
        .join(Order, Order.id == Shipment.order_id)
        .where(*delivered, Order.shop_id == shop_id)
        .order_by(Shipment.delivered_at.desc()).limit(SAMPLE_LIMIT)
    ).all()  # fmt: skip
    promised: dict[str, list[bool]] = defaultdict(list)
    transit: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        address = row.shipping_address or {}
        calendar = calendar_for(address.get("country_code"), address.get("province_code"))
        day = calendar.local_date(row.delivered_at)
        if row.promised_delivery_on is not None:
            promised[row.carrier].append(day <= row.promised_delivery_on)
        if row.picked_up_at is not None and row.picked_up_at <= row.delivered_at:
            transit[row.carrier].append(calendar.transit_days(calendar.local_date(row.picked_up_at), day))
    answer = []
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        on_time = promised.get(name, [])
        days = transit.get(name, [])
        answer.append({
            "carrier": name, "delivered": counts[name],
            "promised": len(on_time), "on_time": sum(on_time),
            "on_time_rate": round(sum(on_time) / len(on_time), 4) if on_time else None,
            "median_transit_days": statistics.median(days) if days else None,
            "sampled": len(rows) >= SAMPLE_LIMIT,
        })  # fmt: skip
    return answer


def notifications(*, shop_id: int, since: datetime, zone: ZoneInfo, day_list: list[date]) -> dict[str, Any]:
    hour = _hour(Notification.sent_at)
    rows = db.session.execute(
        select(hour, Notification.channel, func.count())
        .where(Notification.shop_id == shop_id, Notification.status == str(NotificationStatus.SENT),
               Notification.sent_at >= since)
        .group_by(hour, Notification.channel)
    ).all()  # fmt: skip
    per_day: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for bucket, channel, count in rows:
        per_day[str(channel)][_local_day(bucket, zone)] += int(count)
    series = [{"channel": channel, "total": sum(per_day[channel].values()),
               "days": [{"date": day.isoformat(), "count": per_day[channel].get(day, 0)} for day in day_list]}
              for channel in sorted(per_day)]  # fmt: skip
    return {"total": sum(item["total"] for item in series), "series": series}


def surveys(*, shop: Shop, since: datetime, zone: ZoneInfo) -> dict[str, Any]:
    kind = str(shop_settings.get(shop, "survey_kind"))
    hour = _hour(SurveyResponse.created_at)
    rows = db.session.execute(
        select(hour, func.count(), func.sum(SurveyResponse.score),
               func.sum(case((SurveyResponse.score >= 9, 1), else_=0)),
               func.sum(case((SurveyResponse.score <= 6, 1), else_=0)))
        .where(SurveyResponse.shop_id == shop.id, SurveyResponse.kind == kind, SurveyResponse.created_at >= since)
        .group_by(hour)
    ).all()  # fmt: skip
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # responses, score sum, promoters, detractors
    for bucket, count, total, promoters, detractors in rows:
        day = _local_day(bucket, zone)
        week = weeks[day - timedelta(days=day.weekday())]  # weeks start on Monday
        for at, value in enumerate((count, total, promoters, detractors)):
            week[at] += int(value or 0)
    overall = [sum(week[at] for week in weeks.values()) for at in range(4)]
    trend = [{"week": start.isoformat(), "responses": week[0], "score": score(kind, *week)}
             for start, week in sorted(weeks.items())]  # fmt: skip
    return {"kind": kind, "responses": overall[0], "score": score(kind, *overall),
            "promoters": overall[2] if kind == "nps" else None, "detractors": overall[3] if kind == "nps" else None,
            "trend": trend}  # fmt: skip


def score(kind: str, responses: int, total: int, promoters: int, detractors: int) -> float | None:
    """NPS in points (-100 to 100, whole) or the CES average (1 to 7, two decimals); None without answers."""
    if responses == 0:
        return None
    if kind == "nps":
        return round(100 * (promoters - detractors) / responses)
    return round(total / responses, 2)


def _hour(column: Any) -> ColumnElement[str]:
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def _local_day(bucket: str, zone: ZoneInfo) -> date:
    return datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(zone).date()


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def clamp_days(values: Iterable[str]) -> int | None:
    """The period asked for, when it is one the dashboard offers."""
    for value in values:
        if value.isdigit() and int(value) in PERIODS:
            return int(value)
    return None
