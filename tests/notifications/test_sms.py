"""SMS through Twilio's own client against a local fake of Twilio's Messages API."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import NotificationStatus, Unsubscribe
from app.services.notifications.consent import unsubscribe
from app.services.notifications.sending import send_due
from app.services.notifications.settings import update_settings
from integrations.models import TrackingStatus
from tests.helpers import post_shopify, shopify_fixture
from tests.notifications.conftest import TWILIO_SID
from tests.notifications.support import carrier_says, fulfillment, notifications, only_shipment, place_order, shop

SID = TWILIO_SID
MOBILE = "+15035550123"


@pytest.fixture
def app_settings(sms_app_settings):
    return sms_app_settings


def order_with_sms_consent(client, *, consent: bool = True, quiet_hours: bool = False):
    """An order whose shopper agreed to texts. SMS quiet hours are off unless asked for, so that what a test
    checks does not depend on the time of day it runs at in Portland."""
    order = shopify_fixture("orders_updated.json")
    order["phone"] = MOBILE
    if consent:
        order["customer"]["sms_marketing_consent"] = {"state": "subscribed", "opt_in_level": "single_opt_in"}
    placed = place_order(client, phone=MOBILE, customer=order["customer"])
    if not quiet_hours:
        update_settings(shop_id=shop().id, changes={"quiet_hours": {"sms": None}})
    return placed


def out_for_delivery(client):
    post_shopify(client, "fulfillments/create", fulfillment())
    carrier_says(only_shipment(), TrackingStatus.OUT_FOR_DELIVERY)


def test_no_sms_without_consent(client, smtp, twilio):
    order_with_sms_consent(client, consent=False)
    out_for_delivery(client)

    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert (sms.status, sms.reason) == (NotificationStatus.SUPPRESSED, "no SMS consent")
    assert twilio.requests == 0
    assert "Your order #1042 arrives today" in smtp.subjects()  # email needs no consent for order updates


def test_sms_with_consent_goes_through_twilio(client, twilio):
    order_with_sms_consent(client)
    out_for_delivery(client)

    [message] = twilio.messages
    assert (message["to"], message["from"]) == (MOBILE, "+14155550100")
    expected = "afterglow-demo.myshopify.com: order #1042 is out for delivery and arrives today."
    assert message["body"].startswith(expected)
    assert message["body"].endswith("Reply STOP to opt out.")
    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert sms.status == NotificationStatus.SENT and sms.provider_message_id == message["sid"]


def test_sms_waits_for_the_end_of_the_night_where_the_shopper_is(client, twilio):
    order_with_sms_consent(client, quiet_hours=True)
    update_settings(shop_id=shop().id, changes={"journeys": {"out_for_delivery": {"delay_minutes": 600}}})
    out_for_delivery(client)
    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    portland = ZoneInfo("America/Los_Angeles")
    next_day = sms.send_after.astimezone(portland) + timedelta(days=1)
    night = next_day.replace(hour=2, minute=0, second=0, microsecond=0)

    send_due(now=night)  # default quiet hours for SMS: 21:00-08:00 in the shopper's zone
    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert twilio.messages == [] and sms.status == NotificationStatus.QUEUED
    assert sms.send_after == night.replace(hour=8)
    send_due(now=night.replace(hour=8, second=1))
    assert len(twilio.messages) == 1


def test_sms_to_a_number_that_replied_stop_fails_and_unsubscribes_it(client, twilio):
    twilio.unsubscribed.add(MOBILE)
    order_with_sms_consent(client)
    out_for_delivery(client)

    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert sms.status == NotificationStatus.FAILED and "21610" in sms.reason
    assert [(u.channel, u.address, u.source) for u in db.session.query(Unsubscribe)] == [("sms", MOBILE, "carrier")]
    update_settings(shop_id=shop().id, changes={"journeys": {"delivered": {"channels": {"sms": True}}}})
    carrier_says(only_shipment(), TrackingStatus.DELIVERED)
    [later] = notifications(milestone="delivered", channel="sms")
    assert (later.status, later.reason) == (NotificationStatus.SUPPRESSED, "unsubscribed")
    assert twilio.requests == 1


def test_twilio_outage_is_retried_with_backoff(client, twilio):
    twilio.outages += [503]
    order_with_sms_consent(client)
    out_for_delivery(client)

    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert (sms.status, sms.attempts) == (NotificationStatus.QUEUED, 1) and "503" in sms.reason
    send_due(now=sms.send_after + timedelta(seconds=1))
    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert (sms.status, sms.attempts, len(twilio.messages)) == (NotificationStatus.SENT, 2, 1)


def test_twilio_wrong_credentials_keep_the_message_for_later(client, twilio):
    twilio.auth_token = "rotated"
    order_with_sms_consent(client)
    out_for_delivery(client)

    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    assert sms.status == NotificationStatus.QUEUED and "20003" in sms.reason


def twilio_reply(client, body: str, *, number: str = MOBILE, token: str = "secret-token"):  # noqa: S107
    from twilio.request_validator import RequestValidator

    form = {"From": number, "To": "+14155550100", "Body": body, "MessageSid": "SM" + "9" * 32, "AccountSid": SID}
    signature = RequestValidator(token).compute_signature("https://app.test/webhooks/twilio/sms", form)
    return client.post("/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})


def test_stop_reply_unsubscribes_and_start_lifts_it(client, twilio):
    order_with_sms_consent(client)
    out_for_delivery(client)
    assert len(twilio.messages) == 1

    answer = twilio_reply(client, " stop ")
    assert answer.status_code == 200 and answer.data.endswith(b"<Response></Response>")
    assert [(u.address, u.source) for u in db.session.query(Unsubscribe)] == [(MOBILE, "reply")]
    carrier_says(only_shipment(), TrackingStatus.ATTEMPT_FAILED)
    [failed_attempt] = notifications(milestone="attempt_failed", channel="sms")
    assert (failed_attempt.status, failed_attempt.reason) == (NotificationStatus.SUPPRESSED, "unsubscribed")

    assert twilio_reply(client, "START").status_code == 200
    assert db.session.query(Unsubscribe).count() == 0
    carrier_says(only_shipment(), TrackingStatus.AVAILABLE_FOR_PICKUP)
    assert len(twilio.messages) == 2


def test_start_reply_keeps_an_opt_out_made_with_the_unsubscribe_link(client, twilio):
    order_with_sms_consent(client)
    out_for_delivery(client)
    [sms] = notifications(milestone="out_for_delivery", channel="sms")
    unsubscribe(notification_id=sms.id, source="link")

    assert twilio_reply(client, "START").status_code == 200

    assert [(u.address, u.source) for u in db.session.query(Unsubscribe)] == [(MOBILE, "link")]
    carrier_says(only_shipment(), TrackingStatus.AVAILABLE_FOR_PICKUP)
    assert len(twilio.messages) == 1


def test_reply_with_a_forged_signature_is_refused(client, twilio):
    order_with_sms_consent(client)
    out_for_delivery(client)
    assert twilio_reply(client, "STOP", token="not-the-token").status_code == 403
    assert db.session.query(Unsubscribe).count() == 0
