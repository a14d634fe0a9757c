"""Where personal data lives, table by table, and how each piece is erased when a customer asks (customers/redact).

One line per table that holds a customer's personal data: which of its rows belong to the customer, and either
what each personal column becomes or that the rows go altogether. A table added later (notifications, returns)
adds its line here; `tests/test_privacy.py` walks every table and column of the metadata after a redaction and
fails when the customer's email, phone, name or address is still anywhere, and `NOT_PERSONAL` names the columns
that look personal but are not, with the reason.

What stays is anonymous: order totals, items, parcels and their carriers, survey scores, and the destination's
country and province (what delivery estimates and lane statistics are computed from).

shop/redact needs no line: it deletes every row of every table with a `shop_id` (see `privacy.erase_shop`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, false, select

from app.models import (
    Customer,
    InboundWebhook,
    LineItem,
    Notification,
    NotificationStatus,
    Order,
    PrivacyExport,
    Refund,
    Shipment,
    SurveyResponse,
    TrackingEvent,
    Unsubscribe,
)
from app.services.notifications.consent import address_digest

REDACTED_BODY = b'{"redacted":"customers/redact"}'


@dataclass(frozen=True)
class Subject:
    """One customer of one shop, as found in our tables (`privacy.find_subject`)."""

    shop_id: int
    customer_ids: frozenset[int] = frozenset()
    customer_external_ids: frozenset[str] = frozenset()
    email_digests: frozenset[str] = frozenset()
    order_ids: frozenset[int] = frozenset()
    inbox_ids: frozenset[int] = frozenset()  # stored deliveries whose body mentions them
    needles: frozenset[str] = frozenset()  # their email, phone, names and street address as stored


def _region_only(address: Any) -> Any:
    """A shipping address reduced to the region estimates are computed from."""
    if not isinstance(address, Mapping):
        return None
    kept = {key: address.get(key) for key in ("country_code", "province_code") if address.get(key)}
    return kept or None


Scrub = Callable[[Any], Any] | None  # None: the column becomes NULL


@dataclass(frozen=True)
class PersonalData:
    model: Any
    rows: Callable[[Subject], ColumnElement[bool]]  # the subject's rows in this table
    scrub: Mapping[str, Scrub] = field(default_factory=dict)  # column -> how it is erased
    delete: bool = False  # the rows go altogether (nothing in them is worth keeping)
    why: str = ""


def _in(column: Any, values: frozenset[Any]) -> ColumnElement[bool]:
    return column.in_(sorted(values)) if values else false()


REGISTRY: tuple[PersonalData, ...] = (
    PersonalData(Customer, lambda s: _in(Customer.id, s.customer_ids), delete=True,
                 why="the customer record is nothing but personal data; orders keep it as NULL"),
    PersonalData(Order, lambda s: _in(Order.id, s.order_ids),
                 scrub={"email": None, "phone": None, "note": None, "billing_address": None,
                        "shipping_address": _region_only},
                 why="orders stay for totals, items and delivery statistics"),
    PersonalData(LineItem, lambda s: _in(LineItem.order_id, s.order_ids), scrub={"properties": lambda _: {}},
                 why="line item properties carry what shoppers typed (engravings, gift messages)"),
    PersonalData(Refund, lambda s: _in(Refund.order_id, s.order_ids), scrub={"reason": None},
                 why="the amount stays; the merchant's note may name the shopper"),
    PersonalData(TrackingEvent, lambda s: TrackingEvent.shipment_id.in_(
                     select(Shipment.id).where(_in(Shipment.order_id, s.order_ids))), scrub={"location": None},
                 why="a delivery scan's place is often the shopper's street or postal code (PORTLAND, OR 97209)"),
    PersonalData(SurveyResponse, lambda s: _in(SurveyResponse.order_id, s.order_ids), scrub={"comment": None},
                 why="the score stays for NPS/CES; the free-text comment may name the shopper"),
    PersonalData(PrivacyExport, lambda s: (PrivacyExport.shop_id == s.shop_id)
                 & (_in(PrivacyExport.customer_external_id, s.customer_external_ids)
                    | _in(PrivacyExport.email_digest, s.email_digests)), delete=True,
                 why="an export is a copy of the customer's data"),
    PersonalData(Notification, lambda s: _in(Notification.order_id, s.order_ids),
                 scrub={"recipient": None, "data": lambda _: {}, "timezone": None,
                        "reason": lambda reason: reason and "shopper data redacted",
                        "status": lambda status: NotificationStatus.SUPPRESSED
                        if status == NotificationStatus.QUEUED else status},
                 why="messages stay (was it sent, and when?) without who they went to or what they said; one still "
                     "waiting is not sent"),
    PersonalData(Unsubscribe, lambda s: (Unsubscribe.shop_id == s.shop_id)
                 & _in(Unsubscribe.address, s.needles | frozenset(n.lower() for n in s.needles)),
                 scrub={"address": lambda address: address_digest(address)},
                 why="an opt-out must outlive the shopper's data: kept as a digest, so the address is never written "
                     "to again and cannot be read back"),
    PersonalData(InboundWebhook, lambda s: _in(InboundWebhook.id, s.inbox_ids),
                 scrub={"body": lambda _: REDACTED_BODY},
                 why="stored deliveries hold the platform's payload as sent; the row stays to drop redeliveries"),
)  # fmt: skip

# Columns whose names look personal but hold nothing about a shopper.
NOT_PERSONAL: Mapping[str, str] = {
    "shops.name": "the store's own name",
    "line_items.title": "a product's title",
    "line_items.variant_title": "a product variant's title",
    "carrier_accounts.credentials_ciphertext": "the merchant's carrier credentials, encrypted",
    "tracking_events.description": "the carrier's scan text",
    "order_events.message": "audit text; personal fields are named, never copied (services/orders.py)",
    "order_events.data": "audit data; personal fields are named, never copied",
    "shipments.carrier_name": "the carrier as the merchant typed it",
    "fulfillment_writebacks.payload": "the fulfillment event sent to Shopify: status, times, scan place",
    "orders.name": "the order's display number (#1001), not the shopper's name",
    "order_events.name": "the event's name (order.created)",
    "shipments.delay_reason": "a delay code (stalled, late)",
    "fulfillment_writebacks.reason": "why a write-back failed",
    "notification_settings.document": "the shop's branding, journeys, templates and encrypted channel credentials",
}
