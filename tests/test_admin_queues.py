"""The admin's queues: shipments needing attention, the message log and survey answers, each for the signed-in
store only, filtered, searched and paged as the merchant asks."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import Customer, Notification, Order, Shipment, SurveyResponse, TrackingEvent
from app.models.types import utcnow
from app.services.shops import get_or_create_shop
from tests.conftest import SHOP
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OTHER = "other-store.myshopify.com"


class Store:
    """A store's rows, written directly: what the pipeline would have stored."""

    def __init__(self, domain: str) -> None:
        self.shop = get_or_create_shop(platform="shopify", domain=domain)
        db.session.commit()
        self.orders = 0

    def order(self, name: str | None = None, *, first: str = "Maya", email: str = "maya@example.com") -> Order:
        self.orders += 1
        now = utcnow()
        customer = Customer(shop_id=self.shop.id, external_id=f"c{self.orders}", email=email, first_name=first,
                            last_name="Okafor")  # fmt: skip
        order = Order(
            shop_id=self.shop.id, platform="shopify", external_id=f"o{self.orders}", number=str(1000 + self.orders),
            name=name or f"#{1000 + self.orders}", email=email, customer=customer, currency="USD",
            subtotal=Decimal("10"), total=Decimal("10"), total_tax=Decimal("0"), shipping_total=Decimal("0"),
            discount_total=Decimal("0"), financial_status="paid", fulfillment_status="fulfilled", status="open",
            platform_created_at=now - timedelta(days=12), platform_updated_at=now,
        )  # fmt: skip
        db.session.add(order)
        db.session.flush()
        return order

    def parcel(self, order: Order | None = None, *, status: str = "in_transit", reason: str | None = None,
               hours_ago: float = 0, carrier: str = "ups", number: str | None = None,
               removed: bool = False) -> Shipment:  # fmt: skip
        order = order or self.order()
        now = utcnow()
        when = now - timedelta(hours=hours_ago)
        shipment = Shipment(
            shop_id=self.shop.id, order=order, fulfillment_external_id=f"f{order.id}-{len(order.shipments)}",
            position=0, tracking_number=number or f"1Z{order.id:06d}{len(order.shipments)}", carrier=carrier,
            state="success", tracking_status=status, delay_reason=reason,
            delayed_since=when if reason else None, last_event_at=when, removed_at=now if removed else None,
        )  # fmt: skip
        db.session.add(shipment)
        db.session.flush()
        return shipment

    def scan(self, shipment: Shipment, status: str, description: str, hours_ago: float) -> None:
        db.session.add(TrackingEvent(
            shop_id=self.shop.id, shipment_id=shipment.id, dedupe_key=f"{description}{hours_ago}",
            occurred_at=utcnow() - timedelta(hours=hours_ago), status=status, description=description,
            location="Lyon, FR", source="simulated",
        ))  # fmt: skip

    def message(self, order: Order, milestone: str, *, status: str = "sent", channel: str = "email",
                minutes_ago: int = 0, reason: str | None = None) -> Notification:  # fmt: skip
        at = utcnow() - timedelta(minutes=minutes_ago)
        row = Notification(
            shop_id=self.shop.id, order_id=order.id, idempotency_key=f"{order.id}:{milestone}:{channel}",
            milestone=milestone, channel=channel, recipient=order.email if channel == "email" else None,
            locale="en", status=status, reason=reason, attempts=1 if status == "sent" else 0,
            sent_at=at if status == "sent" else None, created_at=at, send_after=at,
        )  # fmt: skip
        db.session.add(row)
        return row

    def answer(self, shipment: Shipment, score: int, comment: str | None = None, *, kind: str = "nps",
               minutes_ago: int = 0) -> None:  # fmt: skip
        db.session.add(SurveyResponse(
            shop_id=self.shop.id, order_id=shipment.order_id, shipment_id=shipment.id, carrier=shipment.carrier,
            kind=kind, score=score, comment=comment, locale="en", created_at=utcnow() - timedelta(minutes=minutes_ago),
        ))  # fmt: skip


@pytest.fixture
def store(app) -> Store:  # type: ignore[no-untyped-def]
    return Store(SHOP)


@pytest.fixture
def other(app) -> Store:  # type: ignore[no-untyped-def]
    return Store(OTHER)


def get(client: Any, path: str, shop: str = SHOP) -> Any:
    response = client.get(path, headers={"Authorization": f"Bearer {session_token(shop)}"})
    db.session.rollback()
    return response


