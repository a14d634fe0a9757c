"""Shopify webhook/REST payloads (snake_case, numeric ids) as canonical objects.

Every function is pure. Input comes from `parsing.loads`, so ids are exact ints and JSON numbers are `Decimal`; a
malformed field raises `MappingError` naming it (`line_items[1].price: ...`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from integrations import carrier_from_name, detect_carrier
from integrations.errors import MappingError
from integrations.models import Address, Customer, Fulfillment, LineItem, Order, Platform, Refund
from integrations.parsing import text, to_decimal, to_id, to_int
from integrations.shopify import units
from integrations.shopify.fields import distinct, ident, items, obj, optional_ident, required_when, when

_ZERO = Decimal("0")


def normalise_order(payload: Mapping[str, Any], *, shop_domain: str) -> Order:
    order = obj(payload, "order")
    external_id = ident(order.get("id"), "id")
    number = _order_number(order)
    created_at = required_when(order.get("created_at"), "created_at")
    locale = text(order.get("customer_locale"))
    customer = _customer(order.get("customer"), order, locale)
    shipping_address = _address(order.get("shipping_address"), "shipping_address")
    currency = text(order.get("currency"))
    if currency is None:
        raise MappingError("currency: missing")
    return Order(
        platform=Platform.SHOPIFY,
        shop_domain=shop_domain,
        external_id=external_id,
        number=number,
        name=text(order.get("name")) or f"#{number}",
        currency=currency.upper(),
        total=to_decimal(order.get("total_price"), "total_price", default=None),
        subtotal=to_decimal(order.get("subtotal_price"), "subtotal_price"),
        total_tax=to_decimal(order.get("total_tax"), "total_tax"),
        shipping_total=_shipping_total(order),
        discount_total=to_decimal(order.get("total_discounts"), "total_discounts"),
        financial_status=units.financial_status(order.get("financial_status")),
        fulfillment_status=units.fulfillment_status(order.get("fulfillment_status")),
        status=units.order_status(cancelled_at=order.get("cancelled_at"), closed_at=order.get("closed_at")),
        platform_status=text(order.get("financial_status")),
        created_at=created_at,
        updated_at=when(order.get("updated_at"), "updated_at") or created_at,
        cancelled_at=when(order.get("cancelled_at"), "cancelled_at"),
        locale=locale,
        email=text(order.get("email")) or text(order.get("contact_email")),
        phone=(
            text(order.get("phone"))
            or (customer.phone if customer else None)
            or (shipping_address.phone if shipping_address else None)
        ),
        customer=customer,
        shipping_address=shipping_address,
        billing_address=_address(order.get("billing_address"), "billing_address"),
        line_items=tuple(_line_item(item, where) for where, item in items(order, "line_items")),
        fulfillments=tuple(_fulfillment(item, where) for where, item in items(order, "fulfillments")),
        refunds=tuple(_refund(item, where) for where, item in items(order, "refunds")),
        tags=_tags(order.get("tags")),
        note=text(order.get("note")),
        source=text(order.get("source_name")),
    )


def normalise_fulfillment(payload: Mapping[str, Any]) -> Fulfillment:
    return _fulfillment(payload, "fulfillment")


def normalise_refund(payload: Mapping[str, Any]) -> Refund:
    return _refund(payload, "refund")


# --- parts of an order -----------------------------------------------------------------------------------------


def _order_number(order: Mapping[str, Any]) -> str:
    number = to_id(order.get("order_number"), "order_number", required=False)
    if number is None:
        # `include_fields` subscriptions may leave order_number out; the name is "#" + number by default.
        number = (text(order.get("name")) or "").lstrip("#").strip() or None
    if number is None:
        raise MappingError("order_number: missing (and no name to take it from)")
    return number


def _shipping_total(order: Mapping[str, Any]) -> Decimal:
    shop_money = _money_set_amount(order.get("total_shipping_price_set"))
    if shop_money is not None:
        return to_decimal(shop_money, "total_shipping_price_set.shop_money.amount")
    return sum(
        (to_decimal(line.get("price"), f"{where}.price") for where, line in items(order, "shipping_lines")),
        _ZERO,
    )


def _money_set_amount(value: Any) -> Any:
    if isinstance(value, Mapping):
        shop_money = value.get("shop_money")
        if isinstance(shop_money, Mapping):
            return shop_money.get("amount")
    return None


def _customer(value: Any, order: Mapping[str, Any], locale: str | None) -> Customer | None:
    if not isinstance(value, Mapping) or not value:
        return None
    return Customer(
        external_id=optional_ident(value.get("id"), "customer.id"),
        email=text(value.get("email")),
        phone=text(value.get("phone")),
        first_name=text(value.get("first_name")),
        last_name=text(value.get("last_name")),
        accepts_email_marketing=_email_consent(value, order),
        accepts_sms_marketing=_consent_state(value.get("sms_marketing_consent")),
        locale=locale,
    )


def _email_consent(customer: Mapping[str, Any], order: Mapping[str, Any]) -> bool | None:
    state = _consent_state(customer.get("email_marketing_consent"))
    if state is not None:
        return state
    if isinstance(customer.get("accepts_marketing"), bool):
        return bool(customer["accepts_marketing"])
    # API 2025-01 dropped both consent fields from the customer in webhooks; the checkout box is all that is left.
    buyer = order.get("buyer_accepts_marketing")
    return buyer if isinstance(buyer, bool) else None


def _consent_state(value: Any) -> bool | None:
    if isinstance(value, Mapping) and text(value.get("state")):
        return text(value.get("state")) == "subscribed"
    return None


def _address(value: Any, where: str) -> Address | None:
    if value is None:
        return None
    raw = obj(value, where)
    country = text(raw.get("country_code"))
    address = Address(
        first_name=text(raw.get("first_name")),
        last_name=text(raw.get("last_name")),
        company=text(raw.get("company")),
        address1=text(raw.get("address1")),
        address2=text(raw.get("address2")),
        city=text(raw.get("city")),
        province=text(raw.get("province")),
        province_code=text(raw.get("province_code")),
        postal_code=text(raw.get("zip")),
        country_code=country.upper() if country else None,
        phone=text(raw.get("phone")),
    )
    return address if any(address.to_dict().values()) else None


def _line_item(raw: Mapping[str, Any], where: str) -> LineItem:
    quantity = to_int(raw.get("quantity"), f"{where}.quantity")
    unit_price = to_decimal(raw.get("price"), f"{where}.price", default=None)
    allocations = [
        to_decimal(allocation.get("amount"), f"{sub}.amount")
        for sub, allocation in items(raw, "discount_allocations", where)
    ]
    # Older payloads only carry `total_discount`; newer ones split it into allocations (which it then duplicates).
    if allocations:
        discount = sum(allocations, _ZERO)
    else:
        discount = to_decimal(raw.get("total_discount"), f"{where}.total_discount")
    image = raw.get("image")
    image_url = text(raw.get("image_url")) or (text(image.get("src")) if isinstance(image, Mapping) else None)
    requires_shipping = raw.get("requires_shipping")
    return LineItem(
        external_id=ident(raw.get("id"), f"{where}.id"),
        title=text(raw.get("title")) or text(raw.get("name")) or "",
        quantity=quantity,
        unit_price=unit_price,
        total=unit_price * quantity - discount,
        product_id=optional_ident(raw.get("product_id"), f"{where}.product_id"),
        variant_id=optional_ident(raw.get("variant_id"), f"{where}.variant_id"),
        sku=text(raw.get("sku")),
        variant_title=text(raw.get("variant_title")),
        image_url=image_url,
        requires_shipping=requires_shipping if isinstance(requires_shipping, bool) else True,
        properties=_properties(raw.get("properties")),
    )


def _properties(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        pairs: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        pairs = ((entry.get("name"), entry.get("value")) for entry in value if isinstance(entry, Mapping))
    else:
        return {}
    return {name: text(raw_value) or "" for raw_name, raw_value in pairs if (name := text(raw_name))}


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        words: Iterable[Any] = value
    elif value is None:
        return ()
    else:
        words = str(value).split(",")
    return tuple(tag for word in words if (tag := text(word)))


# --- fulfillments and refunds ----------------------------------------------------------------------------------


def _fulfillment(value: Any, where: str) -> Fulfillment:
    raw = obj(value, where)
    numbers = distinct(raw.get("tracking_numbers"), raw.get("tracking_number"), f"{where}.tracking_numbers")
    urls = distinct(raw.get("tracking_urls"), raw.get("tracking_url"), f"{where}.tracking_urls")
    carrier_name = text(raw.get("tracking_company"))
    carrier = carrier_from_name(carrier_name)
    if carrier is None and numbers:
        carrier = detect_carrier(numbers[0])
    service = text(raw.get("service"))
    quantities: dict[str, int] = {}
    for sub, item in items(raw, "line_items", where):
        line_id = ident(item.get("id"), f"{sub}.id")
        quantities[line_id] = quantities.get(line_id, 0) + to_int(item.get("quantity"), f"{sub}.quantity")
    return Fulfillment(
        external_id=ident(raw.get("id"), f"{where}.id"),
        status=units.shipment_state(raw.get("status")),
        carrier=carrier,
        carrier_name=carrier_name,
        tracking_numbers=numbers,
        tracking_urls=urls,
        # "manual" is the fulfillment-service handle for merchant-fulfilled orders, not a shipping service.
        service=None if service is None or service.lower() == "manual" else service,
        created_at=when(raw.get("created_at"), f"{where}.created_at"),
        updated_at=when(raw.get("updated_at"), f"{where}.updated_at"),
        line_items=quantities,
    )


def _refund(value: Any, where: str) -> Refund:
    raw = obj(value, where)
    quantities: dict[str, int] = {}
    refunded_lines = _ZERO
    for sub, item in items(raw, "refund_line_items", where):
        line_id = ident(item.get("line_item_id"), f"{sub}.line_item_id")
        quantities[line_id] = quantities.get(line_id, 0) + to_int(item.get("quantity"), f"{sub}.quantity")
        refunded_lines += to_decimal(item.get("subtotal"), f"{sub}.subtotal")
        refunded_lines += to_decimal(item.get("total_tax"), f"{sub}.total_tax")
    transactions = items(raw, "transactions", where)
    if transactions:
        # Money actually returned: successful refund transactions (a pending or failed one has moved nothing yet).
        amount = sum(
            (
                to_decimal(transaction.get("amount"), f"{sub}.amount")
                for sub, transaction in transactions
                if text(transaction.get("kind")) == "refund" and text(transaction.get("status")) in ("success", None)
            ),
            _ZERO,
        )
    else:
        amount = refunded_lines
    return Refund(
        external_id=ident(raw.get("id"), f"{where}.id"),
        amount=amount,
        created_at=when(raw.get("created_at"), f"{where}.created_at")
        or when(raw.get("processed_at"), f"{where}.processed_at"),
        reason=text(raw.get("note")),
        line_items=quantities,
    )
