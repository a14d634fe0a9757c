"""The admin dashboard's figures, checked against hand-built parcels, messages and answers: parcels in flight by
status, delays by reason, per carrier the on-time rate (in the destination's calendar) and the median business
days from pickup to delivery, messages sent per day by channel, NPS and CES with their weekly trend; one store's
data never reaches another's dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, Order, OrderEvent, Shipment, Shop, SurveyResponse
from app.services import dashboard, shop_settings
from app.services.shops import get_or_create_shop
from tests.conftest import SHOP
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
OTHER = "other-store.myshopify.com"
NEW_YORK = {"country_code": "US", "province_code": "NY"}
_ids = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def order(shop: Shop, address: dict[str, str] | None = None) -> Order:
    n = next(_ids)
    row = Order(shop_id=shop.id, platform=shop.platform, external_id=str(n), number=str(1000 + n), name=f"#{1000 + n}",
                currency="USD", subtotal=Decimal("10"), total=Decimal("10"), total_tax=Decimal("0"),
                shipping_total=Decimal("0"), discount_total=Decimal("0"), financial_status="paid",
                fulfillment_status="fulfilled", status="open", platform_created_at=NOW - timedelta(days=20),
                platform_updated_at=NOW - timedelta(days=20), shipping_address=address or NEW_YORK)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def parcel(shop: Shop, status: str, carrier: str | None = "ups", **fields: Any) -> Shipment:
    owner = order(shop)
    row = Shipment(shop_id=shop.id, order_id=owner.id, fulfillment_external_id=str(next(_ids)), position=0,
                   state="success", tracking_status=status, carrier=carrier, **fields)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def message(shop: Shop, channel: str, sent_at: datetime, status: str = "sent") -> None:
    owner = order(shop)
    db.session.add(Notification(shop_id=shop.id, order_id=owner.id, idempotency_key=f"k{next(_ids)}",
                                milestone="shipped", channel=channel, locale="en", status=status,
                                sent_at=sent_at if status == "sent" else None))  # fmt: skip


def delay_began(shipment: Shipment, reason: str, at_: datetime) -> None:
    db.session.add(OrderEvent(shop_id=shipment.shop_id, order_id=shipment.order_id, shipment_id=shipment.id,
                              name="shipment.delayed", message="delayed", data={"reason": reason},
                              created_at=at_))  # fmt: skip


def answer(shop: Shop, score: int, created_at: datetime, kind: str = "nps") -> None:
    shipment = parcel(shop, "returned", carrier="dhl")
    db.session.add(SurveyResponse(shop_id=shop.id, order_id=shipment.order_id, shipment_id=shipment.id,
                                  carrier="dhl", kind=kind, score=score, created_at=created_at))  # fmt: skip


@pytest.fixture
def shops(app) -> tuple[Shop, Shop]:  # type: ignore[no-untyped-def]
    mine = get_or_create_shop(platform="shopify", domain=SHOP)
    mine.timezone = "America/New_York"
    other = get_or_create_shop(platform="shopify", domain=OTHER)
    db.session.commit()
    return mine, other


def build(shop: Shop) -> None:
    # In flight: two in transit (delayed, for two reasons), one out for delivery, one pending. Not in flight: a
    # parcel the fulfillment no longer lists, an expired one.
    late = parcel(shop, "in_transit", delay_reason="late", delayed_since=NOW - timedelta(days=1))
    stalled = parcel(shop, "in_transit", delay_reason="stalled", delayed_since=NOW - timedelta(days=2))
    # Delays that began in the period: those two, an earlier stall of the late parcel, since resolved, and one of a
    # parcel delivered since; another began before the period, and an event that is not a delay.
    delay_began(late, "late", NOW - timedelta(days=1))
    delay_began(late, "stalled", NOW - timedelta(days=9))
    delay_began(stalled, "stalled", NOW - timedelta(days=2))
    delay_began(parcel(shop, "delivered"), "not_picked_up", NOW - timedelta(days=12))
    delay_began(stalled, "late", NOW - timedelta(days=31))
    db.session.add(OrderEvent(shop_id=shop.id, order_id=late.order_id, shipment_id=late.id, name="shipment.updated",
                              message="in transit", data={"reason": "late"}, created_at=NOW))  # fmt: skip
    parcel(shop, "out_for_delivery")
    parcel(shop, "pending", carrier=None)
    parcel(shop, "in_transit", removed_at=NOW - timedelta(days=3))
    parcel(shop, "expired")
    # UPS, four delivered in the last 30 days (to New York; no public holiday between Nov 16 and 25, 2026):
    parcel(shop, "delivered", picked_up_at=at("2026-11-17T14:00"), delivered_at=at("2026-11-20T15:00"),
           promised_delivery_on=date(2026, 11, 20))  # on time, 3 business days  # fmt: skip
    parcel(shop, "delivered", picked_up_at=at("2026-11-16T14:00"), delivered_at=at("2026-11-21T03:00"),
           promised_delivery_on=date(2026, 11, 20))  # 22:00 on the 20th in New York: on time; 4 days  # fmt: skip
    parcel(shop, "delivered", picked_up_at=at("2026-11-18T14:00"), delivered_at=at("2026-11-23T15:00"),
           promised_delivery_on=date(2026, 11, 20))  # late; Thu, Fri, Mon: 3 days  # fmt: skip
    parcel(shop, "delivered", picked_up_at=at("2026-11-19T14:00"), delivered_at=at("2026-11-25T15:00"))  # 4 days
    parcel(shop, "delivered", picked_up_at=at("2026-09-25T14:00"), delivered_at=at("2026-10-01T15:00"),
           promised_delivery_on=date(2026, 9, 28))  # before the period  # fmt: skip
    # USPS, one on time in one business day.
    parcel(shop, "delivered", carrier="usps", picked_up_at=at("2026-11-23T14:00"),
           delivered_at=at("2026-11-24T15:00"), promised_delivery_on=date(2026, 11, 25))  # fmt: skip
    # Messages: two emails and a text on Nov 29 (New York), one email on Nov 30; a failed one and an old one.
    message(shop, "email", at("2026-11-29T15:00"))
    message(shop, "email", at("2026-11-30T04:00"))  # 23:00 on the 29th in New York
    message(shop, "sms", at("2026-11-29T16:00"))
    message(shop, "email", at("2026-11-30T14:00"))
    message(shop, "email", at("2026-11-30T10:00"), status="failed")
    message(shop, "email", at("2026-10-01T10:00"))
    # NPS: the week of Nov 16 scores 10 and 2 (NPS 0); the week of Nov 23 scores 10, 10, 9, 7, 3 (NPS 40).
    for score, when in [(10, "2026-11-17T15:00"), (2, "2026-11-18T15:00"), (10, "2026-11-23T15:00"),
                        (10, "2026-11-24T15:00"), (9, "2026-11-25T15:00"), (7, "2026-11-26T15:00"),
                        (3, "2026-11-27T15:00")]:  # fmt: skip
        answer(shop, score, at(when))
    answer(shop, 7, at("2026-11-20T15:00"), kind="ces")
    answer(shop, 5, at("2026-11-21T15:00"), kind="ces")
    answer(shop, 0, at("2026-09-01T15:00"))  # before the period
    db.session.commit()


def test_dashboard_figures_match_the_hand_counted_ones(shops):
    mine, other = shops
    build(mine)
    build(other)  # the same again for another store: none of it may count

    figures = dashboard.dashboard(shop=mine, days=30, now=NOW)

    assert figures["in_flight"] == {"total": 4, "by_status": {"in_transit": 2, "out_for_delivery": 1, "pending": 1}}
    assert figures["delays"] == {"total": 2, "by_reason": [{"reason": "stalled", "count": 1},
                                                           {"reason": "late", "count": 1}]}  # fmt: skip
    assert figures["delays_started"] == {"total": 4, "by_reason": [
        {"reason": "not_picked_up", "count": 1}, {"reason": "stalled", "count": 2}, {"reason": "late", "count": 1}]}
    ups, usps = figures["carriers"]
    assert (ups["carrier"], ups["delivered"], ups["promised"], ups["on_time"]) == ("ups", 4, 3, 2)
    assert ups["on_time_rate"] == pytest.approx(0.6667) and ups["median_transit_days"] == 3.5
    assert (usps["carrier"], usps["delivered"], usps["on_time_rate"]) == ("usps", 1, 1.0)
    assert usps["median_transit_days"] == 1
    series = {item["channel"]: item for item in figures["notifications"]["series"]}
    assert figures["notifications"]["total"] == 4 and series["email"]["total"] == 3 and series["sms"]["total"] == 1
    email_days = {day["date"]: day["count"] for day in series["email"]["days"]}
    assert (email_days["2026-11-29"], email_days["2026-11-30"], email_days["2026-11-28"]) == (2, 1, 0)
    assert series["email"]["days"][0]["date"] == "2026-10-31" and series["email"]["days"][-1]["date"] == "2026-11-30"
    surveys = figures["surveys"]
    assert (surveys["kind"], surveys["responses"], surveys["promoters"], surveys["detractors"]) == ("nps", 7, 4, 2)
    assert surveys["score"] == 29  # 100 * (4 - 2) / 7
    assert surveys["trend"] == [{"week": "2026-11-16", "responses": 2, "score": 0},
                                {"week": "2026-11-23", "responses": 5, "score": 40}]  # fmt: skip


def test_dashboard_shows_the_ces_average_when_the_store_asks_ces(shops):
    mine, _ = shops
    build(mine)
    shop_settings.update(shop_id=mine.id, values={"survey_kind": "ces"})
    mine = db.session.scalars(select(Shop).where(Shop.id == mine.id)).one()

    surveys = dashboard.dashboard(shop=mine, days=30, now=NOW)["surveys"]

    assert (surveys["kind"], surveys["responses"], surveys["score"], surveys["promoters"]) == ("ces", 2, 6.0, None)
    assert surveys["trend"] == [{"week": "2026-11-16", "responses": 2, "score": 6.0}]


def test_dashboard_period_of_seven_days_leaves_older_deliveries_out(shops):
    mine, _ = shops
    build(mine)

    figures = dashboard.dashboard(shop=mine, days=7, now=NOW)

    assert [(c["carrier"], c["delivered"]) for c in figures["carriers"]] == [("ups", 2), ("usps", 1)]
    assert len(figures["notifications"]["series"][0]["days"]) == 8  # Nov 23 to Nov 30 in New York


def test_dashboard_endpoint_answers_the_signed_in_store_and_refuses_other_periods(client, shops):
    _, other = shops
    build(other)
    headers = {"Authorization": f"Bearer {session_token(SHOP)}"}

    empty = client.get("/api/admin/dashboard?days=90", headers=headers)
    refused = client.get("/api/admin/dashboard?days=365", headers=headers)

    assert empty.status_code == 200 and empty.headers["Cache-Control"] == "private, no-store"
    document = empty.get_json()
    assert document["days"] == 90 and document["in_flight"]["total"] == 0 and document["carriers"] == []
    assert document["surveys"]["score"] is None and document["notifications"]["series"] == []
    assert refused.status_code == 400 and "7, 30, 90" in refused.get_json()["message"]


def test_nps_and_ces_arithmetic():
    assert dashboard.score("nps", 10, 0, 6, 1) == 50
    assert dashboard.score("nps", 3, 0, 0, 3) == -100
    assert dashboard.score("ces", 3, 16, 0, 0) == 5.33
    assert dashboard.score("nps", 0, 0, 0, 0) is None
