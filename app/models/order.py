from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import JSONType, Money, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.shipment import Shipment


class Customer(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("shop_id", "external_id"),
        Index("ix_customers_shop_id_email", "shop_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(String(64))  # None for guest checkouts
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    accepts_email_marketing: Mapped[bool | None] = mapped_column(Boolean)
    accepts_sms_marketing: Mapped[bool | None] = mapped_column(Boolean)
    locale: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Order(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("shop_id", "external_id"),
        Index("ix_orders_shop_id_number", "shop_id", "number"),
        Index("ix_orders_shop_id_email", "shop_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    total_tax: Mapped[Decimal] = mapped_column(Money)
    shipping_total: Mapped[Decimal] = mapped_column(Money)
    discount_total: Mapped[Decimal] = mapped_column(Money)
    refunded_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    financial_status: Mapped[str] = mapped_column(String(32))
    fulfillment_status: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    platform_status: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(32))
    shipping_address: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    billing_address: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(64))
    # The platform's own timestamps; `platform_updated_at` decides which of two versions is newer.
    platform_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    platform_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer | None] = relationship()
    line_items: Mapped[list[LineItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="LineItem.id"
    )
    refunds: Mapped[list[Refund]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Refund.id"
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Shipment.id"
    )


class LineItem(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "line_items"
    __table_args__ = (UniqueConstraint("order_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64), index=True)
    variant_id: Mapped[str | None] = mapped_column(String(64))
    sku: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    variant_title: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    image_url: Mapped[str | None] = mapped_column(Text)
    requires_shipping: Mapped[bool] = mapped_column(Boolean, default=True)
    properties: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # dropped by an order edit

    order: Mapped[Order] = relationship(back_populates="line_items")


class Refund(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("order_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(Text)
    line_items: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    platform_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="refunds")
