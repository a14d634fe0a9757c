"""The outbox itself: one row per milestone whatever happens, the local outbox page, the support commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Notification, NotificationStatus
from app.services import order_events
from app.services.notifications import quiet_hours
from app.services.notifications.journeys import BY_NAME
from integrations.models import TrackingStatus
from tests.conftest import running_app
from tests.helpers import post_shopify
from tests.notifications.support import (
    carrier_says,
    fulfillment,
    notifications,
    only_shipment,
    place_order,
    recent,
    the_order,
)


def test_outbox_same_milestone_recorded_twice_keeps_one_row_and_one_message(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    shipment = only_shipment()
    for _ in range(2):  # a re-scan that produced the milestone again, in separate transactions
        order_events.record(order=shipment.order, shipment=shipment, name="shipment.out_for_delivery",
                            message="out for delivery")  # fmt: skip
        db.session.commit()

    assert len(notifications(milestone="out_for_delivery", channel="email")) == 1
    assert smtp.subjects().count("Your order #1042 arrives today") == 1


def test_outbox_rows_roll_back_with_their_event(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    shipment = only_shipment()
    order_events.record(order=shipment.order, shipment=shipment, name="shipment.delivered", message="delivered")
    db.session.flush()
    db.session.rollback()

    assert notifications(milestone="delivered") == []
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)  # the real one, later
    assert len(notifications(milestone="delivered", channel="email")) == 1


def test_delayed_journey_announces_each_new_estimate_once(client, smtp):
    assert BY_NAME["delayed"].available  # the tracking engine records shipment.delayed
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    # The parcel has stalled: its last scan is five days old, which is why a delay is detected at all.
    carrier_says(only_shipment(), TrackingStatus.IN_TRANSIT, at=datetime.now(UTC) - timedelta(days=5))
    shipment = only_shipment()
    for estimate in ("2026-12-08", "2026-12-08", "2026-12-10"):  # the same estimate twice, then a new one
        order_events.record(order=shipment.order, shipment=shipment, name="shipment.delayed", message="late",
                            data={"reason": "Weather delay at the Memphis hub", "estimate": estimate})  # fmt: skip
        db.session.commit()

    delayed = [s for s in smtp.subjects() if s.startswith("An update on the delivery")]
    assert len(delayed) == 2
    text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Weather delay at the Memphis hub" in text and "Thursday, December 10, 2026" in text


def test_tracking_number_correction_tells_the_shopper_the_new_number(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    corrected = fulfillment(tracking_number="1Z999AA10123456793", tracking_numbers=["1Z999AA10123456793"],
                            updated_at=recent(5))  # fmt: skip
    post_shopify(client, "fulfillments/update", corrected)

    assert smtp.subjects()[-1] == "New tracking number for order #1042"
    text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "1Z999AA10123456793" in text and "replaces 1Z999AA10123456784" in text


def test_refund_issued_once_per_refund(client, smtp):
    order = place_order(client)
    order["refunds"] = [{"id": 880011, "created_at": recent(10), "note": "damaged",
                         "transactions": [{"kind": "refund", "status": "success", "amount": "29.90"}],
                         "refund_line_items": []}]  # fmt: skip
    order["updated_at"] = recent(10)
    post_shopify(client, "orders/updated", order)
    post_shopify(client, "refunds/create", {**order["refunds"][0], "order_id": order["id"]})

    assert smtp.subjects() == ["Your refund for order #1042"]
    assert "$29.90" in smtp.messages[0].get_body(preferencelist=("plain",)).get_content()


def test_cli_lists_a_shops_notifications_for_an_order(client, smtp, runner):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)

    table = runner.invoke(args=["notifications", "list", "--shop", "afterglow-demo.myshopify.com", "--order", "1042"])
    assert table.exit_code == 0, table.output
    assert "shipped" in table.output and "sent" in table.output and "no email marketing consent" not in table.output
    result = runner.invoke(args=["notifications", "list", "--shop", "afterglow-demo.myshopify.com", "--json"])
    rows = json.loads(result.output)
    assert {(row["milestone"], row["channel"], row["status"]) for row in rows} >= {
        ("shipped", "email", "sent"),
        ("delivered", "email", "sent"),
        ("survey_request", "email", "queued"),
    }
    assert all(row["order"] == "#1042" for row in rows)
    missing = runner.invoke(args=["notifications", "list", "--shop", "nowhere.example"])
    assert missing.exit_code != 0 and "no store nowhere.example" in missing.output


def test_cli_switches_a_journey_off_and_on(client, runner):
    place_order(client)
    shop_option = ["--shop", "afterglow-demo.myshopify.com"]
    off = runner.invoke(args=["notifications", "journeys", *shop_option, "shipped", "--off"])
    assert off.exit_code == 0 and "shipped                  off" in off.output
    post_shopify(client, "fulfillments/create", fulfillment())
    assert notifications(milestone="shipped") == []
    on = runner.invoke(args=["notifications", "journeys", "--shop", "afterglow-demo.myshopify.com", "delivered",
                             "--channel", "sms=on", "--channel", "email=off"])  # fmt: skip
    assert on.exit_code == 0 and "delivered                on  sms" in on.output


@pytest.fixture
def local_app(database_url, tmp_path):
    """The embedded default: no SMTP_URL, no Twilio: messages go to the local outbox."""
    yield from running_app(database_url, notification_outbox_dir=str(tmp_path / "outbox"))


def test_local_outbox_page_shows_what_the_shopper_would_get(local_app):
    client = local_app.test_client()
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())

    index = client.get("/dev/outbox")
    assert index.status_code == 200 and "Your order #1042 is on its way" in index.get_data(as_text=True)
    [row] = notifications(milestone="shipped")
    name = row.provider_message_id.removeprefix("local:")
    page = client.get(f"/dev/outbox/{name}").get_data(as_text=True)
    assert "maya@example.com" in page and "Track your order: https://" in page
    html = client.get(f"/dev/outbox/{name}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox") and b"Track your order" in html.data
    assert client.get("/dev/outbox/..%2Fsecret.eml").status_code == 404


@pytest.mark.parametrize(
    ("now", "zone", "window", "expected"),
    [
        ("2026-07-01T05:30:00+00:00", "America/Los_Angeles", ("21:00", "08:00"), "2026-07-01T15:00:00+00:00"),
        ("2026-07-01T16:00:00+00:00", "America/Los_Angeles", ("21:00", "08:00"), "2026-07-01T16:00:00+00:00"),
        ("2026-07-01T20:30:00+00:00", "Europe/Berlin", ("21:00", "08:00"), "2026-07-02T06:00:00+00:00"),
        ("2026-03-29T00:30:00+00:00", "Europe/Berlin", ("21:00", "08:00"), "2026-03-29T06:00:00+00:00"),  # DST day
        ("2026-07-01T12:30:00+00:00", None, ("12:00", "14:00"), "2026-07-01T14:00:00+00:00"),
    ],
)
def test_quiet_hours_release_at_the_end_of_the_shoppers_night(now, zone, window, expected):
    release = quiet_hours.release_time(
        when=datetime.fromisoformat(now), zone=zone, window={"start": window[0], "end": window[1]}
    )
    assert release == datetime.fromisoformat(expected)


def test_outbox_rows_point_back_at_the_event_that_caused_them(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    [row] = notifications(milestone="shipped")
    event = db.session.get(order_events.OrderEvent, row.order_event_id)
    assert (event.name, event.order_id, row.order_id) == ("shipment.created", the_order().id, the_order().id)
    assert row.idempotency_key == f"{row.shop_id}:shipment:{row.shipment_id}:shipped:email"
    assert row.send_after <= datetime.now(UTC) + timedelta(seconds=1) and row.status == NotificationStatus.SENT
    assert db.session.query(Notification).count() == 1


def test_cli_send_test_renders_the_shops_template_through_the_configured_smtp(client, smtp, runner):
    place_order(client)
    args = ["notifications", "send-test", "--shop", "afterglow-demo.myshopify.com", "delivered",
            "--to", "owner@shop.example", "--locale", "nl"]  # fmt: skip
    result = runner.invoke(args=args)

    assert result.exit_code == 0, result.output
    assert "sent delivered (nl) by smtp to owner@shop.example" in result.output
    assert smtp.subjects() == ["[Test] Je bestelling #1042 is bezorgd"]
    assert notifications() == []  # a test message is not a shopper's message
    smtp.refuse["nobody@shop.example"] = "550 5.1.1 no such user"
    refused = runner.invoke(args=[*args[:-4], "--to", "nobody@shop.example"])
    assert refused.exit_code != 0 and "not sent: recipient refused (550)" in refused.output


def test_cli_send_test_refuses_what_the_admin_refuses(client, smtp, runner):
    place_order(client)
    command = ["notifications", "send-test", "--shop", "afterglow-demo.myshopify.com"]
    not_an_address = runner.invoke(args=[*command, "delivered", "--to", "owner"])
    no_such_journey = runner.invoke(args=[*command, "arrived", "--to", "owner@shop.example"])

    assert not_an_address.exit_code != 0 and "enter an email address" in not_an_address.output
    assert no_such_journey.exit_code != 0 and "unknown journey" in no_such_journey.output
    assert smtp.messages == []


def test_redacting_a_shopper_keeps_the_record_but_not_who_it_went_to(client, smtp):
    from app.services.notifications.privacy import redact_orders

    order = place_order(client, buyer_accepts_marketing=True)
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)
    assert order["email"] == "maya@example.com"

    assert redact_orders(shop_id=the_order().shop_id, order_ids=[the_order().id]) == len(notifications())
    rows = notifications()
    assert all(row.recipient is None and row.data == {} for row in rows)
    survey = next(row for row in rows if row.milestone == "survey_request")
    assert (survey.status, survey.reason) == (NotificationStatus.SUPPRESSED, "shopper data redacted")
    assert {row.status for row in rows if row.milestone in ("shipped", "delivered")} == {NotificationStatus.SENT}


def test_delay_found_by_the_tracking_engine_reaches_the_shopper_in_words(client, smtp):
    from app.services.delays import detect_delays

    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.IN_TRANSIT, at=datetime.now(UTC) - timedelta(days=6))
    detect_delays()  # judged when the scan was applied, and again by the clock: one episode either way

    delayed = [s for s in smtp.subjects() if s.startswith("An update on the delivery")]
    assert len(delayed) == 1
    text = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "running late: " in text and "stalled" not in text  # the reason in words, not its code
