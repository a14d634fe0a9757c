"""The Messages and Connections tabs in Chromium, on the demo store: the template editor's live preview and its
errors, "Send me a test" reaching a real SMTP server, journeys saved with their field errors, and a carrier key the
carrier refuses shown on its field with nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import CarrierAccount
from app.services.notifications.settings import get_settings
from fakes.easypost import FakeEasyPost
from tests.browser.admin import open_admin, seed_demo
from tests.browser.conftest import LiveApp
from tests.easypost_helpers import fake_easypost
from tests.notifications.conftest import SMTPInbox, _free_port

pytestmark = pytest.mark.browser
SMTP_PORT = _free_port()
SMTP_URL = f"smtp://127.0.0.1:{SMTP_PORT}?starttls=0&timeout=5"
MESSAGES = "/app/settings?tab=messages"


@pytest.fixture
def smtp() -> Iterator[SMTPInbox]:
    inbox = SMTPInbox(url=SMTP_URL)
    controller = Controller(inbox, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield inbox
    controller.stop()


def editor(page: Any, live_app: LiveApp) -> Any:
    seed_demo(live_app)
    open_admin(page, live_app, MESSAGES)
    subject = page.get_by_label("Subject", exact=True)
    subject.wait_for()
    page.wait_for_function("() => !document.querySelector('textarea[disabled], input[disabled][type=text]')")
    return subject


def preview_title(page: Any) -> Any:
    return page.frame_locator('iframe[title="Email preview"]').locator("title")


def test_admin_messages_subject_edit_shows_in_the_preview_iframe(page, live_app):
    subject = editor(page, live_app)
    frame = page.locator('iframe[title="Email preview"]')
    frame.wait_for()
    assert frame.get_attribute("sandbox") == ""

    subject.fill("Hello from the harbour, {{ customer.first_name }}")

    page.wait_for_function("""() => {
        const frame = document.querySelector('iframe[title="Email preview"]');
        return frame && frame.srcdoc.includes('Hello from the harbour, Maya');
    }""")
    assert preview_title(page).text_content() == "Hello from the harbour, Maya"


def test_admin_messages_broken_template_shows_its_error_under_the_editor(page, live_app):
    editor(page, live_app)

    page.get_by_label("Body", exact=True).fill("<p>{{ order.name </p>")

    error = page.locator("[data-template-error]")
    error.wait_for()
    assert "does not compile" in error.inner_text()
    assert page.get_by_role("button", name="Save template").is_disabled()


@pytest.mark.parametrize("live_app", [{"smtp_url": SMTP_URL}], indirect=True)
def test_admin_messages_send_me_a_test_reaches_the_smtp_server(page, live_app, smtp):
    subject = editor(page, live_app)
    subject.fill("Draft for the test {{ order.name }}")

    page.get_by_label("Send a test to").fill("owner@afterglow-demo.test")
    page.get_by_role("button", name="Send me a test").click()

    page.get_by_text("Test sent to owner@afterglow-demo.test").wait_for()
    # (the demo's own shoppers got their milestones through the same server while it was seeded)
    (message,) = [m for m in smtp.messages if m["To"] == "owner@afterglow-demo.test"]
    assert str(message["Subject"]) == "[Test] Draft for the test #1042"


def test_admin_messages_journey_delay_refused_is_shown_on_its_field(page, live_app):
    shop = seed_demo(live_app)
    open_admin(page, live_app, MESSAGES)
    delay = page.get_by_label("Shipped: Delay (minutes)")
    delay.wait_for()

    delay.fill("999999")
    page.get_by_label("Out for delivery").first.uncheck()
    page.get_by_role("button", name="Save journeys").click()

    page.get_by_text("Use a whole number of minutes from 0 to 86400").wait_for()
    assert delay.get_attribute("aria-invalid") == "true"  # the error is the field's own
    with live_app.app.app_context():
        assert get_settings(shop_id=shop.id)["journeys"]["out_for_delivery"]["enabled"] is True  # nothing stored

    delay.fill("30")
    page.get_by_role("button", name="Save journeys").click()
    page.get_by_text("Settings saved").wait_for()
    with live_app.app.app_context():
        journeys = get_settings(shop_id=shop.id)["journeys"]
        assert journeys["shipped"]["delay_minutes"] == 30 and journeys["out_for_delivery"]["enabled"] is False


@pytest.fixture
def easypost(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEasyPost]:
    with fake_easypost(monkeypatch) as fake:
        yield fake


def test_admin_connections_a_key_the_carrier_refuses_is_a_field_error_and_nothing_is_saved(page, live_app, easypost):
    seed_demo(live_app)
    open_admin(page, live_app, "/app/settings?tab=connections")
    page.get_by_label("Carrier", exact=True).select_option("easypost")
    key = page.get_by_label("API key", exact=True)
    assert key.get_attribute("type") == "password"

    key.fill("EZAKnot0the0right0key")
    page.get_by_role("button", name="Connect EasyPost").click()

    # EasyPost's own words, under the field
    page.locator(".Polaris-InlineError").get_by_text("easypost rejected the API key: API key required.").wait_for()
    with live_app.app.app_context():
        assert db.session.scalars(select(CarrierAccount)).all() == []

    key.fill(easypost.api_key)
    page.get_by_role("button", name="Connect EasyPost").click()
    page.get_by_text("EasyPost connected").wait_for()
    page.get_by_text("API key: ****" + easypost.api_key[-4:]).wait_for()  # the form's words, masked
    assert ("GET", "/v2/trackers") in easypost.calls  # asked with the right key
    with live_app.app.app_context():
        assert [account.source for account in db.session.scalars(select(CarrierAccount))] == ["easypost"]
