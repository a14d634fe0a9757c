"""ENCRYPTION_KEY rotation: several keys, newest first; old ciphertexts still decrypt; `flask shops rotate-keys`
re-encrypts every stored secret so the old key can be dropped."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import Shop, ShopifyCredential
from app.services.shopify_tokens import store_tokens
from app.services.shops import get_or_create_shop, register_woocommerce_shop, webhook_secret
from integrations.shopify.tokens import IssuedTokens
from tests.conftest import SHOP

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def seed_secrets() -> int:
    register_woocommerce_shop(domain="woo.example.test", webhook_secret="woo-signing-secret")
    shop = get_or_create_shop(platform="shopify", domain=SHOP)
    db.session.commit()
    issued = IssuedTokens(access_token="shpat_abc", expires_at=None, refresh_token="shprt_def",
                          refresh_token_expires_at=None)  # fmt: skip
    store_tokens(shop_id=shop.id, issued=issued)
    return shop.id


def readable_secrets(shop_id: int) -> tuple[str | None, str, str]:
    db.session.expire_all()
    woo = db.session.scalars(select(Shop).where(Shop.platform == "woocommerce")).one()
    credential = db.session.scalars(select(ShopifyCredential).where(ShopifyCredential.shop_id == shop_id)).one()
    return (webhook_secret(platform="woocommerce", shop=woo), crypto.decrypt(credential.access_token_ciphertext),
            crypto.decrypt(credential.refresh_token_ciphertext or ""))  # fmt: skip


def test_encryption_old_key_still_decrypts_once_a_new_key_leads(app, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    written_before = crypto.encrypt("secret")
    monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW}, {OLD}")

    written_after = crypto.encrypt("secret")

    assert crypto.decrypt(written_before) == crypto.decrypt(written_after) == "secret"
    assert crypto.is_current(written_after) and not crypto.is_current(written_before)
    monkeypatch.setenv("ENCRYPTION_KEY", NEW)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(written_before)


def test_encryption_malformed_key_is_refused_without_echoing_it(app, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW},not-a-fernet-key")

    with pytest.raises(crypto.KeyConfigError) as raised:
        crypto.encrypt("secret")

    assert "key 2" in str(raised.value) and "not-a-fernet-key" not in str(raised.value)


def test_shops_rotate_keys_reencrypts_every_secret_so_the_old_key_can_go(app, runner, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    shop_id = seed_secrets()
    monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW},{OLD}")

    result = runner.invoke(args=["shops", "rotate-keys"])

    assert result.exit_code == 0, result.output
    assert "re-encrypted 3 secrets; 0 were already" in result.output
    monkeypatch.setenv("ENCRYPTION_KEY", NEW)  # the old key retired
    assert readable_secrets(shop_id) == ("woo-signing-secret", "shpat_abc", "shprt_def")
    again = runner.invoke(args=["shops", "rotate-keys"])
    assert "re-encrypted 0 secrets; 3 were already" in again.output


def test_shops_rotate_keys_without_the_old_key_changes_nothing_and_says_why(app, runner, monkeypatch):
    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    shop_id = seed_secrets()
    monkeypatch.setenv("ENCRYPTION_KEY", NEW)  # the old key dropped too early

    result = runner.invoke(args=["shops", "rotate-keys"])

    assert result.exit_code != 0
    assert "keep the old key" in result.output
    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    assert readable_secrets(shop_id) == ("woo-signing-secret", "shpat_abc", "shprt_def")


def test_encryption_malformed_key_stops_the_app_at_startup(monkeypatch):
    from app.config import ConfigError, Settings

    monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW},not-a-fernet-key")

    with pytest.raises(ConfigError, match="key 2") as raised:
        Settings(database_url="sqlite://", job_backend="eager")

    assert "not-a-fernet-key" not in str(raised.value)


def test_rotation_covers_every_encrypted_column_of_every_table():
    from app.extensions import db
    from app.services.encryption import ENCRYPTED

    declared = {(model.__tablename__, column) for model, columns in ENCRYPTED for column in columns}
    stored = {(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
              if column.name.endswith("_ciphertext")}  # fmt: skip

    assert stored == declared  # a new secret column must be re-encrypted by `flask shops rotate-keys` too


def test_shops_rotate_keys_reencrypts_notification_channel_credentials_too(app, runner, monkeypatch):
    from app.services.notifications import settings as notification_settings

    monkeypatch.setenv("ENCRYPTION_KEY", OLD)
    shop_id = seed_secrets()
    notification_settings.connect(shop_id=shop_id, channel="klaviyo", api_key="pk_live_123")
    monkeypatch.setenv("ENCRYPTION_KEY", f"{NEW},{OLD}")

    result = runner.invoke(args=["shops", "rotate-keys"])

    assert "re-encrypted 4 secrets" in result.output, result.output
    monkeypatch.setenv("ENCRYPTION_KEY", NEW)  # the old key retired
    stored = notification_settings.get_settings(shop_id=shop_id)
    assert notification_settings.connection(stored, "klaviyo") == {"api_key": "pk_live_123"}
