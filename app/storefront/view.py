"""An order as the shopper's tracking page shows it: items, parcels with their timeline, and the shop's look.

Times go out as ISO 8601 in the zone where they happened (a scan in Memphis at 07:12 reads 07:12-05:00), with
the zone's name beside them, so the page can print the carrier's local time in the shopper's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from app.extensions import db
from app.models import Order, Shipment, Shop, TrackingEvent
from app.services import settings_document, shop_settings, surveys
from app.services.notifications.settings import get_settings
from app.services.notifications.validation import FONT_STACKS
from app.services.recommendations import Recommendation
from integrations.carriers.links import carrier_display_name, tracking_page

# Parcels on their way back, or no longer followed: a delivery date would mislead.
NO_ESTIMATE = frozenset({"returning_to_sender", "returned", "cancelled", "expired"})
# The shopper's words for each delay reason (app/services/forecast.py REASONS); the widget has them in five languages.
DELAY_WORDS: dict[str, str] = {
    "not_picked_up": "The carrier has not collected your parcel yet.",
    "stalled": "Your parcel has not moved for a while. We are keeping an eye on it.",
    "out_for_delivery_not_delivered": (
        "Your parcel was out for delivery but did not arrive. It should come on the next delivery day."
    ),
    "late": "Your parcel is later than we promised.",
    "estimate_slipped": "Your parcel is running late. We have updated the expected delivery date.",
}
DEFAULT_BRANDING: dict[str, Any] = {
    "accent_color": "#2c6ecb",
    "text_color": "#202223",
    "background_color": "#ffffff",
    "font_family": "inherit",
    "logo_url": None,
}


def branding(shop: Shop, brand: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The shop's look, one for every shopper-facing surface: the branding its messages use too (or `brand`, a
    checked draft of it). The font goes out as a CSS stack from our own list, never as text the merchant typed."""
    if brand is None:
        brand = get_settings(shop_id=shop.id)["branding"]
    return {
        "name": brand.get("name") or shop.name or shop.domain,
        "logo_url": brand.get("logo_url") or None,
        "accent_color": brand.get("accent_color") or DEFAULT_BRANDING["accent_color"],
        "text_color": brand.get("text_color") or DEFAULT_BRANDING["text_color"],
        "background_color": brand.get("background_color") or DEFAULT_BRANDING["background_color"],
        "font_family": FONT_STACKS.get(str(brand.get("font_family")), DEFAULT_BRANDING["font_family"]),
    }


