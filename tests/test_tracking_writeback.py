"""Tracking milestones written back to the Shopify fulfillment, end to end: signed webhooks in, the simulated
carrier polled through a parcel's journey, the order event drain, the write-back job, the real Admin client, and
the fake Shopify recording what it was sent."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import FulfillmentWriteback, OrderEvent, Shipment
from app.models.types import utcnow
from app.services import shop_settings
from app.services.order_events import dispatch_pending
from app.services.tracking import track_now
from app.services.tracking_writeback import retry_due, write
from integrations.carriers.simulated import journey
from integrations.models import TrackingStatus
from integrations.shopify.admin import FULFILLMENT_EVENT_STATUS
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture
from tests.shopify_fake import Harness, attach, connect, fake_shopify

NUMBER = "SIMOK20260302"


@pytest.fixture
def shopify(app):  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP) as harness:
        attach(app, harness)
        yield harness


def ship(client, harness: Harness, *, writeback: bool = True, connected: bool = True) -> Shipment:  # type: ignore[no-untyped-def]
    shop = connect(harness, SHOP) if connected else None
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number=NUMBER, tracking_numbers=[NUMBER])
    post_shopify(client, "fulfillments/create", fulfillment)
    shipment = db.session.scalars(select(Shipment)).one()
    harness.fake.add_fulfillment(SHOP, shipment.fulfillment_external_id)
    if writeback:
        shop_settings.update(shop_id=shop.id if shop else shipment.shop_id, values={"tracking_writeback": "on"})
    return shipment


def scan_times(shipment: Shipment) -> list:  # type: ignore[type-arg]
    planned = journey(NUMBER, shipment.platform_created_at, "US")
    return sorted({event.occurred_at for event in planned.events})


def follow(shipment: Shipment) -> None:
    for moment in scan_times(shipment):  # a poll just after every scan
        track_now(shipment_id=shipment.id, now=moment + timedelta(minutes=1))


def milestones() -> list[TrackingStatus]:
    """The tracking milestones the order events recorded, in order, that Shopify has a status for."""
    known = {f"shipment.{status}": status for status in TrackingStatus}
    names = db.session.scalars(select(OrderEvent.name).order_by(OrderEvent.id))
    return [known[name] for name in names if name in known and known[name] in FULFILLMENT_EVENT_STATUS]


def rows() -> list[FulfillmentWriteback]:
    db.session.expire_all()
    return list(db.session.scalars(select(FulfillmentWriteback).order_by(FulfillmentWriteback.id)))


def test_writeback_parcel_followed_to_delivery_writes_one_fulfillment_event_per_milestone(client, shopify):
    shipment = ship(client, shopify)

    follow(shipment)

    reached = milestones()
    written = shopify.fake.events(SHOP)
    assert [event["status"] for event in written] == [FULFILLMENT_EVENT_STATUS[status] for status in reached]
    assert reached[-3:] == [TrackingStatus.IN_TRANSIT, TrackingStatus.OUT_FOR_DELIVERY, TrackingStatus.DELIVERED]
    assert {event["fulfillmentId"] for event in written} == {f"gid://shopify/Fulfillment/{shipment.fulfillment_external_id}"}
    db.session.expire_all()
    delivered = db.session.get(Shipment, shipment.id)
    assert written[-1]["happenedAt"] == delivered.delivered_at.isoformat().replace("+00:00", "Z")
    assert all(event["message"] for event in written)
    assert [(row.state, row.shopify_event_id) for row in rows()] == [("sent", event["id"]) for event in written]


def test_writeback_duplicate_dispatches_and_retried_jobs_write_nothing_more(client, shopify):
    shipment = ship(client, shopify)
    follow(shipment)
    before = shopify.fake.events(SHOP)

    db.session.execute(update(OrderEvent).values(dispatched_at=None))  # every event handed out again
    db.session.commit()
    dispatch_pending()
    states = [write(row.id) for row in rows()]  # and every job run again

    assert shopify.fake.events(SHOP) == before
    assert states == ["sent"] * len(before)
    assert db.session.scalar(select(func.count()).select_from(FulfillmentWriteback)) == len(before)


def test_writeback_off_for_the_shop_writes_nothing(client, shopify):
    shipment = ship(client, shopify, writeback=False)

    follow(shipment)

    assert milestones()  # the milestones happened
    assert shopify.fake.events(SHOP) == [] and rows() == []
    assert shopify.fake.calls["graphql"] == 0


def test_writeback_passing_failure_is_retried_with_backoff_then_written_once(client, shopify):
    shipment = ship(client, shopify)
    shopify.fake.fail_next(SHOP, 503)

    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))

    [row] = rows()
    assert (row.state, row.attempts, shopify.fake.events(SHOP)) == ("pending", 1, [])
    assert "503" in (row.reason or "")
    assert shopify.clock.slept == []  # a mutation is not resent blindly: Shopify may have applied it
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)  # the job's backoff: a minute after one attempt
    later = utcnow() + timedelta(minutes=2)
    assert retry_due(now=later) == 1

    assert write(row.id, now=later) == "sent"

    assert [event["status"] for event in shopify.fake.events(SHOP)] == [row.shopify_status]
    assert write(row.id, now=later) == "sent" and len(shopify.fake.events(SHOP)) == 1
    assert retry_due(now=later + timedelta(days=1)) == 0


def test_writeback_timeout_that_reached_shopify_is_found_not_written_again(app, client):
    # The client gives up after 0.3 s; the fake applies the write after 0.6 s, as a slow Shopify would.
    with fake_shopify(SHOP, timeout=0.3, timeout_seconds=0.6) as harness:
        attach(app, harness)
        shipment = ship(client, harness)
        harness.fake.fail_next(SHOP, "timeout")

        track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
        [row] = rows()
        assert (row.state, row.attempts) == ("pending", 1)
        time.sleep(0.6)
        [applied] = harness.fake.events(SHOP)

        assert write(row.id, now=utcnow() + timedelta(minutes=2)) == "sent"

        assert harness.fake.events(SHOP) == [applied]
        assert rows()[0].shopify_event_id == applied["id"]


def test_writeback_turned_off_before_a_retry_sends_nothing_more(client, runner, shopify):
    shipment = ship(client, shopify)
    shopify.fake.fail_next(SHOP, 503, 503, 503, 503)
    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
    [row] = rows()
    runner.invoke(args=["shops", "set", SHOP, "tracking_writeback=off"])

    assert write(row.id, now=utcnow() + timedelta(minutes=2)) == "failed"

    assert "turned off" in rows()[0].reason
    assert shopify.fake.events(SHOP) == []


def test_writeback_left_in_doubt_too_often_gives_up(client, shopify):
    shipment = ship(client, shopify)
    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
    [row] = rows()
    shopify.fake.stores[SHOP].events.clear()
    row.state, row.attempts, row.updated_at = "sending", 8, utcnow() - timedelta(minutes=20)
    db.session.commit()

    assert write(row.id) == "failed"

    assert rows()[0].reason.startswith("gave up after 8 attempts")
    assert shopify.fake.events(SHOP) == []


def test_writeback_refused_input_is_recorded_as_failed_with_shopifys_reason(client, runner, shopify):
    shipment = ship(client, shopify)
    shopify.fake.stores[SHOP].fulfillments.clear()  # Shopify does not know this fulfillment

    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))

    [row] = rows()
    assert (row.state, row.attempts) == ("failed", 1)
    assert "fulfillmentEvent.fulfillmentId: Fulfillment does not exist" in row.reason
    assert retry_due(now=utcnow() + timedelta(days=1)) == 0
    shown = runner.invoke(args=["shops", "show", SHOP]).output
    assert "1 failed" in shown and "Fulfillment does not exist" in shown


def test_writeback_for_a_store_without_a_token_fails_without_calling_shopify(client, shopify):
    shipment = ship(client, shopify, connected=False)

    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))

    [row] = rows()
    assert (row.state, row.reason, row.attempts) == ("failed", "store not connected: no access token", 0)
    assert shopify.fake.calls["graphql"] == 0


def test_writeback_for_an_uninstalled_store_fails_as_not_connected(client, shopify):
    shipment = ship(client, shopify)
    shopify.fake.uninstall(SHOP)

    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))

    [row] = rows()
    assert row.state == "failed" and row.reason.startswith("store not connected")
    assert shopify.fake.events(SHOP) == []


def test_writeback_left_in_doubt_is_found_on_shopify_and_not_written_twice(client, shopify):
    shipment = ship(client, shopify)
    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
    [row] = rows()
    [sent] = shopify.fake.events(SHOP)
    # A worker that died after Shopify took the event but before it recorded the answer.
    row.state, row.shopify_event_id, row.updated_at = "sending", None, utcnow() - timedelta(minutes=20)
    db.session.commit()
    assert retry_due() == 1  # the clock picks it up; the job below is what it runs

    assert write(row.id) == "sent"

    assert shopify.fake.events(SHOP) == [sent]
    assert rows()[0].shopify_event_id == sent["id"]


def test_writeback_left_in_doubt_that_never_reached_shopify_is_written_once(client, shopify):
    shipment = ship(client, shopify)
    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
    [row] = rows()
    shopify.fake.stores[SHOP].events.clear()  # the call died before Shopify saw it
    row.state, row.updated_at = "sending", utcnow() - timedelta(minutes=20)
    db.session.commit()

    assert write(row.id) == "sent"

    assert len(shopify.fake.events(SHOP)) == 1


def test_writeback_still_sending_elsewhere_is_left_alone(client, shopify):
    shipment = ship(client, shopify)
    track_now(shipment_id=shipment.id, now=scan_times(shipment)[0] + timedelta(minutes=1))
    [row] = rows()
    shopify.fake.stores[SHOP].events.clear()
    row.state, row.updated_at = "sending", utcnow()  # another job is calling Shopify right now
    db.session.commit()

    assert write(row.id) == "sending"

    assert shopify.fake.events(SHOP) == []


def test_shops_set_turns_writeback_on_and_show_reports_it(client, runner, shopify):
    connect(shopify, SHOP)

    result = runner.invoke(args=["shops", "set", SHOP, "tracking_writeback=on"])
    shown = runner.invoke(args=["shops", "show", SHOP])

    assert result.exit_code == 0, result.output
    assert f"{SHOP}: tracking_writeback = on" in result.output
    assert "tracking_writeback = on" in shown.output and "access token: expires" in shown.output
    assert "shpat_" not in shown.output and "shprt_" not in shown.output


def test_shops_set_refuses_unknown_settings_and_values(client, runner, shopify):
    connect(shopify, SHOP)

    unknown = runner.invoke(args=["shops", "set", SHOP, "tracking_writebak=on"])
    bad_value = runner.invoke(args=["shops", "set", SHOP, "tracking_writeback=maybe"])

    assert unknown.exit_code != 0 and "unknown setting 'tracking_writebak'" in unknown.output
    assert bad_value.exit_code != 0 and "expected on or off" in bad_value.output
