"""WooCommerce REST order payloads (webhook bodies and `GET /wc/v3/orders/{id}`) as canonical `Order`s.

Money arrives as strings ("12.00") except the line item `price`, a JSON number that WooCommerce computes as
total / quantity; `parsing.loads` decodes it as a Decimal, so "19.99" stays exactly 19.99.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from integrations.errors import MappingError
from integrations.models import (
    Address,
    Customer,
    FinancialStatus,
    Fulfillment,
    FulfillmentStatus,
    LineItem,
    Order,
    OrderStatus,
    Platform,
    Refund,
)
from integrations.parsing import text, to_datetime, to_decimal, to_id, to_int
from integrations.woocommerce import units
from integrations.woocommerce.fulfillments import tracking_fulfillments
from integrations.woocommerce.meta import meta_entries, meta_value
from integrations.woocommerce.meta import scalar as _scalar

# Order meta where multilingual plugins record the shopper's language: WPML, TranslatePress.
LOCALE_META_KEYS = ("wpml_language", "_wpml_language", "trp_language")
CORE_FULFILLMENT_STATUS_KEY = "_fulfillment_status"


def normalise_order(payload: Mapping[str, Any], *, shop_domain: str) -> Order:
    if not isinstance(payload, Mapping):
        raise MappingError("order: expected a JSON object")
    external_id = str(to_id(payload.get("id"), "id"))
    number = text(_scalar(payload.get("number"))) or external_id
    currency = text(_scalar(payload.get("currency")))
    if currency is None:
        raise MappingError("currency: missing")

    raw_status = payload.get("status")
    financial_status, status = units.order_statuses(raw_status)
    refunds = _refunds(payload.get("refunds"))
    if refunds and financial_status is not FinancialStatus.REFUNDED:
        financial_status = FinancialStatus.PARTIALLY_REFUNDED

    created_at = _date(payload, "date_created")
    if created_at is None:
        raise MappingError("date_created_gmt: missing")
    updated_at = _date(payload, "date_modified") or created_at

    meta = payload.get("meta_data")
    fulfillments = tracking_fulfillments(meta)
    line_items = tuple(_line_item(item, f"line_items[{n}]") for n, item in enumerate(_list(payload, "line_items")))
    raw_billing = payload.get("billing")
    billing: Mapping[str, Any] = raw_billing if isinstance(raw_billing, Mapping) else {}
    locale = _locale(meta)

    return Order(
        platform=Platform.WOOCOMMERCE,
        shop_domain=shop_domain,
        external_id=external_id,
        number=number,
        name="#" + number,
        currency=currency.upper(),
        total=to_decimal(payload.get("total"), "total", default=None),
        created_at=created_at,
        updated_at=updated_at,
        status=status,
        financial_status=financial_status,
        fulfillment_status=_fulfillment_status(units.status_key(raw_status), meta, fulfillments),
        email=_field(billing, "email"),
        phone=_field(billing, "phone"),
        customer=_customer(payload, billing, locale),
        subtotal=sum(_subtotals(payload), Decimal("0")),
        total_tax=to_decimal(payload.get("total_tax"), "total_tax"),
        shipping_total=to_decimal(payload.get("shipping_total"), "shipping_total"),
        discount_total=to_decimal(payload.get("discount_total"), "discount_total"),
        cancelled_at=updated_at if status is OrderStatus.CANCELLED else None,
        locale=locale,
        shipping_address=_address(payload.get("shipping")),
        billing_address=_address(billing),
        line_items=line_items,
        fulfillments=fulfillments,
        refunds=refunds,
        tags=(),
        note=_field(payload, "customer_note"),
        source=_field(payload, "created_via"),
        platform_status=text(_scalar(raw_status)),
    )


def normalise_refund(resource: Mapping[str, Any]) -> Refund:
    """A refund resource (`GET /wc/v3/orders/{id}/refunds/{refund_id}`): unlike the summaries inside an order, it
    carries its date and a positive `amount`."""
    if not isinstance(resource, Mapping):
        raise MappingError("refund: expected a JSON object")
    return Refund(
        external_id=str(to_id(resource.get("id"), "id")),
        amount=abs(to_decimal(resource.get("amount"), "amount", default=None)),
        created_at=_date(resource, "date_created"),
        reason=_field(resource, "reason"),
    )


def _date(payload: Mapping[str, Any], key: str) -> datetime | None:
    """`<key>_gmt` is UTC written without an offset. Only when it is absent do we read `<key>`: that is the store's
    local time, taken as UTC as a fallback (possibly off by the store's offset, better than losing the order)."""
    gmt = payload.get(f"{key}_gmt")
    if gmt is not None and gmt != "":
        return to_datetime(gmt, f"{key}_gmt")
    return to_datetime(payload.get(key), key)


def _fulfillment_status(status_key: str, meta: Any, fulfillments: tuple[Fulfillment, ...]) -> FulfillmentStatus:
    core = units.core_fulfillment_status(meta_value(meta, CORE_FULFILLMENT_STATUS_KEY))
    if core in (FulfillmentStatus.FULFILLED, FulfillmentStatus.PARTIALLY_FULFILLED):
        return core
    if status_key == "completed":  # WooCommerce: "Order fulfilled and complete."
        return FulfillmentStatus.FULFILLED
    if fulfillments:
        # At least one parcel left, but nothing in the payload says it carried every item; merchants mark the
        # order completed once all is shipped, so until then "partially" is the claim the data supports.
        return FulfillmentStatus.PARTIALLY_FULFILLED
    return FulfillmentStatus.UNFULFILLED


def _subtotals(payload: Mapping[str, Any]) -> list[Decimal]:
    return [
        to_decimal(item.get("subtotal"), f"line_items[{n}].subtotal")
        for n, item in enumerate(_list(payload, "line_items"))
        if isinstance(item, Mapping)
    ]


def _line_item(item: Any, where: str) -> LineItem:
    if not isinstance(item, Mapping):
        raise MappingError(f"{where}: expected an object")
    quantity = to_int(item.get("quantity"), f"{where}.quantity")
    total = to_decimal(item.get("total"), f"{where}.total")
    if item.get("price") is None or item.get("price") == "":
        unit_price = total / quantity if quantity else total  # what WooCommerce would have sent
    else:
        unit_price = to_decimal(item.get("price"), f"{where}.price")
    image = item.get("image")
    return LineItem(
        external_id=str(to_id(item.get("id"), f"{where}.id")),
        # Names are stored HTML-escaped ("Ship Your Idea &ndash; Color: Black"); templates escape again.
        title=_display(item.get("name")) or "",
        quantity=quantity,
        unit_price=unit_price,
        total=total,
        product_id=_optional_id(item.get("product_id"), f"{where}.product_id"),
        variant_id=_optional_id(item.get("variation_id"), f"{where}.variation_id"),
        sku=_field(item, "sku"),
        image_url=_field(image, "src") if isinstance(image, Mapping) else None,
        requires_shipping=True,
        properties=_properties(item.get("meta_data")),
    )


def _properties(meta_data: Any) -> dict[str, str]:
    """Shopper-facing line meta (variation attributes, add-on choices). Keys starting with "_" are WooCommerce's
    and plugins' private bookkeeping; values that are not text or numbers (arrays, objects) are not shown."""
    properties: dict[str, str] = {}
    for entry in meta_entries(meta_data):
        if entry["key"].startswith("_"):
            continue
        name = _display(entry.get("display_key")) or _display(entry["key"])
        value = _display(entry.get("display_value")) or _display(entry.get("value"))
        if name is not None and value is not None:
            properties.setdefault(name, value)
    return properties


def _address(raw: Any) -> Address | None:
    if not isinstance(raw, Mapping):
        return None
    country = _field(raw, "country")
    address = Address(
        first_name=_field(raw, "first_name"),
        last_name=_field(raw, "last_name"),
        company=_field(raw, "company"),
        address1=_field(raw, "address_1"),
        address2=_field(raw, "address_2"),
        city=_field(raw, "city"),
        province_code=_field(raw, "state"),
        postal_code=_field(raw, "postcode"),
        country_code=country.upper() if country else None,
        phone=_field(raw, "phone"),
    )
    return None if all(value is None for value in address.to_dict().values()) else address


def _customer(payload: Mapping[str, Any], billing: Mapping[str, Any], locale: str | None) -> Customer | None:
    customer_id = to_id(payload.get("customer_id"), "customer_id", required=False)
    customer = Customer(
        external_id=None if customer_id in (None, "0") else customer_id,  # 0 is a guest checkout
        email=_field(billing, "email"),
        phone=_field(billing, "phone"),
        first_name=_field(billing, "first_name"),
        last_name=_field(billing, "last_name"),
        locale=locale,
    )
    if customer.external_id is None and not (customer.email or customer.phone or customer.first_name):
        return None
    return customer


def _refunds(value: Any) -> tuple[Refund, ...]:
    """The refund summaries inside an order: `{id, reason, total}` with a negative total and no date."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MappingError("refunds: expected a list")
    refunds: list[Refund] = []
    for n, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise MappingError(f"refunds[{n}]: expected an object")
        refunds.append(
            Refund(
                external_id=str(to_id(entry.get("id"), f"refunds[{n}].id")),
                amount=abs(to_decimal(entry.get("total"), f"refunds[{n}].total", default=None)),
                reason=_field(entry, "reason"),
            )
        )
    return tuple(refunds)


def _locale(meta: Any) -> str | None:
    for key in LOCALE_META_KEYS:
        value = meta_value(meta, key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _list(payload: Mapping[str, Any], key: str) -> list[Any]:
    value = payload.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MappingError(f"{key}: expected a list")
    return value


def _optional_id(value: Any, field: str) -> str | None:
    identifier = to_id(value, field, required=False)
    return None if identifier == "0" else identifier


def _field(raw: Mapping[str, Any], key: str) -> str | None:
    return text(_scalar(raw.get(key)))


def _display(value: Any) -> str | None:
    scalar = _scalar(value)
    return text(html.unescape(scalar)) if isinstance(scalar, str) else text(scalar)
