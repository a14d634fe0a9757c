""""Send me a test": the journey rendered with sample data (or the merchant's draft) reaches a real SMTP server or
the Twilio fake at once, marked as a test, without becoming a shopper notification; bad addresses and drafts come
back as field errors, and a store may send ten an hour."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.services.shops import get_or_create_shop
from tests.conftest import SHOP
from tests.notifications.conftest import TWILIO_SID
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
SID = TWILIO_SID
OTHER = "other-store.myshopify.com"


@pytest.fixture
def app_settings(sms_app_settings):
    return sms_app_settings


@pytest.fixture
def shop(app):
    row = get_or_create_shop(platform="shopify", domain=SHOP)
    row.name = "Linen Lane"
    get_or_create_shop(platform="shopify", domain=OTHER)
    db.session.commit()
    return row


def bearer(domain: str = SHOP) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_token(domain)}"}


def send(client, domain: str = SHOP, **body: Any):  # type: ignore[no-untyped-def]
    payload = {"journey": "shipped", "channel": "email", "locale": "en", "to": "merchant@example.com", **body}
    return client.post("/api/admin/notifications/test", json=payload, headers=bearer(domain))


def test_test_send_email_reaches_the_smtp_server_now_marked_as_a_test(client, shop, smtp):
    response = send(client)

    assert response.status_code == 200
    assert response.get_json()["sent"] == {"journey": "shipped", "channel": "email", "locale": "en",
                                           "to": "merchant@example.com", "via": "smtp"}  # fmt: skip
    (message,) = smtp.messages
    assert message["To"] == "merchant@example.com"
    assert str(message["Subject"]).startswith("[Test] ")
    assert "Linen Lane" in message.get_body(("html",)).get_content()
    assert db.session.scalars(select(Notification)).all() == []  # not a shopper's notification


def test_test_send_uses_the_draft_when_one_is_given(client, shop, smtp):
    draft = {"subject": "On its way, {{ customer.first_name }}!",
             "body": "<p>Parcel {{ shipment.tracking_number }}</p>"}

    response = send(client, locale="de", template=draft)

    assert response.status_code == 200 and response.get_json()["sent"]["locale"] == "de"
    (message,) = smtp.messages
    assert str(message["Subject"]) == "[Test] On its way, Maya!"
    assert "Parcel 1Z999AA10123456784" in message.get_body(("html",)).get_content()


def test_test_send_sms_goes_through_twilio(client, shop, twilio):
    response = send(client, journey="out_for_delivery", channel="sms", to="+15035550123")

    assert response.status_code == 200 and response.get_json()["sent"]["via"] == "twilio"
    (message,) = twilio.messages
    assert message["to"] == "+15035550123" and message["from"] == "+14155550100"
    assert "STOP" in message["body"]


def test_test_send_refuses_bad_addresses_channels_and_drafts_with_field_errors(client, shop, smtp, twilio):
    not_email = send(client, to="merchant at example")
    not_e164 = send(client, channel="sms", journey="delivered", to="0176 1234567")
    no_sms = send(client, journey="survey_request", channel="sms", to="+15035550123")
    broken = send(client, template={"subject": "Hi {{ customer.first_nam }}", "body": "<p>x</p>"})
    unsafe = send(client, template={"subject": "{{ ''.__class__.__mro__ }}", "body": "<p>x</p>"})

    assert not_email.status_code == 422 and list(not_email.get_json()["fields"]) == ["to"]
    assert not_e164.status_code == 422 and "+14155550123" in not_e164.get_json()["fields"]["to"]
    assert no_sms.status_code == 422 and list(no_sms.get_json()["fields"]) == ["channel"]
    assert broken.status_code == 422 and "first_nam" in broken.get_json()["fields"]["template"]
    assert unsafe.status_code == 422 and list(unsafe.get_json()["fields"]) == ["template"]
    assert smtp.messages == [] and twilio.messages == []


def test_test_send_an_address_the_server_refuses_is_a_field_error(client, shop, smtp):
    smtp.refuse["nobody@example.com"] = "550 5.1.1 no such user"

    response = send(client, to="nobody@example.com")

    assert response.status_code == 422 and "550" in response.get_json()["fields"]["to"]


def test_test_send_is_limited_to_ten_an_hour_per_store(client, shop, smtp):
    answers = [send(client).status_code for _ in range(10)]
    limited = send(client)
    other_store = send(client, OTHER)

    assert answers == [200] * 10
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 3600
    assert other_store.status_code == 200  # each store has its own allowance
    assert len(smtp.messages) == 11


def test_test_send_needs_the_admins_authentication(client, shop, smtp):
    response = client.post("/api/admin/notifications/test", json={"journey": "shipped", "channel": "email",
                                                                   "to": "merchant@example.com"})  # fmt: skip

    assert response.status_code == 401 and smtp.messages == []


def test_preview_answers_the_template_source_the_editor_starts_from(client, shop):
    default = client.get("/api/admin/notifications/preview?journey=shipped&channel=sms&locale=de", headers=bearer())
    client.put("/api/admin/settings", headers=bearer(),
               json={"templates": {"shipped": {"sms": {"de": {"body": "Unterwegs: {{ order.name }}"}}}}})
    edited = client.get("/api/admin/notifications/preview?journey=shipped&channel=sms&locale=de", headers=bearer())

    assert default.get_json()["edited"] is False and "{{" in default.get_json()["template"]["body"]
    assert edited.get_json()["template"] == {"body": "Unterwegs: {{ order.name }}"}
    assert edited.get_json()["edited"] is True and edited.get_json()["body"].startswith("Unterwegs: #1042")
