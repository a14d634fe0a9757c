"""The shopper's tracking widget in Chromium: on a store page calling the public API, inside a Shopify theme through
the app proxy, and in the markup the WordPress shortcode writes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Shipment, SurveyResponse
from app.services.delays import detect_delays
from app.services.notifications import links
from app.services.shops import get_or_create_shop
from app.services.tracking import track_now
from fakes.server import FakeServer
from fakes.shopify_storefront import create_storefront
from tests.browser.conftest import LiveApp
from tests.conftest import SHOP, SHOPIFY_SECRET
from tests.helpers import WOO_SHOP, connect_woo_shop, post_shopify, post_woo, shopify_fixture, woo_fixture
from tests.test_wordpress_plugin import PHP, needs_php, render_shortcode

EMAIL = "priya@example.com"
pytestmark = pytest.mark.browser


def seed(live: LiveApp) -> None:
    """Order #1044: three parcels (two UPS, one USPS), each followed a few days into its simulated journey."""
    with live.app.app_context():
        client = live.app.test_client()
        post_shopify(client, "orders/create", shopify_fixture("orders_partially_fulfilled.json"))
        shop = get_or_create_shop(platform="shopify", domain=SHOP)
        shop.name = "Afterglow Demo Store"
        db.session.commit()
        for shipment in db.session.scalars(select(Shipment).order_by(Shipment.id)).all():
            track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=2))


def store_page(live: LiveApp, **attrs: str) -> str:
    """A bare store page embedding the widget against the public API (what the WordPress plugin also renders)."""
    attributes = "".join(f' {k}="{v}"' for k, v in {"endpoint": f"{live.url}/api/storefront", **attrs}.items())
    return (f"<!doctype html><html><body><h1>Store</h1><afterglow-tracking{attributes}></afterglow-tracking>"
            f'<script src="{live.url}/static/widgets/afterglow-tracking.js"></script></body></html>')  # fmt: skip


def open_store(page: Any, live: LiveApp, **attrs: str) -> Any:
    with FakeServer(_static(store_page(live, **attrs))) as site:
        page.goto(f"{site.base_url}/")
        page.wait_for_selector("afterglow-tracking >> input[name=number]")
    return page


