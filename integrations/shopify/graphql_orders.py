"""Orders read from the Admin GraphQL API (the backfill), as the same canonical `Order` a webhook gives.

The GraphQL shape is not the webhook's: camelCase, global ids (`gid://shopify/Order/123`), money as
`{shopMoney: {amount}}`, status enums in capitals, nested connections with `nodes`. Ids are turned back into the
numeric ids webhooks carry, so an order backfilled and then updated by a webhook is one row.

Pure: no Flask, no database. The query asks only for what `normalise_graphql_order` reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from integrations import carrier_from_name, detect_carrier
from integrations.errors import MappingError
from integrations.models import Address, Customer, Fulfillment, FulfillmentStatus, LineItem, Order, Platform, Refund
from integrations.parsing import text, to_decimal
from integrations.shopify import units
from integrations.shopify.client import AdminClient
from integrations.shopify.fields import obj, required_when, when

PAGE_SIZE = 25
LINE_ITEMS = 20

_ADDRESS = "firstName lastName company address1 address2 city province provinceCode zip countryCodeV2 phone"
_MONEY = "shopMoney { amount }"
ORDERS_QUERY = f"""
query OrdersBackfill($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id number name email phone createdAt updatedAt cancelledAt closedAt currencyCode customerLocale note tags
      sourceName displayFinancialStatus displayFulfillmentStatus
      totalPriceSet {{ {_MONEY} }} subtotalPriceSet {{ {_MONEY} }} totalTaxSet {{ {_MONEY} }}
      totalShippingPriceSet {{ {_MONEY} }} totalDiscountsSet {{ {_MONEY} }}
      customer {{ id email phone firstName lastName locale }}
      shippingAddress {{ {_ADDRESS} }}
      billingAddress {{ {_ADDRESS} }}
      lineItems(first: {LINE_ITEMS}) {{
        nodes {{
          id title variantTitle sku quantity requiresShipping product {{ id }} variant {{ id }} image {{ url }}
          originalUnitPriceSet {{ {_MONEY} }} totalDiscountSet {{ {_MONEY} }} customAttributes {{ key value }}
        }}
      }}
      fulfillments(first: 20) {{
        id status createdAt updatedAt trackingInfo(first: 10) {{ company number url }} service {{ serviceName }}
        fulfillmentLineItems(first: {LINE_ITEMS}) {{ nodes {{ quantity lineItem {{ id }} }} }}
      }}
      refunds(first: 20) {{
        id createdAt note totalRefundedSet {{ {_MONEY} }}
        refundLineItems(first: {LINE_ITEMS}) {{ nodes {{ quantity lineItem {{ id }} }} }}
      }}
    }}
  }}
}}
"""

ORDERS_COUNT_QUERY = "query OrdersCount($query: String) { ordersCount(query: $query, limit: null) { count } }"

# Order-level fulfillment states GraphQL has and webhooks do not: all mean "not shipped yet".
_FULFILLMENT_STATUS = {
    "in_progress": FulfillmentStatus.UNFULFILLED, "open": FulfillmentStatus.UNFULFILLED,
    "on_hold": FulfillmentStatus.UNFULFILLED, "pending_fulfillment": FulfillmentStatus.UNFULFILLED,
    "scheduled": FulfillmentStatus.UNFULFILLED, "request_declined": FulfillmentStatus.UNFULFILLED,
}  # fmt: skip


@dataclass(frozen=True)
class OrdersPage:
    orders: tuple[Order, ...]
    cursor: str | None  # None: this was the last page


def search_query(created_since: datetime | None) -> str | None:
    """Shopify's search syntax for the orders to import (`status:any`, or Shopify leaves closed orders out)."""
    if created_since is None:
        return "status:any"
    return f"status:any created_at:>='{created_since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"


def count_orders(client: AdminClient, *, query: str | None) -> int | None:
    count = (client.query(ORDERS_COUNT_QUERY, {"query": query}, cost=1).get("ordersCount") or {}).get("count")
    return int(count) if isinstance(count, int) else None


def iter_pages(
    client: AdminClient, *, shop_domain: str, query: str | None, page_size: int = PAGE_SIZE, after: str | None = None
) -> Iterator[OrdersPage]:
    """Every page of orders matching `query`, oldest first, each mapped to canonical orders."""
    # What Shopify charges up front: two for the connection, then per order its own point plus its connections'.
    cost = 2 + page_size * (1 + (2 + LINE_ITEMS) + 2 + 2)  # 677 at 25 orders: under the 1,000 a query may cost
    while True:
        data = client.query(ORDERS_QUERY, {"first": page_size, "after": after, "query": query}, cost=cost)
        connection = obj(data.get("orders"), "orders")
        nodes = connection.get("nodes") or []
        orders = tuple(normalise_graphql_order(node, shop_domain=shop_domain) for node in nodes)
        info = connection.get("pageInfo") or {}
        after = text(info.get("endCursor")) if info.get("hasNextPage") else None
        yield OrdersPage(orders=orders, cursor=after)
        if after is None:
            return


