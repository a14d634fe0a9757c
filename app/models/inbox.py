from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class InboxStatus(enum.StrEnum):
    RECEIVED = "received"  # stored and acknowledged, not yet processed (or waiting to be retried)
    PROCESSED = "processed"
    IGNORED = "ignored"  # understood, nothing to do (unknown topic, checkout draft)
    FAILED = "failed"  # could not be processed; `error` says why, `flask webhooks replay ID` retries


class InboundWebhook(db.Model):  # type: ignore[name-defined,misc]
    """One verified delivery, stored before it is acknowledged so that nothing acknowledged is ever lost.

    Unique on (platform, shop, topic, event): a redelivery finds its row and is dropped. The topic is part of the
    key because one merchant action can fan out to several topics that share Shopify's event id.
    """

    __tablename__ = "inbound_webhooks"
    __table_args__ = (
        UniqueConstraint("platform", "shop_domain", "topic", "event_id"),
        Index("ix_inbound_webhooks_status_received_at", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    shop_domain: Mapped[str] = mapped_column(String(255))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(255))
    webhook_id: Mapped[str | None] = mapped_column(String(255))
    api_version: Mapped[str | None] = mapped_column(String(32))
    # The platform's own headers (X-Shopify-*, X-WC-*), kept so a replay sees exactly what arrived.
    headers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default=InboxStatus.RECEIVED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last attempt
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Copies of this delivery that arrived again and were dropped; support asks "did Shopify retry?".
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<InboundWebhook {self.id} {self.platform} {self.topic} {self.status}>"
