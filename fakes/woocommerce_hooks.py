"""What the fake WooCommerce sends out: webhook deliveries and pings as `WC_Webhook` sends them, the wc-auth
callback, and the orders it serves.

A delivery is `trim(wp_json_encode($payload))`: PHP's JSON with no spaces, `/` escaped as `\\/` and every non-ASCII
character as `\\uXXXX`; signed with base64(HMAC-SHA256(body, webhook secret)) over those bytes, with the
`X-WC-Webhook-*` headers of the recorded delivery. A ping is the form body `webhook_id=N`, unsigned. A webhook whose
deliveries fail more than 5 times in a row is disabled, as WooCommerce does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from fakes.woocommerce import FakeWooCommerce, FakeWooStore

# (url, headers, body) -> HTTP status; the default sends over the network, tests route to the app in-process.
Sender = Callable[[str, Mapping[str, str], bytes], int]
USER_AGENT = "WooCommerce/10.2.1 Hookshot (WordPress/6.8.3)"
MAX_FAILURES = 5


def php_json(payload: Any) -> bytes:
    """`wp_json_encode` with WordPress's default flags."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def network_send(url: str, headers: Mapping[str, str], body: bytes) -> int:
    try:
        return requests.post(url, headers=dict(headers), data=body, timeout=5).status_code
    except requests.RequestException:
        return 0


class WebhookSender:
    def __init__(self, fake: FakeWooCommerce, *, send: Sender | None = None) -> None:
        self.fake = fake
        self.send = send or network_send
        self.deliveries: list[dict[str, Any]] = []  # every delivery and ping: url, topic, status

    def post_json(self, url: str, payload: Mapping[str, Any]) -> int:
        headers = {"Content-Type": "application/json;charset=UTF-8", "User-Agent": "WordPress/6.8.3"}
        return self.send(url, headers, php_json(payload))

    def ping(self, store: FakeWooStore, hook: dict[str, Any]) -> int:
        headers = {"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"}
        status = self.send(hook["delivery_url"], headers, f"webhook_id={hook['id']}".encode())
        self.deliveries.append({"url": hook["delivery_url"], "topic": "ping", "status": status})
        return status

    def emit(self, store: FakeWooStore, topic: str, order_id: int) -> list[int]:
        """Deliver `topic` about one order to every active webhook of the store subscribed to it."""
        order = store.orders.get(order_id)
        payload: Mapping[str, Any] = {"id": order_id} if topic.endswith(".deleted") or order is None else order
        statuses = []
        for hook in list(store.webhooks.values()):
            if hook["status"] != "active" or hook["topic"] != topic:
                continue
            body = php_json(payload)
            digest = hmac.new(hook["secret"].encode(), body, hashlib.sha256).digest()
            resource, event = topic.split(".")
            headers = {
                "User-Agent": USER_AGENT, "Content-Type": "application/json",
                "X-WC-Webhook-Source": self.fake.home_url(store), "X-WC-Webhook-Topic": topic,
                "X-WC-Webhook-Resource": resource, "X-WC-Webhook-Event": event,
                "X-WC-Webhook-Signature": base64.b64encode(digest).decode(), "X-WC-Webhook-ID": str(hook["id"]),
                # wp_hash( webhook id . time() ): the same for every delivery of that webhook within a second
                "X-WC-Webhook-Delivery-ID": hashlib.md5(f"{hook['id']}{int(time.time())}".encode()).hexdigest(),  # noqa: S324
            }  # fmt: skip
            status = self.send(hook["delivery_url"], headers, body)
            hook["failure_count"] = 0 if 200 <= status < 300 else hook["failure_count"] + 1
            if hook["failure_count"] > MAX_FAILURES:
                hook["status"] = "disabled"
            self.deliveries.append({"url": hook["delivery_url"], "topic": topic, "status": status})
            statuses.append(status)
        return statuses


def make_order(order_id: int, home_url: str, *, start: datetime | None = None) -> dict[str, Any]:
    """An order shaped like the documentation's `GET /orders/727`, with a non-ASCII name and a URL in its links so
    PHP's escaping matters."""
    created = (start or datetime(2026, 11, 1, tzinfo=UTC)) + timedelta(minutes=order_id)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%S")
    quantity = 1 + order_id % 3
    unit = 12 + order_id % 7
    subtotal = f"{quantity * unit:.2f}"
    address = {"first_name": "Zoë", "last_name": f"Müller {order_id}", "company": "", "address_1": "969 Market",
               "address_2": "", "city": "San Francisco", "state": "CA", "postcode": "94103",
               "country": "US"}  # fmt: skip
    return {
        "id": order_id, "parent_id": 0, "number": str(order_id), "order_key": f"wc_order_{order_id:08x}",
        "created_via": "checkout", "version": "10.2.1", "status": "processing", "currency": "USD",
        "date_created": stamp, "date_created_gmt": stamp, "date_modified": stamp, "date_modified_gmt": stamp,
        "discount_total": "0.00", "discount_tax": "0.00", "shipping_total": "10.00", "shipping_tax": "0.00",
        "cart_tax": "0.00", "total": f"{quantity * unit + 10:.2f}", "total_tax": "0.00", "prices_include_tax": False,
        "customer_id": 0, "customer_note": "", "billing": {**address, "email": f"shopper{order_id}@example.com",
                                                          "phone": "(555) 555-5555"},
        "shipping": address, "payment_method": "bacs", "payment_method_title": "Direct Bank Transfer",
        "date_paid": stamp, "date_paid_gmt": stamp, "date_completed": None, "date_completed_gmt": None,
        "meta_data": [], "line_items": [{
            "id": order_id * 10, "name": "Café mug – blue", "product_id": 93, "variation_id": 0,
            "quantity": quantity, "tax_class": "", "subtotal": subtotal, "subtotal_tax": "0.00", "total": subtotal,
            "total_tax": "0.00", "taxes": [], "meta_data": [], "sku": f"MUG-{order_id % 5}", "price": unit,
        }],
        "tax_lines": [], "shipping_lines": [{"id": order_id * 10 + 1, "method_title": "Flat Rate",
                                             "method_id": "flat_rate", "total": "10.00", "total_tax": "0.00",
                                             "taxes": [], "meta_data": []}],
        "fee_lines": [], "coupon_lines": [], "refunds": [],
        "_links": {"self": [{"href": f"{home_url}wp-json/wc/v3/orders/{order_id}"}],
                   "collection": [{"href": f"{home_url}wp-json/wc/v3/orders"}]},
    }  # fmt: skip


def touch(order: dict[str, Any], **changes: Any) -> None:
    """Change an order as the store would: fields, and `date_modified` one second later."""
    order.update(changes)
    modified = datetime.strptime(order["date_modified_gmt"], "%Y-%m-%dT%H:%M:%S") + timedelta(seconds=1)
    order["date_modified"] = order["date_modified_gmt"] = modified.strftime("%Y-%m-%dT%H:%M:%S")
