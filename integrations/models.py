"""The canonical model: what every platform and carrier is normalised into.

Frozen dataclasses with `Decimal` money (the order's ISO currency beside it), timezone-aware UTC datetimes and string
ids. Shopify ids exceed 2**53, so an id must never pass through a float: mappers turn them into `str` straight from
the parsed JSON (parse with `parse_int=str`-safe loaders or convert `int` ids with `str()`, never `float`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


class Platform(enum.StrEnum):
    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"


class OrderStatus(enum.StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"
    CLOSED = "closed"


class FinancialStatus(enum.StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    FAILED = "failed"
    UNKNOWN = "unknown"


class FulfillmentStatus(enum.StrEnum):
    """The order-level fulfillment progress."""

    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    RESTOCKED = "restocked"
    UNKNOWN = "unknown"


class ShipmentState(enum.StrEnum):
    """The state of one fulfillment as the platform reports it (not the carrier's tracking status)."""

    PENDING = "pending"
    OPEN = "open"
    SUCCESS = "success"
    CANCELLED = "cancelled"
    ERROR = "error"
    FAILURE = "failure"
    UNKNOWN = "unknown"  # a state word we do not know yet; kept out of "pending" so it is not mistaken for one


class TrackingStatus(enum.StrEnum):
    """Canonical parcel status, declared in order of progress (see `TRACKING_PROGRESS`)."""

    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    ATTEMPT_FAILED = "attempt_failed"
    EXCEPTION = "exception"
    DELIVERED = "delivered"
    RETURNING_TO_SENDER = "returning_to_sender"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


TRACKING_PROGRESS: Mapping[TrackingStatus, int] = {status: rank for rank, status in enumerate(TrackingStatus)}


@dataclass(frozen=True)
class Customer:
    external_id: str | None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    accepts_email_marketing: bool | None = None
    accepts_sms_marketing: bool | None = None
    locale: str | None = None


@dataclass(frozen=True)
class Address:
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province: str | None = None
    province_code: str | None = None
    postal_code: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, upper case
    phone: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class LineItem:
    external_id: str
    title: str
    quantity: int
    unit_price: Decimal
    total: Decimal  # after line-level discounts
    product_id: str | None = None
    variant_id: str | None = None
    sku: str | None = None
    variant_title: str | None = None
    image_url: str | None = None
    requires_shipping: bool = True
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fulfillment:
    external_id: str
    status: ShipmentState
    carrier: str | None  # canonical code (`ups`, `usps`, `dhl`, ...) or None when unknown
    carrier_name: str | None  # as the merchant typed it
    tracking_numbers: tuple[str, ...] = ()
    tracking_urls: tuple[str, ...] = ()
    service: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    line_items: Mapping[str, int] = field(default_factory=dict)  # external line item id -> quantity


@dataclass(frozen=True)
class Refund:
    external_id: str
    amount: Decimal
    created_at: datetime | None = None
    reason: str | None = None
    line_items: Mapping[str, int] = field(default_factory=dict)  # external line item id -> quantity refunded


@dataclass(frozen=True)
class Order:
    platform: Platform
    shop_domain: str
    external_id: str
    number: str  # display number, e.g. "1001"
    name: str  # e.g. "#1001"
    currency: str
    total: Decimal
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    financial_status: FinancialStatus = FinancialStatus.UNKNOWN
    fulfillment_status: FulfillmentStatus = FulfillmentStatus.UNFULFILLED
    email: str | None = None
    phone: str | None = None
    customer: Customer | None = None
    subtotal: Decimal = Decimal("0")
    total_tax: Decimal = Decimal("0")
    shipping_total: Decimal = Decimal("0")
    discount_total: Decimal = Decimal("0")
    cancelled_at: datetime | None = None
    locale: str | None = None
    shipping_address: Address | None = None
    billing_address: Address | None = None
    line_items: tuple[LineItem, ...] = ()
    fulfillments: tuple[Fulfillment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None
    source: str | None = None  # sales channel, e.g. "web", "pos", "checkout"
    platform_status: str | None = None  # the platform's own status word, kept verbatim (WooCommerce custom statuses)


# --- tracking ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingEvent:
    """One scan. `occurred_at` is the true instant (aware UTC); `timezone` is the IANA zone of where it happened,
    when known, so it can be shown in local time. Carriers print local wall-clock times (often with a misleading
    `Z`): sources convert them with the event location's zone before filling `occurred_at`."""

    occurred_at: datetime
    status: TrackingStatus
    description: str
    substatus: str | None = None
    location: str | None = None  # "Memphis, TN, US"
    timezone: str | None = None  # "America/Chicago"
    source_id: str | None = None  # the carrier's own event id, when it has one

    def dedupe_key(self) -> str:
        """Equal for the same scan reported twice (by id, else by content)."""
        if self.source_id:
            return f"id:{self.source_id}"
        return "|".join(
            ("c", self.occurred_at.isoformat(), str(self.status), self.description.strip().lower(),
             (self.location or "").strip().lower())
        )  # fmt: skip


@dataclass(frozen=True)
class TrackingRequest:
    """What a source needs to look a parcel up."""

    carrier: str
    tracking_number: str
    shipped_at: datetime | None = None
    destination_country: str | None = None
    destination_postal_code: str | None = None


@dataclass(frozen=True)
class TrackingUpdate:
    """A source's answer for one parcel. A carrier's "not found" is `found=False` with its words in `messages`."""

    carrier: str
    tracking_number: str
    status: TrackingStatus
    events: tuple[TrackingEvent, ...] = ()
    estimated_delivery: datetime | None = None
    delivered_at: datetime | None = None
    service: str | None = None
    found: bool = True
    messages: tuple[str, ...] = ()


# --- webhook envelope and what an event asks us to do ----------------------------------------------------------


@dataclass(frozen=True)
class WebhookEnvelope:
    """What a platform webhook delivery says, independent of its content."""

    platform: Platform
    topic: str  # as the platform names it: "orders/create", "order.updated"
    shop_domain: str  # "x.myshopify.com" for Shopify; host (and path, for a WordPress in a folder) for WooCommerce
    event_id: str  # dedupe key: one value per event, equal across redeliveries of that event
    payload: Mapping[str, Any]
    triggered_at: datetime | None = None
    api_version: str | None = None
    webhook_id: str | None = None


@dataclass(frozen=True)
class OrderUpsert:
    order: Order


@dataclass(frozen=True)
class OrderDeleted:
    order_external_id: str


@dataclass(frozen=True)
class FulfillmentUpsert:
    order_external_id: str
    fulfillment: Fulfillment


@dataclass(frozen=True)
class RefundCreated:
    order_external_id: str
    refund: Refund


@dataclass(frozen=True)
class Ignored:
    reason: str


class PrivacyRequestKind(enum.StrEnum):
    CUSTOMER_DATA_REQUEST = "customer_data_request"  # export everything held about one customer
    CUSTOMER_REDACT = "customer_redact"  # erase one customer's personal data
    SHOP_REDACT = "shop_redact"  # erase everything held for the store
    APP_UNINSTALLED = "app_uninstalled"  # forget the store's tokens and stop its jobs; keep its data


@dataclass(frozen=True)
class PrivacyRequest:
    """A compliance or lifecycle delivery: not an order-store change, handed to the privacy service."""

    kind: PrivacyRequestKind
    customer_external_id: str | None = None
    email: str | None = None
    phone: str | None = None
    order_external_ids: tuple[str, ...] = ()
    request_id: str | None = None  # the platform's id of a data request, quoted back to the merchant


WebhookChange = OrderUpsert | OrderDeleted | FulfillmentUpsert | RefundCreated | PrivacyRequest | Ignored
