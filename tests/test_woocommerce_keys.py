"""A connected WooCommerce store's REST keys under ENCRYPTION_KEY rotation: `flask shops rotate-keys` re-encrypts
them, and the store is still read with only the new key left; `flask shops show` describes them, never shows them."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import Shop, WooCommerceConnection
from app.services.woocommerce_backfill import backfill_woocommerce
from tests.woo_fake import connect, running_woo, woo_settings

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def app_settings():
    return woo_settings()


def test_woocommerce_keys_rotate_and_still_reach_the_store(app, client, runner, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    with running_woo(app) as woo:
        connect(client, woo)
        woo.fake.add_orders(woo.store, 3)
        shop = db.session.scalar(select(Shop))
        before = db.session.scalar(select(WooCommerceConnection.consumer_key_ciphertext))

        monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW},{OLD}")
        rotated = runner.invoke(args=["shops", "rotate-keys"])
        monkeypatch.setenv("ENCRYPTION_KEY", NEW)

        assert rotated.exit_code == 0, rotated.output
        db.session.expire_all()
        after = db.session.scalar(select(WooCommerceConnection.consumer_key_ciphertext))
        assert after != before and crypto.is_current(after)
        assert backfill_woocommerce(shop_id=shop.id, since=None, progress=None).stored == 3


def test_shops_show_tells_a_woocommerce_connection_without_its_keys(app, client, runner):
    with running_woo(app) as woo:
        connect(client, woo)
        (key,) = woo.store.keys.values()
        shown = runner.invoke(args=["shops", "show", woo.domain])

    assert shown.exit_code == 0, shown.output
    assert f"WooCommerce keys: key {key.key_id} (read_write), connected" in shown.output
    assert "4 webhooks" in shown.output and "access token" not in shown.output
    assert key.consumer_key not in shown.output and key.consumer_secret not in shown.output
