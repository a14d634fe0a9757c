"""Signing a WooCommerce merchant in to the admin: `flask shops login-link`, a signed expiring single-use link,
and the session cookie with its CSRF token as `woocommerce_session_shop` checks them."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import select

from app.auth.woocommerce_session import COOKIE, woocommerce_session_shop
from app.extensions import db
from app.models import Shop
from app.services.woocommerce_logins import login_link
from tests.woo_fake import APP_URL, connect, running_woo, woo_settings


@pytest.fixture
def app_settings():
    return woo_settings()


@pytest.fixture
def connected(app, client):
    with running_woo(app) as woo:
        connect(client, woo)
        yield woo, db.session.scalar(select(Shop))


def _path(link: str) -> str:
    return link.removeprefix(APP_URL)


def test_login_link_cli_prints_a_link_that_signs_in_once(app, runner, connected):
    woo, shop = connected
    browser = app.test_client()

    printed = runner.invoke(args=["shops", "login-link", shop.domain])

    assert printed.exit_code == 0, printed.output
    link = printed.output.strip()
    assert link.startswith(f"{APP_URL}/auth/woocommerce/login?token=")
    signed_in = browser.get(_path(link), base_url=APP_URL)
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/admin/woocommerce")
    cookie = next(value for value in signed_in.headers.getlist("Set-Cookie") if value.startswith(COOKIE))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert woo.domain in browser.get("/admin/woocommerce", base_url=APP_URL).get_data(as_text=True)

    again = app.test_client().get(_path(link), base_url=APP_URL)
    assert again.status_code == 403 and "already used" in again.get_data(as_text=True)


def test_login_link_cli_for_an_unknown_store_fails(runner):
    printed = runner.invoke(args=["shops", "login-link", "nowhere.example"])

    assert printed.exit_code != 0 and "no WooCommerce store" in printed.output


def test_login_link_expired_or_forged_is_refused(app, connected):
    _, shop = connected
    link = login_link(shop_id=shop.id, app_url=APP_URL)
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")

    assert app.test_client().get(_path(forged), base_url=APP_URL).status_code == 403
    app.config["AFTERGLOW"].woocommerce_login_ttl = -1  # every link is older than that
    expired = app.test_client().get(_path(link), base_url=APP_URL)
    assert expired.status_code == 403 and "expired" in expired.get_data(as_text=True)


def test_session_shop_checks_csrf_on_unsafe_methods(app, client, connected):
    _, shop = connected
    cookie = client.get_cookie(COOKIE, domain="afterglow.test").value
    page = client.get("/admin/woocommerce", base_url=APP_URL).get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    headers = {"Cookie": f"{COOKIE}={cookie}"}

    def shop_for(method: str, extra: dict[str, str]) -> Shop | None:
        with app.test_request_context("/x", method=method, headers={**headers, **extra}, base_url=APP_URL):
            return woocommerce_session_shop(request)

    assert shop_for("GET", {}).id == shop.id
    assert shop_for("POST", {}) is None
    assert shop_for("POST", {"X-CSRF-Token": "wrong"}) is None
    assert shop_for("POST", {"X-CSRF-Token": csrf}).id == shop.id
    with app.test_request_context("/x", headers={"Cookie": f"{COOKIE}={cookie}x"}, base_url=APP_URL):
        assert woocommerce_session_shop(request) is None  # tampered


def test_admin_page_without_session_is_refused(client):
    assert client.get("/admin/woocommerce", base_url=APP_URL).status_code == 401


def test_prune_forgets_expired_logins_and_abandoned_attempts_but_keeps_live_ones(app, connected):
    from datetime import timedelta

    from app.jobs.schedule import SCHEDULE
    from app.models import WooCommerceConnection, WooCommerceLogin
    from app.models.types import utcnow
    from app.services.woocommerce_logins import redeem
    from app.services.woocommerce_retention import prune_woocommerce_records

    _, shop = connected
    redeem(token=login_link(shop_id=shop.id, app_url=APP_URL).split("token=")[1])
    now = utcnow()
    abandoned = WooCommerceConnection(domain="gone.example", store_url="https://gone.example", state="pending",
                                      state_digest="a" * 64, state_expires_at=now - timedelta(days=2), webhook_ids=[])
    waiting = WooCommerceConnection(domain="soon.example", store_url="https://soon.example", state="pending",
                                    state_digest="b" * 64, state_expires_at=now + timedelta(minutes=5), webhook_ids=[])
    db.session.add_all([abandoned, waiting])
    db.session.commit()

    first = prune_woocommerce_records(now=now)  # the link has not expired yet; one attempt was abandoned
    later = prune_woocommerce_records(now=now + timedelta(hours=1))  # past the link's expiry

    assert (first.logins, first.connections, later.logins, later.connections) == (0, 1, 1, 0)
    assert db.session.scalar(select(WooCommerceLogin)) is None
    states = sorted(db.session.scalars(select(WooCommerceConnection.domain)))
    assert states == sorted(["soon.example", shop.domain])  # the live connection and the attempt still open
    assert "prune_woocommerce_records" in {periodic.job for periodic in SCHEDULE}
