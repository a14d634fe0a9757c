"""The shopper's order lookup under load, the widget's weight, and what the widget costs a store page.

    .venv/bin/python bench/storefront.py [--orders 100000] [--lookups 2000] [--requests 4000] [--clients 4]
                                         [--no-lighthouse]

1. Server time: with N orders (two items, one parcel with six scans each) in PostgreSQL, lookups by number + email
   through the app in-process (80% found, 20% a wrong email): p50 and p95 (goal: p95 under 25 ms).
2. Throughput: the same lookups over HTTP against gunicorn (2 workers x 4 threads) from closed-loop clients on this
   machine: requests per second and latency.
3. The widget: its size raw and gzip-compressed (goal: at most 10 KB compressed).
4. Lighthouse (bench/lighthouse, run in Debian's Chromium) on the demo store page with and without the widget:
   both performance scores (goal: no more than 2 points lost; Shopify's limit for apps is 10).

Needs the local PostgreSQL (a scratch database `afterglow_bench_storefront`) and, for 4, Node.js. Prints figures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from ingest import free_port, wait_ready  # noqa: E402
from loadgen import Request, run  # noqa: E402
from scratch import scratch_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

SHOP = "bench.myshopify.com"
WIDGET = PROJECT / "app" / "static" / "widgets" / "afterglow-tracking.js"
CHROMIUM_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                  "--disable-background-networking --disable-component-update --disable-sync")  # fmt: skip


def prepare(admin_url: str) -> str:
    return scratch_database(admin_url, "afterglow_bench_storefront")


def settings(database_url: str):  # type: ignore[no-untyped-def]
    from app.config import Settings

    return Settings(database_url=database_url, redis_url=None, job_backend="eager", log_level="WARNING",
                    storefront_lookups_per_minute=10**9)  # fmt: skip - one address sends every request here


def fill(app, orders: int) -> None:  # type: ignore[no-untyped-def]
    """`orders` orders generated inside PostgreSQL: two line items, one parcel, six scans each."""
    from flask_migrate import upgrade

    from app.extensions import db

    started = time.perf_counter()
    with app.app_context():
        upgrade()
        db.session.execute(text("INSERT INTO shops (id, platform, domain, name, installed_at, created_at, updated_at)"
                                " VALUES (1, 'shopify', :shop, 'Bench Store', now(), now(), now())"), {"shop": SHOP})
        db.session.execute(text("""
            INSERT INTO orders (id, shop_id, platform, external_id, number, name, email, currency, subtotal, total,
                                total_tax, shipping_total, discount_total, refunded_total, financial_status,
                                fulfillment_status, status, tags, shipping_address, platform_created_at,
                                platform_updated_at, created_at, updated_at)
            SELECT i, 1, 'shopify', i::text, (100000 + i)::text, '#' || (100000 + i), 'shopper' || i || '@example.com',
                   'USD', 90, 100, 5, 5, 0, 0, 'paid', 'fulfilled', 'open', '[]',
                   jsonb_build_object('postal_code', lpad((i % 99999)::text, 5, '0'), 'country_code', 'US'),
                   now() - (i % 90) * interval '1 day', now(), now(), now()
            FROM generate_series(1, :n) AS i"""), {"n": orders})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO line_items (shop_id, order_id, external_id, product_id, title, quantity, unit_price, total,
                                    image_url, requires_shipping, properties)
            SELECT 1, i, i || '-' || k, (7000 + (i * k) % 300)::text, 'Product ' || ((i * k) % 300), k, 45, 45 * k,
                   'https://cdn.example.com/p/' || ((i * k) % 300) || '.jpg', true, '{}'
            FROM generate_series(1, :n) AS i, generate_series(1, 2) AS k"""), {"n": orders})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO shipments (id, shop_id, order_id, fulfillment_external_id, position, tracking_number, carrier,
                                   state, tracking_status, tracking_source, line_items, platform_created_at,
                                   last_event_at, created_at, updated_at)
            SELECT i, 1, i, 'f' || i, 0, '1ZBENCH' || lpad(i::text, 11, '0'), 'ups', 'success', 'in_transit',
                   'simulated', jsonb_build_object(i || '-1', 1, i || '-2', 2), now() - interval '3 days',
                   now() - interval '1 hour', now(), now()
            FROM generate_series(1, :n) AS i"""), {"n": orders})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO tracking_events (shop_id, shipment_id, dedupe_key, occurred_at, timezone, status, description,
                                         location, source, created_at)
            SELECT 1, i, 'bench' || e, now() - (7 - e) * interval '10 hours', 'America/Chicago', 'in_transit',
                   'Arrived at facility', 'Memphis, TN, US', 'simulated', now()
            FROM generate_series(1, :n) AS i, generate_series(1, 6) AS e"""), {"n": orders})  # fmt: skip
        for table in ("orders", "line_items", "shipments", "tracking_events"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))  # noqa: S608,E501
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    print(f"filled {orders:,} orders (+{2 * orders:,} items, {orders:,} parcels, {6 * orders:,} scans) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def queries(orders: int, count: int) -> list[str]:
    rng = random.Random(7)
    paths = []
    for _ in range(count):
        i = rng.randint(1, orders)
        email = f"shopper{i}@example.com" if rng.random() < 0.8 else f"someone{i}@example.com"
        paths.append("/api/storefront/orders/lookup?" + urlencode({"shop": SHOP, "number": 100000 + i, "email": email}))
    return paths


def server_time(app, paths: list[str]) -> tuple[list[float], dict[int, int]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    for path in paths[:50]:  # warm the pools and caches
        client.get(path)
    timings, statuses = [], {}
    for path in paths:
        started = time.perf_counter()
        status = client.get(path).status_code
        timings.append((time.perf_counter() - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
    return sorted(timings), statuses


def throughput(database_url: str, paths: list[str], clients: int):  # type: ignore[no-untyped-def]
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, JOB_BACKEND="eager", LOG_LEVEL="WARNING", PORT=str(port),
               STOREFRONT_LOOKUPS_PER_MINUTE=str(10**9), WEB_CONCURRENCY="2", WEB_THREADS="4")  # fmt: skip
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([str(PROJECT / ".venv" / "bin" / "gunicorn"), "app:create_app()"], cwd=PROJECT, env=env)
    try:
        wait_ready(port, "/healthz")
        accept = {"Accept": "application/json"}
        requests = [Request(path=path, headers=accept, body=b"", method="GET") for path in paths]
        return run(port, requests, clients)
    finally:
        server.terminate()
        server.wait(timeout=30)


def lighthouse(database_url: str) -> list[dict[str, float]]:
    """Performance score and its main metrics for the demo store page without and with the widget (the run with the
    median score of three, each)."""
    folder = PROJECT / "bench" / "lighthouse"
    if not (folder / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, check=True)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, JOB_BACKEND="eager", LOG_LEVEL="WARNING", PORT=str(port),
               WEB_CONCURRENCY="1", WEB_THREADS="4")  # fmt: skip
    server = subprocess.Popen([str(PROJECT / ".venv" / "bin" / "gunicorn"), "app:create_app()"], cwd=PROJECT, env=env)
    results = []
    try:
        wait_ready(port, "/healthz")
        for widget in (False, True):
            runs = []
            for _ in range(3):
                url = f"http://127.0.0.1:{port}/demo/storefront?" + urlencode({"shop": SHOP, "widget": int(widget)})
                with tempfile.NamedTemporaryFile(suffix=".json") as report:
                    command = [str(folder / "node_modules" / ".bin" / "lighthouse"), url, "--quiet",
                               "--only-categories=performance", "--output=json", f"--output-path={report.name}",
                               f"--chrome-flags={CHROMIUM_FLAGS}"]  # fmt: skip
                    chrome = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
                    subprocess.run(command, env=chrome, check=True, timeout=180)
                    runs.append(_metrics(json.loads(Path(report.name).read_text())))
            results.append(sorted(runs, key=lambda r: r["score"])[1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _metrics(report: dict) -> dict[str, float]:  # type: ignore[type-arg]
    audits = report["audits"]
    return {"score": report["categories"]["performance"]["score"] * 100,
            "fcp_ms": audits["first-contentful-paint"]["numericValue"],
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--admin-database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print(f"machine: {os.cpu_count()} cores; Python {platform.python_version()}; PostgreSQL on this machine")

    from app import create_app

    database_url = prepare(args.admin_database_url)
    app = create_app(settings(database_url))
    fill(app, args.orders)
    with app.app_context():
        timings, statuses = server_time(app, queries(args.orders, args.lookups))
    p50, p95 = timings[len(timings) // 2], timings[int(len(timings) * 0.95)]
    print(f"\nserver time, {args.lookups} lookups in-process ({statuses}): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(goal p95 < 25 ms: {'met' if p95 < 25 else 'NOT met'})")  # fmt: skip

    load = throughput(database_url, queries(args.orders, args.requests), args.clients)
    print(f"HTTP, gunicorn 2 workers x 4 threads, {args.clients} keep-alive clients on this machine: "
          f"{load.per_second:.0f} lookups/s, p50 {load.p50_ms:.1f} ms, p95 {load.p95_ms:.1f} ms ({load.statuses})")

    raw = WIDGET.read_bytes()
    packed = len(gzip.compress(raw, 9))
    print(f"\nwidget: {len(raw):,} bytes, {packed:,} bytes gzip -9 ({packed / 10240:.0%} of the 10 KB budget)")

    if not args.no_lighthouse:
        without, with_widget = lighthouse(database_url)
        print("\nLighthouse, demo store page, median of 3 runs   score   FCP ms   LCP ms    CLS   TBT ms")
        for label, run_ in (("without the widget", without), ("with the widget", with_widget)):
            print(f"  {label:<44}{run_['score']:>6.0f}{run_['fcp_ms']:>9.0f}{run_['lcp_ms']:>9.0f}"
                  f"{run_['cls']:>7.3f}{run_['tbt_ms']:>9.0f}")  # fmt: skip
        lost = without["score"] - with_widget["score"]
        print(f"  points lost to the widget: {lost:.0f} (goal <= 2; Shopify's limit for apps is 10)")


if __name__ == "__main__":
    main()
