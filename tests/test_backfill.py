"""Importing a store's existing orders from the fake Shopify over HTTP: the 60-day window unless read_all_orders is
granted, every page of the cursor pagination, throttling waited out, and the same upsert rules as webhooks (a
newer stored version is never overwritten, a second run writes nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Order, OrderEvent, Shipment
from app.models.types import utcnow
from app.services.backfill import backfill_orders
from fakes.shopify_orders import order_node
from tests.conftest import SHOP
from tests.shopify_fake import attach, connect, fake_shopify


@pytest.fixture
def shopify(app):  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP) as harness:
        attach(app, harness)
        yield harness


def orders_aged(harness, *days: int) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    harness.fake.add_orders(SHOP, [order_node(1000 + n, created_at=now - timedelta(days=n, hours=1),
                                              tracking_number=f"1Z999AA1012345{n:04d}") for n in days])  # fmt: skip


def stored_numbers() -> list[str]:
    return sorted(db.session.scalars(select(Order.number)))


def test_backfill_without_read_all_orders_imports_the_last_60_days(shopify):
    orders_aged(shopify, 1, 30, 59, 61, 90)
    shop = connect(shopify, SHOP)

    report = backfill_orders(shop_id=shop.id)

    assert stored_numbers() == ["1001", "1030", "1059"]
    assert (report.expected, report.imported, report.created) == (3, 3, 3)
    assert report.since is not None and utcnow() - report.since > timedelta(days=59, hours=23)


def test_backfill_with_read_all_orders_imports_every_order(shopify):
    orders_aged(shopify, 1, 30, 59, 61, 90)
    shopify.fake.stores[SHOP].scopes = "read_orders,read_all_orders"
    shop = connect(shopify, SHOP)

    report = backfill_orders(shop_id=shop.id)

    assert stored_numbers() == ["1001", "1030", "1059", "1061", "1090"]
    assert report.since is None


def test_backfill_follows_every_page_and_stores_parcels_through_the_webhook_path(shopify):
    orders_aged(shopify, *range(1, 58))
    shop = connect(shopify, SHOP)
    progress: list[tuple[int, int | None]] = []

    report = backfill_orders(shop_id=shop.id, page_size=25, progress=lambda n, total: progress.append((n, total)))

    assert (report.pages, report.imported) == (3, 57)
    assert progress == [(0, 57), (25, 57), (25, 57), (7, 57)]
    assert db.session.scalar(select(func.count()).select_from(Shipment)) == 57
    created = select(func.count()).select_from(OrderEvent).where(OrderEvent.name == "order.created")
    assert db.session.scalar(created) == 57


def test_backfill_run_twice_writes_nothing_the_second_time(shopify):
    orders_aged(shopify, 1, 2, 3)
    shop = connect(shopify, SHOP)
    backfill_orders(shop_id=shop.id)
    events = db.session.scalar(select(func.count()).select_from(OrderEvent))

    again = backfill_orders(shop_id=shop.id)

    assert (again.imported, again.created) == (3, 0)
    assert db.session.scalar(select(func.count()).select_from(OrderEvent)) == events


def test_backfill_never_overwrites_a_newer_version_a_webhook_stored(shopify):
    orders_aged(shopify, 5)
    shop = connect(shopify, SHOP)
    backfill_orders(shop_id=shop.id)
    stored = db.session.scalars(select(Order)).one()
    stored.email, stored.platform_updated_at = "changed@example.com", utcnow()  # as a later orders/updated would
    db.session.commit()

    backfill_orders(shop_id=shop.id)

    assert db.session.scalars(select(Order.email)).one() == "changed@example.com"


def test_backfill_waits_out_throttling_and_still_imports_everything(app):
    with fake_shopify(SHOP, bucket_maximum=700.0, restore_rate=50.0) as harness:
        attach(app, harness)
        orders_aged(harness, *range(1, 51))
        shop = connect(harness, SHOP)

        report = backfill_orders(shop_id=shop.id, page_size=25)

        assert report.imported == 50
        assert harness.clock.slept, "the second page must wait for the bucket to refill"


def test_backfill_command_shows_progress_and_what_it_imported(shopify, runner):
    orders_aged(shopify, 1, 2)
    connect(shopify, SHOP)

    result = runner.invoke(args=["shops", "backfill", SHOP])

    assert result.exit_code == 0, result.output
    assert "imported 2 orders (2 new; orders since" in result.output


def test_backfill_command_for_an_unknown_store_says_so(runner):
    result = runner.invoke(args=["shops", "backfill", "nowhere.myshopify.com"])

    assert result.exit_code != 0 and "no store nowhere.myshopify.com" in result.output


def test_backfill_command_refuses_since_for_a_shopify_store_instead_of_ignoring_it(shopify, runner):
    orders_aged(shopify, 1, 30)
    connect(shopify, SHOP)

    result = runner.invoke(args=["shops", "backfill", SHOP, "--since", "7"])

    assert result.exit_code != 0
    assert "--since" in result.output and "read_all_orders" in result.output
    assert stored_numbers() == [], "a refused command imports nothing"
