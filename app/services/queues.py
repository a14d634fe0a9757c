"""The admin's queues, for one shop: shipments that need the merchant's attention, the log of messages sent to
shoppers (all of them, or one order's), and the shoppers' survey answers. Reads only, paged; each function answers
the document the admin API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, type_coerce

from app.extensions import db
from app.models import Customer, Notification, Order, Shipment, SurveyResponse, TrackingEvent
from app.models.types import UTCDateTime, utcnow
from app.services import forecast
from app.services.notifications.journeys import BY_NAME

EXCEPTIONS = ("exception", "returning_to_sender", "expired")
ATTENTION = ("delayed", "exception", "attempt_failed", "stalled")
STATUSES = ("queued", "sent", "failed", "suppressed")
SCORES = {"promoter": (9, 10), "passive": (7, 8), "detractor": (0, 6)}  # NPS bands
REASONS = {  # what the merchant reads beside the reason's badge
    forecast.NOT_PICKED_UP: "The carrier has not picked the parcel up",
    forecast.STALLED: "No carrier scan since {last_scan}",
    forecast.NOT_DELIVERED_TODAY: "Out for delivery but not delivered that day",
    forecast.LATE: "Not delivered by the promised {promised}",
    forecast.ESTIMATE_SLIPPED: "Now expected {expected}, after the promised {promised}",
    "exception": "The carrier reports a problem",
    "returning_to_sender": "On its way back to the store",
    "expired": "No carrier news for 30 days",
    "attempt_failed": "Delivery attempt failed",
}


# --- shipments needing attention ------------------------------------------------------------------------------

# One kind per parcel, the most serious first, so the tabs' counts add up to "all".
problem = case(
    (Shipment.tracking_status.in_(EXCEPTIONS), "exception"),
    (Shipment.tracking_status == "attempt_failed", "attempt_failed"),
    (Shipment.delay_reason == forecast.STALLED, "stalled"),
    (Shipment.delay_reason.is_not(None), "delayed"),
    else_=None,
)
# Since when the problem has been there: a carrier's problem since the scan that reported it, a stall or a parcel
# never picked up since the last scan (the label), another delay since it was found.
since_when = type_coerce(case(
    (Shipment.tracking_status.in_((*EXCEPTIONS, "attempt_failed")), func.coalesce(Shipment.last_event_at,
                                                                                   Shipment.updated_at)),
    (Shipment.delay_reason.in_((forecast.STALLED, forecast.NOT_PICKED_UP)),
     func.coalesce(Shipment.last_event_at, Shipment.delayed_since)),
    else_=func.coalesce(Shipment.delayed_since, Shipment.updated_at),
), UTCDateTime)  # fmt: skip


def attention_queue(*, shop_id: int, attention: str, carrier: str, q: str, page: int, per_page: int,
                    now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """The shop's parcels needing attention (`attention` one of ATTENTION, or "all"), with each kind's count."""
    # The conditions of the partial index ix_shipments_attention (ATTENTION in models/shipment.py), so it answers.
    needs_attention = and_(
        Shipment.shop_id == shop_id, Shipment.removed_at.is_(None), Shipment.tracking_status != "delivered",
        or_(Shipment.tracking_status.in_((*EXCEPTIONS, "attempt_failed")), Shipment.delay_reason.is_not(None)),
    )  # fmt: skip
    filters: list[ColumnElement[bool]] = [needs_attention]
    if carrier:
        filters.append(Shipment.carrier == carrier)
    if q:
        filters.append(or_(_matches(Order.name, q), _matches(Order.number, q),
                           _matches(Shipment.tracking_number, q)))  # fmt: skip
    kind = problem.label("kind")
    counted = select(kind, func.count()).select_from(Shipment).join(Order, Order.id == Shipment.order_id)
    counts = {name: 0 for name in ATTENTION}
    counts.update({str(name): n for name, n in db.session.execute(counted.where(*filters).group_by(kind))})
    carriers = db.session.scalars(select(Shipment.carrier).where(needs_attention).distinct()).all()
    if attention != "all":
        filters.append(problem == attention)
    rows = db.session.execute(
        select(Shipment, Order, Customer, kind, since_when.label("since"))
        .join(Order, Order.id == Shipment.order_id)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(*filters)
        .order_by(since_when, Shipment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    last = _last_events(shop_id, [shipment.id for shipment, *_ in rows])
    now = now or utcnow()
    items = [_shipment_item(s, o, c, str(k), since, last.get(s.id), now) for s, o, c, k, since in rows]
    total = sum(counts.values()) if attention == "all" else counts[attention]
    return {"items": items, "counts": {"all": sum(counts.values()), **counts}, "page": page,
            "per_page": per_page, "total": total, "carriers": sorted(c for c in carriers if c)}  # fmt: skip


def _last_events(shop_id: int, shipment_ids: list[int]) -> dict[int, TrackingEvent]:
    """Each shipment's newest scan, in one query (the (shipment_id, occurred_at) index answers it)."""
    if not shipment_ids:
        return {}
    rank = func.row_number().over(partition_by=TrackingEvent.shipment_id,
                                  order_by=(TrackingEvent.occurred_at.desc(), TrackingEvent.id.desc()))  # fmt: skip
    ranked = (select(TrackingEvent.id, rank.label("rank"))
              .where(TrackingEvent.shop_id == shop_id, TrackingEvent.shipment_id.in_(shipment_ids))
              .subquery())  # fmt: skip
    events = db.session.scalars(select(TrackingEvent).join(ranked, ranked.c.id == TrackingEvent.id)
                                .where(ranked.c.rank == 1))  # fmt: skip
    return {event.shipment_id: event for event in events}


