"""A made-up order in exactly the shape the storefront API answers (`view.order_document`), for the admin's live
preview of the tracking page: three items in two parcels, one delivered (so the survey shows) and one on its way
(so the estimate window and a timeline show), in whatever branding and blocks the merchant is trying out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.models import Shop
from app.storefront.view import shop_section
from integrations.carriers.links import carrier_display_name, tracking_page

SAMPLE_TOKEN = "preview"  # noqa: S105 - opens nothing: the preview never fetches
ITEMS: list[dict[str, Any]] = [
    {"id": "sample-1", "title": "Linen shirt", "variant": "M / Sand", "quantity": 1, "image_url": None,
     "product_id": "sample-product-1"},
    {"id": "sample-2", "title": "Canvas tote", "variant": None, "quantity": 2, "image_url": None,
     "product_id": "sample-product-2"},
    {"id": "sample-3", "title": "Stoneware mug", "variant": "Moss", "quantity": 1, "image_url": None,
     "product_id": "sample-product-3"},
]  # fmt: skip


def sample_document(shop: Shop, *, brand: Mapping[str, Any], page: Mapping[str, Any],
                    now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    now = now or datetime.now(UTC)
    placed = (now - timedelta(days=5)).replace(hour=15, minute=12, second=0, microsecond=0)  # a daytime order
    delivered = _parcel(
        1, "ups", "1Z999AA10123456784", "Ground", "delivered", placed + timedelta(hours=20), "America/Chicago",
        [(placed + timedelta(days=3, hours=6), "delivered", "Delivered, front door", "Naperville, IL, US"),
         (placed + timedelta(days=3, hours=1), "out_for_delivery", "Out for delivery", "Naperville, IL, US"),
         (placed + timedelta(days=2), "in_transit", "Arrived at facility", "Chicago, IL, US"),
         (placed + timedelta(days=1), "in_transit", "Departed facility", "Louisville, KY, US"),
         (placed + timedelta(hours=22), "info_received", "Shipment information received", "Louisville, KY, US")],
        [ITEMS[0], ITEMS[1]],
    )  # fmt: skip
    delivered["delivered_at"] = delivered["events"][0]["at"]
    delivered["survey"] = {"kind": page["survey_kind"], "token": SAMPLE_TOKEN, "score": None}
    on_its_way = _parcel(
        2, "usps", "9400111899223197428490", "Priority Mail", "in_transit", now - timedelta(days=1, hours=3),
        "America/New_York",
        [(now - timedelta(hours=9), "in_transit", "In transit to next facility", "Columbus, OH, US"),
         (now - timedelta(days=1), "in_transit", "Accepted at USPS origin facility", "Pittsburgh, PA, US")],
        [ITEMS[2]],
    )  # fmt: skip
    day = now.date()
    on_its_way["estimate"] = {
        "date": (day + timedelta(days=2)).isoformat(),
        "window_start": (day + timedelta(days=1)).isoformat(),
        "window_end": (day + timedelta(days=3)).isoformat(),
        "confidence": 0.92,
        "source": "history",
    }
    return {
        "order": {
            "token": SAMPLE_TOKEN,
            "name": "#1024",
            "number": "1024",
            "placed_at": placed.isoformat(),
            "status": "open",
            "currency": shop.currency or "USD",
            "total": "118.00",
            "locale": None,
            "items": [dict(item) for item in ITEMS],
            "shipments": [delivered, on_its_way],
            "unshipped_items": [],
        },
        "shop": shop_section(shop, brand=brand, page=page),
    }


def _parcel(
    id_: int, carrier: str, number: str, service: str, status: str, shipped: datetime, zone: str,
    events: list[tuple[datetime, str, str, str]], items: list[dict[str, Any]],
) -> dict[str, Any]:  # fmt: skip
    local = ZoneInfo(zone)
    return {
        "id": id_,
        "carrier": carrier,
        "carrier_name": carrier_display_name(carrier, None),
        "tracking_number": number,
        "tracking_url": tracking_page(carrier, number),
        "service": service,
        "status": status,
        "shipped_at": shipped.isoformat(),
        "delivered_at": None,
        "last_update_at": events[0][0].astimezone(local).isoformat(),
        "estimate": None,
        "delay": None,
        "survey": None,
        "items": [{key: item[key] for key in ("id", "title", "quantity", "image_url")} for item in items],
        "events": [
            {
                "at": at.astimezone(local).isoformat(),
                "timezone": zone,
                "status": kind,
                "description": text,
                "location": place,
            }
            for at, kind, text, place in events
        ],
    }
