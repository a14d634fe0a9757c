from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.order import Order

# Not delivered, not removed, and in trouble with the carrier or delayed (app/admin/queues.py asks exactly this).
ATTENTION = ("removed_at IS NULL AND tracking_status <> 'delivered' AND (tracking_status IN "
             "('exception', 'returning_to_sender', 'expired', 'attempt_failed') OR delay_reason IS NOT NULL)")


class Shipment(db.Model):  # type: ignore[name-defined,misc]
    """One parcel: a fulfillment's n-th tracking number (position n), or its only row when it has none.

    Keyed by position rather than by number, so a merchant correcting a typo in a tracking number updates the
    parcel we already follow instead of starting a second one.
    """

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("order_id", "fulfillment_external_id", "position"),
        Index("ix_shipments_carrier_tracking_number", "carrier", "tracking_number"),
        # The admin's queue of parcels needing attention: a few rows among a store's many delivered ones.
        Index("ix_shipments_attention", "shop_id", postgresql_where=text(ATTENTION), sqlite_where=text(ATTENTION)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    fulfillment_external_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    tracking_number: Mapped[str | None] = mapped_column(String(128))
    tracking_url: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(32))  # canonical code
    carrier_name: Mapped[str | None] = mapped_column(String(255))  # as the merchant typed it
    service: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))  # the platform's fulfillment state
    tracking_status: Mapped[str] = mapped_column(String(32), default="pending")  # canonical, moves forward only
    tracking_source: Mapped[str | None] = mapped_column(String(32))  # which source follows it; None: the default
    estimated_delivery: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the carrier's own estimate
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_event_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the newest scan's time
    tracking_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last poll or push
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None: not polled
    # What we tell the shopper (app/services/estimates.py): dates in the destination's calendar.
    lane: Mapped[str | None] = mapped_column(String(160))  # carrier|service|origin region|destination region
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the first scan of the parcel moving
    expected_delivery_on: Mapped[date | None] = mapped_column(Date)
    delivery_window_start: Mapped[date | None] = mapped_column(Date)
    delivery_window_end: Mapped[date | None] = mapped_column(Date)
    estimate_confidence: Mapped[float | None] = mapped_column(Float)  # share of similar parcels inside the window
    estimate_source: Mapped[str | None] = mapped_column(String(16))  # carrier, history or default
    promised_delivery_on: Mapped[date | None] = mapped_column(Date)  # the first window's end the shopper saw
    delay_reason: Mapped[str | None] = mapped_column(String(32))  # None: not delayed (see app/services/delays.py)
    delayed_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    line_items: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    platform_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    platform_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the fulfillment no longer lists it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="shipments")


class TrackingEvent(db.Model):  # type: ignore[name-defined,misc]
    """One carrier scan of a shipment, stored once (unique on the shipment and the scan's dedupe key)."""

    __tablename__ = "tracking_events"
    __table_args__ = (
        UniqueConstraint("shipment_id", "dedupe_key"),
        Index("ix_tracking_events_shipment_id_occurred_at", "shipment_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(255))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str | None] = mapped_column(String(64))  # IANA zone of the scan's place, to show local time
    status: Mapped[str] = mapped_column(String(32))
    substatus: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LaneStats(db.Model):  # type: ignore[name-defined,misc]
    """A shop's delivered history on one lane (or a wider back-off level of it), refreshed by the clock so applying
    a tracking update reads one small row instead of the history: transit days and longest scan gaps, both as
    histograms in business days ({"3": 41, "4": 17})."""

    __tablename__ = "lane_stats"
    __table_args__ = (UniqueConstraint("shop_id", "lane"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    lane: Mapped[str] = mapped_column(String(160))
    samples: Mapped[int] = mapped_column(Integer)
    transit_days: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    longest_gaps: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