def legacy_id(gid: Any, where: str) -> str:
    """`gid://shopify/Order/820982911946154508` -> "820982911946154508" (kept a string: ids exceed 2**53)."""
    value = gid.strip() if isinstance(gid, str) else ""
    tail = value.rsplit("/", 1)[-1].split("?", 1)[0] if value.startswith("gid://shopify/") else ""
    if not tail.isdigit():
        raise MappingError(f"{where}: not a Shopify global id: {gid!r}")
    return tail


def normalise_graphql_order(node: Mapping[str, Any], *, shop_domain: str) -> Order:
    order = obj(node, "order")
    external_id = legacy_id(order.get("id"), "id")
    name = text(order.get("name"))
    number = str(order["number"]) if isinstance(order.get("number"), int) else (name or "").lstrip("#").strip()
    if not number:
        raise MappingError("number: missing (and no name to take it from)")
    currency = text(order.get("currencyCode"))
    if currency is None:
        raise MappingError("currencyCode: missing")
    created_at = required_when(order.get("createdAt"), "createdAt")
    locale = text(order.get("customerLocale"))
    customer = _customer(order.get("customer"), locale)
    shipping_address = _address(order.get("shippingAddress"), "shippingAddress")
    fulfillment_word = (text(order.get("displayFulfillmentStatus")) or "").lower()
    return Order(
        platform=Platform.SHOPIFY,
        shop_domain=shop_domain,
        external_id=external_id,
        number=number,
        name=name or f"#{number}",
        currency=currency.upper(),
        total=_money(order, "totalPriceSet"),
        subtotal=_money(order, "subtotalPriceSet"),
        total_tax=_money(order, "totalTaxSet"),
        shipping_total=_money(order, "totalShippingPriceSet"),
        discount_total=_money(order, "totalDiscountsSet"),
        financial_status=units.financial_status(text(order.get("displayFinancialStatus"))),
        fulfillment_status=_FULFILLMENT_STATUS.get(fulfillment_word) or units.fulfillment_status(fulfillment_word),
        status=units.order_status(cancelled_at=order.get("cancelledAt"), closed_at=order.get("closedAt")),
        platform_status=(text(order.get("displayFinancialStatus")) or "").lower() or None,
        created_at=created_at,
        updated_at=when(order.get("updatedAt"), "updatedAt") or created_at,
        cancelled_at=when(order.get("cancelledAt"), "cancelledAt"),
        locale=locale,
        email=text(order.get("email")),
        phone=text(order.get("phone")) or (customer.phone if customer else None)
        or (shipping_address.phone if shipping_address else None),
        customer=customer,
        shipping_address=shipping_address,
        billing_address=_address(order.get("billingAddress"), "billingAddress"),
        line_items=tuple(_line_item(raw, f"lineItems[{at}]") for at, raw in enumerate(_nodes(order, "lineItems"))),
        fulfillments=tuple(_fulfillment(raw, f"fulfillments[{at}]")
                           for at, raw in enumerate(_list(order, "fulfillments"))),
        refunds=tuple(_refund(raw, f"refunds[{at}]") for at, raw in enumerate(_list(order, "refunds"))),
        tags=tuple(tag for value in order.get("tags") or [] if (tag := text(value))),
        note=text(order.get("note")),
        source=text(order.get("sourceName")),
    )


