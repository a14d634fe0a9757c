"""Following a real shipment with the simulated carrier, poll after poll, through the app's one tracking path."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import OrderEvent, Shipment, TrackingEvent
from app.services.tracking import track_now
from integrations.carriers.simulated import journey
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture


def ship(client, number: str) -> Shipment:  # type: ignore[no-untyped-def]
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="UPS", tracking_number=number, tracking_numbers=[number])
    post_shopify(client, "fulfillments/create", fulfillment)
    return db.session.scalars(select(Shipment)).one()


def test_simulated_parcel_polled_through_its_journey_reaches_delivered_with_each_milestone(client):
    shipment = ship(client, "SIMOK20260302")
    planned = journey("SIMOK20260302", shipment.platform_created_at, "US")
    times = sorted({event.occurred_at for event in planned.events})

    for moment in times:  # a poll just after every scan
        track_now(shipment_id=shipment.id, now=moment + timedelta(minutes=1))

    db.session.expire_all()
    stored = db.session.get(Shipment, shipment.id)
    assert stored.tracking_status == "delivered"
    assert stored.delivered_at == times[-1]
    assert len(db.session.scalars(select(TrackingEvent.id)).all()) == len(planned.events)
    names = [n for n in db.session.scalars(select(OrderEvent.name).order_by(OrderEvent.id)) if n != "shipment.created"]
    assert names[-3:] == ["shipment.in_transit", "shipment.out_for_delivery", "shipment.delivered"]
    assert names.count("shipment.delivered") == 1


def test_simulated_parcel_polled_again_after_delivery_changes_nothing(client):
    shipment = ship(client, "SIMOK20260303")
    late = shipment.platform_created_at + timedelta(days=30)
    track_now(shipment_id=shipment.id, now=late)

    outcome = track_now(shipment_id=shipment.id, now=late + timedelta(days=1))

    assert (outcome.new_events, outcome.status_change) == (0, None)


def test_simulated_stalled_parcel_stays_in_transit_with_a_passed_estimate(client):
    shipment = ship(client, "SIMDELAY2026")
    now = shipment.platform_created_at + timedelta(days=20)

    track_now(shipment_id=shipment.id, now=now)

    db.session.expire_all()
    stored = db.session.get(Shipment, shipment.id)
    assert stored.tracking_status == "in_transit"
    assert stored.estimated_delivery is not None and stored.estimated_delivery < now


def test_shipments_track_command_reports_new_scans(client, runner):
    ship(client, "SIMOK20260304")

    result = runner.invoke(args=["shipments", "track", "--shop", SHOP, "SIMOK20260304"])

    assert result.exit_code == 0, result.output
    assert "new scans" in result.output
