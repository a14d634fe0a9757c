"""The demo stores, seeded through the app's own webhook endpoints exactly as the platforms would call them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import click
import httpx
from flask import current_app
from flask.cli import with_appcontext

from app import demo as demo_data
from app.services import shops

DEMO_WOO_SECRET = os.environ.get("DEMO_WOO_SECRET", "afterglow-demo-woo-secret")

Send = Callable[[demo_data.Delivery], int]
# One storefront API call as the shopper's browser makes it: (method, path and query, JSON body) -> (status, JSON).
Ask = Callable[[str, str, dict[str, Any] | None], tuple[int, Any]]


def deliveries(now: datetime | None = None) -> Iterable[demo_data.Delivery]:
    shops.register_woocommerce_shop(
        domain=demo_data.WOO_DOMAIN, webhook_secret=DEMO_WOO_SECRET, name="Afterglow Demo Woo"
    )
    yield from demo_data.shopify_deliveries(current_app.config["AFTERGLOW"].shopify_api_secret, now)
    yield from demo_data.woocommerce_deliveries(DEMO_WOO_SECRET, now)


def seed(send: Send, now: datetime | None = None) -> dict[int, int]:
    """Send every demo delivery; returns a count per HTTP status."""
    statuses: dict[int, int] = {}
    items = list(deliveries(now))
    with click.progressbar(items, label="Seeding demo stores", show_pos=True) as bar:
        for delivery in bar:
            status = send(delivery)
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


def seed_over_http(base_url: str) -> dict[int, int]:
    with httpx.Client(base_url=base_url, timeout=10) as client:

        def send(delivery: demo_data.Delivery) -> int:
            response = client.post(f"/webhooks/{delivery.platform}", headers=delivery.headers, content=delivery.body)
            return response.status_code

        def ask(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, Any]:
            response = client.request(method, path, json=body)
            return response.status_code, response.json()

        statuses = seed(send)
        summary = ", ".join(f"{count} × HTTP {status}" for status, count in sorted(statuses.items()))
        click.echo(f"demo deliveries: {summary}")
        track_demo_shipments()
        answer_demo_surveys(ask)
    return statuses


def answer_demo_surveys(ask: Ask) -> int:
    """The demo shoppers whose parcels arrived answer the survey through the storefront's survey API, with the
    token the tracking page hands out with the latest delivered parcel of an order (asked for directly: a lookup
    would tell the admin's checklist that the store's tracking page is in use). Returns how many were taken."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Order, Shipment, Shop
    from app.services import surveys

    taken = 0
    for n, story in demo_data.STORIES.items():
        if story.survey is None:
            continue
        name = demo_data.shopify_order_payload(n, demo_data.demo_clock())["name"]
        parcel = db.session.scalars(
            select(Shipment).join(Order, Order.id == Shipment.order_id).join(Shop, Shop.id == Order.shop_id)
            .where(Shop.domain == demo_data.SHOPIFY_DOMAIN, Order.name == name, Shipment.delivered_at.is_not(None))
            .order_by(Shipment.delivered_at.desc())
        ).first()  # fmt: skip
        if parcel is None:
            continue
        token, locale = surveys.survey_token(parcel), parcel.order.locale
        db.session.rollback()
        score, comment = story.survey
        answer = {"token": token, "kind": "nps", "score": score, "comment": comment, "locale": locale}
        status, _ = ask("POST", f"/api/storefront/surveys?shop={demo_data.SHOPIFY_DOMAIN}", answer)
        taken += status == 201
    click.echo(f"demo survey answers: {taken}")
    return taken


def name_demo_shopify_store() -> None:
    """The name a Shopify store's row gets from the install (`shop { name }`); the demo store is never installed."""
    from app.extensions import db

    shop = shops.find_shop(platform="shopify", domain=demo_data.SHOPIFY_DOMAIN)
    if shop is not None and not shop.name:
        shop.name = "Afterglow Demo Store"
        db.session.commit()


def track_demo_shipments(timeout: float = 20) -> None:
    """Once the deliveries are processed, ask the tracking source about each demo parcel now, so the demo shows
    tracking at once instead of at the first scheduled poll a quarter of an hour later. A parcel already delivered
    is first asked about as it was early in its journey (`demo_data.first_look`), as polls would have."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import InboundWebhook, Shipment, Shop
    from app.models.types import utcnow
    from app.services.tracking import track_now, tracking_request

    demo_shops = select(Shop.id).where(Shop.domain.in_([demo_data.SHOPIFY_DOMAIN, demo_data.WOO_DOMAIN]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = db.session.scalar(
            select(func.count()).where(InboundWebhook.status == "received", InboundWebhook.shop_id.in_(demo_shops))
        )
        db.session.rollback()
        if not waiting:
            break
        time.sleep(0.5)
    name_demo_shopify_store()
    parcels = db.session.scalars(
        select(Shipment).where(Shipment.shop_id.in_(demo_shops), Shipment.tracking_number.is_not(None))
    ).all()
    now = utcnow()
    looks: dict[int, datetime | None] = {}
    for parcel in parcels:
        asked = tracking_request(parcel)
        looks[parcel.id] = demo_data.first_look(asked.tracking_number, asked.shipped_at, asked.destination_country,
                                                now)  # fmt: skip
    db.session.rollback()
    for shipment_id, early in looks.items():
        if early is not None:
            track_now(shipment_id=shipment_id, now=early)
    tracked = sum(1 for shipment_id in looks if not track_now(shipment_id=shipment_id, now=now).ignored)
    click.echo(f"demo parcels tracked: {tracked} of {len(looks)}")


def wait_until_ready(base_url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


@click.group("demo")
def demo_group() -> None:
    """The demo Shopify and WooCommerce stores."""


@demo_group.command("seed")
@click.option("--url", default=lambda: f"http://127.0.0.1:{os.environ.get('PORT', '5000')}", show_default="PORT")
@with_appcontext
def seed_command(url: str) -> None:
    """Send the demo stores' signed order webhooks to a running Afterglow at URL."""
    if not wait_until_ready(url, timeout=10):
        raise click.ClickException(f"no ready Afterglow at {url} (start it with `make run`)")
    statuses = seed_over_http(url)
    if set(statuses) - {200}:
        raise SystemExit(1)


demo = demo_group
