"""Domain events: stored with the change, handed to subscribers once, after the commit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OrderEvent
from app.services import order_events
from tests.helpers import post_shopify, shopify_fixture

received: list[int] = []


def remember(event_id: int) -> None:
    # Runs inside the dispatch job: the event's transaction has committed, so the row is visible.
    received.append(db.session.get(OrderEvent, event_id).id)


@pytest.fixture
def subscribed(monkeypatch):
    received.clear()
    monkeypatch.setitem(order_events.SUBSCRIBERS, "order.created", [f"{__name__}:remember"])
    return received


def test_order_event_subscriber_runs_once_per_event_after_commit(client, subscribed):
    payload = shopify_fixture("orders_updated.json")

    post_shopify(client, "orders/create", payload)
    post_shopify(client, "orders/create", payload)  # a duplicate under another event id

    event = db.session.scalars(select(OrderEvent).where(OrderEvent.name == "order.created")).one()
    assert subscribed == [event.id]
    assert event.dispatched_at is not None


def test_order_event_drain_run_again_runs_subscribers_once(client, subscribed):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))
    event_id = db.session.scalars(select(OrderEvent.id)).one()

    assert order_events.dispatch_pending() == 0
    assert subscribed == [event_id]


def test_order_event_without_subscribers_is_marked_dispatched_as_written(client):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    assert db.session.scalars(select(OrderEvent.dispatched_at)).one() is not None


def test_order_event_unknown_name_is_refused():
    with pytest.raises(ValueError, match="unknown order event"):
        order_events.record(order=None, name="order.teleported", message="")  # type: ignore[arg-type]
