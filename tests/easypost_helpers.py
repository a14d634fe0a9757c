"""What the EasyPost end-to-end tests share: the fake EasyPost API served locally, a store shipping the recorded
FedEx parcel, signed pushes of its tracker, and a snapshot of what the app then holds about the parcel."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import InboundWebhook, Shipment, TrackingEvent
from fakes.easypost import FakeEasyPost, signed_delivery
from fakes.server import FakeServer
from tests.conftest import FIXTURES, SHOP
from tests.helpers import post_shopify, shopify_fixture

SECRET = "easypost-webhook-secret"
NUMBER = "794612345678"
OTHER_SHOP = "second-store.myshopify.com"
NOW = datetime(2026, 3, 7, tzinfo=UTC)  # just after the recorded scans: older news would retire the parcel
SETTINGS: dict[str, object] = {"easypost_webhook_secret": SECRET, "default_tracking_source": "easypost"}


@contextmanager
def fake_easypost(monkeypatch: pytest.MonkeyPatch, *, app_key: bool = False) -> Iterator[FakeEasyPost]:
    """The fake EasyPost API on a local port, the app's EasyPost client pointed at it (and given its key as the
    app-wide one when `app_key`; else a store connects its own)."""
    fake = FakeEasyPost()
    with FakeServer(fake.app) as server:
        monkeypatch.setenv("EASYPOST_API_BASE", f"{server.base_url}/v2")
        monkeypatch.setenv("EASYPOST_TIMEOUT", "5")
        if app_key:
            monkeypatch.setenv("EASYPOST_API_KEY", fake.api_key)
        yield fake


def event() -> dict[str, Any]:
    return copy.deepcopy(json.loads((FIXTURES / "carriers" / "easypost_event_tracker_updated.json").read_text()))


def tracker() -> dict[str, Any]:
    return dict(event()["result"])


def ship(client: Any, *, shop: str = SHOP, carrier: str = "FedEx", number: str = NUMBER) -> int:
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), shop=shop)
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company=carrier, tracking_number=number, tracking_numbers=[number])
    post_shopify(client, "fulfillments/create", fulfillment, shop=shop)
    return int(db.session.scalars(select(Shipment.id).order_by(Shipment.id.desc())).first())  # type: ignore[arg-type]


def push(client: Any, body_event: dict[str, Any], *, secret: str = SECRET) -> Any:
    headers, body = signed_delivery(body_event, secret)
    return client.post("/webhooks/carriers/easypost", data=body, headers=headers)


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def pushes_stored() -> int:
    return int(db.session.scalar(select(func.count()).where(InboundWebhook.platform == "easypost")) or 0)


def snapshot(shipment_id: int) -> tuple[Any, ...]:
    db.session.expire_all()
    shipment = db.session.get(Shipment, shipment_id)
    assert shipment is not None
    scans = db.session.execute(
        select(TrackingEvent.occurred_at, TrackingEvent.timezone, TrackingEvent.status, TrackingEvent.description,
               TrackingEvent.location)
        .where(TrackingEvent.shipment_id == shipment_id).order_by(TrackingEvent.occurred_at)
    ).all()  # fmt: skip
    return shipment.tracking_status, shipment.estimated_delivery, shipment.last_event_at, [tuple(s) for s in scans]
