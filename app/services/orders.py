"""The canonical order store: upsert orders with their customer, line items, shipments and refunds.

Rules: an older `updated_at` never overwrites a newer one; applying the same version twice changes nothing and
writes no event; every change writes one `OrderEvent` (audit row and domain event). Callers own the transaction
and pass the batch's `OrderIndex`; nothing here flushes, so a batch is written in a few multi-row statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import integrations.models as canonical
from app.extensions import db
from app.models import Customer, LineItem, Order, OrderEvent, Refund, Shipment, Shop
from app.models.types import utcnow
from app.services import order_events, shipments
from app.services.changes import apply_values, plain
from app.services.order_index import OrderIndex

# Fields whose old and new values are personal data: the audit row names them but never copies them.
PERSONAL_FIELDS = frozenset({"email", "phone", "shipping_address", "billing_address", "note"})
LINE_ITEM_FIELDS = (
    "product_id", "variant_id", "sku", "title", "variant_title", "quantity", "unit_price", "total", "image_url",
    "requires_shipping", "properties",
)  # fmt: skip


@dataclass
class UpsertOutcome:
    order: Order | None
    created: bool = False
    stale: bool = False
    events: list[OrderEvent] = field(default_factory=list)


def upsert_order(
    *, shop: Shop, order: canonical.Order, index: OrderIndex, inbound_webhook_id: int | None = None
) -> UpsertOutcome:
    row = index.order(shop.id, order.external_id)
    values = _order_values(order)
    events: list[OrderEvent] = []

    def emit(name: str, message: str, data: dict[str, Any] | None = None, shipment: Shipment | None = None) -> None:
        assert row is not None
        events.append(
            order_events.record(
                order=row, name=name, message=message, data=data, shipment=shipment,
                inbound_webhook_id=inbound_webhook_id,
            )
        )  # fmt: skip

    if row is None:
        # Empty collections up front: a new order has nothing to lazy-load.
        row = Order(
            shop_id=shop.id, platform=str(order.platform), external_id=order.external_id,
            line_items=[], shipments=[], refunds=[], **values,
        )  # fmt: skip
        row.customer = upsert_customer(shop_id=shop.id, customer=order.customer, email=order.email, index=index)
        db.session.add(row)
        index.add_order(row)
        _sync_line_items(row, order.line_items)
        emit("order.created", f"Order {order.name} received", {"status": row.status, "total": str(row.total)})
        if row.status == canonical.OrderStatus.CANCELLED:
            emit("order.cancelled", f"Order {order.name} cancelled")
        created = True
    else:
        if order.updated_at < row.platform_updated_at:
            return UpsertOutcome(order=row, stale=True)
        created = False
        changes: dict[str, tuple[Any, Any] | None] = dict(apply_values(row, values))
        customer = upsert_customer(shop_id=shop.id, customer=order.customer, email=order.email, index=index)
        if customer is not None and row.customer is not customer:
            row.customer = customer
            changes["customer"] = None
        if _sync_line_items(row, order.line_items):
            changes["line_items"] = None
        if row.deleted_at is not None:
            row.deleted_at = None
            emit("order.restored", f"Order {order.name} restored")
        status_change = changes.pop("status", None)
        changes.pop("platform_updated_at", None)
        if status_change and status_change[1] == canonical.OrderStatus.CANCELLED:
            emit("order.cancelled", f"Order {order.name} cancelled")
        elif status_change:
            changes["status"] = status_change
        if changes:
            emit("order.updated", f"Order {order.name} updated: {', '.join(sorted(changes))}", _audit_data(changes))

    for fulfillment in order.fulfillments:
        for name, message, data, shipment in shipments.sync_fulfillment(order=row, fulfillment=fulfillment):
            emit(name, message, data, shipment)
    for refund in order.refunds:
        if add_refund(order=row, refund=refund):
            emit("refund.created", f"Refund of {refund.amount} {row.currency}", {"refund_id": refund.external_id})
    return UpsertOutcome(order=row, created=created, events=events)


def mark_deleted(
    *, shop: Shop, external_id: str, index: OrderIndex, inbound_webhook_id: int | None = None
) -> UpsertOutcome:
    row = index.order(shop.id, external_id)
    if row is None or row.deleted_at is not None:
        return UpsertOutcome(order=row)
    # Kept, not removed: its shipments, returns and audit trail still matter to the merchant.
    row.deleted_at = utcnow()
    event = order_events.record(
        order=row, name="order.deleted", message=f"Order {row.name} deleted in the store",
        inbound_webhook_id=inbound_webhook_id,
    )  # fmt: skip
    return UpsertOutcome(order=row, events=[event])


def add_refund(*, order: Order, refund: canonical.Refund) -> bool:
    """Store a refund once (refunds never change after they are issued). True when it is new."""
    if any(existing.external_id == refund.external_id for existing in order.refunds):
        return False
    order.refunds.append(
        Refund(
            shop_id=order.shop_id, external_id=refund.external_id, amount=refund.amount, currency=order.currency,
            reason=refund.reason, line_items=dict(refund.line_items), platform_created_at=refund.created_at,
        )
    )  # fmt: skip
    order.refunded_total = sum((r.amount for r in order.refunds), Decimal("0"))
    return True


def upsert_customer(
    *, shop_id: int, customer: canonical.Customer | None, email: str | None, index: OrderIndex
) -> Customer | None:
    guest_email = (customer.email or email) if customer is not None else None
    if customer is None or (customer.external_id is None and not guest_email):
        return None
    if customer.external_id is not None:
        row = index.customer(shop_id, customer.external_id)
    else:  # a guest: recognised by email within the shop
        assert guest_email is not None
        row = index.guest(shop_id, guest_email)
    if row is None:
        row = Customer(shop_id=shop_id, external_id=customer.external_id, email=guest_email)
        db.session.add(row)
        index.add_customer(row)
    for name in ("email", "phone", "first_name", "last_name", "accepts_email_marketing", "accepts_sms_marketing",
                 "locale"):  # fmt: skip
        value = getattr(customer, name)
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
    if row.email is None and email:
        row.email = email
    return row


def customer_keys(order: canonical.Order, shop_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The (shop, customer id) and (shop, guest email) keys an order will look up, for `OrderIndex.load`."""
    customer = order.customer
    if customer is None:
        return [], []
    if customer.external_id is not None:
        return [(shop_id, customer.external_id)], []
    email = customer.email or order.email
    return [], [(shop_id, email)] if email else []


