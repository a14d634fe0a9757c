"""Shopify's status words mapped onto the canonical enums. Every lookup has a default and never raises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from integrations.models import FinancialStatus, FulfillmentStatus, OrderStatus, ShipmentState

FINANCIAL_STATUS: Mapping[str, FinancialStatus] = {
    "pending": FinancialStatus.PENDING,
    "authorized": FinancialStatus.AUTHORIZED,
    "partially_paid": FinancialStatus.PARTIALLY_PAID,
    "paid": FinancialStatus.PAID,
    "partially_refunded": FinancialStatus.PARTIALLY_REFUNDED,
    "refunded": FinancialStatus.REFUNDED,
    "voided": FinancialStatus.VOIDED,
    # An expired authorisation can no longer be captured: for the shopper it is the same as a voided one.
    "expired": FinancialStatus.VOIDED,
}

# The order-level `fulfillment_status`: null means nothing has shipped yet.
FULFILLMENT_STATUS: Mapping[str, FulfillmentStatus] = {
    "": FulfillmentStatus.UNFULFILLED,
    "unfulfilled": FulfillmentStatus.UNFULFILLED,
    # Shopify's own "send test notification" sample (2019) says "pending" for an order with no fulfillment.
    "pending": FulfillmentStatus.UNFULFILLED,
    "partial": FulfillmentStatus.PARTIALLY_FULFILLED,
    "partially_fulfilled": FulfillmentStatus.PARTIALLY_FULFILLED,
    "fulfilled": FulfillmentStatus.FULFILLED,
    "restocked": FulfillmentStatus.RESTOCKED,
}

# The state of one fulfillment (REST `Fulfillment.status`).
SHIPMENT_STATE: Mapping[str, ShipmentState] = {
    "pending": ShipmentState.PENDING,
    "open": ShipmentState.OPEN,
    "success": ShipmentState.SUCCESS,
    "cancelled": ShipmentState.CANCELLED,
    "error": ShipmentState.ERROR,
    "failure": ShipmentState.FAILURE,
}

# ShipmentState has no "unknown": an unrecognised word claims neither success nor cancellation.
DEFAULT_SHIPMENT_STATE = ShipmentState.UNKNOWN


def _key(raw: Any) -> str:
    return "" if raw is None else str(raw).strip().lower()


def financial_status(raw: Any) -> FinancialStatus:
    return FINANCIAL_STATUS.get(_key(raw), FinancialStatus.UNKNOWN)


def fulfillment_status(raw: Any) -> FulfillmentStatus:
    return FULFILLMENT_STATUS.get(_key(raw), FulfillmentStatus.UNKNOWN)


def shipment_state(raw: Any) -> ShipmentState:
    return SHIPMENT_STATE.get(_key(raw), DEFAULT_SHIPMENT_STATE)


def order_status(*, cancelled_at: Any, closed_at: Any) -> OrderStatus:
    """Shopify has no status word for this: a cancellation wins over closing (archiving)."""
    if cancelled_at:
        return OrderStatus.CANCELLED
    if closed_at:
        return OrderStatus.CLOSED
    return OrderStatus.OPEN
