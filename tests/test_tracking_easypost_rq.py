"""An EasyPost push on the production job path: acknowledged by the web process, applied by an RQ worker process
in the same inbox batch as the order and fulfillment webhooks that created its shipment."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import select

from app.extensions import db
from app.models import InboundWebhook, InboxStatus, Shipment, TrackingEvent
from tests.conftest import make_settings, truncate_all
from tests.easypost_helpers import NUMBER, SECRET, event, push
from tests.helpers import post_shopify, shopify_fixture
from tests.test_queue_rq import PROJECT, fail_if_foreign_workers, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def app(postgres_url: str, redis_url: str) -> Iterator[Flask]:
    from app import create_app

    fail_if_foreign_workers(redis_url)
    Redis.from_url(redis_url).flushdb()
    application = create_app(make_settings(postgres_url, redis_url=redis_url, job_backend="rq",
                                           easypost_webhook_secret=SECRET))  # fmt: skip
    truncate_all(application)
    with application.app_context():
        yield application
        db.session.remove()
    application.extensions["afterglow.jobs"].close()


def recent_event() -> dict[str, Any]:
    """The recorded event moved forward by whole days, so its last scan was yesterday (a worker runs on the real
    clock, and a parcel silent for 30 days would be retired). Whole days keep every local wall clock."""
    moved = event()
    days = (datetime.now(UTC) - datetime(2026, 3, 4, tzinfo=UTC)).days - 1
    for scan in moved["result"]["tracking_details"]:
        when = datetime.fromisoformat(scan["datetime"].replace("Z", "+00:00")) + timedelta(days=days)
        scan["datetime"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moved


def test_rq_easypost_push_is_applied_by_a_worker_in_the_batch_that_created_its_shipment(app, postgres_url, redis_url):
    client = app.test_client()
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company="FedEx", tracking_number=NUMBER, tracking_numbers=[NUMBER])
    post_shopify(client, "fulfillments/create", fulfillment)
    response = push(client, recent_event())
    assert response.status_code == 200
    assert db.session.get(InboundWebhook, response.json["inbox_id"]).status == InboxStatus.RECEIVED

    subprocess.run(
        [sys.executable, "-m", "flask", "worker", "--burst"],
        cwd=PROJECT, env=worker_env(postgres_url, redis_url), check=True, timeout=60, capture_output=True,
    )  # fmt: skip

    db.session.expire_all()
    assert db.session.get(InboundWebhook, response.json["inbox_id"]).status == InboxStatus.PROCESSED
    assert db.session.scalars(select(Shipment.tracking_status)).all() == ["in_transit"]
    zones = db.session.scalars(select(TrackingEvent.timezone).order_by(TrackingEvent.occurred_at)).all()
    assert zones == ["America/New_York"] * 3 + ["UTC", "America/Chicago"]
