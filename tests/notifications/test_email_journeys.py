"""Email journeys end to end: webhooks in, one message per milestone out through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from app.extensions import db
from app.models import NotificationStatus
from app.services.notifications import links
from app.services.notifications.sending import send_due
from app.services.notifications.settings import update_settings
from integrations.models import TrackingStatus
from tests.helpers import post_shopify, shopify_fixture
from tests.notifications.support import (
    carrier_says,
    fulfillment,
    notifications,
    only_shipment,
    place_order,
    quiet_now,
    recent,
    recently,
    shop,
    the_order,
)


def test_shipped_email_once_after_duplicate_fulfillment_webhooks_and_updates(client, smtp):
    place_order(client)
    payload = fulfillment()
    for _ in range(3):  # the platform delivers the same fulfillment three times, each under a new event id
        assert post_shopify(client, "fulfillments/create", payload).status_code == 200
    for minutes_ago in (30, 10):  # then updates it twice (status news, same parcel)
        payload = fulfillment(updated_at=recent(minutes_ago), shipment_status="in_transit")
        assert post_shopify(client, "fulfillments/update", payload).status_code == 200

    assert smtp.subjects() == ["Your order #1042 is on its way"]
    assert smtp.envelopes == [("notifications@afterglow.localhost", ["maya@example.com"])]
    rows = notifications(milestone="shipped")
    assert [(row.channel, row.status, row.attempts) for row in rows] == [("email", NotificationStatus.SENT, 1)]


def test_shipped_email_is_branded_inlined_with_text_part_signed_link_and_unsubscribe(client, smtp):
    place_order(client)
    update_settings(shop_id=shop().id, changes={"branding": {
        "name": "Harbor & Co", "accent_color": "#aa3300", "support_email": "help@harbor.example"}})  # fmt: skip
    post_shopify(client, "fulfillments/create", fulfillment())

    message = smtp.messages[0]
    assert message["From"] == "Harbor & Co <notifications@afterglow.localhost>"
    assert message["Reply-To"] == "help@harbor.example"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<https://app.test/notifications/unsubscribe/")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hi Maya," in text and "1Z999AA10123456784" in text
    assert "you ordered from Harbor & Co. help@harbor.example\nUnsubscribe from these emails: https://" in text
    assert "&amp;" not in text and "&#" not in text  # the text part is text, not escaped HTML
    assert "<style" not in html  # css-inline moved every rule onto the elements
    assert 'style="' in html and "background: #aa3300" in html.replace("background-color", "background")
    link = next(line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Track your order: "))
    assert link.startswith("https://afterglow-demo.myshopify.com/apps/afterglow/tracking?afterglow_token=")
    token = parse_qs(urlsplit(link).query)["afterglow_token"][0]
    assert links.read_tracking_token(token) == (shop().id, the_order().id)
    assert links.read_tracking_token(token[:-2] + "xx") is None


def test_email_takes_the_stores_text_and_background_colours_and_font(client, smtp):
    place_order(client)
    update_settings(shop_id=shop().id, changes={"branding": {
        "text_color": "#1a2b3c", "background_color": "#fdf6e3", "font_family": "serif"}})  # fmt: skip
    post_shopify(client, "fulfillments/create", fulfillment())

    html = smtp.messages[0].get_body(preferencelist=("html",)).get_content().replace("background-color", "background")
    assert "color: #1a2b3c" in html and "background: #fdf6e3" in html
    assert "font-family: Charter, " in html and "&#34;" not in html  # the stack as written, quotes and all


def test_email_in_shoppers_language_with_fallback(client, smtp):
    place_order(client, customer_locale="de-AT")
    post_shopify(client, "fulfillments/create", fulfillment())
    assert smtp.subjects() == ["Ihre Bestellung #1042 ist unterwegs"]

    db.session.expire_all()
    order = the_order()
    order.locale = "pt-BR"  # no Portuguese templates: the shop's default language (English) it is
    order.customer.locale = None
    db.session.commit()
    carrier_says(only_shipment(), TrackingStatus.OUT_FOR_DELIVERY)
    assert smtp.subjects()[-1] == "Your order #1042 arrives today"


def test_quiet_hours_defer_the_message_then_send_it(client, smtp):
    place_order(client)  # ships to Portland, Oregon
    local = datetime.now(ZoneInfo("America/Los_Angeles"))
    window = quiet_now()
    update_settings(shop_id=shop().id, changes={"quiet_hours": {"email": window}})
    post_shopify(client, "fulfillments/create", fulfillment())

    [row] = notifications(milestone="shipped")
    assert smtp.messages == [] and row.status == NotificationStatus.QUEUED
    release = row.send_after.astimezone(ZoneInfo("America/Los_Angeles"))
    assert release.strftime("%H:%M") == window["end"] and release > local

    assert send_due(now=row.send_after - timedelta(minutes=1)) == 0
    assert send_due(now=row.send_after + timedelta(seconds=1)) == 1
    assert smtp.subjects() == ["Your order #1042 is on its way"]


def test_urgent_journey_ignores_quiet_hours(client, smtp):
    place_order(client)
    update_settings(shop_id=shop().id, changes={"quiet_hours": {"email": quiet_now()}})
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.IN_TRANSIT)
    carrier_says(only_shipment(), TrackingStatus.ATTEMPT_FAILED)

    assert smtp.subjects() == ["We missed you: delivery of order #1042"]


def test_unsubscribe_link_stops_later_messages(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())
    url = smtp.messages[0]["List-Unsubscribe"].strip("<>")
    path = urlsplit(url).path

    page = client.get(path)
    assert page.status_code == 200 and "ma••@example.com" in page.get_data(as_text=True)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    carrier_says(only_shipment(), TrackingStatus.OUT_FOR_DELIVERY)
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)

    assert smtp.subjects() == ["Your order #1042 is on its way"]
    later = [(row.milestone, row.status, row.reason) for row in notifications() if row.milestone != "shipped"]
    assert ("out_for_delivery", "suppressed", "unsubscribed") in later
    assert ("delivered", "suppressed", "unsubscribed") in later
    assert client.get("/notifications/unsubscribe/forged-token").status_code == 404


def test_survey_waits_three_days_and_needs_marketing_consent(client, smtp):
    order = shopify_fixture("orders_updated.json")
    order["customer"]["email_marketing_consent"] = {"state": "subscribed"}
    place_order(client, customer=order["customer"])
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)

    [survey] = notifications(milestone="survey_request")
    assert survey.status == NotificationStatus.QUEUED
    assert survey.send_after - survey.created_at >= timedelta(days=3)
    assert "How was your order" not in " ".join(smtp.subjects())
    send_due(now=survey.send_after + timedelta(seconds=1))
    assert smtp.subjects()[-1] == "How was your order from afterglow-demo.myshopify.com?"


def test_survey_without_marketing_consent_is_suppressed(client, smtp):
    place_order(client, buyer_accepts_marketing=False)  # the checkout box left unticked
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)

    [survey] = notifications(milestone="survey_request")
    assert (survey.status, survey.reason) == (NotificationStatus.SUPPRESSED, "no email marketing consent")


def test_several_parcels_reaching_a_milestone_together_get_one_summary(client, smtp):
    post_shopify(client, "orders/partially_fulfilled", recently(shopify_fixture("orders_partially_fulfilled.json")))

    rows = notifications(milestone="shipped", channel="email")
    assert len(rows) == 3 and smtp.subjects() == ["Your refund for order #1044"]  # parcels wait for siblings
    send_due(now=datetime.now(UTC) + timedelta(minutes=3))

    assert smtp.subjects()[1:] == ["3 parcels of order #1044 are on their way"]
    text = smtp.messages[1].get_body(preferencelist=("plain",)).get_content()
    assert all(number in text for number in ("1Z999AA10123456784", "1Z999AA10123456793", "9400111899223197428497"))
    rows = notifications(milestone="shipped", channel="email")
    assert {row.status for row in rows} == {NotificationStatus.SENT}
    assert sum(row.reason is None for row in rows) == 1


def test_transient_smtp_refusal_is_retried_with_backoff_permanent_is_not(client, smtp):
    smtp.refuse["maya@example.com"] = "451 4.3.0 mailbox busy, try later"
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment())

    [row] = notifications(milestone="shipped")
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 1) and "451" in row.reason
    assert timedelta(seconds=50) < row.send_after - datetime.now(UTC) < timedelta(seconds=70)

    smtp.refuse["maya@example.com"] = "550 5.1.1 no such user"
    send_due(now=row.send_after + timedelta(seconds=1))
    [row] = notifications(milestone="shipped")
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 2) and "550" in row.reason
    assert send_due(now=row.send_after + timedelta(days=1)) == 0
    assert smtp.messages == []


def test_cancelled_order_gets_no_shipping_news(client, smtp):
    place_order(client)
    update_settings(shop_id=shop().id, changes={"quiet_hours": {"email": quiet_now()}})
    post_shopify(client, "fulfillments/create", fulfillment())
    cancelled = shopify_fixture("orders_updated.json")
    cancelled.update(cancelled_at=recent(5), updated_at=recent(5), cancel_reason="customer")
    post_shopify(client, "orders/cancelled", cancelled)

    [row] = notifications(milestone="shipped")
    send_due(now=row.send_after + timedelta(seconds=1))
    [row] = notifications(milestone="shipped")
    assert (row.status, row.reason) == (NotificationStatus.SUPPRESSED, "order cancelled")
    assert smtp.messages == []


def test_old_news_is_not_announced(client, smtp):
    place_order(client)
    # A fulfillment made in March reaches us only now (an order edited long after): no "on its way" in November.
    post_shopify(client, "fulfillments/create", fulfillment(created_at="2026-03-02T16:40:00-05:00",
                                                            updated_at="2026-03-04T08:05:12-05:00"))  # fmt: skip
    [row] = notifications(milestone="shipped")
    assert row.status == NotificationStatus.SUPPRESSED and row.reason.startswith("stale: happened ")
    assert row.reason.endswith(" days ago") and smtp.messages == []

    carrier_says(only_shipment(), TrackingStatus.OUT_FOR_DELIVERY, at=datetime.now(UTC) - timedelta(hours=13))
    [late] = notifications(milestone="out_for_delivery", channel="email")
    assert (late.status, late.reason) == (NotificationStatus.SUPPRESSED, "stale: happened 13 hours ago")


def test_shipped_without_a_number_waits_for_the_number_the_merchant_adds(client, smtp):
    place_order(client)
    post_shopify(client, "fulfillments/create", fulfillment(tracking_number=None, tracking_numbers=[]))
    [row] = notifications(milestone="shipped")
    assert row.status == NotificationStatus.QUEUED and smtp.messages == []

    post_shopify(client, "fulfillments/update", fulfillment(updated_at=recent(1)))  # the number, minutes later
    send_due(now=row.send_after + timedelta(seconds=1))

    assert smtp.subjects() == ["Your order #1042 is on its way"]
    assert "1Z999AA10123456784" in smtp.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert len(notifications(milestone="shipped", channel="email")) == 1
