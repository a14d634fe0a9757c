"""The admin's doors in Chromium: inside the Shopify admin (App Bridge session tokens, the one retry a refused token
earns) and outside it (the signed-in session of the demo and WooCommerce stores)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.admin import open_admin, open_embedded, seed_demo
from tests.browser.conftest import LiveApp
from tests.conftest import SHOP
from tests.shopify_fake import attach, fake_shopify, session_token

pytestmark = pytest.mark.browser


@pytest.fixture
def shopify_admin(live_app: LiveApp) -> Iterator[LiveApp]:
    """The app pointed at a fake Shopify that knows the store, so the app home's install (token exchange) works."""
    with fake_shopify(SHOP) as harness:
        attach(live_app.app, harness)
        yield live_app


def api_calls(page: Any) -> list[tuple[str, int, str]]:
    """Each admin API response the page received: (path, status, the Authorization header it was sent with)."""
    calls: list[tuple[str, int, str]] = []
    page.on("response", lambda response: calls.append((
        response.url.split("?")[0].split(":", 2)[-1].split("/", 1)[-1], response.status,
        response.request.headers.get("authorization", ""))) if "/api/admin/" in response.url else None)  # fmt: skip
    return calls


def test_embedded_admin_loads_with_a_valid_session_token_and_sends_it_on_every_call(page, shopify_admin):
    calls = api_calls(page)
    token = session_token(SHOP, ttl=300)

    open_embedded(page, shopify_admin, shop=SHOP, id_token=session_token(SHOP), tokens=[token])
    page.wait_for_selector("#root .Polaris-Page")
    page.wait_for_function("() => document.querySelectorAll('#root .Polaris-Page').length > 0")
    page.wait_for_load_state("networkidle")

    assert calls, "the admin asked its API nothing"
    assert all(status == 200 and auth == f"Bearer {token}" for _, status, auth in calls), calls
    assert page.evaluate("document.querySelector('meta[name=shopify-api-key]').content") == "test-key"


def test_embedded_admin_refuses_a_session_token_that_is_not_shopifys(page, shopify_admin):
    forged = session_token(SHOP, secret="not-the-apps-secret")

    response = open_embedded(page, shopify_admin, shop=SHOP, id_token=forged, tokens=[forged]).context.pages[0]

    assert page.locator("#root").count() == 0  # no admin: the page Shopify gets is a refusal
    assert "Polaris" not in response.content()


def test_embedded_admin_fetches_a_fresh_token_once_when_the_api_asks_for_it(page, shopify_admin):
    calls = api_calls(page)
    stale = session_token(SHOP, ttl=-120)  # expired two minutes ago: the API answers 401 with the retry header
    fresh = session_token(SHOP, ttl=300)

    open_embedded(page, shopify_admin, shop=SHOP, id_token=session_token(SHOP), tokens=[stale, fresh])
    page.wait_for_selector("#root .Polaris-Page")
    page.wait_for_load_state("networkidle")

    refused = [call for call in calls if call[1] == 401]
    assert [(status, auth) for _, status, auth in refused] == [(401, f"Bearer {stale}")]  # the stale token, once
    retried = calls[calls.index(refused[0]) + 1:]
    assert (refused[0][0], 200, f"Bearer {fresh}") in retried  # the same call again, with a fresh token
    assert all(status == 200 for _, status, _ in retried)
    assert page.evaluate("window.shopify.idTokenCalls") >= 2


def test_the_demo_door_signs_in_to_the_demo_store_and_the_admin_works_without_shopify(page, live_app):
    calls = api_calls(page)
    seed_demo(live_app)

    open_admin(page, live_app)
    page.wait_for_load_state("networkidle")

    assert page.locator(".Polaris-Navigation").count() == 1  # outside Shopify the page draws its own navigation
    assert calls and all(status == 200 and auth == "" for _, status, auth in calls), calls


def test_the_admin_without_a_session_says_how_to_sign_in(page, live_app):
    response = page.goto(f"{live_app.url}/app/settings")

    assert response is not None and response.status == 401
    assert "Open Afterglow from your store's admin" in page.content()
