"""EasyPost pushes through `POST /webhooks/carriers/easypost`: verified, stored once, acknowledged, applied to
every store's shipment with that carrier and number; what is not about a known parcel is acknowledged and ignored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, OrderEvent, Shipment, TrackingEvent
from app.services import privacy, push_urls
from fakes.easypost import signed_delivery
from tests.conftest import SHOP
from tests.easypost_helpers import (
    NOW,
    NUMBER,
    OTHER_SHOP,
    SECRET,
    SETTINGS,
    count,
    event,
    push,
    pushes_stored,
    ship,
    snapshot,
)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pushes are applied on the drain's clock; the recorded scans are from March 2026.
    monkeypatch.setattr("app.services.processing.utcnow", lambda: NOW)


@pytest.fixture
def app_settings() -> dict[str, object]:
    return SETTINGS


def test_easypost_push_is_acknowledged_stored_and_applied_to_the_shipment(client):
    shipment_id = ship(client)

    response = push(client, event())

    assert (response.status_code, response.json["ok"]) == (200, True)
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert (row.platform, row.topic, row.event_id, row.shop_id, row.status) == (
        "easypost", "tracker.updated", "evt_3f0c9a1e17a411f1b2d84fbb3e7a1f1c", None, "processed")  # fmt: skip
    status, estimate, last_scan, scans = snapshot(shipment_id)
    assert (status, len(scans)) == ("in_transit", 5)
    assert scans[-1][:3] == (last_scan, "America/Chicago", "in_transit")  # 12:50 CST in Memphis, not 12:50 UTC
    assert last_scan.hour == 18 and estimate.isoformat() == "2026-03-07T07:59:59+00:00"
    assert set(db.session.scalars(select(TrackingEvent.source))) == {"easypost"}
    assert "shipment.in_transit" in db.session.scalars(select(OrderEvent.name)).all()


def test_easypost_pushed_scans_are_shown_in_the_local_time_easypost_printed(client, runner):
    ship(client)
    push(client, event())

    result = runner.invoke(args=["shipments", "show", "--shop", SHOP, NUMBER])

    assert result.exit_code == 0, result.output
    assert "2026-03-04 12:50 CST" in result.output  # "datetime": "2026-03-04T12:50:00Z" in Memphis
    assert "2026-03-03 16:27 EST" in result.output  # "datetime": "2026-03-03T16:27:00Z" in Orlando


def test_easypost_tracker_created_push_is_applied_like_an_update(client):
    shipment_id = ship(client)
    created = event()
    created.update(id="evt_created", description="tracker.created")

    response = push(client, created)

    assert db.session.get(InboundWebhook, response.json["inbox_id"]).topic == "tracker.created"
    assert snapshot(shipment_id)[0] == "in_transit"


def test_easypost_push_without_signature_gets_400_and_with_a_wrong_one_401_storing_nothing(client):
    ship(client)
    headers, body = signed_delivery(event(), SECRET)
    del headers["X-Hmac-Signature"]

    missing = client.post("/webhooks/carriers/easypost", data=body, headers=headers)
    forged = push(client, event(), secret="not-the-secret")

    assert (missing.status_code, forged.status_code) == (400, 401)
    assert "X-Hmac-Signature" in missing.json["error"]
    assert (pushes_stored(), count(TrackingEvent)) == (0, 0)


def test_easypost_push_is_refused_while_no_webhook_secret_is_configured(app, client):
    app.config["AFTERGLOW"].easypost_webhook_secret = None

    response = push(client, event())

    assert response.status_code == 401
    assert pushes_stored() == 0


def test_easypost_push_for_a_number_no_store_ships_is_acknowledged_and_ignored(client):
    ship(client, number="794600000000")

    response = push(client, event())

    assert response.status_code == 200
    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert (row.status, row.error) == ("ignored", "no shipment has this carrier and tracking number")
    assert count(TrackingEvent) == 0


def test_easypost_push_matches_the_carrier_as_well_as_the_number(client):
    ship(client, carrier="UPS")  # the same digits, another carrier's parcel

    response = push(client, event())

    assert db.session.get(InboundWebhook, response.json["inbox_id"]).status == "ignored"
    assert count(TrackingEvent) == 0


def test_easypost_push_of_an_event_about_no_parcel_is_acknowledged_and_not_stored(client):
    response = push(client, {"object": "Event", "id": "evt_batch", "description": "batch.updated", "result": {}})

    assert (response.status_code, response.json["ignored"]) == (200, "batch.updated is not about a parcel")
    assert pushes_stored() == 0


def test_easypost_push_delivered_three_times_is_stored_and_applied_once(client):
    shipment_id = ship(client)
    responses = [push(client, event()) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json.get("duplicate", False) for r in responses] == [False, True, True]
    duplicates = select(InboundWebhook.duplicate_count).where(InboundWebhook.platform == "easypost")
    assert (pushes_stored(), db.session.scalars(duplicates).all()) == (1, [2])
    assert len(snapshot(shipment_id)[3]) == 5


def test_easypost_push_is_applied_to_every_store_that_ships_that_parcel(client):
    first, second = ship(client), ship(client, shop=OTHER_SHOP)

    push(client, event())

    assert snapshot(first)[0] == snapshot(second)[0] == "in_transit"
    shops = db.session.scalars(select(TrackingEvent.shop_id).distinct()).all()
    assert len(shops) == 2 and count(TrackingEvent) == 10


def test_easypost_push_signed_but_unreadable_is_kept_as_a_failure_with_its_reason(client, runner):
    ship(client)
    broken = event()
    broken["result"]["tracking_details"] = "none"  # readable as an Event, not as a Tracker

    response = push(client, broken)

    row = db.session.get(InboundWebhook, response.json["inbox_id"])
    assert (row.status, row.error) == ("failed", "cannot be read: easypost tracker: tracking_details is not a list")
    listed = runner.invoke(args=["webhooks", "list", "--status", "failed"])
    assert "tracking_details is not a list" in listed.output
    replayed = runner.invoke(args=["webhooks", "replay", str(row.id)])
    assert replayed.exit_code == 1 and "failed" in replayed.output


def test_easypost_push_whose_ids_overflow_the_inbox_is_kept_as_a_failure_not_a_500(client):
    ship(client)
    for field in ("id", "user_id"):
        overlong = event()
        overlong[field] = "evt_" + "9" * 300  # signed by the sender, longer than any id the inbox holds

        response = push(client, overlong)

        assert response.status_code == 400 and "longer than 255 characters" in response.json["error"]
        row = db.session.get(InboundWebhook, response.json["inbox_id"])
        assert (row.status, row.topic) == ("failed", "unknown") and "longer than" in row.error
    assert count(TrackingEvent) == 0


def test_easypost_push_replayed_changes_nothing_more(client, runner):
    shipment_id = ship(client)
    row_id = push(client, event()).json["inbox_id"]
    before = snapshot(shipment_id)

    result = runner.invoke(args=["webhooks", "replay", str(row_id)])

    assert result.exit_code == 0, result.output
    assert "processed" in result.output and "0 new scan(s)" in result.output
    assert snapshot(shipment_id) == before


def test_easypost_older_push_arriving_late_adds_its_scans_but_not_its_status(client):
    shipment_id = ship(client)
    newer = event()
    newer["id"] = "evt_newer"
    newer["result"].update(status="out_for_delivery", status_detail="out_for_delivery")
    newer["result"]["tracking_details"].append({
        "object": "TrackingDetail", "message": "On FedEx vehicle for delivery", "status": "out_for_delivery",
        "status_detail": "out_for_delivery", "datetime": "2026-03-06T08:05:00Z",
        "tracking_location": {"city": "SEATTLE", "state": "WA", "country": "US", "zip": "98101"},
    })  # fmt: skip
    older = event()
    older["result"]["tracking_details"][3]["message"] = "In transit (corrected)"  # a scan only the older one has

    push(client, newer)
    push(client, older)

    status, _, _, scans = snapshot(shipment_id)
    assert status == "out_for_delivery"
    assert len(scans) == 7


def test_easypost_push_with_the_database_down_gets_503_to_be_delivered_again():
    import socket

    from app import create_app
    from tests.conftest import make_settings

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = create_app(make_settings(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
                                    easypost_webhook_secret=SECRET))  # fmt: skip
    headers, body = signed_delivery(event(), SECRET)

    response = down.test_client().post("/webhooks/carriers/easypost", data=body, headers=headers)

    assert (response.status_code, response.headers["Retry-After"]) == (503, "30")


def test_easypost_push_whose_wake_was_lost_is_applied_by_the_sweeper(app, client, monkeypatch):
    from app.jobs.backends import backend_of
    from app.jobs.sweeper import sweep

    shipment_id = ship(client)
    with monkeypatch.context() as patched:
        patched.setattr(backend_of(app), "wake_soon", lambda name: None)  # Redis was down when it arrived
        row_id = push(client, event()).json["inbox_id"]
    assert db.session.get(InboundWebhook, row_id).status == "received"

    sweep(grace_seconds=0)

    db.session.expire_all()
    assert db.session.get(InboundWebhook, row_id).status == "processed"
    assert snapshot(shipment_id)[0] == "in_transit"


def test_easypost_two_events_of_one_tracker_in_one_inbox_batch_store_each_scan_once(app, client, monkeypatch):
    from app.jobs.backends import backend_of
    from app.services.processing import process_inbox

    shipment_id = ship(client)
    second = event()
    second["id"] = "evt_second"  # EasyPost's next event for the same tracker repeats every earlier scan
    with monkeypatch.context() as patched:
        patched.setattr(backend_of(app), "wake_soon", lambda name: None)
        ids = [push(client, body).json["inbox_id"] for body in (event(), second)]

    assert process_inbox() == 2

    db.session.expire_all()
    notes = [db.session.get(InboundWebhook, row_id).error for row_id in ids]
    assert notes == ["1 shipment(s), 5 new scan(s); pending → in_transit", "1 shipment(s), 0 new scan(s)"]
    assert len(snapshot(shipment_id)[3]) == 5


def shop_push(client, body_event, *, shop_id: int, secret: str | None = None):  # type: ignore[no-untyped-def]
    token = push_urls.shop_push_token(shop_id=shop_id)
    secret = secret or push_urls.shop_push_secret(shop_id=shop_id, source="easypost")
    headers, body = signed_delivery(body_event, secret)
    return client.post(f"/webhooks/carriers/easypost/shops/{token}", data=body, headers=headers)


def test_easypost_push_to_a_stores_own_address_updates_that_stores_parcel_only(client):
    mine = ship(client)
    theirs = ship(client, shop=OTHER_SHOP)  # another store ships a parcel with the same carrier and number
    shop_id = db.session.get(Shipment, mine).shop_id

    answer = shop_push(client, event(), shop_id=shop_id)

    assert answer.status_code == 200
    assert count_scans(mine) > 0
    assert count_scans(theirs) == 0


def test_easypost_push_to_a_stores_address_is_refused_with_the_apps_secret_or_another_stores(client):
    mine = ship(client)
    other = ship(client, shop=OTHER_SHOP)
    shop_id, other_shop_id = db.session.get(Shipment, mine).shop_id, db.session.get(Shipment, other).shop_id

    with_app_secret = shop_push(client, event(), shop_id=shop_id, secret=SECRET)
    other_secret = push_urls.shop_push_secret(shop_id=other_shop_id, source="easypost")
    with_other_secret = shop_push(client, event(), shop_id=shop_id, secret=other_secret)
    forged = client.post("/webhooks/carriers/easypost/shops/not-a-token", data=b"{}")

    assert (with_app_secret.status_code, with_other_secret.status_code, forged.status_code) == (401, 401, 404)
    assert pushes_stored() == 0


def count_scans(shipment_id: int) -> int:
    return int(db.session.scalar(select(func.count()).where(TrackingEvent.shipment_id == shipment_id)) or 0)


def test_easypost_push_to_the_address_of_a_store_since_removed_is_refused_with_404(client):
    shipment_id = ship(client)
    shop_id = db.session.get(Shipment, shipment_id).shop_id
    privacy.erase_shop(shop_id=shop_id)  # shop/redact: the store and all it owned are gone, its address still signed

    answer = shop_push(client, event(), shop_id=shop_id)

    assert (answer.status_code, answer.json["error"]) == (404, "no store has this push address")
    assert pushes_stored() == 0
