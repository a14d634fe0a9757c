"""Templates: the sandbox, the five languages, merchant edits and the preview endpoint."""

from __future__ import annotations

import json

import pytest

from app.extensions import db
from app.models import NotificationSettings, NotificationStatus
from app.services.notifications import locales, rendering
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import JOURNEYS
from app.services.notifications.settings import SettingsError, effective, update_settings
from tests.conftest import SHOP
from tests.helpers import post_shopify
from tests.notifications.support import fulfillment, notifications, place_order, shop
from tests.shopify_fake import session_token

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% set x = [].append(1) %}{{ x }}",  # mutating is refused by the immutable sandbox
    "{{ order.items.pop() }}",
]


@pytest.mark.parametrize("body", ESCAPES)
def test_template_reaching_python_internals_is_refused_when_saved(app, body):
    place_order(app.test_client())
    with pytest.raises(SettingsError, match=r"refused by the sandbox|cannot be rendered"):
        update_settings(shop_id=shop().id, changes={"templates": {"shipped": {"email": {"en": {
            "subject": "Shipped", "body": body}}}}})  # fmt: skip
    assert db.session.get(NotificationSettings, shop().id) is None


def test_template_slipped_past_the_check_is_refused_when_sending(client, smtp):
    place_order(client)
    # As if stored by an older version without the check: sending must refuse it all the same.
    db.session.add(NotificationSettings(shop_id=shop().id, document={"templates": {"shipped": {"email": {"en": {
        "subject": "Shipped", "body": ESCAPES[0]}}}}}))  # fmt: skip
    db.session.commit()
    post_shopify(client, "fulfillments/create", fulfillment())

    [row] = notifications(milestone="shipped")
    assert row.status == NotificationStatus.FAILED and row.reason.startswith("template: refused by the sandbox")
    assert smtp.messages == []


def test_merchant_template_is_used_and_escapes_what_it_is_given(client, smtp):
    place_order(client)
    update_settings(shop_id=shop().id, changes={"templates": {"shipped": {"email": {"en": {
        "subject": "{{ shop.name }} shipped {{ order.name }}",
        "body": "<p>Dear {{ customer.first_name }}, {{ '<b>bold</b>' }} parcel {{ shipment.tracking_number }}</p>",
    }}}}})  # fmt: skip
    post_shopify(client, "fulfillments/create", fulfillment())

    message = smtp.messages[0]
    assert message["Subject"] == "afterglow-demo.myshopify.com shipped #1042"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "parcel 1Z999AA10123456784" in html


def test_template_with_a_typo_is_refused_with_the_reason(app):
    place_order(app.test_client())
    with pytest.raises(SettingsError, match="'ordr' is undefined"):
        update_settings(shop_id=shop().id, changes={"templates": {"shipped": {"sms": {"en": {
            "body": "{{ ordr.name }} shipped"}}}}})  # fmt: skip


def test_template_reset_to_null_brings_back_the_default(app):
    place_order(app.test_client())
    edit = {"templates": {"delivered": {"sms": {"fr": {"body": "Livré {{ order.name }}"}}}}}
    assert update_settings(shop_id=shop().id, changes=edit)["templates"] == edit["templates"]
    reset = {"templates": {"delivered": {"sms": {"fr": None}}}}
    assert update_settings(shop_id=shop().id, changes=reset)["templates"] == {}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"journeys": {"teleported": {"enabled": True}}}, "unknown journey"),
        ({"journeys": {"survey_request": {"channels": {"sms": True}}}}, "cannot send by sms"),
        ({"branding": {"accent_color": "red"}}, "accent_color"),
        ({"branding": {"logo_url": "http://insecure.example/logo.png"}}, "https://"),
        ({"quiet_hours": {"sms": {"start": "9pm", "end": "08:00"}}}, "HH:MM"),
        ({"templates": {"shipped": {"email": {"pt": {"subject": "x", "body": "y"}}}}}, "unsupported locale"),
    ],
)
def test_settings_refuse_what_would_break_sending(app, changes, reason):
    place_order(app.test_client())
    with pytest.raises(SettingsError, match=reason):
        update_settings(shop_id=shop().id, changes=changes)


