"""EasyPost polled through the local fake EasyPost API with the real `easypost` client, and pushes and polls
through one apply path: whichever comes first, each scan is stored once and the parcel ends in the same state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.extensions import db
from app.models import InboundWebhook, Shipment
from app.services.tracking import track_now
from fakes.easypost import FakeEasyPost, tracker_event
from fakes.server import FakeServer
from tests.easypost_helpers import NOW, SECRET, SETTINGS, event, fake_easypost, push, ship, snapshot, tracker


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Pushes are applied on the drain's clock; the recorded scans are from March 2026.
    monkeypatch.setattr("app.services.processing.utcnow", lambda: NOW)


@pytest.fixture
def app_settings() -> dict[str, object]:
    return SETTINGS


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEasyPost]:
    with fake_easypost(monkeypatch, app_key=True) as fake:
        yield fake


def test_easypost_poll_through_the_fake_api_follows_the_parcel(client, fake):
    shipment_id = ship(client)
    fake.carrier_knows(tracker())

    outcome = track_now(shipment_id=shipment_id, now=NOW)

    assert (outcome.new_events, outcome.status_change) == (5, ("pending", "in_transit"))
    assert fake.calls == [("POST", "/v2/trackers")]
    assert snapshot(shipment_id)[0] == "in_transit"


def test_easypost_poll_of_a_number_easypost_does_not_know_yet_changes_nothing(client, fake):
    shipment_id = ship(client)

    outcome = track_now(shipment_id=shipment_id, now=NOW)

    assert outcome.notes == ["EasyPost has no carrier scans for this number yet"]
    assert snapshot(shipment_id)[0] == "pending"


def test_easypost_push_then_poll_give_one_copy_of_each_scan_and_the_same_state(client, fake):
    shipment_id = ship(client)
    fake.carrier_knows(tracker())
    push(client, event())
    pushed = snapshot(shipment_id)

    outcome = track_now(shipment_id=shipment_id, now=NOW)

    assert (outcome.new_events, outcome.status_change) == (0, None)
    assert snapshot(shipment_id) == pushed


def test_easypost_poll_then_push_give_one_copy_of_each_scan_and_the_same_state(client, fake):
    shipment_id = ship(client)
    fake.carrier_knows(tracker())
    track_now(shipment_id=shipment_id, now=NOW)
    polled = snapshot(shipment_id)

    response = push(client, event())

    assert db.session.get(InboundWebhook, response.json["inbox_id"]).error == "1 shipment(s), 0 new scan(s)"
    assert snapshot(shipment_id) == polled


def test_easypost_sends_its_push_over_http_after_our_poll_created_the_tracker(app, client, fake):
    shipment_id = ship(client)
    fake.carrier_knows(tracker())
    track_now(shipment_id=shipment_id, now=NOW)
    delivered = tracker()
    delivered.update(status="delivered", status_detail="arrived_at_destination")
    delivered["tracking_details"].append({
        "object": "TrackingDetail", "message": "Delivered", "status": "delivered",
        "status_detail": "arrived_at_destination", "datetime": "2026-03-06T14:31:00Z",
        "tracking_location": {"city": "SEATTLE", "state": "WA", "country": "US", "zip": "98101"},
    })  # fmt: skip
    fake.carrier_knows(delivered)

    with FakeServer(app) as ours:
        (response,) = fake.send_updates(url=f"{ours.base_url}/webhooks/carriers/easypost", secret=SECRET)

    assert response.status_code == 200
    status, _, last_scan, scans = snapshot(shipment_id)
    assert (status, len(scans)) == ("delivered", 6)
    assert last_scan.isoformat() == "2026-03-06T22:31:00+00:00"  # 14:31 PST in Seattle
    assert db.session.get(Shipment, shipment_id).delivered_at == last_scan
    assert tracker_event(delivered)["result"]["status"] == "delivered"


