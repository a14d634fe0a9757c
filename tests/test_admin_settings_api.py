"""The merchant's settings document at /api/admin/settings and the tracking page's live preview: read whole, changed
in parts, refused with every wrong field named at once and nothing stored, each store's own only; and what the
storefront's tracking page is then told."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Order, Shop
from app.services.notifications.settings import SettingsError, update_settings
from app.services.notifications.validation import FONT_STACKS
from app.services.shops import get_or_create_shop
from app.services.tracking import track_now
from integrations.shopify.proxy import proxy_signature
from tests.conftest import SHOP, SHOPIFY_SECRET
from tests.helpers import post_shopify, shopify_fixture
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OTHER = "other-store.myshopify.com"
SECTIONS = {"branding", "tracking_page", "journeys", "quiet_hours", "templates"}
EMAIL_TEMPLATE = {"subject": "Order {{ order.name }} is on its way", "body": "<p>Hi {{ customer.first_name }}</p>"}


@pytest.fixture
def shops(app) -> tuple[Shop, Shop]:  # type: ignore[no-untyped-def]
    mine = get_or_create_shop(platform="shopify", domain=SHOP)
    mine.name = "Harbor Goods"
    other = get_or_create_shop(platform="shopify", domain=OTHER)
    db.session.commit()
    return mine, other


def bearer(shop: str = SHOP) -> dict[str, str]:
    return {"Authorization": f"Bearer {session_token(shop)}"}


def read(client: Any, shop: str = SHOP) -> dict[str, Any]:
    response = client.get("/api/admin/settings", headers=bearer(shop))
    assert response.status_code == 200
    return dict(response.get_json())


def proxied(path: str, **query: str) -> str:
    params = {**query, "shop": SHOP, "logged_in_customer_id": "", "path_prefix": "/apps/afterglow",
              "timestamp": str(int(time.time()))}  # fmt: skip
    params["signature"] = proxy_signature(params.items(), SHOPIFY_SECRET)
    return f"/proxy{path}?{urlencode(params)}"


def test_settings_document_has_every_section_with_the_defaults(client, shops):
    response = client.get("/api/admin/settings", headers=bearer())

    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    document = response.get_json()
    assert set(document) == SECTIONS
    assert document["branding"] == {
        "name": None, "logo_url": None, "accent_color": "#2f6f5e", "text_color": "#202223",
        "background_color": "#ffffff", "font_family": "theme", "support_email": None, "sender_name": None,
        "default_locale": "en",
    }  # fmt: skip
    assert document["tracking_page"] == {
        "show": {"estimate": True, "timeline": True, "items": True, "survey": True},
        "recommendations": True, "survey_kind": "nps",
    }  # fmt: skip
    assert document["journeys"]["shipped"]["channels"]["email"] is True
    assert set(document["quiet_hours"]) == {"email", "sms"}
    assert document["templates"] == {}  # only what the merchant edited
    assert "connections" not in document  # credentials have their own endpoint


def test_settings_put_changes_only_what_it_names_and_answers_the_whole_document(client, shops):
    before = read(client)

    response = client.put("/api/admin/settings", headers=bearer(), json={
        "branding": {"accent_color": "#aa3300", "font_family": "serif"},
        "tracking_page": {"show": {"timeline": False}, "survey_kind": "ces"},
        "journeys": {"shipped": {"delay_minutes": 30}},
    })  # fmt: skip

    assert response.status_code == 200
    document = response.get_json()
    assert document == read(client)  # what it answered is what is stored
    assert document["branding"] == {**before["branding"], "accent_color": "#aa3300", "font_family": "serif"}
    assert document["tracking_page"] == {
        "show": {"estimate": True, "timeline": False, "items": True, "survey": True},
        "recommendations": True, "survey_kind": "ces",
    }  # fmt: skip
    assert document["journeys"]["shipped"] == {**before["journeys"]["shipped"], "delay_minutes": 30}
    assert document["quiet_hours"] == before["quiet_hours"]


def test_settings_put_edits_a_template_and_null_brings_back_the_default(client, shops):
    edit = {"shipped": {"email": {"en": EMAIL_TEMPLATE}}}
    edited = client.put("/api/admin/settings", headers=bearer(), json={"templates": edit})
    back = {"shipped": {"email": {"en": None}}}
    reset = client.put("/api/admin/settings", headers=bearer(), json={"templates": back})

    assert edited.status_code == 200 and edited.get_json()["templates"] == edit
    assert reset.status_code == 200 and reset.get_json()["templates"] == {}


def test_settings_put_answers_a_font_given_as_a_list_or_object_with_a_field_error(client, shops):
    for font in (["serif"], {"name": "serif"}):
        response = client.put("/api/admin/settings", headers=bearer(), json={"branding": {"font_family": font}})

        assert response.status_code == 422
        assert list(response.get_json()["fields"]) == ["branding.font_family"]


def test_settings_put_names_every_wrong_field_at_once_and_stores_nothing(client, shops):
    before = read(client)

    response = client.put("/api/admin/settings", headers=bearer(), json={
        "branding": {"accent_color": "red", "logo_url": "http://cdn.example/logo.png", "font_family": "Comic Sans",
                     "text_color": "#12345", "name": "Harbor", "support_email": "not an address"},
        "tracking_page": {"show": {"timeline": "no", "map": True}, "survey_kind": "stars", "recommendations": False},
        "journeys": {"shipped": {"delay_minutes": -5}, "teleported": {"enabled": True}},
        "quiet_hours": {"sms": {"start": "9pm", "end": "08:00"}},
        "templates": {"shipped": {"email": {"en": {"subject": "{{ order.name", "body": "x"}}}},
    })  # fmt: skip

    assert response.status_code == 422
    answer = response.get_json()
    assert answer["error"] == "invalid"
    assert set(answer["fields"]) == {
        "branding.accent_color", "branding.logo_url", "branding.font_family", "branding.text_color",
        "branding.support_email", "tracking_page.show.timeline", "tracking_page.show.map",
        "tracking_page.survey_kind", "journeys.shipped.delay_minutes", "journeys.teleported",
        "quiet_hours.sms.start", "templates.shipped.email.en",
    }  # fmt: skip
    assert answer["fields"]["branding.accent_color"] == "Use a colour like #2f6f5e"
    assert "https://" in answer["fields"]["branding.logo_url"]
    assert answer["message"].startswith("12 settings need a change")
    assert read(client) == before  # the valid parts (the name, recommendations) were not stored either


def test_settings_put_refuses_unknown_keys_at_every_level(client, shops):
    response = client.put("/api/admin/settings", headers=bearer(), json={
        "branding": {"colour": "#ffffff"}, "tracking_page": {"theme": "dark"}, "journeys": {"shipped": {"when": 1}},
        "checkout": {}, "connections": {"klaviyo": {"api_key": "pk_x"}},
    })  # fmt: skip

    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {
        "branding.colour", "tracking_page.theme", "journeys.shipped.when", "checkout", "connections",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("branding=red", "application/x-www-form-urlencoded", "Content-Type: application/json"),
        ('{"branding": ', "application/json", "not valid JSON"),
        ('["branding"]', "application/json", "JSON object"),
    ],
)
def test_settings_put_that_is_not_a_json_object_is_400_with_the_reason(client, shops, body, content_type, reason):
    response = client.put("/api/admin/settings", headers=bearer(), data=body, content_type=content_type)

    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request" and reason in response.get_json()["message"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/admin/settings"), ("PUT", "/api/admin/settings"),
                                              ("POST", "/api/admin/storefront/preview")])  # fmt: skip
def test_settings_endpoints_without_credentials_are_401(client, shops, method, path):
    response = client.open(path, method=method, json={"branding": {"accent_color": "#000000"}})

    assert response.status_code == 401
    assert response.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"
    assert read(client)["branding"]["accent_color"] == "#2f6f5e"


def test_another_stores_token_reads_and_changes_only_that_store(client, shops):
    client.put("/api/admin/settings", headers=bearer(SHOP), json={"branding": {"name": "Harbor Goods Co"}})

    theirs = read(client, OTHER)
    changed = client.put("/api/admin/settings", headers=bearer(OTHER), json={
        "branding": {"accent_color": "#000000"}, "tracking_page": {"show": {"items": False}}})  # fmt: skip
    preview = client.post("/api/admin/storefront/preview", headers=bearer(OTHER), json={})

    assert theirs["branding"]["name"] is None
    assert changed.status_code == 200 and changed.get_json()["branding"]["name"] is None
    assert "Harbor Goods" not in preview.get_data(as_text=True)
    assert preview.get_json()["shop"]["domain"] == OTHER
    mine = read(client, SHOP)
    assert mine["branding"]["name"] == "Harbor Goods Co" and mine["branding"]["accent_color"] == "#2f6f5e"
    assert mine["tracking_page"]["show"]["items"] is True


def test_settings_put_in_a_signed_in_session_needs_the_csrf_token(client, shops):
    client.get(f"/demo/admin?shop={SHOP}")  # the demo store's sign-in door, outside production
    page = client.get("/app/settings").get_data(as_text=True)
    csrf = json.loads(re.search(r'id="afterglow-boot" type="application/json">(.*?)</script>', page).group(1))["csrf"]

    forged = client.put("/api/admin/settings", json={"branding": {"accent_color": "#000000"}})
    saved = client.put("/api/admin/settings", json={"branding": {"accent_color": "#000000"}},
                       headers={"X-CSRF-Token": csrf})  # fmt: skip

    assert forged.status_code == 401
    assert saved.status_code == 200 and saved.get_json()["branding"]["accent_color"] == "#000000"


def test_storefront_tells_the_page_the_merchants_colours_font_and_blocks(client, shops):
    post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"))
    client.put("/api/admin/settings", headers=bearer(), json={
        "branding": {"accent_color": "#aa3300", "text_color": "#111111", "background_color": "#fdf6e3",
                     "font_family": "rounded"},
        "tracking_page": {"show": {"estimate": False, "survey": False}, "recommendations": False},
    })  # fmt: skip

    document = client.get(proxied("/api/orders/lookup", number="1044", email="priya@example.com")).get_json()

    branding = document["shop"]["branding"]
    assert (branding["accent_color"], branding["text_color"], branding["background_color"]) == (
        "#aa3300", "#111111", "#fdf6e3")  # fmt: skip
    assert branding["font_family"] == FONT_STACKS["rounded"]  # a stack from our list, not the name
    assert document["shop"]["show"] == {"estimate": False, "timeline": True, "items": True, "survey": False}
    assert document["shop"]["recommendations"] is False


def test_flask_shops_set_switches_the_tracking_pages_blocks(client, shops, runner):
    result = runner.invoke(args=["shops", "set", SHOP, "show_items=off", "show_survey=off"])

    assert result.exit_code == 0, result.output
    assert read(client)["tracking_page"]["show"] == {"estimate": True, "timeline": True, "items": False,
                                                     "survey": False}  # fmt: skip


def same_shape(sample: Any, real: Any, path: str = "") -> list[str]:
    """Where `sample` differs from `real` in shape (keys, and value kinds where both have a value)."""
    if real is None or sample is None:
        return []
    if isinstance(real, dict) and isinstance(sample, dict):
        if set(real) != set(sample):
            return [f"{path}: {sorted(set(real) ^ set(sample))}"]
        return [problem for key in real for problem in same_shape(sample[key], real[key], f"{path}.{key}")]
    if isinstance(real, list) and isinstance(sample, list):
        return [p for item in sample for other in real for p in same_shape(item, other, f"{path}[]")]
    return [] if type(real) is type(sample) else [f"{path}: {type(sample).__name__} vs {type(real).__name__}"]


def test_preview_is_a_sample_order_shaped_exactly_like_the_storefront_answer_with_the_draft_applied(client, shops):
    post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"))
    order = db.session.scalars(select(Order)).one()
    shipments = sorted(order.shipments, key=lambda s: s.id)
    track_now(shipment_id=shipments[0].id, now=shipments[0].platform_created_at + timedelta(days=30))  # delivered
    for shipment in shipments[1:]:
        track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=2))  # on their way
    real = client.get(proxied("/api/orders/lookup", number="1044", email="priya@example.com")).get_json()
    assert {bool(p["survey"]) for p in real["order"]["shipments"]} == {True, False}  # every block has a value
    assert {bool(p["estimate"]) for p in real["order"]["shipments"]} == {True, False}

    response = client.post("/api/admin/storefront/preview", headers=bearer(), json={
        "branding": {"accent_color": "#123456", "font_family": "mono"},
        "tracking_page": {"show": {"timeline": False}, "survey_kind": "ces"},
    })  # fmt: skip

    assert response.status_code == 200
    sample = response.get_json()
    assert same_shape(sample, real) == []
    assert sample["shop"]["branding"]["accent_color"] == "#123456"
    assert sample["shop"]["branding"]["font_family"] == FONT_STACKS["mono"]
    assert sample["shop"]["branding"]["name"] == "Harbor Goods"
    assert sample["shop"]["show"]["timeline"] is False
    parcels = sample["order"]["shipments"]
    assert len(parcels) == 2 and all(parcel["events"] for parcel in parcels)
    assert any(p["survey"] and p["survey"]["kind"] == "ces" for p in parcels)  # something to show each block with
    assert any(p["estimate"] and p["estimate"]["window_start"] < p["estimate"]["window_end"] for p in parcels)
    assert read(client)["branding"]["accent_color"] == "#2f6f5e"  # a preview stores nothing


def test_preview_refuses_a_draft_like_a_save_would(client, shops):
    response = client.post("/api/admin/storefront/preview", headers=bearer(), json={
        "branding": {"accent_color": "#12", "logo_url": "http://x.example/a.png"},
        "tracking_page": {"show": {"survey": 1}}, "journeys": {},
    })  # fmt: skip

    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {
        "branding.accent_color", "branding.logo_url", "tracking_page.show.survey", "journeys"}  # fmt: skip


def test_notification_settings_refusal_carries_every_field_and_reads_as_one_message(app, shops):
    with pytest.raises(SettingsError) as refused:
        update_settings(shop_id=shops[0].id, changes={
            "branding": {"accent_color": "teal", "background_color": None},
            "journeys": {"delivered": {"channels": {"sms": "yes"}, "urgent": "no"}},
        })  # fmt: skip

    assert set(refused.value.fields) == {"branding.accent_color", "branding.background_color",
                                         "journeys.delivered.channels.sms", "journeys.delivered.urgent"}  # fmt: skip
    assert "branding.accent_color: Use a colour like #2f6f5e" in str(refused.value)
