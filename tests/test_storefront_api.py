"""The shopper's order lookup, through Shopify's app proxy and the public path WooCommerce stores call."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Order, Shipment, SurveyResponse
from app.services.shops import get_or_create_shop
from app.services.storefront import order_link_token
from app.services.tracking import track_now
from integrations.shopify.proxy import proxy_signature
from tests.conftest import SHOP, SHOPIFY_SECRET, make_settings, truncate_all
from tests.helpers import WOO_SHOP, connect_woo_shop, post_shopify, post_woo, shopify_fixture, woo_fixture

EMAIL = "priya@example.com"  # the fixture order #1044's
CUSTOMER = "9007199254741011"


def proxied(path: str, shop: str = SHOP, secret: str = SHOPIFY_SECRET, customer: str = "", **query: str) -> str:
    params = {**query, "shop": shop, "logged_in_customer_id": customer, "path_prefix": "/apps/track",
              "timestamp": str(int(time.time()))}  # fmt: skip
    params["signature"] = proxy_signature(params.items(), secret)
    return f"/proxy{path}?{urlencode(params)}"


@pytest.fixture
def order(client) -> Order:  # type: ignore[no-untyped-def]
    post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"))
    return db.session.scalars(select(Order)).one()


def test_lookup_by_number_and_email_shows_items_and_every_parcel(client, order):
    answer = client.get(proxied("/api/orders/lookup", number="#1044", email="Priya@Example.com "))

    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-store"
    document = answer.json
    assert document["order"]["name"] == "#1044"
    assert [item["title"] for item in document["order"]["items"]] == [
        "Canvas Weekender Bag", "Leather Luggage Tag", "Travel Toiletry Pouch"
    ]  # fmt: skip
    parcels = {p["tracking_number"]: p for p in document["order"]["shipments"]}
    assert set(parcels) == {"1Z999AA10123456784", "1Z999AA10123456793", "9400111899223197428497"}
    assert parcels["9400111899223197428497"]["carrier_name"] == "USPS"
    assert parcels["1Z999AA10123456784"]["tracking_url"].startswith("https://")
    assert document["shop"]["domain"] == SHOP
    assert document["shop"]["branding"]["accent_color"].startswith("#")


def test_lookup_by_postal_code_ignores_case_and_spacing(client, order):
    answer = client.get(proxied("/api/orders/lookup", number="1044", postal_code=" 021 44"))

    assert answer.status_code == 200


def test_lookup_wrong_email_and_unknown_order_get_the_same_answer(client, order):
    wrong_email = client.get(proxied("/api/orders/lookup", number="1044", email="someone@example.com"))
    unknown = client.get(proxied("/api/orders/lookup", number="9999", email=EMAIL))

    assert wrong_email.status_code == unknown.status_code == 404
    assert wrong_email.get_data() == unknown.get_data()


def test_lookup_without_email_or_postal_code_says_what_is_missing(client, order):
    answer = client.get(proxied("/api/orders/lookup", number="1044"))

    assert answer.status_code == 400
    assert "email" in answer.json["message"]


@pytest.mark.parametrize(
    ("mangle", "status"),
    [
        (lambda url: url.replace("number=1044", "number=1045"), 401),  # signed parameters changed
        (lambda url: url.split("&signature=")[0], 400),  # unsigned
    ],
)
def test_proxy_request_with_a_bad_signature_is_refused(client, order, mangle, status):
    answer = client.get(mangle(proxied("/api/orders/lookup", number="1044", email=EMAIL)))

    assert answer.status_code == status
    assert "order" not in answer.json


def test_proxy_request_signed_with_another_apps_secret_is_refused(client, order):
    answer = client.get(proxied("/api/orders/lookup", secret="not-our-secret", number="1044", email=EMAIL))

    assert answer.status_code == 401


def test_signed_in_shopper_sees_their_orders_without_typing(client, order):
    mine = client.get(proxied("/api/orders/mine", customer=CUSTOMER))
    stranger = client.get(proxied("/api/orders/mine", customer="123"))
    nobody = client.get(proxied("/api/orders/mine"))

    assert [o["name"] for o in mine.json["orders"]] == ["#1044"]
    assert stranger.json["orders"] == []
    assert nobody.status_code == 401


def test_signed_link_opens_the_order_and_only_in_its_own_shop(client, order):
    connect_woo_shop(client.application)
    token = order_link_token(order)

    assert client.get(proxied(f"/api/orders/link/{token}")).json["order"]["name"] == "#1044"
    assert client.get(f"/api/storefront/orders/link/{token}?shop={WOO_SHOP}").status_code == 404
    assert client.get(proxied(f"/api/orders/link/{token[:-2]}xx")).status_code == 404


def test_another_shops_credentials_find_nothing(client, order):
    connect_woo_shop(client.application)
    post_woo(client, "order.created", woo_fixture("order-ast-two-parcels.json"))

    query = urlencode({"shop": WOO_SHOP, "number": "1044", "email": EMAIL})
    answer = client.get(f"/api/storefront/orders/lookup?{query}")

    assert answer.status_code == 404


def test_public_lookup_answers_cross_origin_requests_from_the_shops_own_site_only(database_url):
    app = create_app(make_settings(database_url, env="production"))
    truncate_all(app)
    with app.app_context():
        client = app.test_client()
        connect_woo_shop(app)
        query = urlencode({"shop": WOO_SHOP, "number": "1", "email": "x@example.com"})
        own = client.get(f"/api/storefront/orders/lookup?{query}", headers={"Origin": f"https://{WOO_SHOP}"})
        foreign = client.get(f"/api/storefront/orders/lookup?{query}", headers={"Origin": "https://evil.example"})
        preflight = client.options(f"/api/storefront/orders/lookup?{query}", headers={"Origin": f"https://{WOO_SHOP}"})
        db.session.remove()
        db.engine.dispose()
    app.extensions["afterglow.jobs"].close()

    assert own.headers["Access-Control-Allow-Origin"] == f"https://{WOO_SHOP}"
    assert "Access-Control-Allow-Origin" not in foreign.headers
    assert (preflight.status_code, preflight.headers["Access-Control-Allow-Origin"]) == (204, f"https://{WOO_SHOP}")


def test_public_lookup_for_an_unknown_shop_is_404(client):
    answer = client.get("/api/storefront/orders/lookup?shop=nowhere.example&number=1&email=a@b.c")

    assert (answer.status_code, answer.json["error"]) == (404, "unknown_shop")


def test_timeline_times_are_given_in_the_zone_where_each_scan_happened(client, order):
    shipment = db.session.scalars(select(Shipment).where(Shipment.tracking_number == "9400111899223197428497")).one()
    track_now(shipment_id=shipment.id, now=shipment.platform_created_at.replace(year=2030))

    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    parcel = next(p for p in document["order"]["shipments"] if p["id"] == shipment.id)

    assert len(parcel["events"]) >= 3
    moments = [datetime.fromisoformat(event["at"]) for event in parcel["events"]]
    for event, moment in zip(parcel["events"], moments, strict=True):
        assert moment.utcoffset() == moment.astimezone(ZoneInfo(event["timezone"])).utcoffset()
    assert {moment.utcoffset() for moment in moments} != {timedelta(0)}  # local clocks, not UTC
    assert moments == sorted(moments, reverse=True)  # newest first, as people read a timeline


def rate_limited_app(database_url: str, redis_url: str | None) -> Flask:
    app = create_app(make_settings(database_url, redis_url=redis_url, storefront_lookups_per_minute=3))
    truncate_all(app)
    with app.app_context():
        get_or_create_shop(platform="shopify", domain=SHOP)
        db.session.commit()
    if redis_url:
        from redis import Redis

        Redis.from_url(redis_url).flushdb()
    return app


@pytest.mark.parametrize("with_redis", [False, True], ids=["in-process", "redis"])
def test_lookups_past_the_limit_get_429_with_retry_after_per_address(database_url, request, with_redis):
    redis_url = request.getfixturevalue("redis_url") if with_redis else None
    app = rate_limited_app(database_url, redis_url)
    with app.app_context():
        client = app.test_client()
        url = proxied("/api/orders/lookup", number="1", email="a@example.com")
        first = [client.get(url, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code for _ in range(4)]
        refused = client.get(url, environ_base={"REMOTE_ADDR": "203.0.113.7"})
        other = client.get(url, environ_base={"REMOTE_ADDR": "198.51.100.2"})
        db.session.remove()
        db.engine.dispose()
    app.extensions["afterglow.jobs"].close()

    assert first == [404, 404, 404, 429]
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.status_code == 404


def deliver_all(order: Order) -> None:
    for shipment in order.shipments:
        track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=30))
    db.session.expire_all()


def test_survey_after_delivery_is_stored_against_order_parcel_and_carrier(client, order):
    deliver_all(order)
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    asked = [p for p in document["order"]["shipments"] if p["survey"]]
    assert [p["tracking_number"] for p in asked] == ["1Z999AA10123456784"]  # one question: the latest delivery
    parcel = asked[0]
    assert parcel["survey"]["kind"] == "nps" and parcel["survey"]["score"] is None

    answer = client.post(proxied("/api/surveys"), json={"token": parcel["survey"]["token"], "kind": "nps",
                                                          "score": 9, "comment": "Fast!", "locale": "en"})  # fmt: skip
    again = client.post(proxied("/api/surveys"), json={"token": parcel["survey"]["token"], "kind": "nps", "score": 10})

    assert (answer.status_code, again.status_code) == (201, 201)
    stored = db.session.scalars(select(SurveyResponse)).one()  # answering again replaced the answer
    assert (stored.order_id, stored.shipment_id, stored.carrier, stored.score) == (order.id, parcel["id"], "ups", 10)
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    assert next(p for p in document["order"]["shipments"] if p["id"] == parcel["id"])["survey"]["score"] == 10


def test_survey_is_not_offered_before_delivery(client, order):
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json

    assert {p["survey"] is None for p in document["order"]["shipments"]} == {True}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "nps", "score": 11}, 422),
        ({"kind": "ces", "score": 0}, 422),
        ({"kind": "csat", "score": 3}, 422),
        ({"kind": "nps", "score": "9"}, 400),
        ({"kind": "nps", "score": 9, "token": "forged"}, 422),
        ({"kind": "nps", "score": 9, "comment": "Fast\x00!"}, 422),
        ({"kind": "nps", "score": 9, "locale": "e\x00n"}, 422),
    ],
)
def test_survey_answer_out_of_range_or_forged_is_refused_with_a_reason(client, order, body, status):
    deliver_all(order)
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    token = next(p["survey"]["token"] for p in document["order"]["shipments"] if p["survey"])

    answer = client.post(proxied("/api/surveys"), json={"token": token, **body})

    assert answer.status_code == status and answer.json["message"]
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_recommendations_prefer_products_bought_together_then_best_sellers(client, order):
    # Two other orders pair the weekender bag (in #1044) with a rain jacket; a third sells many mugs.
    for number, extra in ((2001, ("9001", "Rain Jacket", 1)), (2002, ("9001", "Rain Jacket", 1)),
                          (2003, ("9002", "Enamel Mug", 6))):  # fmt: skip
        payload = shopify_fixture("orders_partially_fulfilled.json")
        payload.update(id=number * 1000, name=f"#{number}", order_number=number, fulfillments=[])
        payload["line_items"] = [dict(payload["line_items"][0], id=number * 10)] if extra[0] == "9001" else []
        payload["line_items"].append(dict(payload["line_items"][0] if payload["line_items"] else
                                          shopify_fixture("orders_partially_fulfilled.json")["line_items"][0],
                                          id=number * 10 + 1, product_id=int(extra[0]), title=extra[1],
                                          quantity=extra[2]))  # fmt: skip
        post_shopify(client, "orders/create", payload)
    token = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json["order"]["token"]

    picks = client.get(proxied("/api/orders/recommendations", token=token)).json["recommendations"]

    assert [(p["title"], p["reason"]) for p in picks][:2] == [("Rain Jacket", "bought_together"),
                                                              ("Enamel Mug", "best_seller")]  # fmt: skip
    assert all(p["title"] not in ("Canvas Weekender Bag", "Leather Luggage Tag") for p in picks)
    assert picks[0]["url"].startswith(f"https://{SHOP}/search?")


def test_lookup_shows_our_estimate_window_while_in_transit_and_none_once_delivered(client, order):
    shipment = db.session.scalars(select(Shipment).where(Shipment.tracking_number == "1Z999AA10123456784")).one()
    track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=2))

    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    parcel = next(p for p in document["order"]["shipments"] if p["id"] == shipment.id)
    estimate = parcel["estimate"]
    assert estimate["source"] in ("history", "default", "carrier", "scan")
    assert estimate["window_start"] <= estimate["date"] <= estimate["window_end"]

    deliver_all(order)
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    assert next(p for p in document["order"]["shipments"] if p["id"] == shipment.id)["estimate"] is None


def test_shop_settings_choose_the_survey_and_recommendations_and_branding_is_the_messages(client, order):
    from app.services import shop_settings
    from app.services.notifications.settings import update_settings

    shop_settings.update(shop_id=order.shop_id, values={"survey_kind": "ces", "recommendations": "off"})
    update_settings(shop_id=order.shop_id, changes={"branding": {"accent_color": "#aa3300", "name": "Priya's Shop"}})
    deliver_all(order)
    document = client.get(proxied("/api/orders/lookup", number="1044", email=EMAIL)).json
    survey = next(p["survey"] for p in document["order"]["shipments"] if p["survey"])

    assert survey["kind"] == "ces"
    assert (document["shop"]["branding"]["accent_color"], document["shop"]["branding"]["name"]) == (
        "#aa3300", "Priya's Shop"
    )  # fmt: skip - the branding the shop's messages use
    assert document["shop"]["recommendations"] is False
    token = document["order"]["token"]
    assert client.get(proxied("/api/orders/recommendations", token=token)).json["recommendations"] == []
    answer = client.post(proxied("/api/surveys"), json={"token": survey["token"], "kind": "ces", "score": 6})
    assert answer.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        lambda: proxied("/api/orders/lookup", number="10\x0044", email=EMAIL),
        lambda: proxied("/api/orders/mine", customer="\x00"),
        lambda: f"/api/storefront/orders/lookup?shop={SHOP}&number=1044%00&email={EMAIL}",
        lambda: f"/api/storefront/orders/lookup?shop=a%00b&number=1044&email={EMAIL}",
    ],
)
def test_lookup_with_a_nul_character_is_refused_as_malformed(client, order, path):
    answer = client.get(path())

    assert answer.status_code == 400 and answer.json["error"] == "bad_request"