def _shipment_item(shipment: Shipment, order: Order, customer: Customer | None, kind: str, since: datetime | None,
                   event: TrackingEvent | None, now: datetime) -> dict[str, Any]:  # fmt: skip
    code = shipment.tracking_status if kind in ("exception", "attempt_failed") else str(shipment.delay_reason)
    return {
        "id": shipment.id,
        "order": {"id": order.id, "name": order.name},
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_status": shipment.tracking_status,
        "attention": kind,
        "reason": {"code": code, "text": _reason_text(code, shipment, event)},
        "since": _iso(since),
        "age_hours": int((now - since).total_seconds() // 3600) if since else None,
        "last_event": None if event is None else {
            "status": event.status, "description": event.description, "location": event.location,
            "occurred_at": _iso(event.occurred_at)},
        "customer": {"name": customer_name(order, customer)},
    }  # fmt: skip


def _reason_text(code: str, shipment: Shipment, event: TrackingEvent | None) -> str:
    if code in ("exception", "attempt_failed") and event is not None and event.status == code:
        return event.description  # the carrier's own words: "Damaged, contacting sender"
    return REASONS.get(code, code).format(
        last_scan=shipment.last_event_at.date().isoformat() if shipment.last_event_at else "the label",
        promised=shipment.promised_delivery_on.isoformat() if shipment.promised_delivery_on else "day",
        expected=shipment.expected_delivery_on.isoformat() if shipment.expected_delivery_on else "later",
    )


def customer_name(order: Order, customer: Customer | None) -> str | None:
    address = order.shipping_address or {}
    parts = [customer.first_name, customer.last_name] if customer else []
    name = " ".join(p for p in parts if p) or address.get("name") or " ".join(
        p for p in (address.get("first_name"), address.get("last_name")) if p)  # fmt: skip
    return str(name) if name else None


# --- the notification log ---------------------------------------------------------------------------------------


def notification_log(*, shop_id: int, status: str, milestone: str, channel: str, q: str, page: int,
                     per_page: int) -> dict[str, Any]:  # fmt: skip
    """The shop's messages to shoppers, newest first; an empty filter matches all."""
    filters: list[ColumnElement[bool]] = [Notification.shop_id == shop_id]
    if status:
        filters.append(Notification.status == status)
    if milestone:
        filters.append(Notification.milestone == milestone)
    if channel:
        filters.append(Notification.channel == channel)
    if q:
        filters.append(or_(_matches(Order.name, q), _matches(Order.number, q),
                           _matches(Notification.recipient, q)))  # fmt: skip
    joined = select(Notification, Order).join(Order, Order.id == Notification.order_id).where(*filters)
    total = _count(joined)
    rows = db.session.execute(joined.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()  # fmt: skip
    return {"items": [_message(n, o) for n, o in rows], "page": page, "per_page": per_page, "total": total,
            "statuses": list(STATUSES), "milestones": sorted(BY_NAME)}  # fmt: skip


def order_messages(*, shop_id: int, order_id: int) -> dict[str, Any] | None:
    """One of the shop's orders, its parcels and every message about it; None for another shop's or no order."""
    found = db.session.execute(
        select(Order, Customer).outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.id == order_id, Order.shop_id == shop_id)
    ).first()  # fmt: skip
    if found is None:
        return None
    order, customer = found
    messages = db.session.scalars(
        select(Notification).where(Notification.shop_id == shop_id, Notification.order_id == order.id)
        .order_by(Notification.created_at, Notification.id)
    ).all()  # fmt: skip
    parcels = db.session.scalars(
        select(Shipment).where(Shipment.shop_id == shop_id, Shipment.order_id == order.id,
                               Shipment.removed_at.is_(None)).order_by(Shipment.id)
    ).all()  # fmt: skip
    summary = {
        "id": order.id, "name": order.name, "placed_at": _iso(order.platform_created_at), "status": order.status,
        "email": order.email, "customer": {"name": customer_name(order, customer)},
        "shipments": [{"id": s.id, "carrier": s.carrier, "tracking_number": s.tracking_number,
                       "tracking_status": s.tracking_status, "delay_reason": s.delay_reason} for s in parcels],
    }  # fmt: skip
    return {"order": summary, "items": [_message(n, order) for n in messages]}


def _message(notification: Notification, order: Order) -> dict[str, Any]:
    return {
        "id": notification.id, "order": {"id": order.id, "name": order.name},
        "shipment_id": notification.shipment_id, "milestone": notification.milestone,
        "channel": notification.channel, "recipient": notification.recipient, "status": notification.status,
        "reason": notification.reason, "attempts": notification.attempts,
        "created_at": _iso(notification.created_at), "send_after": _iso(notification.send_after),
        "sent_at": _iso(notification.sent_at),
    }  # fmt: skip


# --- survey answers ----------------------------------------------------------------------------------------------


def survey_answers(*, shop_id: int, kind: str, score: str, carrier: str, with_comment: bool, page: int,
                   per_page: int) -> dict[str, Any]:  # fmt: skip
    """The shop's survey answers, newest first, and a summary over those of that kind and carrier. A `score` band
    is NPS's, so it implies that kind."""
    scope: list[ColumnElement[bool]] = [SurveyResponse.shop_id == shop_id]
    if carrier:
        scope.append(SurveyResponse.carrier == carrier)
    if score:  # the bands are NPS's
        kind = "nps"
    if kind:
        scope.append(SurveyResponse.kind == kind)
    filters = list(scope)
    if score:
        low, high = SCORES[score]
        filters.append(SurveyResponse.score.between(low, high))
    if with_comment:
        filters.append(and_(SurveyResponse.comment.is_not(None), SurveyResponse.comment != ""))
    joined = select(SurveyResponse, Order).join(Order, Order.id == SurveyResponse.order_id).where(*filters)
    total = _count(joined)
    rows = db.session.execute(joined.order_by(SurveyResponse.created_at.desc(), SurveyResponse.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()  # fmt: skip
    items = [{"id": r.id, "order": {"id": o.id, "name": o.name}, "carrier": r.carrier, "kind": r.kind,
              "score": r.score, "band": _band(r.kind, r.score), "comment": r.comment, "locale": r.locale,
              "created_at": _iso(r.created_at)} for r, o in rows]  # fmt: skip
    carriers = db.session.scalars(select(SurveyResponse.carrier).where(SurveyResponse.shop_id == shop_id)
                                  .distinct()).all()  # fmt: skip
    return {"items": items, "page": page, "per_page": per_page, "total": total,
            "summary": _summary(scope), "carriers": sorted(c for c in carriers if c)}  # fmt: skip


def _summary(scope: list[ColumnElement[bool]]) -> dict[str, Any]:
    """Over the answers in scope (store, kind, carrier), whatever the score and comment filters: how many, the NPS
    (% promoters - % detractors) and the CES average."""
    bands = {name: func.sum(case((SurveyResponse.score.between(low, high), 1), else_=0))
             for name, (low, high) in SCORES.items()}  # fmt: skip
    rows = db.session.execute(
        select(SurveyResponse.kind, func.count(), func.avg(SurveyResponse.score), *bands.values())
        .where(*scope).group_by(SurveyResponse.kind)
    ).all()  # fmt: skip
    summary: dict[str, Any] = {"responses": sum(row[1] for row in rows), "nps": None, "ces": None}
    for kind, count, average, promoters, passives, detractors in rows:
        if kind == "nps":
            summary["nps"] = {"responses": count, "score": round(100 * (int(promoters) - int(detractors)) / count),
                              "promoters": int(promoters), "passives": int(passives),
                              "detractors": int(detractors)}  # fmt: skip
        elif kind == "ces":
            summary["ces"] = {"responses": count, "average": round(float(average), 2)}
    return summary


def _band(kind: str, score: int) -> str | None:
    if kind != "nps":
        return None
    return next(name for name, (low, high) in SCORES.items() if low <= score <= high)


# --- shared ------------------------------------------------------------------------------------------------------


def _matches(column: Any, text: str) -> ColumnElement[bool]:
    """`column` contains `text`, ignoring case; % and _ in it are plain characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")  # type: ignore[no-any-return]


def _count(statement: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
