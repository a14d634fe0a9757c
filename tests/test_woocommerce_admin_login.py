"""Signing a WooCommerce merchant in to the admin: `flask shops login-link`, a signed expiring single-use link,
and the session cookie with its CSRF token as `woocommerce_session_shop` checks them."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import select

from app.auth.woocommerce_session import COOKIE, woocommerce_session_shop
from app.config import PROJECT_DIR
from app.extensions import db
from app.models import Shop
from app.services.woocommerce_logins import login_link
from tests.test_wordpress_plugin import PHP, needs_php
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
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/app")
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


def plugin_request(domain: str, secret: str, *, timestamp: float | None = None) -> tuple[bytes, dict[str, str]]:
    """What the plugin's "Open Afterglow" sends: signed with the REST key's consumer secret WordPress holds."""
    import base64
    import hashlib
    import hmac
    import json
    import time

    body = json.dumps({"store": domain, "timestamp": int(timestamp or time.time())}).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return body, {"Content-Type": "application/json", "X-Afterglow-Signature": signature}


def store_secret(shop_id: int) -> str:
    from app import crypto
    from app.services.woocommerce_api import current_connection

    connection = current_connection(shop_id=shop_id)
    assert connection is not None and connection.consumer_secret_ciphertext
    return crypto.decrypt(connection.consumer_secret_ciphertext)  # what WooCommerce keeps in its key table


def test_plugin_request_signed_with_the_stores_key_gets_a_login_link_that_signs_in(app, connected):
    _, shop = connected
    body, headers = plugin_request(shop.domain, store_secret(shop.id))

    answer = app.test_client().post("/auth/woocommerce/login-link", data=body, headers=headers, base_url=APP_URL)

    assert answer.status_code == 200
    signed_in = app.test_client().get(_path(answer.json["url"]), base_url=APP_URL)
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/app")


@pytest.mark.parametrize("tamper", ["wrong secret", "stale", "another store"])
def test_plugin_request_not_signed_by_the_store_or_stale_is_refused(app, connected, tamper):
    import time

    _, shop = connected
    secret, domain, when = store_secret(shop.id), shop.domain, time.time()
    if tamper == "wrong secret":
        secret = "cs_" + "0" * 40
    elif tamper == "stale":
        when -= 3600
    else:
        domain = "someone-else.example"
    body, headers = plugin_request(domain, secret, timestamp=when)

    answer = app.test_client().post("/auth/woocommerce/login-link", data=body, headers=headers, base_url=APP_URL)

    assert answer.status_code == 401 and "url" not in answer.json


@pytest.mark.parametrize("body", [b'{"store": "shop.example", "timestamp": 1e999}', b'{"store": "shop.example"}',
                                  b"[1]", b"\xff", b""])
def test_plugin_request_that_is_not_the_expected_json_is_refused_with_the_reason(app, body):
    answer = app.test_client().post("/auth/woocommerce/login-link", data=body, base_url=APP_URL,
                                    headers={"X-Afterglow-Signature": "c2lnbmF0dXJl"})  # fmt: skip

    assert answer.status_code == 401 and "timestamp" in answer.json["message"]


@needs_php
def test_plugin_open_afterglow_request_built_by_the_plugins_own_php_is_accepted(app, connected):
    import json
    import subprocess
    import time

    _, shop = connected
    signed = json.loads(subprocess.run(
        [str(PHP), str(PROJECT_DIR / "tests" / "wordpress" / "sign_login_request.php"), shop.domain,
         str(int(time.time())), store_secret(shop.id)], capture_output=True, text=True, check=True, timeout=30,
    ).stdout)  # fmt: skip

    answer = app.test_client().post("/auth/woocommerce/login-link", data=signed["body"], base_url=APP_URL,
                                    headers={"Content-Type": "application/json",
                                             "X-Afterglow-Signature": signed["signature"]})  # fmt: skip

    assert answer.status_code == 200 and "/auth/woocommerce/login?token=" in answer.json["url"]