def _static(html: str) -> Any:
    def serve(_environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    return serve


def look_up(page: Any, number: str, email: str) -> None:
    page.fill("afterglow-tracking >> input[name=number]", number)
    page.fill("afterglow-tracking >> input[name=email]", email)
    page.click("afterglow-tracking >> button[type=submit]")


def test_widget_lookup_by_number_and_email_shows_every_parcel_with_its_timeline(page, live_app):
    seed(live_app)
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        look_up(page, "1044", EMAIL)

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.inner_text("afterglow-tracking >> #order-title") == "Order #1044"
        parcels = page.locator("afterglow-tracking >> article.parcel")
        assert parcels.count() == 3
        assert parcels.nth(0).get_attribute("aria-label") == "Parcel 1 of 3"
        assert page.locator("afterglow-tracking >> ol.events li").count() >= 3
        assert page.locator("afterglow-tracking >> a[href*='trackNums=1Z999AA']").count() == 2
        assert "Canvas Weekender Bag" in page.inner_text("afterglow-tracking >> .card")


def test_widget_wrong_email_says_not_found_without_revealing_the_order(page, live_app):
    seed(live_app)
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        look_up(page, "1044", "someone.else@example.com")

        message = page.wait_for_selector("afterglow-tracking >> .message.missing")
        assert "could not find an order" in message.inner_text()
        assert message.get_attribute("role") == "alert"
        assert page.locator("afterglow-tracking >> article.parcel").count() == 0


@pytest.mark.parametrize("live_app", [{"storefront_lookups_per_minute": 2}], indirect=True)
def test_widget_past_the_rate_limit_asks_the_shopper_to_wait(page, live_app):
    seed(live_app)
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        for _ in range(3):
            look_up(page, "1", "nobody@example.com")
            page.wait_for_selector("afterglow-tracking >> .message:not(:empty)")

        text = page.inner_text("afterglow-tracking >> .message.limited")
        assert re.search(r"try again in \d+ seconds", text)


@pytest.mark.parametrize("page", ["de-DE"], indirect=True)
def test_widget_speaks_german_to_a_german_browser_with_german_dates(page, live_app):
    seed(live_app)
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        assert page.inner_text("afterglow-tracking >> label >> nth=0").startswith("Bestellnummer")
        look_up(page, "1044", EMAIL)

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.inner_text("afterglow-tracking >> #order-title") == "Bestellung #1044"
        first_time = page.inner_text("afterglow-tracking >> ol.events time >> nth=0")
        assert re.match(r"^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. ", first_time), first_time


def test_widget_works_with_the_keyboard_alone(page, live_app):
    seed(live_app)
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        page.wait_for_selector("afterglow-tracking >> input[name=number]")
        page.keyboard.press("Tab")
        page.keyboard.type("#1044")
        page.keyboard.press("Tab")
        page.keyboard.type(EMAIL)
        page.keyboard.press("Enter")

        page.wait_for_selector("afterglow-tracking >> #order-title")
        focused = page.evaluate("document.querySelector('afterglow-tracking').shadowRoot.activeElement.id")
        assert focused == "order-title"  # the result is announced and reading starts there
        page.keyboard.press("Tab")
        active = page.evaluate("document.querySelector('afterglow-tracking').shadowRoot.activeElement.tagName")
        assert active in ("A", "BUTTON")


def test_widget_through_the_shopify_app_proxy_renders_inside_the_theme(page, live_app):
    seed(live_app)
    storefront = create_storefront(app_url=live_app.url, shop=SHOP, secret=SHOPIFY_SECRET)
    with FakeServer(storefront) as store:
        page.goto(f"{store.base_url}/apps/afterglow/tracking")
        assert page.locator("#MainContent afterglow-tracking").count() == 1  # the theme's layout around our page
        look_up(page, "1044", EMAIL)

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.locator("afterglow-tracking >> article.parcel").count() == 3


def test_widget_shows_a_signed_in_shopper_their_orders_without_typing(page, live_app):
    seed(live_app)
    storefront = create_storefront(app_url=live_app.url, shop=SHOP, secret=SHOPIFY_SECRET,
                                   customer_id="9007199254741011")  # fmt: skip
    with FakeServer(storefront) as store:
        page.goto(f"{store.base_url}/apps/afterglow/tracking")
        page.click("afterglow-tracking >> ul.orders button")

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.inner_text("afterglow-tracking >> #order-title") == "Order #1044"


@needs_php
def test_widget_in_the_wordpress_shortcode_markup_tracks_a_woocommerce_order(page, live_app):
    with live_app.app.app_context():
        connect_woo_shop(live_app.app)
        post_woo(live_app.app.test_client(), "order.created", woo_fixture("order-ast-two-parcels.json"))
    order = woo_fixture("order-ast-two-parcels.json")
    # What [afterglow_tracking] prints on the WooCommerce store, run through the plugin's own PHP.
    rendered = render_shortcode(home=f"https://{WOO_SHOP}/", app_url=live_app.url, locale="en_US")
    html = f"<html><body>{rendered['markup']}<script src=\"{rendered['script']}\"></script></body></html>"
    with FakeServer(_static(html)) as site:
        page.goto(f"{site.base_url}/")
        look_up(page, str(order["number"]), order["billing"]["email"])

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.locator("afterglow-tracking >> article.parcel").count() == 2


def test_widget_survey_after_delivery_stores_the_answer_and_the_comment(page, live_app):
    seed(live_app)
    with live_app.app.app_context():
        for shipment in db.session.scalars(select(Shipment).where(Shipment.carrier == "ups")).all():
            track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=30))
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        look_up(page, "1044", EMAIL)
        page.wait_for_selector("afterglow-tracking >> .survey legend")
        assert "recommend Afterglow Demo Store" in page.inner_text("afterglow-tracking >> .survey legend >> nth=0")

        page.click("afterglow-tracking >> .survey >> nth=0 >> button[data-score='9']")
        page.fill("afterglow-tracking >> .survey textarea", "Quick and well packed")
        page.click("afterglow-tracking >> .survey button.secondary")
        page.wait_for_selector("afterglow-tracking >> .survey >> nth=0 >> .thanks")
        page.wait_for_function(
            "!document.querySelector('afterglow-tracking').shadowRoot.querySelector('.survey textarea')"
        )

    with live_app.app.app_context():
        answers = db.session.scalars(select(SurveyResponse)).all()
        assert [(a.kind, a.score, a.comment, a.carrier) for a in answers] == [
            ("nps", 9, "Quick and well packed", "ups")
        ]  # fmt: skip


def test_widget_shows_a_delayed_parcel_with_its_notice_in_plain_words(page, live_app):
    with live_app.app.app_context():
        client = live_app.app.test_client()
        post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
        fulfillment = shopify_fixture("fulfillments_update.json")
        fulfillment.update(tracking_company="UPS", tracking_number="SIMDELAY2026", tracking_numbers=["SIMDELAY2026"])
        post_shopify(client, "fulfillments/create", fulfillment)
        shipment = db.session.scalars(select(Shipment)).one()
        shipped = shipment.platform_created_at
        track_now(shipment_id=shipment.id, now=shipped + timedelta(days=2))  # moving, then it stops
        detect_delays(now=shipped + timedelta(days=12))
        db.session.expire_all()
        reason = db.session.get(Shipment, shipment.id).delay_reason
        order = db.session.get(Shipment, shipment.id).order
        number, email = order.number, order.email
    assert reason is not None
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        look_up(page, number, email)

        notice = page.wait_for_selector("afterglow-tracking >> .delay")
        assert notice.inner_text().startswith("Running late:")
        assert len(notice.inner_text()) > len("Running late: ") + 20  # the reason in words, not a code
        assert "_" not in notice.inner_text()