def shop_section(shop: Shop, *, brand: Mapping[str, Any] | None = None,
                 page: Mapping[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """What the page is told of the shop: its look, and which of the page's blocks it shows."""
    page = page if page is not None else settings_document.tracking_page(shop)
    return {
        "domain": shop.domain,
        "platform": shop.platform,
        "branding": branding(shop, brand),
        "recommendations": page["recommendations"],
        "show": dict(page["show"]),
    }


def order_document(order: Order, *, shop: Shop, token: str) -> dict[str, Any]:
    """`token` is the order's link token: the page uses it for what it loads afterwards (recommendations)."""
    shipments = [s for s in order.shipments if s.removed_at is None]
    events = _events_by_shipment([s.id for s in shipments])
    # One question per order, not per parcel: on the latest delivered parcel, or "thank you" once answered.
    delivered = sorted((s for s in shipments if s.delivered_at is not None), key=lambda s: (s.delivered_at, s.id))
    scores = surveys.answered([s.id for s in delivered])
    asked = next((s for s in delivered if s.id in scores), delivered[-1] if delivered else None)
    items = {item.external_id: item for item in order.line_items if item.removed_at is None}
    shipped: dict[str, int] = defaultdict(int)
    for shipment in shipments:
        if shipment.state not in ("cancelled", "error", "failure"):
            for external_id, quantity in (shipment.line_items or {}).items():
                shipped[external_id] += int(quantity)
    return {
        "order": {
            "token": token,
            "name": order.name,
            "number": order.number,
            "placed_at": _iso(order.platform_created_at),
            "status": order.status,
            "currency": order.currency,
            "total": str(order.total),
            "locale": order.locale,
            "items": [_item(item, item.quantity) for item in items.values()],
            "shipments": [
                _shipment(s, events.get(s.id, []), items, _survey(s, scores, shop) if s is asked else None)
                for s in shipments
                if s.state != "cancelled"
            ],
            "unshipped_items": [
                _item(item, item.quantity - shipped[key])
                for key, item in items.items()
                if item.requires_shipping and item.quantity - shipped[key] > 0 and order.status != "cancelled"
            ],
        },
        "shop": shop_section(shop),
    }


def orders_summary(orders: list[Order], tokens: list[str]) -> list[dict[str, Any]]:
    """A signed-in shopper's order list: enough to pick one, and the token that opens each."""
    return [
        {
            "token": token,
            "name": order.name,
            "number": order.number,
            "placed_at": _iso(order.platform_created_at),
            "status": order.status,
            "parcels": [s.tracking_status for s in order.shipments if s.removed_at is None and s.state != "cancelled"],
        }
        for order, token in zip(orders, tokens, strict=True)
    ]


def _item(item: Any, quantity: int) -> dict[str, Any]:
    return {
        "id": item.external_id,
        "title": item.title,
        "variant": item.variant_title,
        "quantity": quantity,
        "image_url": item.image_url,
        "product_id": item.product_id,
    }


def _shipment(
    shipment: Shipment, events: list[TrackingEvent], items: dict[str, Any], survey: dict[str, Any] | None
) -> dict[str, Any]:
    zone = events[-1].timezone if events else None
    return {
        "id": shipment.id,
        "carrier": shipment.carrier,
        "carrier_name": carrier_display_name(shipment.carrier, shipment.carrier_name),
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url or tracking_page(shipment.carrier, shipment.tracking_number),
        "service": shipment.service,
        "status": shipment.tracking_status,
        "shipped_at": _iso(shipment.platform_created_at or shipment.created_at),
        "delivered_at": _iso(shipment.delivered_at, zone),
        "last_update_at": _iso(shipment.last_event_at, zone),
        "estimate": _estimate(shipment, zone),
        "delay": _delay(shipment),
        "survey": survey,
        "items": [
            {"id": key, "title": items[key].title, "quantity": int(quantity), "image_url": items[key].image_url}
            for key, quantity in (shipment.line_items or {}).items()
            if key in items
        ],
        "events": [
            {
                "at": _iso(event.occurred_at, event.timezone),
                "timezone": event.timezone,
                "status": event.status,
                "description": event.description,
                "location": event.location,
            }
            for event in reversed(events)  # newest first, as people read a timeline
        ],
    }


def _survey(shipment: Shipment, scores: dict[int, int], shop: Shop) -> dict[str, Any]:
    kind = shop_settings.get(shop, "survey_kind")
    return {"kind": kind, "token": surveys.survey_token(shipment), "score": scores.get(shipment.id)}


def recommendations_document(shop: Shop, picks: list[Recommendation]) -> dict[str, Any]:
    return {"recommendations": [
        {"title": pick.title, "image_url": pick.image_url, "reason": pick.reason, "url": product_url(shop, pick)}
        for pick in picks
    ]}  # fmt: skip


def product_url(shop: Shop, pick: Recommendation) -> str:
    """Where the product lives on the store. WordPress resolves a post id to its permalink; for Shopify we know no
    handle, so the store's own product search finds it by title."""
    from urllib.parse import quote_plus

    if shop.platform == "woocommerce":
        return f"https://{shop.domain}/?post_type=product&p={quote_plus(pick.product_id)}"
    return f"https://{shop.domain}/search?type=product&q={quote_plus(pick.title)}"


def _estimate(shipment: Shipment, zone: str | None) -> dict[str, Any] | None:
    """Our estimate (app/services/estimates.py): the expected day and the window in the destination's calendar,
    with how often parcels like this one arrived inside it. Before the first estimate, the carrier's own date."""
    if shipment.delivered_at is not None or shipment.tracking_status in NO_ESTIMATE:
        return None
    if shipment.expected_delivery_on is not None:
        return {
            "date": shipment.expected_delivery_on.isoformat(),
            "window_start": _day(shipment.delivery_window_start),
            "window_end": _day(shipment.delivery_window_end),
            "confidence": shipment.estimate_confidence,
            "source": shipment.estimate_source,
        }
    if shipment.estimated_delivery is None:
        return None
    # The carrier's date is stored as the end of that day where the parcel is; read the date back there.
    return {"date": (_iso(shipment.estimated_delivery, zone) or "")[:10], "source": "carrier"}


def _delay(shipment: Shipment) -> dict[str, Any] | None:
    """The delay flag in plain words; the page words it in the shopper's language by `reason`."""
    if shipment.delay_reason is None or shipment.delivered_at is not None:
        return None
    return {
        "reason": shipment.delay_reason,
        "since": _iso(shipment.delayed_since),
        "promised": _day(shipment.promised_delivery_on),
        "message": DELAY_WORDS.get(shipment.delay_reason, "Your parcel is running late."),
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _events_by_shipment(ids: list[int]) -> dict[int, list[TrackingEvent]]:
    grouped: dict[int, list[TrackingEvent]] = defaultdict(list)
    if not ids:
        return grouped
    statement = (
        select(TrackingEvent)
        .where(TrackingEvent.shipment_id.in_(ids))
        .order_by(TrackingEvent.shipment_id, TrackingEvent.occurred_at, TrackingEvent.id)
    )
    for event in db.session.scalars(statement):
        grouped[event.shipment_id].append(event)
    return grouped


def _iso(moment: datetime | None, zone: str | None = None) -> str | None:
    if moment is None:
        return None
    if zone:
        try:
            return moment.astimezone(ZoneInfo(zone)).isoformat()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.isoformat()