def names(document: dict[str, Any]) -> list[str]:
    return [item["order"]["name"] for item in document["items"]]


# --- shipments -------------------------------------------------------------------------------------------------


@pytest.fixture
def problems(store: Store, other: Store) -> dict[str, Shipment]:
    parcels = {
        "stalled": store.parcel(store.order("#1001"), reason="stalled", hours_ago=240, carrier="dhl"),
        "late": store.parcel(store.order("#1002"), reason="late", hours_ago=48),
        "exception": store.parcel(store.order("#1003"), status="exception", hours_ago=30),
        "attempt": store.parcel(store.order("#1004"), status="attempt_failed", hours_ago=5, carrier="usps"),
        "returning": store.parcel(store.order("#1005"), status="returning_to_sender", hours_ago=72),
        "expired": store.parcel(store.order("#1006"), status="expired", hours_ago=800, carrier="dhl"),
        # Not the merchant's problem, or not any more:
        "moving": store.parcel(store.order("#1007"), hours_ago=3),
        "delivered": store.parcel(store.order("#1008"), status="delivered", reason="late", hours_ago=2),
        "removed": store.parcel(store.order("#1009"), status="exception", hours_ago=10, removed=True),
        "elsewhere": other.parcel(other.order("#1003"), status="exception", hours_ago=400),
    }
    store.scan(parcels["exception"], "in_transit", "Arrived at facility", 40)
    store.scan(parcels["exception"], "exception", "Damaged, contacting sender", 30)
    store.scan(parcels["exception"], "in_transit", "Departed from facility", 50)
    db.session.commit()
    return parcels


def test_shipments_queue_lists_each_problem_once_oldest_first(client, problems):
    document = get(client, "/api/admin/shipments").get_json()

    assert names(document) == ["#1006", "#1001", "#1005", "#1002", "#1003", "#1004"]
    assert document["counts"] == {"all": 6, "delayed": 1, "exception": 3, "attempt_failed": 1, "stalled": 1}
    assert (document["total"], document["page"], document["per_page"]) == (6, 1, 25)
    assert document["carriers"] == ["dhl", "ups", "usps"]
    by_name = {item["order"]["name"]: item for item in document["items"]}
    damaged = by_name["#1003"]
    assert damaged["attention"] == "exception" and damaged["reason"] == {"code": "exception",
                                                                         "text": "Damaged, contacting sender"}
    assert damaged["last_event"]["description"] == "Damaged, contacting sender"  # the newest scan, not the last added
    assert damaged["age_hours"] == 30 and damaged["customer"] == {"name": "Maya Okafor"}
    assert by_name["#1002"]["reason"]["code"] == "late" and by_name["#1002"]["attention"] == "delayed"
    assert by_name["#1001"]["reason"]["text"].startswith("No carrier scan since ")
    assert by_name["#1004"]["last_event"] is None and by_name["#1004"]["attention"] == "attempt_failed"


def test_shipments_queue_filters_by_attention_carrier_and_search(client, problems):
    exceptions = get(client, "/api/admin/shipments?attention=exception").get_json()
    stalled = get(client, "/api/admin/shipments?attention=stalled").get_json()
    dhl = get(client, "/api/admin/shipments?carrier=dhl").get_json()
    by_name = get(client, "/api/admin/shipments?q=%231002").get_json()
    by_number = get(client, f"/api/admin/shipments?q={problems['attempt'].tracking_number[3:].lower()}").get_json()
    wildcard = get(client, "/api/admin/shipments?q=%25").get_json()

    assert names(exceptions) == ["#1006", "#1005", "#1003"] and exceptions["total"] == 3
    assert exceptions["counts"]["all"] == 6  # the tabs keep their counts whichever is open
    assert names(stalled) == ["#1001"]
    assert names(dhl) == ["#1006", "#1001"] and dhl["counts"] == {"all": 2, "delayed": 0, "exception": 1,
                                                                    "attempt_failed": 0, "stalled": 1}
    assert names(by_name) == ["#1002"] and by_name["counts"]["all"] == 1
    assert names(by_number) == ["#1004"]
    assert names(wildcard) == []  # % is a character to find, not a wildcard