# --- the same flows on each of the three hosts: a plain store page, a Shopify theme through the app proxy, and the
# markup the WordPress shortcode prints ---------------------------------------------------------------------------


@contextmanager
def tracking_page(page: Any, live: LiveApp, host: str, site_locale: str = "en_US") -> Iterator[tuple[str, str, int]]:
    """Seed the host's kind of order, open its tracking page; yields (order number, email, parcels)."""
    if host == "wordpress":
        if PHP is None:
            pytest.skip("php is missing (apt-get install php-cli; .ci/run installs it)")
        with live.app.app_context():
            connect_woo_shop(live.app)
            post_woo(live.app.test_client(), "order.created", woo_fixture("order-ast-two-parcels.json"))
        order = woo_fixture("order-ast-two-parcels.json")
        rendered = render_shortcode(home=f"https://{WOO_SHOP}/", app_url=live.url, locale=site_locale)
        html = f"<html><body>{rendered['markup']}<script src=\"{rendered['script']}\"></script></body></html>"
        with FakeServer(_static(html)) as site:
            page.goto(f"{site.base_url}/")
            yield str(order["number"]), order["billing"]["email"], 2
        return
    seed(live)
    if host == "shopify":
        with FakeServer(create_storefront(app_url=live.url, shop=SHOP, secret=SHOPIFY_SECRET)) as store:
            page.goto(f"{store.base_url}/apps/afterglow/tracking")
            yield "1044", EMAIL, 3
        return
    with FakeServer(_static(store_page(live, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/")
        yield "1044", EMAIL, 3


HOSTS = ["store", "shopify", "wordpress"]


@pytest.mark.parametrize("host", HOSTS)
def test_widget_on_each_host_finds_the_order_with_every_parcel(page, live_app, host):
    with tracking_page(page, live_app, host) as (number, email, parcels):
        look_up(page, number, email)

        page.wait_for_selector("afterglow-tracking >> #order-title")
        assert page.locator("afterglow-tracking >> article.parcel").count() == parcels
        assert re.search(r"\$|€|USD|EUR", page.inner_text("afterglow-tracking >> #order-title + p"))


@pytest.mark.parametrize("host", HOSTS)
def test_widget_on_each_host_says_not_found_for_a_wrong_email(page, live_app, host):
    with tracking_page(page, live_app, host) as (number, _email, _parcels):
        look_up(page, number, "someone.else@example.com")

        assert "could not find" in page.wait_for_selector("afterglow-tracking >> .message.missing").inner_text()


@pytest.mark.parametrize("page", ["de-DE"], indirect=True)
@pytest.mark.parametrize("host", ["store", "wordpress"])  # Shopify's proxy page passes the store's language instead
def test_widget_on_each_host_speaks_german_to_a_german_shopper(page, live_app, host):
    # A plain page follows the browser; WordPress passes the site's language (a German shop: de_DE).
    with tracking_page(page, live_app, host, site_locale="de_DE") as (number, email, _parcels):
        look_up(page, number, email)

        title = page.wait_for_selector("afterglow-tracking >> #order-title").inner_text()
        assert title.startswith("Bestellung")


def test_widget_opened_from_the_survey_email_link_goes_straight_to_the_question(page, live_app):
    seed(live_app)
    with live_app.app.app_context():
        for shipment in db.session.scalars(select(Shipment).where(Shipment.carrier == "ups")).all():
            track_now(shipment_id=shipment.id, now=shipment.platform_created_at + timedelta(days=30))
        order = db.session.scalars(select(Shipment)).first().order
        link = links.tracking_url(platform="shopify", domain=SHOP, shop_id=order.shop_id, order_id=order.id)
    token = parse_qs(urlsplit(link).query)["afterglow_token"][0]  # what the survey email's link carries
    with FakeServer(_static(store_page(live_app, shop=SHOP))) as site:
        page.goto(f"{site.base_url}/?afterglow_token={token}#survey")

        page.wait_for_selector("afterglow-tracking >> .survey button[data-score]")
        focused = page.evaluate("document.querySelector('afterglow-tracking').shadowRoot.activeElement.dataset.score")
        assert focused == "0"