def _order_values(order: canonical.Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "currency": order.currency,
        "subtotal": order.subtotal,
        "total": order.total,
        "total_tax": order.total_tax,
        "shipping_total": order.shipping_total,
        "discount_total": order.discount_total,
        "financial_status": str(order.financial_status),
        "fulfillment_status": str(order.fulfillment_status),
        "status": str(order.status),
        "platform_status": order.platform_status,
        "locale": order.locale,
        "shipping_address": order.shipping_address.to_dict() if order.shipping_address else None,
        "billing_address": order.billing_address.to_dict() if order.billing_address else None,
        "tags": list(order.tags),
        "note": order.note,
        "source": order.source,
        "platform_created_at": order.created_at,
        "platform_updated_at": order.updated_at,
        "cancelled_at": order.cancelled_at,
    }


def _sync_line_items(row: Order, items: tuple[canonical.LineItem, ...]) -> bool:
    existing = {item.external_id: item for item in row.line_items}
    changed = False
    for item in items:
        values = {name: getattr(item, name) for name in LINE_ITEM_FIELDS}
        values["properties"] = dict(item.properties)
        stored = existing.pop(item.external_id, None)
        if stored is None:
            row.line_items.append(LineItem(shop_id=row.shop_id, external_id=item.external_id, **values))
            changed = True
        else:
            if stored.removed_at is not None:
                stored.removed_at = None
                changed = True
            changed = bool(apply_values(stored, values)) or changed
    for gone in existing.values():  # edited out of the order
        if gone.removed_at is None:
            gone.removed_at = utcnow()
            changed = True
    return changed


def _audit_data(changes: dict[str, tuple[Any, Any] | None]) -> dict[str, Any]:
    fields = {
        name: [plain(change[0]), plain(change[1])]
        for name, change in changes.items()
        if change is not None and name not in PERSONAL_FIELDS
    }
    return {"changed": sorted(changes), "fields": fields}

