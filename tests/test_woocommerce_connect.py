"""Connecting a WooCommerce store through wc-auth against the fake WooCommerce over https: the keys stored
encrypted and confirmed, webhooks registered with the store's secret, the merchant signed in; refused callbacks
(unknown or expired state, keys the store refuses, a store that is down); disconnecting."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select, text

from app import crypto
from app.auth.woocommerce import STATE_COOKIE
from app.extensions import db
from app.models import Order, Shop, WooCommerceConnection
from app.models.types import utcnow
from app.services.woocommerce_connections import digest
from fakes.tls import local_certificate
from tests.woo_fake import APP_URL, connect, running_woo, woo_settings


@pytest.fixture
def app_settings():
    return woo_settings()


def _connection() -> WooCommerceConnection:
    return db.session.scalars(select(WooCommerceConnection).order_by(WooCommerceConnection.id.desc())).first()


def test_connect_form_redirects_to_wc_auth_with_state_as_user_id(client):
    answer = client.post("/connect/woocommerce", data={"store_url": "shop.example/store/"}, base_url=APP_URL)

    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "shop.example", "/store/wc-auth/v1/authorize")
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["app_name"] == "Afterglow" and query["scope"] == "read_write"
    assert query["return_url"] == f"{APP_URL}/connect/woocommerce/return"
    assert query["callback_url"] == f"{APP_URL}/connect/woocommerce/callback"
    assert len(query["user_id"]) >= 40  # an unguessable token, stored only as its digest
    stored = _connection()
    assert stored.state == "pending" and stored.domain == "shop.example/store"
    assert stored.state_digest == digest(query["user_id"]) and query["user_id"] not in stored.state_digest
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("typed,error", [
    ("", "Enter the address of your store"),
    ("https://shop.example/?p=1", "home page"),
    ("ftp://shop.example", "home page"),
    ("https://" + "a" * 64 + ".example", "not a web address"),
    ("https://shop\x00.example", "not a web address"),
    ("https://shop example.com", "not a web address"),
    ("https://shop..example", "not a web address"),
])  # fmt: skip
def test_connect_form_refuses_bad_addresses_with_a_field_error(client, typed, error):
    answer = client.post("/connect/woocommerce", data={"store_url": typed}, base_url=APP_URL)

    assert answer.status_code == 422
    assert error in answer.get_data(as_text=True) and 'aria-invalid="true"' in answer.get_data(as_text=True)
    assert _connection() is None


def test_connect_form_requires_https_outside_development(app, client):
    app.config["AFTERGLOW"].env = "production"

    answer = client.post("/connect/woocommerce", data={"store_url": "http://shop.example"}, base_url=APP_URL)

    assert answer.status_code == 422 and "must use https" in answer.get_data(as_text=True)


def test_connect_stores_keys_encrypted_registers_webhooks_and_signs_in(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    with running_woo(app) as woo:
        approved = connect(client, woo)

        assert approved.status_code == 302 and "success=1" in approved.headers["Location"]
        assert woo.fake.callbacks == [(f"{APP_URL}/connect/woocommerce/callback", 200)]
        db.session.expire_all()
        connection = _connection()
        (key,) = woo.store.keys.values()
        assert connection.state == "connected" and connection.key_permissions == "read_write"
        raw = db.session.execute(text("SELECT consumer_key_ciphertext, consumer_secret_ciphertext "
                                      "FROM woocommerce_connections")).one()  # fmt: skip
        assert key.consumer_key not in raw[0] and key.consumer_secret not in raw[1]
        assert crypto.decrypt(raw[0]) == key.consumer_key and crypto.decrypt(raw[1]) == key.consumer_secret
        shop = db.session.get(Shop, connection.shop_id)
        assert shop.platform == "woocommerce" and shop.domain == woo.domain
        secret = crypto.decrypt(shop.webhook_secret_ciphertext)
        hooks = sorted(woo.store.webhooks.values(), key=lambda hook: hook["topic"])
        assert [hook["topic"] for hook in hooks] == ["order.created", "order.deleted", "order.restored",
                                                     "order.updated"]  # fmt: skip
        assert {hook["delivery_url"] for hook in hooks} == {f"{APP_URL}/webhooks/woocommerce"}
        assert {hook["secret"] for hook in hooks} == {secret}
        assert sorted(connection.webhook_ids) == sorted(str(hook["id"]) for hook in hooks)
        assert [d["status"] for d in woo.fake.hooks.deliveries] == [200] * 4  # the four pings

        admin = client.get("/admin/woocommerce", base_url=APP_URL)
        assert admin.status_code == 200 and woo.domain in admin.get_data(as_text=True)

        # Ingress knows the new secret at once: the store's first delivery is stored and applied.
        (order,) = woo.fake.add_orders(woo.store, 1)
        assert woo.fake.hooks.emit(woo.store, "order.created", order["id"]) == [200]
        assert db.session.scalar(select(Order.external_id).where(Order.shop_id == shop.id)) == str(order["id"])
    logged = "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    assert key.consumer_key not in logged and key.consumer_secret not in logged and secret not in logged


def test_connect_return_signs_in_once_and_only_the_browser_that_started(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        back = urlsplit(woo.approve(started.headers["Location"]).headers["Location"])
        path = f"{back.path}?{back.query}"

        state = parse_qs(back.query)["user_id"][0]

        stranger = app.test_client().get(path, base_url=APP_URL)
        first = client.get(path, base_url=APP_URL)
        client.set_cookie(STATE_COOKIE, state, domain="afterglow.test", path="/connect/woocommerce")
        replay = client.get(path, base_url=APP_URL)

    assert stranger.status_code == 403
    assert first.status_code == 303
    assert replay.status_code == 409 and "already used" in replay.get_data(as_text=True)


def test_connect_removes_stray_webhooks_pointing_at_us(app, client):
    with running_woo(app) as woo:
        # Left by an earlier connection whose row is gone, or by a create whose answer was lost and was re-sent.
        hooks = [{"id": 900 + n, "name": "Afterglow order.created", "status": "active", "topic": "order.created",
                  "delivery_url": f"{APP_URL}/webhooks/woocommerce", "secret": "old", "failure_count": 0}
                 for n in range(2)]  # fmt: skip
        other = {**hooks[0], "id": 950, "delivery_url": "https://someone-else.example/hook"}
        woo.store.webhooks.update({hook["id"]: hook for hook in [*hooks, other]})

        connect(client, woo)

        topics = sorted(hook["topic"] for hook in woo.store.webhooks.values()
                        if hook["delivery_url"].startswith(APP_URL))  # fmt: skip
        assert topics == ["order.created", "order.deleted", "order.restored", "order.updated"]
        assert 950 in woo.store.webhooks  # not ours: left alone


def test_connect_callback_with_unknown_state_is_refused(client):
    answer = client.post("/connect/woocommerce/callback", base_url=APP_URL, json={
        "key_id": 1, "user_id": "not-a-state-we-made", "consumer_key": "ck_x", "consumer_secret": "cs_x",
        "key_permissions": "read_write"})  # fmt: skip

    assert answer.status_code == 400 and "unknown user_id" in answer.get_data(as_text=True)


def test_connect_with_expired_state_is_refused_and_the_store_drops_the_key(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        connection = _connection()
        connection.state_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()

        approved = woo.approve(started.headers["Location"])

        assert approved.status_code == 400 and "unable to send the consumer data" in approved.text
        assert woo.fake.callbacks[0][1] == 400 and woo.store.keys == {}
        db.session.expire_all()
        assert _connection().state == "failed" and "expired" in _connection().error
        assert woo.store.webhooks == {} and db.session.scalar(select(Shop)) is None


def test_connect_callback_with_keys_the_store_refuses_is_refused(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        state = parse_qs(urlsplit(started.headers["Location"]).query)["user_id"][0]

        answer = client.post("/connect/woocommerce/callback", base_url=APP_URL, json={
            "key_id": 7, "user_id": state, "consumer_key": "ck_" + "0" * 40, "consumer_secret": "cs_" + "0" * 40,
            "key_permissions": "read_write"})  # fmt: skip

        assert answer.status_code == 400 and "refused the keys" in answer.get_data(as_text=True)
        db.session.expire_all()
        assert _connection().state == "failed" and _connection().consumer_key_ciphertext is None
        assert woo.store.webhooks == {}


def test_connect_callback_with_read_only_keys_is_refused(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        state = parse_qs(urlsplit(started.headers["Location"]).query)["user_id"][0]
        key = woo.fake.grant_key(woo.store, permissions="read")

        answer = client.post("/connect/woocommerce/callback", base_url=APP_URL, json={
            "key_id": key.key_id, "user_id": state, "consumer_key": key.consumer_key,
            "consumer_secret": key.consumer_secret, "key_permissions": "read"})  # fmt: skip

    assert answer.status_code == 400 and "read_write" in answer.get_data(as_text=True)


def test_connect_callback_when_the_store_is_down_is_refused(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        state = parse_qs(urlsplit(started.headers["Location"]).query)["user_id"][0]
        key = woo.fake.grant_key(woo.store)
    # the server is stopped: nothing answers at the store's address any more
    answer = client.post("/connect/woocommerce/callback", base_url=APP_URL, json={
        "key_id": key.key_id, "user_id": state, "consumer_key": key.consumer_key,
        "consumer_secret": key.consumer_secret, "key_permissions": "read_write"})  # fmt: skip

    assert answer.status_code == 400 and "did not answer" in answer.get_data(as_text=True)
    assert _connection().state == "failed"


def test_connect_denied_on_the_store_connects_nothing(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        query = {name: values[0] for name, values in parse_qs(urlsplit(started.headers["Location"]).query).items()}
        denied = requests.get(f"{woo.store_url}/wc-auth/v1/access_denied", params=query, allow_redirects=False,
                              verify=local_certificate().ca_path, timeout=10)  # fmt: skip
    back = urlsplit(denied.headers["Location"])
    assert denied.status_code == 302 and parse_qs(back.query)["success"] == ["0"]

    stranger = app.test_client().get(f"{back.path}?{back.query}", base_url=APP_URL)
    landed = client.get(f"{back.path}?{back.query}", base_url=APP_URL)

    assert stranger.status_code == 403
    assert landed.status_code == 400 and "not approved" in landed.get_data(as_text=True)
    assert _connection().state == "failed" and woo.store.keys == {}


def test_disconnect_removes_webhooks_keys_and_secret_and_needs_csrf(app, client):
    with running_woo(app) as woo:
        connect(client, woo)
        shop = db.session.scalar(select(Shop))
        page = client.get("/admin/woocommerce", base_url=APP_URL).get_data(as_text=True)
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]

        old_hook = dict(next(h for h in woo.store.webhooks.values() if h["topic"] == "order.created"))
        forged = client.post("/connect/woocommerce/disconnect", base_url=APP_URL)
        assert forged.status_code == 403 and len(woo.store.webhooks) == 4

        twin = {**old_hook, "id": 4242}  # a webhook pointing at us that we hold no id of
        woo.store.webhooks[twin["id"]] = twin
        answer = client.post("/connect/woocommerce/disconnect", base_url=APP_URL, headers={"X-CSRF-Token": csrf})

        assert answer.status_code == 200
        assert woo.store.webhooks == {}
        db.session.expire_all()
        connection = _connection()
        assert connection.state == "disconnected" and connection.consumer_key_ciphertext is None
        assert db.session.get(Shop, shop.id).webhook_secret_ciphertext is None
        assert client.get("/admin/woocommerce", base_url=APP_URL).status_code == 401
        # A webhook the merchant re-created by hand with the old secret is refused now.
        woo.store.webhooks[old_hook["id"]] = old_hook
        (order,) = woo.fake.add_orders(woo.store, 1)
        assert woo.fake.hooks.emit(woo.store, "order.created", order["id"]) == [401]


def test_connect_form_prefills_the_address_the_plugin_links_with(client):
    page = client.get("/connect/woocommerce?store_url=https%3A%2F%2Fshop.example%2F", base_url=APP_URL)

    assert page.status_code == 200 and 'value="https://shop.example/"' in page.get_data(as_text=True)


def test_connect_callback_sent_twice_is_refused_the_second_time(app, client):
    with running_woo(app) as woo:
        started = client.post("/connect/woocommerce", data={"store_url": woo.store_url}, base_url=APP_URL)
        state = parse_qs(urlsplit(started.headers["Location"]).query)["user_id"][0]
        key = woo.fake.grant_key(woo.store)
        body = {"key_id": key.key_id, "user_id": state, "consumer_key": key.consumer_key,
                "consumer_secret": key.consumer_secret, "key_permissions": "read_write"}  # fmt: skip

        first = client.post("/connect/woocommerce/callback", base_url=APP_URL, json=body)
        second = client.post("/connect/woocommerce/callback", base_url=APP_URL, json=body)

        assert first.status_code == 200 and first.get_data() == b""
        assert second.status_code == 409 and "already connected" in second.get_data(as_text=True)
        assert len(woo.store.webhooks) == 4
