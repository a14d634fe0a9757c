"""Backfilling a connected WooCommerce store's orders from the fake over REST, through the same decide, normalise
and upsert path as webhooks; `flask shops backfill` with its progress bar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Order, OrderEvent, Shop
from app.services.woocommerce_backfill import BackfillError, backfill_woocommerce
from fakes.woocommerce_hooks import touch
from tests.woo_fake import connect, running_woo, woo_settings


@pytest.fixture
def app_settings():
    return woo_settings()


@pytest.fixture
def connected(app, client):
    with running_woo(app) as woo:
        connect(client, woo)
        yield woo, db.session.scalar(select(Shop))


def _count(model: type, shop_id: int) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(model.shop_id == shop_id)))


def test_backfill_imports_every_page_once_and_reports_progress(connected):
    woo, shop = connected
    made = woo.fake.add_orders(woo.store, 230)
    draft, trashed = woo.fake.add_orders(woo.store, 2)
    draft["status"], trashed["status"] = "checkout-draft", "trash"
    seen: list[tuple[int, int | None]] = []

    report = backfill_woocommerce(shop_id=shop.id, since=None, progress=lambda done, total: seen.append((done, total)),
                                  per_page=100)  # fmt: skip

    assert (report.seen, report.stored, report.ignored, report.failed) == (232, 230, 2, [])
    assert seen == [(100, 232), (200, 232), (232, 232)]
    ids = set(db.session.scalars(select(Order.external_id).where(Order.shop_id == shop.id)))
    assert ids == {str(order["id"]) for order in made}
    assert _count(OrderEvent, shop.id) == 230  # one order.created each


def test_backfill_again_writes_nothing_and_a_webhook_updates_the_same_row(connected):
    woo, shop = connected
    orders = woo.fake.add_orders(woo.store, 12)
    backfill_woocommerce(shop_id=shop.id, since=None, progress=None)
    events = _count(OrderEvent, shop.id)

    again = backfill_woocommerce(shop_id=shop.id, since=None, progress=None)
    touch(orders[0], status="completed")
    assert woo.fake.hooks.emit(woo.store, "order.updated", orders[0]["id"]) == [200]

    assert again.stored == 12 and _count(OrderEvent, shop.id) == events + 1  # only the webhook's change
    assert _count(Order, shop.id) == 12
    db.session.expire_all()
    row = db.session.scalar(select(Order).where(Order.external_id == str(orders[0]["id"])))
    assert row.status == "closed"


def test_backfill_since_keeps_to_recent_orders(connected):
    woo, shop = connected
    now = datetime.now(UTC).replace(microsecond=0)
    woo.fake.add_orders(woo.store, 3, start=now - timedelta(days=40))
    recent = woo.fake.add_orders(woo.store, 4, start=now - timedelta(days=2))

    report = backfill_woocommerce(shop_id=shop.id, since=now - timedelta(days=7), progress=None)

    assert report.stored == 4
    assert set(db.session.scalars(select(Order.external_id))) == {str(order["id"]) for order in recent}


def test_backfill_an_unreadable_order_is_reported_and_the_rest_stored(connected):
    woo, shop = connected
    _, bad = woo.fake.add_orders(woo.store, 2)
    del bad["currency"]

    report = backfill_woocommerce(shop_id=shop.id, since=None, progress=None)

    assert report.stored == 1 and report.failed == [(str(bad["id"]), "currency: missing")]


def test_backfill_refuses_a_store_that_is_not_connected(app):
    with pytest.raises(BackfillError):
        backfill_woocommerce(shop_id=424242, since=None, progress=None)


def test_backfill_cli_shows_progress_and_totals(runner, connected):
    woo, shop = connected
    woo.fake.add_orders(woo.store, 150)

    result = runner.invoke(args=["shops", "backfill", shop.domain, "--since", "36500"])

    assert result.exit_code == 0, result.output
    assert "150/150" in result.output and "150 stored" in result.output
    assert _count(Order, shop.id) == 150


def test_backfill_cli_for_an_unknown_store_fails(runner):
    result = runner.invoke(args=["shops", "backfill", "nowhere.example"])

    assert result.exit_code != 0 and "no store nowhere.example" in result.output
