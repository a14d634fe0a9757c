"""WooCommerce backfill: orders imported per second from the fake WooCommerce, upserts included.

    .venv/bin/python bench/backfill_woocommerce.py [--orders 5000] [--per-page 100] [--admin-database-url URL]

The fake serves `--orders` documentation-shaped orders over https on a local port; the real `woocommerce` client
pages through them (X-WP-TotalPages) and every page goes through the webhook path's normalise-and-upsert into a
scratch PostgreSQL database (`afterglow_bench_woocommerce`). Prints, side by side: reading the pages alone, the
first import (every order created), and a second one (every order already stored). Goal: at least 200 orders/s
for the first import. Prints figures, asserts nothing. `measure(orders=..., per_page=...)` returns the figures
for another script to print.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import secrets
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

DATABASE = "afterglow_bench_woocommerce"
ADMIN_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def measure(*, orders: int = 5000, per_page: int = 100, admin_url: str | None = None) -> dict[str, Any]:
    from flask_migrate import upgrade
    from scratch import scratch_database

    from app import create_app, crypto
    from app.config import Settings
    from app.extensions import db
    from app.models import WooCommerceConnection
    from app.models.types import utcnow
    from app.services import woocommerce_api
    from app.services.shops import register_woocommerce_shop
    from app.services.woocommerce_backfill import backfill_woocommerce
    from fakes.server import FakeServer
    from fakes.tls import local_certificate
    from fakes.woocommerce import FakeWooCommerce

    url = scratch_database(admin_url or ADMIN_DATABASE_URL, DATABASE)
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    settings = Settings(database_url=url, redis_url=None, job_backend="eager", secret_key=secrets.token_hex(16),
                        public_url="https://afterglow.bench",
                        woocommerce_ca_bundle=local_certificate().ca_path)  # fmt: skip
    app = create_app(settings)
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake server logs every request
    fake = FakeWooCommerce()
    store = fake.add_store("bench")
    figures: dict[str, Any] = {"orders": orders, "per_page": per_page}
    with app.app_context(), FakeServer(fake.app, tls=True) as server:
        upgrade()
        fake.base_url = server.base_url
        fake.add_orders(store, orders)
        key = fake.grant_key(store)
        shop = register_woocommerce_shop(domain=f"127.0.0.1:{server.port}/bench", webhook_secret=secrets.token_hex(16))
        db.session.add(WooCommerceConnection(
            shop_id=shop.id, domain=shop.domain, store_url=f"{server.base_url}/bench", state="connected",
            state_digest=secrets.token_hex(32), state_expires_at=utcnow(), webhook_ids=[], connected_at=utcnow(),
            consumer_key_ciphertext=crypto.encrypt(key.consumer_key),
            consumer_secret_ciphertext=crypto.encrypt(key.consumer_secret), key_permissions="read_write",
        ))  # fmt: skip
        db.session.commit()

        started = time.perf_counter()
        read = sum(len(page.items) for page in woocommerce_api.client_for_shop(shop_id=shop.id).pages(
            "orders", per_page=per_page, orderby="id", order="asc"))  # fmt: skip
        figures["read_only_s"] = time.perf_counter() - started
        for run in ("first", "again"):
            started = time.perf_counter()
            report = backfill_woocommerce(shop_id=shop.id, since=None, progress=None, per_page=per_page)
            figures[f"{run}_s"] = time.perf_counter() - started
            figures[f"{run}_stored"] = report.stored
        figures["read"] = read
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--admin-database-url", default=ADMIN_DATABASE_URL)
    args = parser.parse_args()
    figures = measure(orders=args.orders, per_page=args.per_page, admin_url=args.admin_database_url)
    n = figures["orders"]
    print(f"machine: {os.cpu_count()} cores; Python {platform.python_version()}; PostgreSQL database {DATABASE}")
    print(f"fake WooCommerce over https: {n} orders, {figures['per_page']} per page")
    print(f"{'':34}{'seconds':>9}{'orders/s':>10}")
    read_rate = figures["read"] / figures["read_only_s"]
    print(f"{'reading the pages alone':34}{figures['read_only_s']:9.2f}{read_rate:10.0f}")
    for run, label in (("first", "backfill, every order new"), ("again", "backfill again, all stored")):
        seconds = figures[f"{run}_s"]
        print(f"{label:34}{seconds:9.2f}{figures[f'{run}_stored'] / seconds:10.0f}")
    print(f"WooCommerce backfill: {n / figures['first_s']:.0f} orders/s including upserts (goal >= 200/s)")


if __name__ == "__main__":
    main()
