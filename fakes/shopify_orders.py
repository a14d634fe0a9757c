"""The fake Shopify's `orders` and `ordersCount` GraphQL fields, and orders to fill it with.

Faithful where the backfill depends on it (shopify.dev, "Paginating results with GraphQL", "Order", "Rate limits"):
- cursor pagination: `first` (at most 250) and `after`, `pageInfo { hasNextPage endCursor }`, an opaque cursor;
- the `query` search string's `created_at:>='…'` filter (other terms such as `status:any` are accepted);
- without the `read_all_orders` scope only the last 60 days of orders are visible;
- calculated costs: the requested cost is checked against the bucket and the single-query maximum (1,000), the
  actual cost (what the answer holds) is what the bucket loses.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from typing import Any

MAX_QUERY_COST = 1000
MAX_PAGE = 250
RECENT_DAYS = 60
_CREATED_SINCE = re.compile(r"created_at:>=?'?([0-9T:\-+Z.]+)'?")
_FIRST = re.compile(r"lineItems\(first:\s*(\d+)")


def orders_cost(document: str, variables: dict[str, Any]) -> int:
    """What Shopify would charge up front: 2 for the connection, per order 1 plus its nested connections."""
    first = int(variables.get("first") or 0)
    line_items = int(m[1]) if (m := _FIRST.search(document)) else 0
    return 2 + first * (1 + (2 + line_items) + 2 + 2)


def actual_orders_cost(data: dict[str, Any]) -> int:
    nodes = (data.get("orders") or {}).get("nodes") or []
    return 2 + sum(1 + len(node["lineItems"]["nodes"]) + len(node["fulfillments"]) + len(node["refunds"])
                   for node in nodes)  # fmt: skip


def orders_operation(
    operation: str, orders: list[dict[str, Any]], variables: dict[str, Any], *, scopes: str, now: float
) -> tuple[Any, list[Any]]:
    visible = _visible(orders, str(variables.get("query") or ""), scopes=scopes, now=now)
    if operation == "ordersCount":
        return {"ordersCount": {"count": len(visible), "precision": "EXACT"}}, []
    first = variables.get("first")
    if not isinstance(first, int) or not 0 < first <= MAX_PAGE:
        return None, [{"message": f"first must be between 1 and {MAX_PAGE}", "extensions": {"code": "BAD_REQUEST"}}]
    start = 0
    if variables.get("after"):
        try:
            start = int(base64.b64decode(str(variables["after"])).decode().removeprefix("offset:"))
        except ValueError:
            return None, [{"message": "Invalid cursor", "extensions": {"code": "BAD_REQUEST"}}]
    page = visible[start : start + first]
    end = start + len(page)
    cursor = base64.b64encode(f"offset:{end}".encode()).decode() if page else None
    info = {"hasNextPage": end < len(visible), "endCursor": cursor}
    return {"orders": {"pageInfo": info, "nodes": page}}, []


def _visible(orders: list[dict[str, Any]], query: str, *, scopes: str, now: float) -> list[dict[str, Any]]:
    since = None
    if "read_all_orders" not in scopes.split(","):
        since = datetime.fromtimestamp(now, UTC) - timedelta(days=RECENT_DAYS)
    if match := _CREATED_SINCE.search(query):
        asked = datetime.fromisoformat(match[1].replace("Z", "+00:00"))
        since = max(since, asked) if since else asked
    if since is None:
        return orders
    return [node for node in orders if datetime.fromisoformat(node["createdAt"].replace("Z", "+00:00")) >= since]


def order_node(
    number: int,
    *,
    created_at: datetime,
    email: str | None = None,
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    address1: str = "12 Analytical Row",
    phone: str | None = None,
    customer_id: int | None = None,
    items: int = 2,
    tracking_number: str | None = None,
) -> dict[str, Any]:
    """An order node with the fields `integrations.shopify.graphql_orders.ORDERS_QUERY` asks for."""
    order_id = 7_000_000_000_000 + number
    stamp = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    email = email or f"shopper{number}@example.com"
    address = {"firstName": first_name, "lastName": last_name, "company": None, "address1": address1,
               "address2": None, "city": "Ottawa", "province": "Ontario", "provinceCode": "ON", "zip": "K1A 0B1",
               "countryCodeV2": "CA", "phone": phone}  # fmt: skip
    lines: list[dict[str, Any]] = [{
        "id": f"gid://shopify/LineItem/{order_id * 10 + at}", "title": f"Candle {at}", "variantTitle": "Large",
        "sku": f"CANDLE-{at}", "quantity": 1 + at % 2, "requiresShipping": True,
        "product": {"id": f"gid://shopify/Product/{500 + at}"},
        "variant": {"id": f"gid://shopify/ProductVariant/{900 + at}"},
        "image": None, "originalUnitPriceSet": _money("12.50"), "totalDiscountSet": _money("0.00"),
        "customAttributes": [],
    } for at in range(items)]  # fmt: skip
    total = sum(12.5 * int(line["quantity"]) for line in lines)
    fulfillments = []
    if tracking_number:
        fulfillments.append({
            "id": f"gid://shopify/Fulfillment/{order_id}", "status": "SUCCESS", "createdAt": stamp, "updatedAt": stamp,
            "trackingInfo": [{"company": "UPS", "number": tracking_number, "url": None}], "service": None,
            "fulfillmentLineItems": {"nodes": [{"quantity": line["quantity"], "lineItem": {"id": line["id"]}}
                                               for line in lines]},
        })  # fmt: skip
    return {
        "id": f"gid://shopify/Order/{order_id}", "number": number, "name": f"#{number}", "email": email,
        "phone": phone, "createdAt": stamp, "updatedAt": stamp, "cancelledAt": None, "closedAt": None,
        "currencyCode": "CAD", "customerLocale": "en-CA", "note": None, "tags": ["backfill"], "sourceName": "web",
        "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "FULFILLED" if fulfillments else "UNFULFILLED",
        "totalPriceSet": _money(f"{total:.2f}"), "subtotalPriceSet": _money(f"{total:.2f}"),
        "totalTaxSet": _money("0.00"), "totalShippingPriceSet": _money("0.00"), "totalDiscountsSet": _money("0.00"),
        "customer": {"id": f"gid://shopify/Customer/{customer_id or 8_000_000 + number}", "email": email,
                     "phone": phone, "firstName": first_name, "lastName": last_name, "locale": "en-CA"},
        "shippingAddress": address, "billingAddress": dict(address), "lineItems": {"nodes": lines},
        "fulfillments": fulfillments, "refunds": [],
    }  # fmt: skip


def _money(amount: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": amount, "currencyCode": "CAD"}}
