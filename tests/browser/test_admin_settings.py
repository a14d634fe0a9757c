"""Settings in the admin, in Chromium: the branding and tracking page forms beside a live preview of the tracking
page (the storefront widget itself, in its shadow DOM), saved to the store's tracking page; refused fields shown
where they were typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app import demo as demo_data
from app.extensions import db
from app.models import Order, Shipment
from app.services.notifications.settings import get_settings
from tests.browser.admin import open_admin, open_embedded, seed_demo
from tests.browser.conftest import LiveApp
from tests.shopify_fake import attach, connect, fake_shopify, session_token

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")]

# Computed styles inside the widget's shadow root (the preview's, or the storefront's).
SHADOW_STYLE = """([selector, property]) => {
  const root = document.querySelector('afterglow-tracking').shadowRoot;
  const node = root && root.querySelector(selector);
  return node ? getComputedStyle(node)[property] : null;
}"""
IN_SHADOW = "(selector) => !!document.querySelector('afterglow-tracking')?.shadowRoot?.querySelector(selector)"


def shadow_style(page: Any, selector: str, prop: str) -> str | None:
    return page.evaluate(SHADOW_STYLE, [selector, prop])  # type: ignore[no-any-return]


def wait_for_shadow_style(page: Any, selector: str, prop: str, expected: str) -> None:
    page.wait_for_function(f"(args) => ({SHADOW_STYLE})(args.slice(0, 2)) === args[2]", arg=[selector, prop, expected])


def open_settings(page: Any, live: LiveApp, tab: str) -> Any:
    open_admin(page, live, f"/app/settings?tab={tab}")
    page.wait_for_selector("[data-preview] afterglow-tracking >> #order-title")  # the sample order, drawn
    return page


def a_shipped_demo_order(live: LiveApp) -> Order:
    with live.app.app_context():
        order = db.session.scalars(
            select(Order).join(Shipment).where(Order.email.is_not(None)).order_by(Order.id)
        ).first()
        assert order is not None
        db.session.expunge(order)
        return order


def test_settings_accent_and_font_follow_in_the_preview_and_reach_the_storefront_once_saved(page, live_app):
    shop = seed_demo(live_app)
    open_settings(page, live_app, "branding")
    assert page.get_by_role("tab", name="Branding").get_attribute("aria-selected") == "true"

    page.get_by_label("Accent colour", exact=True).fill("#aa3300")
    page.get_by_label("Font", exact=True).select_option("serif")

    wait_for_shadow_style(page, ".steps li.done", "borderTopColor", "rgb(170, 51, 0)")
    page.wait_for_function(f"() => ({SHADOW_STYLE})(['.card', 'fontFamily']).startsWith('Charter')")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Settings saved").wait_for()

    with live_app.app.app_context():
        branding = get_settings(shop_id=shop.id)["branding"]
    assert (branding["accent_color"], branding["font_family"]) == ("#aa3300", "serif")
    order = a_shipped_demo_order(live_app)
    page.goto(f"{live_app.url}/demo/storefront?shop={demo_data.SHOPIFY_DOMAIN}&number={order.number}"
              f"&email={order.email}")  # fmt: skip
    page.wait_for_selector("afterglow-tracking >> #order-title")
    assert shadow_style(page, ".steps li.done", "borderTopColor") == "rgb(170, 51, 0)"
    assert str(shadow_style(page, ".card", "fontFamily")).startswith("Charter")


def test_settings_refused_fields_are_shown_beside_them_and_nothing_is_stored(page, live_app):
    shop = seed_demo(live_app)
    open_settings(page, live_app, "branding")

    page.get_by_label("Accent colour", exact=True).fill("#12zz45")
    page.get_by_label("Logo URL", exact=True).fill("http://cdn.example/logo.png")
    page.get_by_role("button", name="Save").click()

    accent, logo = page.get_by_label("Accent colour", exact=True), page.get_by_label("Logo URL", exact=True)
    for field, message in ((accent, "Use a colour like #2f6f5e"), (logo, "Use an https:// address")):
        field.and_(page.locator("[aria-invalid=true]")).wait_for()
        error = page.locator(f"[id='{field.get_attribute('id')}Error']")
        assert message in error.inner_text()
    banner = page.get_by_text("2 settings need a change before they can be saved")
    assert banner.is_visible()
    assert page.get_by_text("Settings saved").count() == 0
    with live_app.app.app_context():
        branding = get_settings(shop_id=shop.id)["branding"]
    assert (branding["accent_color"], branding["logo_url"]) == ("#2f6f5e", None)

    accent.fill("#2f6f5f")  # corrected: its error goes, the other stays until the next save
    assert accent.get_attribute("aria-invalid") != "true" and logo.get_attribute("aria-invalid") == "true"


def test_settings_hiding_the_timeline_hides_it_in_the_preview(page, live_app):
    seed_demo(live_app)
    open_settings(page, live_app, "tracking")
    assert page.evaluate(IN_SHADOW, ".events")

    page.get_by_label("Tracking history").uncheck()

    page.wait_for_function(f"() => !({IN_SHADOW})('.events')")
    assert page.evaluate(IN_SHADOW, ".steps")  # the rest of the page stays
    page.get_by_label("Tracking history").check()
    page.wait_for_function(f"() => ({IN_SHADOW})('.events')")


def test_settings_tabs_are_in_the_address_and_the_preview_keeps_its_place(page, live_app):
    seed_demo(live_app)
    open_settings(page, live_app, "branding")
    box = page.locator("[data-preview]").bounding_box()
    assert page.get_by_role("region", name="Preview").count() == 1  # named for screen readers

    page.get_by_label("Accent colour", exact=True).fill("#0055aa")
    wait_for_shadow_style(page, ".steps li.done", "borderTopColor", "rgb(0, 85, 170)")
    assert page.locator("[data-preview]").bounding_box() == box  # redrawn in place, nothing below it moved

    page.get_by_role("tab", name="Tracking page").click()
    page.wait_for_url("**/app/settings?tab=tracking")
    page.get_by_label("Tracking history").wait_for()
    page.go_back()
    page.wait_for_url("**/app/settings?tab=branding")
    # The draft survives switching tabs.
    assert page.get_by_label("Accent colour", exact=True).input_value() == "#0055aa"


def test_settings_inside_the_shopify_admin_save_with_session_tokens_and_say_so_in_app_bridges_toast(page, live_app):
    shop = seed_demo(live_app)
    with fake_shopify(demo_data.SHOPIFY_DOMAIN) as harness:
        attach(live_app.app, harness)
        with live_app.app.app_context():
            connect(harness, demo_data.SHOPIFY_DOMAIN)
        tokens = [session_token(demo_data.SHOPIFY_DOMAIN) for _ in range(3)]
        open_embedded(page, live_app, shop=demo_data.SHOPIFY_DOMAIN, id_token=tokens[0], tokens=tokens,
                      path="/app/settings")  # fmt: skip
        page.wait_for_selector("[data-preview] afterglow-tracking >> #order-title")

        page.get_by_label("Sender name", exact=True).fill("Harbor Goods")
        page.get_by_role("button", name="Save").click()
        page.wait_for_function("() => window.__afterglowToasts.includes('Settings saved')")

    assert page.evaluate("() => window.shopify.idTokenCalls") >= 3  # settings, preview and save, each with a token
    with live_app.app.app_context():
        assert get_settings(shop_id=shop.id)["branding"]["sender_name"] == "Harbor Goods"


@pytest.mark.parametrize(("status", "content_type", "body", "said"), [
    (502, "text/html", "<html><body>Bad gateway</body></html>", "Something went wrong. Reload the page to try again."),
    (401, "application/json", '{"error": "unauthorized", "message": "a valid session token is required"}',
     "Your session has ended. Open Afterglow again from your store's admin."),
])  # fmt: skip
def test_settings_tab_whose_load_fails_says_why_in_the_admins_words(page, live_app, status, content_type, body, said):
    seed_demo(live_app)
    page.route("**/api/admin/credentials", lambda route: route.fulfill(status=status, content_type=content_type,
                                                                       body=body))  # fmt: skip

    open_admin(page, live_app, "/app/settings?tab=connections")

    page.get_by_text(said).wait_for()


def connected_everything(validated_at: str | None = None) -> dict[str, Any]:
    """GET /api/admin/credentials for a store with a UPS account and both channels connected."""
    return {
        "carriers": [{"source": "ups", "name": "UPS", "fields": []}],
        "accounts": [{"source": "ups", "name": "UPS", "fields": {"client_id": "ab••••", "client_secret": "••••yz"},
                      "connected_at": "2026-01-01T00:00:00Z", "validated_at": validated_at, "last_error": None}],
        "channels": {"klaviyo": {"connected": True, "api_key": "pk_••••1234"},
                     "webhook": {"connected": True, "url": "https://example.com/hooks"}},
    }  # fmt: skip


def test_settings_connections_name_each_remove_and_disconnect_button(page, live_app):
    seed_demo(live_app)
    overview = connected_everything()
    page.route("**/api/admin/credentials", lambda route: route.fulfill(status=200, json=overview))

    open_admin(page, live_app, "/app/settings?tab=connections")

    page.get_by_role("button", name="Remove UPS").wait_for()
    assert page.get_by_role("button", name="Disconnect Klaviyo").is_visible()
    assert page.get_by_role("button", name="Disconnect Webhook").is_visible()


def test_settings_connections_date_an_accepted_account_as_the_rest_of_the_admin_does(page, live_app):
    seed_demo(live_app)
    overview = connected_everything(validated_at="2026-01-01T12:00:00Z")
    page.route("**/api/admin/credentials", lambda route: route.fulfill(status=200, json=overview))

    open_admin(page, live_app, "/app/settings?tab=connections")

    page.get_by_text(re.compile(r"^Accepted Jan 1, 2026\b")).wait_for()


def test_settings_tab_loading_draws_a_card_skeleton_not_a_second_page(page, live_app):
    seed_demo(live_app)
    held: list[Any] = []
    page.route("**/api/admin/credentials", lambda route: held.append(route))  # the tab's answer never comes

    open_admin(page, live_app, "/app/settings?tab=connections")

    page.wait_for_selector("#settings-connections-panel .Polaris-SkeletonBodyText")
    assert page.locator(".Polaris-SkeletonPage__Page").count() == 0
    assert page.get_by_role("status", name="Page loading").count() == 0
