"""What we hold to talk to a WooCommerce store (its REST keys and our webhooks there), and the admin sign-ins used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class WooCommerceConnection(db.Model):  # type: ignore[name-defined,misc]
    """One attempt to connect a store through wc-auth, and, once it succeeds, the store's keys.

    `state`: `pending` (the merchant was sent to the store to approve), `confirming` (the store sent keys; we are
    checking them and registering webhooks), `connected` (keys stored, confirmed and
    the webhooks registered), `failed` (with the reason), `replaced` (a later connection of the same store took
    over) or `disconnected`. The state token sent as wc-auth's `user_id` is kept only as its SHA-256, so a database
    read does not let anyone complete someone else's connection. Keys are encrypted (app/crypto.py).
    """

    __tablename__ = "woocommerce_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(255))  # host[/path], as Shop.domain
    store_url: Mapped[str] = mapped_column(String(500))  # the WordPress home the REST calls go to
    state_digest: Mapped[str] = mapped_column(String(64), unique=True)
    state_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    consumer_key_ciphertext: Mapped[str | None] = mapped_column(Text)
    consumer_secret_ciphertext: Mapped[str | None] = mapped_column(Text)
    key_id: Mapped[str | None] = mapped_column(String(32))
    key_permissions: Mapped[str | None] = mapped_column(String(16))
    webhook_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the merchant came back: signs in once
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<WooCommerceConnection {self.id} {self.domain} {self.state}>"


class WooCommerceLogin(db.Model):  # type: ignore[name-defined,misc]
    """A signed login link that was used: its `jti` is unique, so a link signs in once."""

    __tablename__ = "woocommerce_logins"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<WooCommerceLogin {self.jti} shop={self.shop_id}>"



