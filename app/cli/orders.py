"""`flask orders show`: what support needs to answer a merchant's question about one order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Order, OrderEvent, Shop


@click.group()
def orders() -> None:
    """Look at stored orders."""


@orders.command("show")
@click.option("--shop", "shop_domain", required=True, help="The store's domain, e.g. afterglow-demo.myshopify.com")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def show(shop_domain: str, number: str, as_json: bool) -> None:
    """Print order NUMBER (as the shopper sees it, with or without #) with its shipments and event history."""
    shops = db.session.scalars(select(Shop).where(Shop.domain == shop_domain.lower())).all()
    if not shops:
        raise click.ClickException(f"no store {shop_domain}")
    wanted = number.lstrip("#")
    order = db.session.scalars(
        select(Order).where(Order.shop_id.in_([shop.id for shop in shops]), Order.number == wanted)
    ).first()
    if order is None:
        raise click.ClickException(f"no order {number} in {shop_domain}")
    events = db.session.scalars(
        select(OrderEvent).where(OrderEvent.shop_id == order.shop_id, OrderEvent.order_id == order.id)
        .order_by(OrderEvent.id)
    ).all()  # fmt: skip
    document = describe(order, events)
    if as_json:
        click.echo(json.dumps(document, indent=2, default=str))
        return
    click.echo(render_text(document))


def describe(order: Order, events: Sequence[OrderEvent]) -> dict[str, Any]:
    return {
        "order": {
            "number": order.number, "name": order.name, "platform": order.platform, "external_id": order.external_id,
            "status": order.status, "financial_status": order.financial_status,
            "fulfillment_status": order.fulfillment_status, "platform_status": order.platform_status,
            "currency": order.currency, "subtotal": str(order.subtotal), "shipping": str(order.shipping_total),
            "tax": str(order.total_tax), "discounts": str(order.discount_total), "total": str(order.total),
            "refunded": str(order.refunded_total), "email": order.email, "placed_at": order.platform_created_at,
            "updated_at": order.platform_updated_at, "cancelled_at": order.cancelled_at, "deleted_at": order.deleted_at,
            "tags": order.tags,
        },
        "line_items": [
            {"id": item.external_id, "title": item.title, "variant": item.variant_title, "sku": item.sku,
             "quantity": item.quantity, "unit_price": str(item.unit_price), "total": str(item.total),
             "removed": item.removed_at is not None}
            for item in order.line_items
        ],
        "shipments": [
            {"id": s.id, "fulfillment": s.fulfillment_external_id, "carrier": s.carrier, "carrier_name": s.carrier_name,
             "tracking_number": s.tracking_number, "tracking_url": s.tracking_url, "state": s.state,
             "tracking_status": s.tracking_status, "removed": s.removed_at is not None}
            for s in order.shipments
        ],
        "refunds": [
            {"id": r.external_id, "amount": str(r.amount), "reason": r.reason, "created_at": r.platform_created_at}
            for r in order.refunds
        ],
        "events": [
            {"id": e.id, "at": e.created_at, "name": e.name, "message": e.message, "webhook": e.inbound_webhook_id}
            for e in events
        ],
    }  # fmt: skip


def render_text(document: dict[str, Any]) -> str:
    order = document["order"]
    lines = [
        f"Order {order['name']} ({order['platform']} id {order['external_id']})",
        f"  status {order['status']} · payment {order['financial_status']} · fulfillment {order['fulfillment_status']}"
        + (f" · store status {order['platform_status']}" if order["platform_status"] else ""),
        f"  placed {order['placed_at']:%Y-%m-%d %H:%M} UTC · last updated {order['updated_at']:%Y-%m-%d %H:%M} UTC",
        f"  total {order['total']} {order['currency']} (subtotal {order['subtotal']}, shipping {order['shipping']}, "
        f"tax {order['tax']}, discounts {order['discounts']}, refunded {order['refunded']})",
    ]
    if order["deleted_at"]:
        lines.append(f"  deleted in the store at {order['deleted_at']:%Y-%m-%d %H:%M} UTC")
    lines.append("Items")
    for item in document["line_items"]:
        variant = f" — {item['variant']}" if item["variant"] else ""
        removed = " (removed)" if item["removed"] else ""
        lines.append(f"  {item['quantity']} × {item['title']}{variant}  {item['total']}{removed}")
    lines.append("Shipments" if document["shipments"] else "Shipments: none yet")
    for s in document["shipments"]:
        carrier = s["carrier"] or f"unknown ({s['carrier_name'] or 'no carrier given'})"
        removed = " (removed)" if s["removed"] else ""
        lines.append(f"  #{s['id']} {carrier} {s['tracking_number'] or '(no tracking number)'} · {s['state']} · "
                     f"tracking {s['tracking_status']}{removed}")  # fmt: skip
    for r in document["refunds"]:
        reason = f" — {r['reason']}" if r["reason"] else ""
        lines.append(f"Refund {r['id']}: {r['amount']} {order['currency']}{reason}")
    lines.append("History")
    for e in document["events"]:
        source = f"  [webhook {e['webhook']}]" if e["webhook"] else ""
        lines.append(f"  {e['at']:%Y-%m-%d %H:%M:%S}  {e['name']:<26} {e['message']}{source}")
    return "\n".join(lines)
