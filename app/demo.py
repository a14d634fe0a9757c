"""The demo stores: real-shaped order webhooks for one Shopify and one WooCommerce store, signed the way each
platform signs them, so `make run` shows a populated app and exercises the same path as production."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from integrations.carriers.simulated import Scenario, journey, scenario_for

SHOPIFY_DOMAIN = "afterglow-demo.myshopify.com"
WOO_DOMAIN = "woo.afterglow-demo.test"
WOO_SOURCE = f"https://{WOO_DOMAIN}/"
WOO_WEBHOOK_ID = "41"

PRODUCTS = [  # (product id, variant id, title, variant, sku, price)
    ("7982301", "44012001", "Merino Crew Sweater", "Oat / M", "MCS-OAT-M", "89.00"),
    ("7982302", "44012002", "Linen Camp Shirt", "Sage / L", "LCS-SAG-L", "64.00"),
    ("7982303", "44012003", "Canvas Weekender Bag", None, "CWB-NAT", "148.00"),
    ("7982304", "44012004", "Ceramic Pour-Over Set", "Speckled", "CPO-SPK", "42.50"),
    ("7982305", "44012005", "Wool Beanie", "Charcoal", "WB-CHR", "28.00"),
]
SHOPPERS = [  # (first, last, city, province code, zip, country, locale)
    ("Maya", "Okafor", "Portland", "OR", "97205", "US", "en"),
    ("Jonas", "Becker", "Berlin", None, "10115", "DE", "de"),
    ("Camille", "Roux", "Lyon", None, "69002", "FR", "fr"),
    ("Lucía", "Martín", "Madrid", None, "28013", "ES", "es"),
    ("Daan", "de Vries", "Utrecht", None, "3511", "NL", "nl"),
    ("Priya", "Shah", "Toronto", "ON", "M5V 2T6", "CA", "en"),
]


def ups_number(shipper: str, serial: int) -> str:
    """A UPS 1Z number: shipper (6), service (2), package (7), and the check digit over those 15 characters."""
    body = f"{shipper}01{serial:07d}"
    total = 0
    for index, char in enumerate(body):
        value = int(char) if char.isdigit() else (ord(char) - 63) % 10
        total += value * 2 if index % 2 else value
    return f"1Z{body}{(10 - total % 10) % 10}"


def usps_number(serial: int) -> str:
    """A USPS IMpb 22-digit number (9400 1 + mailer + serial) with its mod-10 check digit."""
    body = f"940011189922{serial:09d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return f"{body}{(10 - total % 10) % 10}"


@dataclass(frozen=True)
class Delivery:
    platform: str
    headers: dict[str, str]
    body: bytes


def _money(value: float) -> str:
    return f"{value:.2f}"


def shopify_order_payload(n: int, now: datetime, created: datetime | None = None) -> dict[str, Any]:
    first, last, city, province, zip_code, country, locale = SHOPPERS[n % len(SHOPPERS)]
    created = created or now - timedelta(days=(14 - n) % 30, hours=n * 3 % 11)
    picks = [PRODUCTS[n % len(PRODUCTS)], PRODUCTS[(n * 2 + 1) % len(PRODUCTS)]][: 1 + n % 2]
    items: list[dict[str, Any]] = [
        {"id": 13000000000 + n * 10 + i, "product_id": int(p[0]), "variant_id": int(p[1]), "title": p[2],
         "variant_title": p[3], "sku": p[4], "quantity": 1 + (n + i) % 2, "price": p[5], "total_discount": "0.00",
         "requires_shipping": True, "properties": [], "discount_allocations": [], "name": p[2]}
        for i, p in enumerate(picks)
    ]  # fmt: skip
    subtotal = sum(float(i["price"]) * i["quantity"] for i in items)
    shipping = 0.0 if subtotal > 100 else 7.95
    tax = round(subtotal * 0.08, 2)
    address = {"first_name": first, "last_name": last, "address1": f"{100 + n} Market Street", "address2": None,
               "city": city, "province_code": province, "zip": zip_code, "country_code": country, "phone": None,
               "company": None, "name": f"{first} {last}"}  # fmt: skip
    stamp = created.isoformat(timespec="seconds")
    return {
        "id": 5600000000000 + n, "admin_graphql_api_id": f"gid://shopify/Order/{5600000000000 + n}",
        "name": f"#{1000 + n}", "order_number": 1000 + n, "number": n, "email": f"{first.lower()}@example.com",
        "contact_email": f"{first.lower()}@example.com", "phone": None, "currency": "USD",
        "created_at": stamp, "updated_at": stamp, "processed_at": stamp, "cancelled_at": None, "closed_at": None,
        "financial_status": "paid", "fulfillment_status": None, "customer_locale": locale, "source_name": "web",
        "subtotal_price": _money(subtotal), "total_tax": _money(tax), "total_discounts": "0.00",
        "total_price": _money(subtotal + shipping + tax),
        "total_shipping_price_set": {"shop_money": {"amount": _money(shipping), "currency_code": "USD"}},
        "shipping_lines": [{"title": "Standard", "price": _money(shipping), "code": "STANDARD"}],
        "tags": "demo" + (", vip" if n % 4 == 0 else ""), "note": None,
        "customer": {"id": 7100000000 + n % len(SHOPPERS), "email": f"{first.lower()}@example.com",
                     "first_name": first, "last_name": last, "phone": None,
                     "email_marketing_consent": {"state": "subscribed" if n % 2 else "not_subscribed"}},
        "shipping_address": address, "billing_address": address, "line_items": items, "fulfillments": [],
        "refunds": [],
    }  # fmt: skip


def _tracking_number(n: int, scenario: Scenario | None) -> tuple[str, str]:
    """The n-th parcel's carrier as the merchant typed it and its number: the first serial from n's own whose
    journey on the simulated carrier is `scenario` (any when None)."""
    company = ("UPS", "USPS", "FedEx", "DHL Express")[n % 4]
    for serial in range(n, n + 10_000, 17):
        if company == "USPS":
            number = usps_number(700000 + serial)
        else:  # merchants often mislabel FedEx and DHL parcels: detection sorts it out
            number = ups_number("1A2B3C", 4200 + serial) if company == "UPS" else ups_number("9F8E7D", 5100 + serial)
        if scenario is None or scenario_for(number) == scenario:
            return company, number
    raise LookupError(f"no demo number with scenario {scenario}")


def _shopify_fulfillment(order: dict[str, Any], n: int, at: datetime) -> dict[str, Any]:
    story = STORIES.get(n)
    company, number = _tracking_number(n, story.scenario if story else None)
    stamp = at.isoformat(timespec="seconds")
    return {
        "id": 4800000000 + n, "order_id": order["id"], "status": "success", "service": "manual",
        "tracking_company": company, "tracking_number": number, "tracking_numbers": [number],
        "tracking_url": None, "tracking_urls": [], "created_at": stamp, "updated_at": stamp,
        "line_items": [{"id": item["id"], "quantity": item["quantity"]} for item in order["line_items"]],
    }  # fmt: skip


@dataclass(frozen=True)
class Story:
    """What a demo parcel has been through when the demo is seeded: its journey on the simulated carrier and the
    status its last scan gave (else the next of `statuses` that carriers' working days allow), between `hours` ago
    (older, newer). The admin's queues, the messages and the survey answers follow through the real paths."""

    scenario: Scenario
    statuses: tuple[str, ...]
    hours: tuple[int, int]
    survey: tuple[int, str | None] | None = None  # NPS score and comment the shopper gives on the tracking page


STORIES: dict[int, Story] = {  # Shopify order n (#1000 + n); orders 3, 6, 9 and 12 have not shipped
    1: Story(Scenario.NORMAL, ("delivered",), (60, 30), (9, "Schnelle Lieferung, sehr gut verpackt.")),
    2: Story(Scenario.NORMAL, ("delivered",), (30, 10), (10, "Arrivé un jour plus tôt, suivi parfait.")),
    4: Story(Scenario.ATTEMPT_FAILED, ("attempt_failed", "delivered"), (12, 1)),
    5: Story(Scenario.NORMAL, ("delivered",), (70, 40), (4, "It sat in customs for days with no news.")),
    7: Story(Scenario.STALL, ("in_transit",), (16 * 24, 10 * 24)),
    8: Story(Scenario.DAMAGED, ("exception",), (48, 3)),
    10: Story(Scenario.NORMAL, ("delivered",), (24, 4), (8, None)),
    11: Story(Scenario.NOT_PICKED_UP, ("info_received",), (9 * 24, 6 * 24)),
}


def shipped_at(n: int, now: datetime) -> datetime | None:
    """When Shopify order n's parcel was fulfilled (None: not shipped). For a story: the latest hour at which its
    journey is where the story says at `now`, and still is an hour later (tracking runs within the seeding hour),
    its last scan as close to the story's hours ago as carriers' working days allow."""
    if n % 3 == 0:
        return None
    story = STORIES.get(n)
    if story is None:
        return now - timedelta(days=(13 - n) % 30, hours=n * 3 % 11)
    _, number = _tracking_number(n, story.scenario)
    country = SHOPPERS[n % len(SHOPPERS)][5]
    oldest, newest = (timedelta(hours=h) for h in story.hours)
    for status in story.statuses:
        best: tuple[timedelta, datetime] | None = None
        for back in range(1, 30 * 24):
            shipped = now - timedelta(hours=back)
            planned = journey(number, shipped, country)
            seen = planned.events_at(now)
            if not seen or str(seen[-1].status) != status or seen != planned.events_at(now + timedelta(hours=1)):
                continue
            age = now - seen[-1].occurred_at
            off = max(newest - age, age - oldest, timedelta(0))
            if best is None or off < best[0]:
                best = (off, shipped)
            if not off:
                break
        if best is not None:
            return best[1]
    raise LookupError(f"no shipping time gives demo order {n} its story")


def first_look(number: str, shipped: datetime | None, country: str | None, now: datetime) -> datetime | None:
    """When the app would first have looked at a demo parcel that the simulated carrier has delivered by `now`: an
    hour after its first scan, so the estimate it showed then became the shopper's promise before the parcel
    arrived, as for a parcel followed all the way (the dashboard's on-time rate counts promised parcels only).
    None for a parcel still on its way, whose story one look now tells, or a number the carrier does not know."""
    if shipped is None:
        return None
    try:
        seen = journey(number, shipped, country).events_at(now)
    except ValueError:
        return None
    if not seen or str(seen[-1].status) != "delivered":
        return None
    early = seen[0].occurred_at + timedelta(hours=1)
    return early if early < seen[-1].occurred_at else None


def demo_clock() -> datetime:
    """The demo's "now": the start of the current hour, so seeding twice within it sends identical deliveries."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def shopify_deliveries(secret: str, now: datetime | None = None) -> Iterator[Delivery]:
    now = now or demo_clock()
    for n in range(1, 13):
        shipped = shipped_at(n, now)
        order = shopify_order_payload(n, now, shipped - timedelta(days=1, hours=n) if shipped else None)
        yield shopify_delivery(secret, "orders/create", order, f"demo-order-{n}-create")
        if shipped is not None:  # most orders have shipped
            fulfillment = _shopify_fulfillment(order, n, shipped)
            yield shopify_delivery(secret, "fulfillments/create", fulfillment, f"demo-order-{n}-fulfillment")
        if n == 6:
            cancelled = dict(order, cancelled_at=(now - timedelta(days=2)).isoformat(),
                             updated_at=(now - timedelta(days=2)).isoformat(), financial_status="voided")  # fmt: skip
            yield shopify_delivery(secret, "orders/cancelled", cancelled, f"demo-order-{n}-cancel")
        if n == 4:
            refund = {"id": 9100000000 + n, "order_id": order["id"], "created_at": now.isoformat(),
                      "note": "Wrong size", "refund_line_items": [], "transactions": [
                          {"id": 9200000000 + n, "kind": "refund", "status": "success", "amount": "28.00",
                           "currency": "USD"}]}  # fmt: skip
            yield shopify_delivery(secret, "refunds/create", refund, f"demo-order-{n}-refund")


def shopify_delivery(secret: str, topic: str, payload: dict[str, Any], event_id: str) -> Delivery:
    body = json.dumps(payload).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return Delivery("shopify", {
        "Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": signature,
        "X-Shopify-Shop-Domain": SHOPIFY_DOMAIN, "X-Shopify-API-Version": "2025-10",
        "X-Shopify-Webhook-Id": f"wh-{event_id}", "X-Shopify-Event-Id": event_id,
        "X-Shopify-Triggered-At": payload.get("updated_at") or payload.get("created_at") or "",
    }, body)  # fmt: skip


def _woo_order(
    n: int, now: datetime, status: str, tracking: list[dict[str, str]] | None, modified: datetime | None = None
) -> dict[str, Any]:
    first, last, city, province, zip_code, country, _ = SHOPPERS[(n + 2) % len(SHOPPERS)]
    created = now - timedelta(days=10 - n, hours=n)
    modified = modified or created + timedelta(minutes=1)
    product = PRODUCTS[(n + 3) % len(PRODUCTS)]
    quantity = 1 + n % 3
    line_total = float(product[5]) * quantity
    shipping = 4.90
    address = {"first_name": first, "last_name": last, "company": "", "address_1": f"Hauptstraße {n}",
               "address_2": "", "city": city, "state": province or "", "postcode": zip_code,
               "country": country}  # fmt: skip
    meta = [{"id": 500 + n, "key": "_wc_order_attribution_source_type", "value": "typein"}]
    if tracking:
        meta.append({"id": 600 + n, "key": "_wc_shipment_tracking_items", "value": tracking})

    def gmt(at: datetime) -> str:  # WooCommerce *_gmt fields carry no offset
        return at.strftime("%Y-%m-%dT%H:%M:%S")

    return {
        "id": 3100 + n, "parent_id": 0, "number": str(3100 + n), "order_key": f"wc_order_demo{n:04d}",
        "created_via": "checkout", "version": "10.2.1", "status": status, "currency": "EUR",
        "date_created": gmt(created), "date_created_gmt": gmt(created), "date_modified": gmt(modified),
        "date_modified_gmt": gmt(modified), "discount_total": "0.00", "discount_tax": "0.00",
        "shipping_total": _money(shipping), "shipping_tax": "0.00", "cart_tax": "0.00",
        "total": _money(line_total + shipping), "total_tax": "0.00", "prices_include_tax": True, "customer_id": 0,
        "customer_note": "", "billing": dict(address, email=f"{first.lower()}.{n}@example.org", phone=""),
        "shipping": dict(address, phone=""), "payment_method": "stripe", "payment_method_title": "Card",
        "date_paid_gmt": gmt(created), "date_completed_gmt": gmt(modified) if status == "completed" else None,
        "meta_data": meta,
        "line_items": [{"id": 700 + n, "name": product[2], "product_id": int(product[0]), "variation_id": 0,
                        "quantity": quantity, "tax_class": "", "subtotal": _money(line_total),
                        "subtotal_tax": "0.00", "total": _money(line_total), "total_tax": "0.00", "taxes": [],
                        "meta_data": [], "sku": product[4], "price": float(product[5]),
                        "image": {"id": 0, "src": f"https://{WOO_DOMAIN}/wp-content/uploads/{product[4]}.jpg"}}],
        "shipping_lines": [{"id": 800 + n, "method_title": "DHL Paket", "method_id": "flat_rate",
                            "total": _money(shipping)}],
        "refunds": [],
    }  # fmt: skip


def woocommerce_deliveries(secret: str, now: datetime | None = None) -> Iterator[Delivery]:
    now = now or demo_clock()
    for n in range(1, 9):
        order = _woo_order(n, now, "processing", None)
        yield _woo_delivery(secret, "order.created", order, n)
        if n % 2:
            shipped_at = now - timedelta(days=8 - n)
            shipped = int(shipped_at.timestamp())
            tracking = [{"tracking_provider": "ups" if n % 4 == 1 else "dhl-paket",
                         "custom_tracking_provider": "", "custom_tracking_link": "",
                         "tracking_number": ups_number("6D5E4F", 6100 + n), "tracking_id": f"demo{n:04d}",
                         "date_shipped": str(shipped), "tracking_product_code": ""}]  # fmt: skip
            updated = _woo_order(n, now, "completed", tracking, modified=shipped_at)
            yield _woo_delivery(secret, "order.updated", updated, n)


def _woo_delivery(secret: str, topic: str, payload: dict[str, Any], n: int) -> Delivery:
    # WordPress encodes with escaped slashes; the signature covers exactly these bytes.
    body = json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return Delivery("woocommerce", {
        "Content-Type": "application/json", "User-Agent": "WooCommerce/10.2.1 Hookshot (WordPress/6.8.3)",
        "X-WC-Webhook-Source": WOO_SOURCE, "X-WC-Webhook-Topic": topic, "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Event": topic.split(".")[1], "X-WC-Webhook-Signature": signature,
        "X-WC-Webhook-ID": WOO_WEBHOOK_ID, "X-WC-Webhook-Delivery-ID": hashlib.md5(  # noqa: S324 - as WooCommerce does
            f"{topic}{n}".encode()).hexdigest(),
    }, body)  # fmt: skip
