"""What we hold to talk to a Shopify store (its tokens) and what we wrote to it (fulfillment events)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class ShopifyCredential(db.Model):  # type: ignore[name-defined,misc]
    """A store's offline access token and refresh token, both encrypted (app/crypto.py), with their expiries.

    One row per shop. Refreshing locks this row, so two workers never spend the same refresh token: Shopify
    rotates it on use and refuses the old one.
    """

    __tablename__ = "shopify_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), unique=True)
    access_token_ciphertext: Mapped[str] = mapped_column(Text)
    access_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: a non-expiring token
    refresh_token_ciphertext: Mapped[str | None] = mapped_column(Text)
    refresh_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scopes: Mapped[str | None] = mapped_column(Text)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ShopifyCredential shop={self.shop_id} expires={self.access_token_expires_at}>"


class FulfillmentWriteback(db.Model):  # type: ignore[name-defined,misc]
    """One tracking milestone written back to Shopify as a fulfillment event.

    The row is stored before the call and is unique per shop, shipment and milestone, so however often the
    milestone's event is dispatched or the job retried, Shopify gets one event. `state`: `pending` (to send, at
    `next_attempt_at`), `sending` (a call may be in flight: a retry first asks Shopify whether it arrived),
    `sent`, or `failed` (permanently, with the reason).
    """

    __tablename__ = "fulfillment_writebacks"
    __table_args__ = (
        UniqueConstraint("shop_id", "shipment_id", "status"),
        Index("ix_fulfillment_writebacks_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_event_id: Mapped[int | None] = mapped_column(ForeignKey("order_events.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(32))  # our canonical TrackingStatus
    shopify_status: Mapped[str] = mapped_column(String(32))  # the FulfillmentEventStatus it maps to
    fulfillment_gid: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the FulfillmentEventInput sent
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed, or the last transient error
    shopify_event_id: Mapped[str | None] = mapped_column(String(100))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<FulfillmentWriteback {self.id} shipment={self.shipment_id} {self.status} {self.state}>"