@pytest.mark.parametrize("locale", locales.SUPPORTED)
@pytest.mark.parametrize("journey", [journey.name for journey in JOURNEYS])
def test_default_templates_render_in_every_language(journey, locale):
    settings = effective(None)
    context = sample_context(journey=journey, locale=locale, settings=settings)
    email = rendering.render_email(journey=journey, locale=locale, context=context, settings=settings, strict=True)
    assert email.subject and "#1042" in email.subject + email.text
    assert "{{" not in email.html and "{%" not in email.text
    if "sms" in next(j for j in JOURNEYS if j.name == journey).channels:
        sms = rendering.render_sms(journey=journey, locale=locale, context=context, settings=settings, strict=True)
        assert len(sms) < 320  # two SMS segments at most


def test_locale_negotiation_falls_back_to_the_shop_then_english():
    assert locales.negotiate("de-AT") == "de"
    assert locales.negotiate("nl_BE") == "nl"
    assert locales.negotiate("pt-BR", default="fr") == "fr"
    assert locales.negotiate(None, "xx", default="es") == "es"
    assert locales.negotiate("klingon", default="zz") == "en"


def admin() -> dict[str, str]:
    """The embedded admin's App Bridge session token for the demo store."""
    return {"Authorization": f"Bearer {session_token(SHOP)}"}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_preview_endpoint_renders_any_journey_with_sample_data(client):
    place_order(client)
    german = client.get("/api/admin/notifications/preview?journey=delayed&locale=de", headers=admin())
    assert german.status_code == 200
    assert german.json["subject"] == "Neuigkeiten zur Lieferung Ihrer Bestellung #1042"
    assert "Severe weather" in german.json["text"]
    html = client.get("/api/admin/notifications/preview?journey=shipped&format=html", headers=admin())
    assert html.mimetype == "text/html" and b"Track your order" in html.data
    sms = client.get("/api/admin/notifications/preview?journey=out_for_delivery&channel=sms&locale=fr",
                     headers=admin())  # fmt: skip
    assert " : la commande #1042" in sms.json["body"]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_preview_endpoint_checks_a_draft_before_it_is_saved(client):
    place_order(client)
    draft = {"journey": "shipped", "template": {"subject": "Hi", "body": ESCAPES[0]}}
    refused = client.post("/api/admin/notifications/preview", data=json.dumps(draft),
                          content_type="application/json", headers=admin())  # fmt: skip
    assert refused.status_code == 422 and "sandbox" in refused.json["error"]
    draft["template"]["body"] = "<p>{{ customer.first_name }}, it shipped</p>"
    accepted = client.post("/api/admin/notifications/preview", json=draft, headers=admin())
    assert accepted.status_code == 200 and "Maya, it shipped" in accepted.json["text"]


def test_preview_endpoint_needs_the_merchants_session(client):
    place_order(client)

    refused = client.get("/api/admin/notifications/preview?journey=shipped")

    assert refused.status_code == 401 and refused.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_preview_endpoint_explains_that_event_channels_have_no_template(client):
    place_order(client)
    answer = client.get("/api/admin/notifications/preview?journey=shipped&channel=klaviyo", headers=admin())
    assert answer.status_code == 400 and "no template" in answer.json["error"]


@pytest.mark.parametrize(("locale", "greeting"), [("en", "Hi there,"), ("de", "Hallo,"), ("fr", "Bonjour,"),
                                                  ("es", "Hola:"), ("nl", "Hoi,")])  # fmt: skip
def test_greeting_without_a_first_name_reads_naturally(locale, greeting):
    settings = effective(None)
    context = sample_context(journey="delivered", locale=locale, settings=settings)
    context["customer"] = {"first_name": None, "last_name": None}
    email = rendering.render_email(journey="delivered", locale=locale, context=context, settings=settings)
    assert email.text.startswith(greeting + "\n")
