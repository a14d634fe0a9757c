"""Backfill: orders imported per second from the fake Shopify and the fake WooCommerce, pages to upserts, as
`flask shops backfill` does for each platform (the WooCommerce half is bench/backfill_woocommerce.py's `measure`).

    .venv/bin/python bench/backfill.py [--orders 5000] [--page-size 25] [--restore-rate 1000]

The fake Shopify serves the orders over real HTTP on a local port (pagination, cost, throttling as Shopify does)
and the app imports them through `backfill_orders`: the real Admin client, `normalise_graphql_order`, and the same
`apply_change` the inbox drain applies webhooks with, into PostgreSQL. Goal: at least 200 orders/s including the
upserts.

The store's cost bucket decides the pace on Shopify itself: each order costs about 4 points (itself, its line items,
fulfillments and refunds), so a Standard plan store (100 points/s) gives about 25 orders/s once its bucket is empty
and a Plus store (1,000 points/s) about 250. `--restore-rate` picks which; the default is Plus, and the run also
prints our side alone (the time not spent waiting for the bucket).

Needs the local PostgreSQL: a scratch database named after the admin one (`test_bench_backfill` for the default
`--admin-database-url`). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from scratch import scratch_database  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402

SHOP = "bench-store.myshopify.com"
BENCH_SECRET = "bench-secret"  # noqa: S105 - the fake Shopify's and the app's, on this machine only


def prepare(admin_url: str) -> str:
    return scratch_database(admin_url, f"{make_url(admin_url).database}_bench_backfill")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=25)
    parser.add_argument("--restore-rate", type=float, default=1000.0, help="points/s (Standard 100, Plus 1000)")
    parser.add_argument("--admin-database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--woocommerce-orders", type=int, default=5000)
    args = parser.parse_args()
    logging.disable(logging.INFO)

    from flask_migrate import upgrade

    from app import create_app
    from app.config import Settings
    from app.extensions import db
    from app.models.types import utcnow
    from app.services.backfill import backfill_orders
    from app.services.shopify_tokens import store_tokens
    from app.services.shops import get_or_create_shop
    from fakes.server import FakeServer
    from fakes.shopify import FakeShopify
    from fakes.shopify_orders import order_node
    from integrations.shopify.tokens import IssuedTokens

    settings = Settings(database_url=prepare(args.admin_database_url), redis_url=None, job_backend="eager",
                        log_level="WARNING", shopify_api_key="bench-key", shopify_api_secret=BENCH_SECRET)  # fmt: skip
    fake = FakeShopify(client_id="bench-key", client_secret=BENCH_SECRET, restore_rate=args.restore_rate,
                       bucket_maximum=max(2000.0, args.restore_rate * 10))  # fmt: skip
    fake.add_store(SHOP, name="Bench Store")
    now = utcnow()
    fake.add_orders(SHOP, [order_node(n, created_at=now - timedelta(minutes=n), items=1 + n % 3,
                                      tracking_number=f"1Z999AA1{n:010d}" if n % 2 else None)
                           for n in range(1, args.orders + 1)])  # fmt: skip
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        time.sleep(seconds)

    with FakeServer(fake.app) as server:
        settings.shopify_api_base_url = server.base_url
        app = create_app(settings)
        app.extensions["afterglow.shopify_sleep"] = sleep
        with app.app_context():
            upgrade()
            shop = get_or_create_shop(platform="shopify", domain=SHOP)
            db.session.commit()
            grant = fake.grant(SHOP)
            store_tokens(shop_id=shop.id, issued=IssuedTokens(
                access_token=grant["access_token"], expires_at=now + timedelta(hours=1),
                refresh_token=grant["refresh_token"], refresh_token_expires_at=now + timedelta(days=90),
                scopes=grant["scope"]))  # fmt: skip
            started = time.perf_counter()
            report = backfill_orders(shop_id=shop.id, page_size=args.page_size)
            seconds = time.perf_counter() - started
            stored = db.session.scalar(text("SELECT count(*) FROM orders"))
            db.session.remove()
            db.engine.dispose()

    throttled = sum(waited)
    print(f"machine: {os.cpu_count()} cores; Python {platform.python_version()}; PostgreSQL and the fake Shopify "
          f"on this machine")  # fmt: skip
    print(f"fake Shopify: {args.restore_rate:.0f} points/s restore, bucket {fake.bucket_maximum:.0f}; "
          f"pages of {args.page_size} orders; {fake.calls['graphql']} GraphQL calls, {fake.calls['throttled']} "
          f"answered THROTTLED")  # fmt: skip
    print(f"imported {report.imported} orders ({stored} stored) in {seconds:.1f} s = "
          f"{report.imported / seconds:.0f} orders/s including upserts (goal >= 200/s)")
    print(f"waiting for the cost bucket: {throttled:.1f} s; our side alone: "
          f"{report.imported / max(seconds - throttled, 1e-9):.0f} orders/s")

    from backfill_woocommerce import measure as measure_woocommerce

    woo = measure_woocommerce(orders=args.woocommerce_orders)
    print(f"fake WooCommerce over https: {woo['orders']} orders, {woo['per_page']} per page: "
          f"{woo['orders'] / woo['first_s']:.0f} orders/s including upserts (goal >= 200/s); "
          f"reading the pages alone {woo['read'] / woo['read_only_s']:.0f} orders/s")


if __name__ == "__main__":
    main()
