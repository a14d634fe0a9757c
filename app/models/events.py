from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.order import Order
    from app.models.shipment import Shipment

DELAYS = "name = 'shipment.delayed'"


class OrderEvent(db.Model):  # type: ignore[name-defined,misc]
    """The audit trail of every change to an order, and the durable domain event later stages consume.

    One row serves both: support can answer "why did this shopper get two emails?" from the same rows that
    drove the emails. `dispatched_at` stays empty until subscribers have run (an outbox; the sweeper retries).
    """

    __tablename__ = "order_events"
    __table_args__ = (
        Index("ix_order_events_order_id_id", "order_id", "id"),
        Index("ix_order_events_undispatched", "dispatched_at", "id"),
        # The dashboard's delays by reason over a period: a store's delay events are few among its events.
        Index(
            "ix_order_events_delays", "shop_id", "created_at",
            postgresql_where=text(DELAYS), sqlite_where=text(DELAYS),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))  # order.created, shipment.updated, refund.created, ...
    message: Mapped[str] = mapped_column(Text)  # for people: "Tracking number changed from X to Y"
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    inbound_webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_webhooks.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship()
    shipment: Mapped[Shipment | None] = relationship()
