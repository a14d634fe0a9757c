"""WooCommerce words → canonical enums. Every lookup has a default: an unknown word never raises.

Order statuses are listed in WooCommerce's `Automattic\\WooCommerce\\Enums\\OrderStatus`; plugins register more
(`shipped`, `awaiting-shipment`, ...). Those are accepted as open orders whose payment state we cannot tell.
"""

from __future__ import annotations

from collections.abc import Mapping

from integrations.models import FinancialStatus, FulfillmentStatus, OrderStatus

# Statuses of orders that are not orders yet (block checkout in progress, admin "add order" screen). WooCommerce
# itself skips `draft`, `auto-draft` and `new` when delivering webhooks, but not `checkout-draft`.
DRAFT_STATUSES: frozenset[str] = frozenset({"checkout-draft", "draft", "auto-draft", "new"})

TRASH = "trash"

ORDER_STATUSES: Mapping[str, tuple[FinancialStatus, OrderStatus]] = {
    "pending": (FinancialStatus.PENDING, OrderStatus.OPEN),
    "processing": (FinancialStatus.PAID, OrderStatus.OPEN),
    # On hold means "awaiting payment confirmation" (bank transfer, cheque) far more often than a card
    # authorisation waiting for capture, and WooCommerce does not say which: pending is the claim we can stand by.
    "on-hold": (FinancialStatus.PENDING, OrderStatus.OPEN),
    "completed": (FinancialStatus.PAID, OrderStatus.CLOSED),
    # WooCommerce cancels unpaid orders (stock hold timeout, shopper abandons the payment page); a paid order that is
    # cancelled is normally refunded, which shows up as refunds. Voided says "no money moved".
    "cancelled": (FinancialStatus.VOIDED, OrderStatus.CANCELLED),
    "refunded": (FinancialStatus.REFUNDED, OrderStatus.CLOSED),
    # A failed payment is not a cancelled order: the shopper can retry from the "pay for order" link and the order
    # moves on to processing. Keeping it open lets that later update land on the same order.
    "failed": (FinancialStatus.FAILED, OrderStatus.OPEN),
    # Local pickup (WooCommerce 11.3+): paid, waiting for the shopper at the counter.
    "ready-for-pickup": (FinancialStatus.PAID, OrderStatus.OPEN),
    # order.deleted fires when an order is trashed; an update that still carries the trash status means the same.
    TRASH: (FinancialStatus.UNKNOWN, OrderStatus.CANCELLED),
    "checkout-draft": (FinancialStatus.PENDING, OrderStatus.OPEN),
    "draft": (FinancialStatus.PENDING, OrderStatus.OPEN),
    "auto-draft": (FinancialStatus.PENDING, OrderStatus.OPEN),
    "new": (FinancialStatus.PENDING, OrderStatus.OPEN),
}

UNKNOWN_ORDER_STATUS: tuple[FinancialStatus, OrderStatus] = (FinancialStatus.UNKNOWN, OrderStatus.OPEN)

# `_fulfillment_status` order meta, kept up to date by WooCommerce's own fulfillments feature (9.9+, behind the
# `fulfillments` feature flag). `no_fulfillments` is the absence of an opinion.
CORE_FULFILLMENT_STATUSES: Mapping[str, FulfillmentStatus] = {
    "fulfilled": FulfillmentStatus.FULFILLED,
    "partially_fulfilled": FulfillmentStatus.PARTIALLY_FULFILLED,
    "unfulfilled": FulfillmentStatus.UNFULFILLED,
    "picked_up": FulfillmentStatus.FULFILLED,
}


def status_key(raw: object) -> str:
    """The status word as WooCommerce compares it: lower case, without the `wc-` prefix of its database form."""
    if not isinstance(raw, str):
        return ""
    word = raw.strip().lower()
    return word[3:] if word.startswith("wc-") else word


def order_statuses(raw: object) -> tuple[FinancialStatus, OrderStatus]:
    """(financial status, order status) for a WooCommerce status word; unknown words are open, payment unknown."""
    return ORDER_STATUSES.get(status_key(raw), UNKNOWN_ORDER_STATUS)


def core_fulfillment_status(raw: object) -> FulfillmentStatus | None:
    if not isinstance(raw, str):
        return None
    return CORE_FULFILLMENT_STATUSES.get(raw.strip().lower())
