"""Applying tracking updates to shipments: stored once, status never regresses, milestones become events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OrderEvent, Shipment, TrackingEvent
from app.services.tracking import next_status, record_tracking_update
from integrations.models import TrackingEvent as Scan
from integrations.models import TrackingStatus as S
from integrations.models import TrackingUpdate
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture

NUMBER = "1Z999AA10123456784"
NOW = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # the poll's clock: just after the scans below


@pytest.fixture
def shipment_id(client) -> int:
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    post_shopify(client, "fulfillments/create", shopify_fixture("fulfillments_update.json"))
    return int(db.session.scalars(select(Shipment.id)).one())


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def scan(day: int, hour: int, status: S, text: str, source_id: str | None = None) -> Scan:
    return Scan(occurred_at=at(day, hour), status=status, description=text, location="Memphis, TN, US",
                timezone="America/Chicago", source_id=source_id)  # fmt: skip


def update(status: S, *events: Scan, number: str = NUMBER, **extra: object) -> TrackingUpdate:
    return TrackingUpdate(carrier="ups", tracking_number=number, status=status, events=events, **extra)  # type: ignore[arg-type]


def shipment(shipment_id: int) -> Shipment:
    db.session.expire_all()
    return db.session.get(Shipment, shipment_id)


def milestones() -> list[str]:
    """Status milestones only: a delay is a flag, not a status (tests/test_tracking_delays.py)."""
    names = db.session.scalars(select(OrderEvent.name).order_by(OrderEvent.id)).all()
    return [name for name in names if name.startswith("shipment.") and name not in ("shipment.created",
                                                                                    "shipment.delayed")]


def test_tracking_update_stores_scans_and_moves_status(shipment_id):
    estimate = at(6, 23)

    outcome = record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, source="ups",
        update=update(S.IN_TRANSIT, scan(4, 15, S.INFO_RECEIVED, "Label created", "e1"),
                      scan(4, 22, S.IN_TRANSIT, "Departed facility", "e2"), estimated_delivery=estimate),
    )  # fmt: skip

    assert (outcome.new_events, outcome.status_change) == (2, ("pending", "in_transit"))
    stored = shipment(shipment_id)
    assert (stored.tracking_status, stored.estimated_delivery) == ("in_transit", estimate)
    assert stored.last_event_at == at(4, 22)
    assert milestones() == ["shipment.in_transit"]


def test_tracking_update_twice_changes_nothing(shipment_id):
    same = update(S.IN_TRANSIT, scan(4, 22, S.IN_TRANSIT, "Departed facility", "e2"))
    record_tracking_update(now=NOW, shipment_id=shipment_id, update=same, source="ups")

    outcome = record_tracking_update(now=NOW, shipment_id=shipment_id, update=same, source="ups")

    assert (outcome.new_events, outcome.status_change) == (0, None)
    assert len(db.session.scalars(select(TrackingEvent.id)).all()) == 1
    assert milestones() == ["shipment.in_transit"]


def test_tracking_scans_without_ids_are_deduplicated_by_content(shipment_id):
    departed = update(S.IN_TRANSIT, scan(4, 22, S.IN_TRANSIT, "Departed"))
    record_tracking_update(now=NOW, shipment_id=shipment_id, update=departed,
                           source="ups")  # fmt: skip

    outcome = record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, update=update(S.IN_TRANSIT, scan(4, 22, S.IN_TRANSIT, " departed ")), source="ups"
    )

    assert outcome.new_events == 0


def test_tracking_late_in_transit_scan_after_delivered_is_kept_but_status_stays_delivered(shipment_id):
    record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, source="ups",
        update=update(S.DELIVERED, scan(6, 18, S.DELIVERED, "Delivered, front door", "e9"), delivered_at=at(6, 18)),
    )  # fmt: skip

    outcome = record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, source="ups", update=update(S.IN_TRANSIT, scan(5, 3, S.IN_TRANSIT, "Arrived", "e5"))
    )

    stored = shipment(shipment_id)
    assert (stored.tracking_status, stored.delivered_at) == ("delivered", at(6, 18))
    assert outcome.new_events == 1 and outcome.status_change is None
    assert outcome.notes == ["kept delivered: the carrier now says in_transit"]
    assert milestones() == ["shipment.delivered"]


def test_tracking_failed_attempt_then_out_for_delivery_again_follows_the_carrier(shipment_id):
    for status, hour in ((S.OUT_FOR_DELIVERY, 13), (S.ATTEMPT_FAILED, 20), (S.OUT_FOR_DELIVERY, 38)):
        reported = update(status, scan(5, hour % 24, status, str(status)))
        record_tracking_update(now=NOW, shipment_id=shipment_id, update=reported,
                               source="ups")  # fmt: skip

    assert shipment(shipment_id).tracking_status == "out_for_delivery"
    assert milestones() == ["shipment.out_for_delivery", "shipment.attempt_failed", "shipment.out_for_delivery"]


def test_tracking_update_for_a_changed_number_is_ignored(shipment_id):
    outcome = record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, source="ups", update=update(S.DELIVERED, number="1Z999AA10123456793")
    )

    assert outcome.ignored == "tracking number changed since the request"
    assert shipment(shipment_id).tracking_status == "pending"


def test_tracking_not_found_is_recorded_as_checked_and_changes_nothing_else(shipment_id):
    outcome = record_tracking_update(
        now=NOW,
        shipment_id=shipment_id, source="ups",
        update=update(S.UNKNOWN, found=False, messages=("No tracking information available",)),
    )  # fmt: skip

    stored = shipment(shipment_id)
    assert outcome.notes == ["No tracking information available"]
    assert (stored.tracking_status, stored.tracking_checked_at is not None) == ("pending", True)


@pytest.mark.parametrize(
    ("current", "reported", "expected"),
    [
        (S.PENDING, S.INFO_RECEIVED, S.INFO_RECEIVED),
        (S.IN_TRANSIT, S.INFO_RECEIVED, S.IN_TRANSIT),
        (S.INFO_RECEIVED, S.PENDING, S.INFO_RECEIVED),
        (S.EXCEPTION, S.IN_TRANSIT, S.IN_TRANSIT),
        (S.DELIVERED, S.EXCEPTION, S.DELIVERED),
        (S.RETURNED, S.IN_TRANSIT, S.RETURNED),
        (S.IN_TRANSIT, S.UNKNOWN, S.IN_TRANSIT),
        (S.RETURNING_TO_SENDER, S.RETURNED, S.RETURNED),
    ],
)
def test_next_status_never_leaves_final_or_goes_back_before_transit(current, reported, expected):
    assert next_status(current, reported) == expected


def test_shipments_show_prints_scans_in_their_local_time(shipment_id, runner):
    departed = update(S.IN_TRANSIT, scan(4, 22, S.IN_TRANSIT, "Departed"))
    record_tracking_update(now=NOW, shipment_id=shipment_id, update=departed,
                           source="ups")  # fmt: skip

    result = runner.invoke(args=["shipments", "show", "--shop", SHOP, NUMBER])

    assert result.exit_code == 0, result.output
    assert "2026-03-04 16:00 CST" in result.output  # 22:00 UTC in Memphis in March
    assert "in_transit" in result.output and "Departed" in result.output


def test_tracking_parcel_without_news_for_30_days_is_retired_as_expired(shipment_id):
    record_tracking_update(now=NOW, shipment_id=shipment_id, source="ups",
                           update=update(S.IN_TRANSIT, scan(4, 22, S.IN_TRANSIT, "Departed", "e2")))  # fmt: skip

    outcome = record_tracking_update(
        now=at(4, 22) + timedelta(days=31), shipment_id=shipment_id, source="ups", update=update(S.IN_TRANSIT)
    )

    stored = shipment(shipment_id)
    assert outcome.status_change == ("in_transit", "expired")
    assert (stored.tracking_status, stored.next_check_at) == ("expired", None)
    assert milestones()[-1] == "shipment.expired"


def test_tracking_update_schedules_the_next_poll_by_status(shipment_id):
    record_tracking_update(now=NOW, shipment_id=shipment_id, source="ups",
                           update=update(S.OUT_FOR_DELIVERY, scan(7, 11, S.OUT_FOR_DELIVERY, "Out", "e8")))  # fmt: skip

    wait = shipment(shipment_id).next_check_at - NOW

    assert timedelta(minutes=38) <= wait <= timedelta(minutes=52)  # 45 minutes ± 15% jitter
