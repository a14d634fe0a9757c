from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


class Notification(db.Model):  # type: ignore[name-defined,misc]
    """One message to one shopper about one milestone on one channel: the notification outbox.

    `idempotency_key` (shop, subject, milestone, channel) is unique, so a milestone produces one row whatever the
    retries, duplicate webhooks or carrier re-scans; rows are written in the transaction of the order event that
    caused them and sent by the `send_notifications` drain.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        Index("ix_notifications_due", "status", "send_after"),
        Index("ix_notifications_shop_id_order_id", "shop_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_event_id: Mapped[int | None] = mapped_column(ForeignKey("order_events.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    milestone: Mapped[str] = mapped_column(String(40))  # a journey: shipped, delivered, survey_request, ...
    channel: Mapped[str] = mapped_column(String(20))  # email, sms
    recipient: Mapped[str | None] = mapped_column(String(320))  # an address or an E.164 number
    locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))  # the shopper's, for quiet hours
    status: Mapped[str] = mapped_column(String(16), default=NotificationStatus.QUEUED)
    reason: Mapped[str | None] = mapped_column(Text)  # why suppressed or failed; the last transient error
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the event's facts (delay reason, ...)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sender holds it until then
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider_message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NotificationSettings(db.Model):  # type: ignore[name-defined,misc]
    """A shop's branding, journey switches and edited templates, as one JSON document over the defaults."""

    __tablename__ = "notification_settings"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Unsubscribe(db.Model):  # type: ignore[name-defined,misc]
    """A shopper who asked a shop to stop messaging an address on a channel."""

    __tablename__ = "notification_unsubscribes"
    __table_args__ = (UniqueConstraint("shop_id", "channel", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(320))  # lower-cased email, or E.164 number
    source: Mapped[str] = mapped_column(String(32))  # link, one-click, carrier (Twilio STOP), cli
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
