"""The admin's queues in Chromium on the demo store as `make run` seeds it: the parcels that need attention with
their reasons, filtered by kind; the messages one order's shopper was sent; the shoppers' survey answers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.admin import open_admin, seed_demo
from tests.browser.conftest import LiveApp

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_app: LiveApp) -> LiveApp:
    seed_demo(live_app)
    return live_app


def rows(page: Any) -> Any:
    return page.locator(".Polaris-IndexTable__TableRow")


def settled(page: Any, count: int | None = None) -> None:
    """Wait for the table's answer to the current filters (the previous rows stay on screen while it loads)."""
    page.wait_for_function("!document.querySelector('.Polaris-IndexTable__LoadingPanelEntered') && "
                           "document.querySelector('.Polaris-IndexTable')")  # fmt: skip
    if count is not None:
        page.wait_for_function(f"document.querySelectorAll('.Polaris-IndexTable__TableRow').length === {count}")


def all_rows(page: Any) -> int:
    """How many parcels the unfiltered queue lists: four, or three in the hours when the demo's failed attempt has
    already been followed by its delivery (see `STORIES` in app/demo.py)."""
    rows(page).first.wait_for()
    settled(page)
    found = rows(page).count()
    assert found in (3, 4), found
    return found


def test_shipments_queue_shows_the_delayed_demo_parcel_with_its_reason(page, demo):
    open_admin(page, demo, "/app/shipments")

    stalled = rows(page).filter(has_text="#1007")
    never_picked_up = rows(page).filter(has_text="#1011")

    assert "Stalled" in stalled.inner_text() and "No carrier scan since" in stalled.inner_text()
    assert "Not picked up" in never_picked_up.inner_text()
    assert "The carrier has not picked the parcel up" in never_picked_up.inner_text()
    assert "Jonas Becker" in stalled.inner_text() and "days" in stalled.inner_text()
    assert rows(page).first.inner_text().startswith("#1007")  # the oldest problem first
    assert rows(page).filter(has_text="#1002").count() == 0  # delivered parcels are nobody's problem


def test_shipments_queue_filters_to_exceptions_and_failed_attempts_and_keeps_it_in_the_address(page, demo):
    open_admin(page, demo, "/app/shipments")
    rows(page).first.wait_for()

    page.get_by_role("tab", name=re.compile("^Exception")).click()
    page.wait_for_url("**/app/shipments?attention=exception")
    settled(page, 1)

    assert rows(page).count() == 1 and "Damaged, contacting sender" in rows(page).first.inner_text()
    failed = int(page.get_by_role("tab", name=re.compile("^Failed attempt")).inner_text().split()[-1])
    page.get_by_role("tab", name=re.compile("^Failed attempt")).click()
    page.wait_for_url("**/app/shipments?attention=attempt_failed")
    if failed:  # the demo's failed attempt, unless the carrier's next round came before this hour's seeding
        settled(page, 1)
        assert "#1004" in rows(page).first.inner_text() and "Delivery attempted" in rows(page).first.inner_text()
    else:
        page.get_by_text("No parcels need attention").wait_for()
    page.reload()
    page.wait_for_selector("#root .Polaris-Page")
    assert page.get_by_role("tab", name=re.compile("^Failed attempt")).get_attribute("aria-selected") == "true"


def test_shipments_queue_search_finds_an_order_and_clears(page, demo):
    open_admin(page, demo, "/app/shipments")
    everything = all_rows(page)

    page.get_by_label("Search").fill("1008")
    page.wait_for_url("**/app/shipments?q=1008")
    settled(page, 1)

    assert "#1008" in rows(page).first.inner_text()
    page.get_by_label("Carrier").select_option("dhl")
    page.get_by_text("Nothing matches these filters.").wait_for()
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_url(re.compile(r".*/app/shipments$"))
    settled(page, everything)


def test_shipments_search_follows_the_browsers_back_and_forward(page, demo):
    open_admin(page, demo, "/app/shipments")
    everything = all_rows(page)
    search = page.get_by_label("Search")

    search.fill("1008")
    page.wait_for_url("**/app/shipments?q=1008")
    settled(page, 1)
    entries = page.evaluate("history.length")
    page.go_back()
    page.wait_for_url(re.compile(r".*/app/shipments$"))
    settled(page, everything)
    emptied = search.input_value()
    page.go_forward()
    page.wait_for_url("**/app/shipments?q=1008")
    settled(page, 1)

    assert emptied == "" and search.input_value() == "1008"
    page.wait_for_timeout(500)  # the box put back from the address writes no entry of its own
    assert page.evaluate("history.length") == entries


def test_shipments_row_opens_the_orders_message_log(page, demo):
    open_admin(page, demo, "/app/shipments?attention=exception")
    rows(page).filter(has_text="#1008").wait_for()

    rows(page).filter(has_text="#1008").click()

    page.wait_for_url(re.compile(r".*/app/notifications\?order=\d+$"))
    page.get_by_role("heading", name="Messages for order #1008").wait_for()
    log = page.locator(".Polaris-IndexTable__TableRow")
    log.filter(has_text="Exception").first.wait_for()
    assert "Sent" in log.filter(has_text="Exception").filter(has_text="Email").inner_text()
    assert "camille@example.com" in page.inner_text("#root")
    page.get_by_role("button", name="All messages").click()
    page.wait_for_url(re.compile(r".*/app/notifications$"))
    page.get_by_role("heading", name="Messages", exact=True).wait_for()


def test_message_log_filters_by_status(page, demo):
    open_admin(page, demo, "/app/notifications")
    rows(page).first.wait_for()

    page.get_by_label("Status").select_option("suppressed")
    page.wait_for_url("**/app/notifications?status=suppressed")
    page.wait_for_function("[...document.querySelectorAll('.Polaris-IndexTable__TableRow')].every("
                           "(row) => row.textContent.includes('Not sent'))")  # fmt: skip

    assert "stale: happened" in page.inner_text("#root")


def test_survey_answers_show_scores_comments_and_the_nps(page, demo):
    open_admin(page, demo, "/app/surveys")
    rows(page).first.wait_for()

    detractor = rows(page).filter(has_text="#1005")
    assert "It sat in customs for days with no news." in detractor.inner_text()
    assert "4 · Detractor" in detractor.inner_text()
    assert "Net Promoter Score" in page.inner_text("#root")
    page.get_by_label("Only answers with a comment").check()
    page.wait_for_url("**/app/surveys?with_comment=1")
    settled(page, 3)
    assert rows(page).filter(has_text="#1010").count() == 0
