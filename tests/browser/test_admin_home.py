"""The admin's home and dashboard in Chromium on the demo data: the onboarding checklist shows the store's real
state and a step turns done once the thing is done (a shopper's lookup answered on the storefront), and the
dashboard draws its charts from the demo parcels, or says there is nothing yet for a store without any."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app import demo as demo_data
from app.extensions import db
from app.models import Order, Shop
from app.services.shops import get_or_create_shop
from tests.browser.admin import open_admin, seed_demo
from tests.browser.conftest import LiveApp

pytestmark = pytest.mark.browser


def done_steps(page: Any) -> int:
    return int(page.locator('[data-step][data-done="true"]').count())


def test_home_checklist_shows_the_real_state_and_a_step_turns_done_after_a_storefront_lookup(page, live_app):
    shop = seed_demo(live_app)
    open_admin(page, live_app, "/app")
    page.wait_for_selector("[data-step]")

    placed = page.locator('[data-step="tracking_page_placed"]')
    assert placed.get_attribute("data-done") == "false"
    assert page.locator('[data-step="carriers_connected"]').get_attribute("data-done") == "false"
    before = done_steps(page)
    assert page.get_by_text(f"{before} of 4 done").is_visible()
    # A shopper looks their order up on the store's tracking page.
    with live_app.app.app_context():
        order = db.session.scalars(select(Order).where(Order.shop_id == shop.id, Order.email.is_not(None))).first()
        assert order is not None
        number, email = order.number, order.email
    answer = page.request.get(f"{live_app.url}/api/storefront/orders/lookup",
                              params={"shop": shop.domain, "number": number, "email": email})  # fmt: skip
    assert answer.status == 200

    page.get_by_role("button", name="Check again").click()

    page.wait_for_selector('[data-step="tracking_page_placed"][data-done="true"]')
    assert page.get_by_text(f"{before + 1} of 4 done").is_visible()
    assert "already looking up their orders" in placed.inner_text()



def test_home_checklist_that_fails_to_load_says_so_instead_of_loading_forever(page, live_app):
    seed_demo(live_app)
    page.route("**/api/admin/onboarding", lambda route: route.fulfill(
        status=500, content_type="application/json", body='{"error": "internal error"}'))

    open_admin(page, live_app, "/app")

    page.locator(".Polaris-Banner").get_by_text("Something went wrong. Reload the page to try again.").wait_for()
    assert page.get_by_role("button", name="Check again").is_disabled()
    assert page.locator("[data-step]").count() == 0


def test_home_summary_links_the_delayed_parcels(page, live_app):
    seed_demo(live_app)
    open_admin(page, live_app, "/app")

    link = page.get_by_role("link", name="See delayed parcels")

    assert link.get_attribute("href") == "/app/shipments?attention=delayed"
    page.wait_for_function("!document.querySelector('#afterglow-in-flight .Polaris-SkeletonDisplayText__DisplayText')")
    assert re.fullmatch(r"\d+", page.locator("#afterglow-in-flight p").inner_text().strip())


def test_home_summary_that_fails_to_load_shows_no_figures_rather_than_zeros(page, live_app):
    seed_demo(live_app)
    page.route("**/api/admin/dashboard?*", lambda route: route.fulfill(
        status=500, content_type="application/json", body='{"error": "internal error"}'))

    open_admin(page, live_app, "/app")

    page.get_by_text("Something went wrong. Reload the page to try again.").wait_for()
    assert page.locator("#afterglow-in-flight p").inner_text().strip() == "—"
    assert page.locator("#afterglow-delayed p").inner_text().strip() == "—"


def test_dashboard_draws_charts_from_the_demo_data(page, live_app):
    seed_demo(live_app)
    open_admin(page, live_app, "/app/dashboard")

    in_flight = page.locator(".Polaris-ShadowBevel", has=page.get_by_role("heading", name="Parcels in flight"))
    in_flight.locator("svg").first.wait_for()

    assert re.search(r"\d+ parcels on their way", in_flight.inner_text())
    # The chart's figures are there for screen readers too, as a table.
    assert in_flight.locator("table tbody tr").count() >= 1
    assert page.locator("[data-chart] svg").count() >= 3  # the donut, delays by reason, and messages per day
    # Delays by reason: the demo's stalled parcel and the one never picked up, each delayed now and begun lately.
    delays = page.locator(".Polaris-ShadowBevel", has=page.get_by_role("heading", name="Delays by reason"))
    headings = delays.locator("table thead").inner_text().strip().split("\t")
    assert headings == ["Reason", "Delayed now", "Began in the last 30 days"]
    rows = {row.locator("th").inner_text(): [cell.inner_text() for cell in row.locator("td").all()]
            for row in delays.locator("table tbody tr").all()}  # fmt: skip
    assert rows == {"No movement": ["1", "1"], "Not picked up": ["1", "1"]}
    assert "2 delayed now; 2 delays began in the last 30 days" in delays.inner_text()
    # The demo's delivered parcels were promised a day, so each carrier has an on-time rate.
    carriers = page.locator(".Polaris-ShadowBevel", has=page.get_by_role("heading", name="Carriers"))
    on_time = carriers.locator("tbody tr > :nth-child(3)").all_inner_texts()
    assert on_time and all(re.fullmatch(r"\d+%", rate.strip()) for rate in on_time), on_time
    assert page.get_by_label("Period").input_value() == "30"
    page.get_by_label("Period").select_option("7")
    in_flight.locator("svg").first.wait_for()


def test_dashboard_of_a_store_without_data_says_so_in_every_card(page, live_app: LiveApp):
    with live_app.app.app_context():
        get_or_create_shop(platform="woocommerce", domain=demo_data.WOO_DOMAIN)
        db.session.commit()
        assert db.session.scalars(select(Shop)).one().domain == demo_data.WOO_DOMAIN
    open_admin(page, live_app, "/app/dashboard", shop=demo_data.WOO_DOMAIN)

    page.get_by_text("No parcels are on their way right now.").wait_for()

    empty = ("No parcel was delayed in this period.", "No parcel was delivered in this period.",
             "No message was sent in this period.", "No shopper answered the survey in this period.")
    for sentence in empty:
        assert page.get_by_text(sentence).is_visible()
    assert page.locator("[data-chart]").count() == 0


def test_dashboard_that_fails_to_load_says_so_in_the_admins_words(page, live_app):
    seed_demo(live_app)
    page.route("**/api/admin/dashboard?*", lambda route: route.fulfill(
        status=500, content_type="application/json",
        body='{"error": "The server encountered an internal error and was unable to complete your request."}'))

    open_admin(page, live_app, "/app/dashboard")

    page.get_by_text("Something went wrong. Reload the page to try again.").wait_for()
    assert "internal error" not in page.content()


def test_dashboard_names_carriers_as_the_queues_do(page, live_app):
    seed_demo(live_app)
    figures = {"carrier": "", "delivered": 3, "promised": 3, "on_time": 3, "on_time_rate": 1.0,
               "median_transit_days": 2, "sampled": False}  # fmt: skip
    dashboard = {
        "days": 30, "since": "2026-01-01", "timezone": "UTC", "in_flight": {"total": 0, "by_status": {}},
        "delays": {"total": 0, "by_reason": []}, "delays_started": {"total": 0, "by_reason": []},
        "carriers": [{**figures, "carrier": code} for code in ("dhl", "dhl_paket", "royal_mail", "other")],
        "notifications": {"total": 0, "series": []},
        "surveys": {"kind": "nps", "responses": 0, "score": None, "promoters": None, "detractors": None, "trend": []},
    }  # fmt: skip
    page.route("**/api/admin/dashboard?*", lambda route: route.fulfill(status=200, json=dashboard))

    open_admin(page, live_app, "/app/dashboard")

    carriers = page.locator(".Polaris-ShadowBevel", has=page.get_by_role("heading", name="Carriers"))
    carriers.locator("table").first.wait_for()
    names = [name.strip() for name in carriers.locator("tbody tr > :first-child").all_inner_texts()]
    assert names == ["DHL Express", "DHL Paket", "Royal Mail", "Unknown carrier"]


def test_dashboard_period_is_kept_in_the_address_across_a_reload(page, live_app):
    seed_demo(live_app)
    open_admin(page, live_app, "/app/dashboard")

    page.get_by_label("Period").select_option("90")
    page.wait_for_url("**/app/dashboard?days=90")
    page.reload()
    page.wait_for_selector("#root .Polaris-Page")

    assert page.get_by_label("Period").input_value() == "90"
