from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class Shop(db.Model):  # type: ignore[name-defined,misc]
    """One connected store. Every tenant row hangs off a shop and every tenant query is scoped by `shop_id`."""

    __tablename__ = "shops"
    __table_args__ = (UniqueConstraint("platform", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    # "x.myshopify.com" for Shopify; host[/path] of the WordPress site for WooCommerce.
    domain: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    currency: Mapped[str | None] = mapped_column(String(3))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # Per-shop signing secret (WooCommerce webhooks), encrypted with the app's key; Shopify uses the app secret.
    webhook_secret_ciphertext: Mapped[str | None] = mapped_column(Text)
    # Merchant-set switches, validated by app/services/shop_settings.py (e.g. {"tracking_writeback": true}).
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict, server_default=text("'{}'"))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Shop {self.id} {self.platform}:{self.domain}>"
