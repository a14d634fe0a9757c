"""Polling: when shipments are due, handing them to tracking jobs, and never exceeding a carrier's rate limit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select, update

from app.extensions import db
from app.jobs.queue import JobBackend, PendingJob
from app.models import Order, Shipment, TrackingEvent
from app.models.types import utcnow
from app.services import carrier_accounts, tracking_schedule
from app.services.tracking import record_tracking_update
from integrations.models import TrackingEvent as Scan
from integrations.models import TrackingStatus as S
from integrations.models import TrackingUpdate
from tests.helpers import post_shopify, shopify_fixture


class Recorder(JobBackend):
    def __init__(self) -> None:
        self.jobs: list[PendingJob] = []

    def enqueue(self, job: PendingJob) -> bool:
        self.jobs.append(job)
        return True

    def wake(self, name: str) -> bool:
        return True


@pytest.fixture
def record_jobs(app):
    """Call it once the shipments exist: from then on jobs are recorded instead of run."""
    original = app.extensions["afterglow.jobs"]

    def switch() -> Recorder:
        backend = Recorder()
        app.extensions["afterglow.jobs"] = backend
        app.extensions.pop("afterglow.rate_limiter", None)
        return backend

    yield switch
    app.extensions["afterglow.jobs"] = original


def fulfil(client, number: str | None = "SIMOK20260401") -> Shipment:  # type: ignore[no-untyped-def]
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number=number, tracking_numbers=[number] if number else [])
    post_shopify(client, "fulfillments/create", fulfillment)
    return db.session.scalars(select(Shipment)).one()


def test_schedule_new_tracked_shipment_is_first_polled_within_a_quarter_hour(client):
    shipment = fulfil(client)

    wait = shipment.next_check_at - shipment.created_at
    assert timedelta(minutes=12) <= wait <= timedelta(minutes=18)


def test_schedule_shipment_without_tracking_number_is_never_polled(client):
    assert fulfil(client, number=None).next_check_at is None


def test_schedule_changed_tracking_number_restarts_tracking(client):
    shipment = fulfil(client, "SIMOK20260402")
    record_tracking_update(
        shipment_id=shipment.id, source="simulated", now=utcnow(),
        update=TrackingUpdate(carrier="ups", tracking_number="SIMOK20260402", status=S.IN_TRANSIT, events=(
            Scan(occurred_at=utcnow(), status=S.IN_TRANSIT, description="Departed", source_id="x1"),)),
    )  # fmt: skip
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number="SIMOK20260403", tracking_numbers=["SIMOK20260403"],
                       updated_at="2026-03-05T09:00:00-05:00")  # fmt: skip

    post_shopify(client, "fulfillments/update", fulfillment)

    db.session.expire_all()
    stored = db.session.get(Shipment, shipment.id)
    assert (stored.tracking_number, stored.tracking_status, stored.last_event_at) == ("SIMOK20260403", "pending", None)
    assert (stored.lane, stored.picked_up_at) == (None, None)
    assert stored.next_check_at is not None
    assert db.session.scalars(select(TrackingEvent.id)).all() == []


def test_poll_due_hands_due_shipments_to_one_job_and_leases_them(client, record_jobs):
    shipment = fulfil(client)
    recorder = record_jobs()
    now = shipment.next_check_at + timedelta(seconds=1)

    first = tracking_schedule.poll_due(now=now)
    second = tracking_schedule.poll_due(now=now + timedelta(minutes=1))

    assert first == {"simulated": 1} and second == {}
    assert [(job.name, job.args) for job in recorder.jobs] == [("track_shipments", ("simulated", [shipment.id]))]


def test_poll_due_runs_tracking_end_to_end_with_the_simulated_carrier(client):
    shipment = fulfil(client, "SIMOK20260404")
    shipped = shipment.platform_created_at

    tracking_schedule.poll_due(now=max(shipment.next_check_at, shipped + timedelta(days=20)))

    db.session.expire_all()
    stored = db.session.get(Shipment, shipment.id)
    assert (stored.tracking_status, stored.next_check_at) == ("delivered", None)


def test_poll_due_within_a_simulated_day_never_exceeds_the_carriers_rate_limit(client, record_jobs, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a day of 10,000 shipments is run on PostgreSQL only (the embedded SQLite is not for this load)")
    fulfil(client, "9400111899223197428490")
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), shop="other-store.myshopify.com")
    recorder = record_jobs()
    order, other = db.session.scalars(select(Order).order_by(Order.id)).all()
    # The second store tracks UPS on its own account; the first on the app's. Both send 1,000 parcels at once.
    account = carrier_accounts.connect_account(shop_id=other.shop_id, source="ups",
                                               fields={"client_id": "shop", "client_secret": "secret"})  # fmt: skip
    start = datetime(2026, 4, 1, tzinfo=UTC)

    def bulk(owner: Order, prefix: str, count: int, carrier: str, due: Callable[[int], datetime]) -> list[dict]:
        return [
            {"shop_id": owner.shop_id, "order_id": owner.id, "fulfillment_external_id": f"{prefix}{i}", "position": 0,
             "tracking_number": f"{prefix}{i:018d}", "carrier": carrier, "state": "success",
             "tracking_status": "in_transit", "tracking_source": carrier, "line_items": {}, "next_check_at": due(i),
             "created_at": start, "updated_at": start}
            for i in range(count)
        ]  # fmt: skip

    db.session.execute(insert(Shipment), [
        *bulk(order, "bulk", 10_000, "usps", lambda i: start + timedelta(seconds=(i * 2.16) % 21600)),
        *bulk(order, "appups", 1_000, "ups", lambda i: start),
        *bulk(other, "ownups", 1_000, "ups", lambda i: start),
    ])  # fmt: skip
    bulk_ids = Shipment.fulfillment_external_id
    not_bulk = ~(bulk_ids.like("bulk%") | bulk_ids.like("appups%") | bulk_ids.like("ownups%"))
    db.session.execute(update(Shipment).where(not_bulk).values(next_check_at=None))
    db.session.commit()
    budgets = ("usps", "ups", f"ups:account:{account.id}")
    per_minute: dict[str, Counter[int]] = {budget: Counter() for budget in budgets}

    for minute in range(24 * 60):
        now = start + timedelta(minutes=minute)
        recorder.jobs.clear()
        handed = tracking_schedule.poll_due(now=now)
        for budget in budgets:
            per_minute[budget][minute] = handed.get(budget, 0)
        ids = [i for job in recorder.jobs for i in job.args[1]]
        if ids:  # what a poll would do: the parcel is still in transit, ask again in about six hours
            later = now + timedelta(hours=6)
            db.session.execute(update(Shipment).where(Shipment.id.in_(ids)).values(next_check_at=later))
            db.session.commit()

    assert max(per_minute["usps"].values()) <= tracking_schedule.RATE_LIMITS["usps"]
    assert sum(per_minute["usps"].values()) >= 10_000 * 3  # every parcel was still polled about every six hours
    ups_limit = tracking_schedule.RATE_LIMITS["ups"]
    for budget in budgets[1:]:
        assert max(per_minute[budget].values()) <= ups_limit
        assert sum(per_minute[budget].values()) == 1_000 * 4  # at 0, 6, 12 and 18 hours
    # the merchant's own account has its own budget: in the first minute both UPS budgets were used in full
    assert per_minute["ups"][0] == per_minute[f"ups:account:{account.id}"][0] == ups_limit


def test_poll_due_hands_a_shops_account_batches_with_its_account_id(client, record_jobs):
    shipment = fulfil(client)
    account = carrier_accounts.connect_account(shop_id=shipment.shop_id, source="ups",
                                               fields={"client_id": "shop", "client_secret": "s"})  # fmt: skip
    recorder = record_jobs()

    handed = tracking_schedule.poll_due(now=shipment.next_check_at + timedelta(seconds=1))

    # a UPS parcel, the shop's UPS account: followed by UPS on that account rather than the default source
    assert handed == {f"ups:account:{account.id}": 1}
    assert [(job.name, job.args) for job in recorder.jobs] == [("track_shipments", ("ups", [shipment.id], account.id))]


@pytest.mark.parametrize("store", ["redis", "process"])
def test_rate_limiter_counts_each_account_against_its_own_budget(store):
    import fakeredis

    limiter = tracking_schedule.RateLimiter(fakeredis.FakeRedis() if store == "redis" else None)
    now = datetime(2026, 4, 1, 12, 0, 30, tzinfo=UTC)

    assert limiter.take("ups", 250, now) == 200
    assert limiter.take("ups:account:1", 250, now) == 200  # a merchant's account: UPS's limit, its own count
    assert limiter.take("ups:account:2", 10, now) == 10
    assert (limiter.take("ups", 1, now), limiter.take("ups:account:1", 1, now)) == (0, 0)
    assert limiter.take("ups", 1, now + timedelta(minutes=1)) == 1  # a new minute, a new window
    assert limiter.take("fedex:account:3", 100, now) == tracking_schedule.DEFAULT_RATE_LIMIT


def test_track_shipments_reads_a_batchs_orders_in_one_query_whatever_its_size(client, record_jobs):
    def batch(first: int, count: int) -> list[int]:
        ids = []
        for i in range(first, first + count):
            order = shopify_fixture("orders_updated.json")
            order.update(id=order["id"] + i, name=f"#{2000 + i}")
            post_shopify(client, "orders/create", order)
            fulfillment = shopify_fixture("fulfillments_update.json")
            number = f"SIMOK2026{i:06d}"
            fulfillment.update(id=fulfillment["id"] + i, order_id=order["id"], tracking_company="UPS",
                               tracking_number=number, tracking_numbers=[number])  # fmt: skip
            post_shopify(client, "fulfillments/create", fulfillment)
            ids.append(db.session.scalars(select(Shipment.id).where(Shipment.tracking_number == number)).one())
        return ids

    def order_reads(ids: list[int]) -> int:
        statements: list[str] = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            tracking_schedule.track_shipments("simulated", ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT") and "\nFROM orders" in s])

    two, six = batch(0, 2), batch(2, 6)
    record_jobs()  # the journeys a status change starts run elsewhere: only the tracking pass is counted

    # each parcel on an order of its own: asking about six costs the queries asking about two do
    assert order_reads(two) == order_reads(six)
