from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class SurveyResponse(db.Model):  # type: ignore[name-defined,misc]
    """A shopper's answer to the one-question survey after delivery (NPS 0-10 or CES 1-7), kept against the order,
    the parcel and its carrier so the merchant can read satisfaction by carrier. One answer per parcel and kind:
    answering again replaces it."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("shipment_id", "kind"),
        Index("ix_survey_responses_shop_id_created_at", "shop_id", "created_at"),
        CheckConstraint("kind IN ('nps', 'ces')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    carrier: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