def _nodes(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    connection = parent.get(key)
    if connection is None:
        return []
    nodes = obj(connection, key).get("nodes") or []
    return [obj(node, f"{key}[{at}]") for at, node in enumerate(nodes)]


def _list(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = parent.get(key) or []
    if not isinstance(value, list):
        raise MappingError(f"{key}: expected a list, got {type(value).__name__}")
    return [obj(item, f"{key}[{at}]") for at, item in enumerate(value)]


def _money(parent: Mapping[str, Any], key: str) -> Decimal:
    money = parent.get(key)
    if money is None:
        return Decimal("0")
    shop_money = obj(obj(money, key).get("shopMoney"), f"{key}.shopMoney")
    return to_decimal(shop_money.get("amount"), f"{key}.shopMoney.amount")


def _customer(value: Any, locale: str | None) -> Customer | None:
    if not isinstance(value, Mapping) or not value:
        return None
    return Customer(
        external_id=legacy_id(value.get("id"), "customer.id") if value.get("id") else None,
        email=text(value.get("email")), phone=text(value.get("phone")), first_name=text(value.get("firstName")),
        last_name=text(value.get("lastName")), locale=text(value.get("locale")) or locale,
    )  # fmt: skip


def _address(value: Any, where: str) -> Address | None:
    if value is None:
        return None
    raw = obj(value, where)
    country = text(raw.get("countryCodeV2"))
    address = Address(
        first_name=text(raw.get("firstName")), last_name=text(raw.get("lastName")), company=text(raw.get("company")),
        address1=text(raw.get("address1")), address2=text(raw.get("address2")), city=text(raw.get("city")),
        province=text(raw.get("province")), province_code=text(raw.get("provinceCode")),
        postal_code=text(raw.get("zip")), country_code=country.upper() if country else None,
        phone=text(raw.get("phone")),
    )  # fmt: skip
    return address if any(address.to_dict().values()) else None


def _line_item(raw: Mapping[str, Any], where: str) -> LineItem:
    quantity = raw.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise MappingError(f"{where}.quantity: expected a whole number, got {quantity!r}")
    unit_price = _money(raw, "originalUnitPriceSet")
    image = raw.get("image")
    return LineItem(
        external_id=legacy_id(raw.get("id"), f"{where}.id"),
        title=text(raw.get("title")) or "",
        quantity=quantity,
        unit_price=unit_price,
        total=unit_price * quantity - _money(raw, "totalDiscountSet"),
        product_id=_linked_id(raw, "product", where),
        variant_id=_linked_id(raw, "variant", where),
        sku=text(raw.get("sku")),
        variant_title=text(raw.get("variantTitle")),
        image_url=text(image.get("url")) if isinstance(image, Mapping) else None,
        requires_shipping=raw["requiresShipping"] if isinstance(raw.get("requiresShipping"), bool) else True,
        properties=_attributes(raw.get("customAttributes")),
    )


def _attributes(value: Any) -> dict[str, str]:
    entries = value if isinstance(value, list) else []
    return {key: text(entry.get("value")) or "" for entry in entries
            if isinstance(entry, Mapping) and (key := text(entry.get("key")))}  # fmt: skip


def _linked_id(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    linked = raw.get(key)
    return legacy_id(linked.get("id"), f"{where}.{key}.id") if isinstance(linked, Mapping) else None


def _quantities(raw: Mapping[str, Any], key: str, where: str) -> dict[str, int]:
    quantities: dict[str, int] = {}
    for at, node in enumerate(_nodes(raw, key)):
        line = node.get("lineItem")
        if not isinstance(line, Mapping):
            raise MappingError(f"{where}.{key}[{at}].lineItem: missing")
        line_id = legacy_id(line.get("id"), f"{where}.{key}[{at}].lineItem.id")
        quantities[line_id] = quantities.get(line_id, 0) + int(node.get("quantity") or 0)
    return quantities


def _fulfillment(raw: Mapping[str, Any], where: str) -> Fulfillment:
    tracking = _list(raw, "trackingInfo")
    numbers = tuple(dict.fromkeys(number for info in tracking if (number := text(info.get("number")))))
    urls = tuple(dict.fromkeys(url for info in tracking if (url := text(info.get("url")))))
    carrier_name = next((name for info in tracking if (name := text(info.get("company")))), None)
    carrier = carrier_from_name(carrier_name)
    if carrier is None and numbers:
        carrier = detect_carrier(numbers[0])
    service = raw.get("service")
    service_name = text(service.get("serviceName")) if isinstance(service, Mapping) else None
    return Fulfillment(
        external_id=legacy_id(raw.get("id"), f"{where}.id"),
        status=units.shipment_state(text(raw.get("status"))),
        carrier=carrier,
        carrier_name=carrier_name,
        tracking_numbers=numbers,
        tracking_urls=urls,
        # The manual fulfillment service is the merchant shipping it, not a shipping service (as in webhooks).
        service=None if service_name is None or service_name.lower() == "manual" else service_name,
        created_at=when(raw.get("createdAt"), f"{where}.createdAt"),
        updated_at=when(raw.get("updatedAt"), f"{where}.updatedAt"),
        line_items=_quantities(raw, "fulfillmentLineItems", where),
    )


def _refund(raw: Mapping[str, Any], where: str) -> Refund:
    return Refund(
        external_id=legacy_id(raw.get("id"), f"{where}.id"),
        amount=_money(raw, "totalRefundedSet"),
        created_at=when(raw.get("createdAt"), f"{where}.createdAt"),
        reason=text(raw.get("note")),
        line_items=_quantities(raw, "refundLineItems", where),
    )