def test_shipments_queue_pages_and_refuses_bad_queries(client, problems):
    pages = [get(client, f"/api/admin/shipments?per_page=4&page={n}").get_json() for n in (1, 2, 3)]
    bad = [get(client, f"/api/admin/shipments?{query}") for query in
           ("attention=lost", "page=0", "per_page=500", "page=two")]  # fmt: skip

    assert [names(page) for page in pages] == [["#1006", "#1001", "#1005", "#1002"], ["#1003", "#1004"], []]
    assert all(page["total"] == 6 for page in pages)
    assert [response.status_code for response in bad] == [400, 400, 400, 400]
    assert "attention must be one of all, delayed" in bad[0].get_json()["message"]


def test_shipments_queue_reads_a_page_in_the_same_few_queries_whatever_its_size(app, client, store):
    def queries(count: int) -> int:
        for n in range(count):
            parcel = store.parcel(status="exception", hours_ago=n + 1)
            store.scan(parcel, "exception", "Damaged", n + 1)
        db.session.commit()
        statements: list[str] = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            document = get(client, "/api/admin/shipments").get_json()
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert all(item["last_event"]["description"] == "Damaged" for item in document["items"])
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    assert queries(2) == queries(20)


def test_shipments_queue_is_answered_by_its_partial_index_on_postgresql(app, client, problems):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite uses a partial index only for literal values; the embedded store keeps few parcels")
    statements: list[tuple[str, Any]] = []
    listen = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        get(client, "/api/admin/shipments?attention=stalled")
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    queries = [(sql, params) for sql, params in statements
               if "FROM shipments" in sql and "delay_reason IS NOT NULL" in sql]  # fmt: skip

    assert len(queries) == 3  # the counts, the carriers, the page
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")  # a handful of rows: make the planner show its hand
        for sql, params in queries:
            plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", params))
            assert "ix_shipments_attention" in plan, plan


def test_shipments_queue_shows_another_stores_parcels_to_nobody(client, problems):
    mine = get(client, "/api/admin/shipments?q=%231003").get_json()
    theirs = get(client, "/api/admin/shipments", shop=OTHER).get_json()
    unsigned = client.get("/api/admin/shipments")

    assert [item["id"] for item in mine["items"]] == [problems["exception"].id]
    assert [item["id"] for item in theirs["items"]] == [problems["elsewhere"].id]
    assert unsigned.status_code == 401


# --- messages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def messages(store: Store, other: Store) -> dict[str, Order]:
    maya, jonas = store.order("#1001"), store.order("#1002", first="Jonas", email="jonas@example.com")
    store.message(maya, "shipped", minutes_ago=300)
    store.message(maya, "delivered", minutes_ago=100)
    store.message(maya, "delivered", channel="sms", status="suppressed", reason="no SMS consent", minutes_ago=100)
    store.message(jonas, "shipped", status="suppressed", reason="stale: happened 9 days ago", minutes_ago=200)
    store.message(jonas, "delayed", status="failed", reason="mailbox unavailable", minutes_ago=50)
    theirs = other.order("#1001")
    other.message(theirs, "shipped")
    db.session.commit()
    return {"maya": maya, "jonas": jonas, "theirs": theirs}


def test_notification_log_lists_the_stores_messages_newest_first_with_filters(client, messages):
    everything = get(client, "/api/admin/notifications").get_json()
    suppressed = get(client, "/api/admin/notifications?status=suppressed").get_json()
    shipped = get(client, "/api/admin/notifications?milestone=shipped").get_json()
    jonas = get(client, "/api/admin/notifications?q=JONAS@").get_json()
    paged = get(client, "/api/admin/notifications?per_page=2&page=2").get_json()

    assert [(i["milestone"], i["channel"]) for i in everything["items"]] == [
        ("delayed", "email"), ("delivered", "sms"), ("delivered", "email"), ("shipped", "email"), ("shipped", "email")]
    assert everything["total"] == 5 and "survey_request" in everything["milestones"]
    failed = everything["items"][0]
    assert (failed["status"], failed["reason"], failed["order"]["name"]) == ("failed", "mailbox unavailable", "#1002")
    assert {i["reason"] for i in suppressed["items"]} == {"no SMS consent", "stale: happened 9 days ago"}
    assert names(shipped) == ["#1002", "#1001"]
    assert names(jonas) == ["#1002", "#1002"]
    assert paged["total"] == 5 and [i["milestone"] for i in paged["items"]] == ["delivered", "shipped"]
    assert get(client, "/api/admin/notifications?status=bounced").status_code == 400


