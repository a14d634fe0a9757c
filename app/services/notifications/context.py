"""What a template may use: plain values only, formatted for the shopper's language.

The same shape comes from a real notification (`message_context`) and from sample data (`sample_context`, for
previews and for checking a merchant's draft), so a template that previews well renders well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from app.models import Notification, Order, Shipment, Shop
from app.services.notifications import links, locales
from app.services.notifications.validation import FONT_STACKS

# How shoppers know the networks whose codes do not read as a name.
CARRIER_LABELS = {
    "ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL Express", "dhl_ecommerce": "DHL eCommerce",
    "dhl_paket": "DHL", "dpd": "DPD", "gofo": "GOFO Express", "postnl": "PostNL",
}  # fmt: skip


def carrier_label(code: str | None, typed: str | None) -> str | None:
    if code:
        return CARRIER_LABELS.get(code) or code.replace("_", " ").title()
    return typed


EMAIL_FONT = '-apple-system, "Segoe UI", Helvetica, Arial, sans-serif'  # "the store's own font" in a mail client


def brand(shop: Shop | None, settings: Mapping[str, Any]) -> dict[str, Any]:
    branding = settings["branding"]
    name = branding.get("name") or (shop.name if shop else None) or (shop.domain if shop else "Our store")
    stack = FONT_STACKS.get(str(branding.get("font_family") or "theme"), "inherit")
    return {
        "name": name, "logo_url": branding.get("logo_url"), "accent_color": branding["accent_color"],
        "text_color": branding.get("text_color") or "#1f2328",
        "background_color": branding.get("background_color") or "#ffffff",
        # A stack from our fixed list (never the merchant's text), so it may go into the <style> as written.
        "font_stack": Markup(EMAIL_FONT if stack == "inherit" else stack),  # noqa: S704
        "support_email": branding.get("support_email"),
    }  # fmt: skip


def message_context(
    *, notification: Notification, order: Order, shop: Shop, shipments: Sequence[Shipment],
    settings: Mapping[str, Any], unsubscribe: bool,
) -> dict[str, Any]:  # fmt: skip
    locale = notification.locale
    items = [
        {"title": item.title, "variant": item.variant_title, "quantity": item.quantity, "image_url": item.image_url}
        for item in order.line_items if item.removed_at is None
    ]  # fmt: skip
    parcels = [_parcel(shipment, order, locale) for shipment in shipments]
    data = notification.data or {}
    address = order.shipping_address or {}
    customer = order.customer
    tracking = links.tracking_url(platform=shop.platform, domain=shop.domain, shop_id=shop.id, order_id=order.id)
    refund_amount = next((r.amount for r in order.refunds if r.external_id == data.get("refund_id")), None)
    return {
        "locale": locale,
        "brand": brand(shop, settings),
        "shop": {"name": brand(shop, settings)["name"], "domain": shop.domain},
        "customer": {
            "first_name": (customer.first_name if customer else None) or address.get("first_name"),
            "last_name": (customer.last_name if customer else None) or address.get("last_name"),
        },
        "order": {
            "name": order.name, "number": order.number, "items": items,
            "total": locales.money(order.total, order.currency, locale),
            "placed_on": locales.long_date(order.platform_created_at, locale),
        },
        "shipment": parcels[0] if parcels else {},
        "shipments": parcels,
        "delay": {"reason": locales.delay_reason(data.get("reason"), locale),
                  "estimate": _estimate(data.get("estimate"), locale)},
        "refund": {"amount": locales.money(refund_amount, order.currency, locale)},
        "previous_tracking_number": data.get("previous_tracking_number"),
        "tracking_url": tracking,
        "survey_url": f"{tracking}#survey",
        "unsubscribe_url": links.unsubscribe_url(notification_id=notification.id) if unsubscribe else None,
    }


def sample_context(*, journey: str, locale: str, settings: Mapping[str, Any] | None = None,
                   shop: Shop | None = None) -> dict[str, Any]:  # fmt: skip
    """Realistic made-up data for previews: two items, one parcel, a delay, a refund."""
    from app.services.notifications.settings import effective

    settings = settings or effective(None)
    now = datetime.now(UTC)
    items: list[dict[str, Any]] = [{"title": "Linen shirt", "variant": "M / Sand", "quantity": 1, "image_url": None}]
    parcel = {
        "carrier": "UPS", "tracking_number": "1Z999AA10123456784", "status": "in_transit",
        "estimated_delivery": locales.long_date(now + timedelta(days=2), locale),
        "items": items,
    }  # fmt: skip
    shop_brand = brand(shop, settings)
    return {
        "locale": locale,
        "brand": shop_brand,
        "shop": {"name": shop_brand["name"], "domain": shop.domain if shop else "example.myshopify.com"},
        "customer": {"first_name": "Maya", "last_name": "Lindqvist"},
        "order": {
            "name": "#1042", "number": "1042",
            "items": [*items, {"title": "Canvas tote", "variant": None, "quantity": 2, "image_url": None}],
            "total": locales.money(Decimal("84.50"), "EUR", locale), "placed_on": locales.long_date(now, locale),
        },
        "shipment": parcel,
        "shipments": [parcel],
        "delay": {
            "reason": "Severe weather at the carrier's hub",
            "estimate": locales.long_date(now + timedelta(days=4), locale),
        },
        "refund": {"amount": locales.money(Decimal("29.90"), "EUR", locale)},
        "previous_tracking_number": "1Z999AA10123456793",
        "tracking_url": "https://example.myshopify.com/apps/afterglow/tracking?afterglow_token=sample",
        "survey_url": "https://example.myshopify.com/apps/afterglow/tracking?afterglow_token=sample#survey",
        "unsubscribe_url": "https://afterglow.example/notifications/unsubscribe/sample",
        "journey": journey,
    }


def _parcel(shipment: Shipment, order: Order, locale: str) -> dict[str, Any]:
    titles = {item.external_id: item for item in order.line_items}
    items = [
        {"title": titles[external_id].title, "variant": titles[external_id].variant_title, "quantity": quantity,
         "image_url": titles[external_id].image_url}
        for external_id, quantity in (shipment.line_items or {}).items() if external_id in titles
    ]  # fmt: skip
    return {
        "carrier": carrier_label(shipment.carrier, shipment.carrier_name),
        "tracking_number": shipment.tracking_number,
        "status": shipment.tracking_status,
        "estimated_delivery": locales.long_date(shipment.estimated_delivery, locale),
        "items": items,
    }


def _estimate(value: Any, locale: str) -> str | None:
    """The new expected day: a date, or our estimate's data (`{"expected": "2026-12-08", "window": [...]}`)."""
    if isinstance(value, dict):
        value = value.get("expected")
    if not value:
        return None
    try:
        return locales.long_date(datetime.fromisoformat(str(value)), locale)
    except ValueError:
        return str(value)