def test_order_notification_log_shows_the_order_and_every_message_in_order(client, messages, store):
    parcel = store.parcel(messages["maya"], status="delivered")
    db.session.commit()

    document = get(client, f"/api/admin/orders/{messages['maya'].id}/notifications").get_json()

    assert document["order"]["name"] == "#1001" and document["order"]["customer"] == {"name": "Maya Okafor"}
    assert [s["id"] for s in document["order"]["shipments"]] == [parcel.id]
    assert [(i["milestone"], i["channel"], i["status"]) for i in document["items"]] == [
        ("shipped", "email", "sent"), ("delivered", "email", "sent"), ("delivered", "sms", "suppressed")]
    sent = document["items"][1]
    assert sent["recipient"] == "maya@example.com" and sent["attempts"] == 1 and sent["sent_at"]


def test_order_notification_log_of_another_stores_order_is_not_found_like_a_missing_one(client, messages):
    theirs = get(client, f"/api/admin/orders/{messages['theirs'].id}/notifications")
    missing = get(client, "/api/admin/orders/987654/notifications")
    own_for_them = get(client, f"/api/admin/orders/{messages['maya'].id}/notifications", shop=OTHER)

    assert theirs.status_code == missing.status_code == own_for_them.status_code == 404
    assert theirs.get_json() == missing.get_json() == own_for_them.get_json()


# --- survey answers --------------------------------------------------------------------------------------------


@pytest.fixture
def answers(store: Store, other: Store) -> None:
    scores = [(10, "Lovely", "ups"), (9, None, "ups"), (8, "Fine", "dhl"), (3, "Box was crushed", "dhl"),
              (0, "", "ups")]
    for minutes, (score, comment, carrier) in enumerate(scores):
        store.answer(store.parcel(carrier=carrier, status="delivered"), score, comment, minutes_ago=minutes)
    store.answer(store.parcel(status="delivered"), 6, "Took a while", kind="ces", minutes_ago=10)
    store.answer(store.parcel(status="delivered"), 7, None, kind="ces", minutes_ago=11)
    other.answer(other.parcel(status="delivered"), 0, "Never again")
    db.session.commit()


def test_survey_answers_list_newest_first_with_the_summary(client, answers):
    document = get(client, "/api/admin/surveys").get_json()

    assert [(i["kind"], i["score"]) for i in document["items"]] == [
        ("nps", 10), ("nps", 9), ("nps", 8), ("nps", 3), ("nps", 0), ("ces", 6), ("ces", 7)]
    assert [i["band"] for i in document["items"][:5]] == ["promoter", "promoter", "passive", "detractor", "detractor"]
    assert document["summary"] == {
        "responses": 7, "nps": {"responses": 5, "score": 0, "promoters": 2, "passives": 1, "detractors": 2},
        "ces": {"responses": 2, "average": 6.5}}  # fmt: skip
    assert "Never again" not in str(document)


def test_survey_answers_filter_by_band_comment_kind_and_carrier(client, answers):
    detractors = get(client, "/api/admin/surveys?score=detractor").get_json()
    commented = get(client, "/api/admin/surveys?with_comment=1&kind=nps").get_json()
    ces = get(client, "/api/admin/surveys?kind=ces").get_json()
    dhl = get(client, "/api/admin/surveys?carrier=dhl").get_json()

    assert [i["score"] for i in detractors["items"]] == [3, 0]
    assert detractors["summary"]["nps"]["responses"] == 5  # the summary is the whole kind, not just the band
    assert [i["comment"] for i in commented["items"]] == ["Lovely", "Fine", "Box was crushed"]
    assert [i["score"] for i in ces["items"]] == [6, 7] and ces["summary"]["nps"] is None
    assert [i["score"] for i in dhl["items"]] == [8, 3] and dhl["summary"]["nps"]["score"] == -50
    assert get(client, "/api/admin/surveys?score=fan").status_code == 400


def test_survey_answers_of_another_store_stay_theirs(client, answers):
    theirs = get(client, "/api/admin/surveys", shop=OTHER).get_json()

    assert [i["comment"] for i in theirs["items"]] == ["Never again"]
    assert theirs["summary"]["nps"] == {"responses": 1, "score": -100, "promoters": 0, "passives": 0,
                                        "detractors": 1}  # fmt: skip


def test_shipments_since_is_reported_in_utc(client, problems):
    item = get(client, "/api/admin/shipments?q=%231003").get_json()["items"][0]

    assert datetime.fromisoformat(item["since"]).utcoffset() == timedelta(0)

