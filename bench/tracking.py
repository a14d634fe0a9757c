"""Tracking: the cost of one scheduling pass, and tracking updates applied per second by one worker.

    .venv/bin/python bench/tracking.py [--sizes 100000 1000000] [--updates 2000]

1. Scheduling: with N active shipments in PostgreSQL (1% of them due), the time of one `poll_due` pass (claim
   the due rows, lease them, queue their jobs; jobs are recorded, not run). Goal: a pass over 1,000,000 shipments
   in under 2 s, and cost growing no faster than the number of shipments.
2. Applying: one worker asks the simulated carrier about shipments and applies the answers
   (`apply_source_answers`, batches of 50 as the poller hands out). Goal: at least 500 updates/s.

3. Delay detection: the clock's `detect_delays` pass when every active shipment is a candidate (no scan for two
   days, the worst case: each is loaded and judged). Reported per 100,000 candidates.

Needs the local PostgreSQL: a scratch database named after the admin one (`test_bench_tracking` for the default
`--admin-database-url`), so runs against different databases never drop each other's. Prints figures, asserts
nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from scratch import scratch_database  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402


def prepare(admin_url: str) -> str:
    return scratch_database(admin_url, f"{make_url(admin_url).database}_bench_tracking")


def make_app(database_url: str):  # type: ignore[no-untyped-def]
    from app import create_app
    from app.config import Settings

    return create_app(Settings(database_url=database_url, redis_url=None, job_backend="eager", log_level="WARNING"))


def fill(count: int, now: datetime) -> None:
    """`count` in-transit shipments on one order, 1% of them due now; generated inside PostgreSQL."""
    from app.extensions import db

    db.session.execute(text("TRUNCATE tracking_events, shipments RESTART IDENTITY CASCADE"))
    db.session.execute(
        text("""
        INSERT INTO shipments (shop_id, order_id, fulfillment_external_id, position, tracking_number, carrier, state,
                               tracking_status, tracking_source, line_items, platform_created_at, created_at,
                               updated_at, next_check_at)
        SELECT 1, 1, 'bench' || i, 0, 'SIMOK' || lpad(i::text, 10, '0'), 'ups', 'success', 'in_transit', 'simulated',
               '{}'::jsonb, :shipped, :shipped, :shipped,
               CASE WHEN i % 100 = 0 THEN :now - interval '1 minute' ELSE :now + (i % 21600) * interval '1 second' END
        FROM generate_series(1, :count) AS i
        """),
        {"count": count, "now": now, "shipped": now - timedelta(days=2)},
    )
    db.session.commit()
    db.session.execute(text("ANALYZE shipments"))
    db.session.commit()


def seed_order(app) -> None:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from app.extensions import db

    with app.app_context():
        upgrade()
        db.session.execute(text("INSERT INTO shops (id, platform, domain, installed_at, created_at, updated_at) "
                                "VALUES (1, 'shopify', 'bench.myshopify.com', now(), now(), now())"))  # fmt: skip
        db.session.execute(text("""
            INSERT INTO orders (id, shop_id, platform, external_id, number, name, currency, subtotal, total, total_tax,
                                shipping_total, discount_total, refunded_total, financial_status, fulfillment_status,
                                status, tags, platform_created_at, platform_updated_at, created_at, updated_at)
            VALUES (1, 1, 'shopify', '1', '1001', '#1001', 'USD', 0, 0, 0, 0, 0, 0, 'paid', 'fulfilled', 'open', '[]',
                    now(), now(), now(), now())"""))  # fmt: skip
        db.session.commit()


class Recorder:
    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, job) -> bool:  # type: ignore[no-untyped-def]
        self.jobs += 1
        return True


def scheduling_pass(app, count: int) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    from app.services import tracking_schedule

    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        fill(count, now)
        recorder = Recorder()
        real = app.extensions["afterglow.jobs"]
        app.extensions["afterglow.jobs"] = recorder
        app.extensions.pop("afterglow.rate_limiter", None)
        original_limit = dict(tracking_schedule.RATE_LIMITS)
        tracking_schedule.RATE_LIMITS["simulated"] = 10**9  # measure the pass, not the budget
        try:
            started = time.perf_counter()
            handed = tracking_schedule.poll_due(now=now, limit=count)
            seconds = time.perf_counter() - started
        finally:
            tracking_schedule.RATE_LIMITS.clear()
            tracking_schedule.RATE_LIMITS.update(original_limit)
            app.extensions["afterglow.jobs"] = real
    return seconds, handed.get("simulated", 0), recorder.jobs


def applying(app, updates: int) -> float:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.services.tracking import apply_source_answers

    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        fill(updates, now)
        ids = [row[0] for row in db.session.execute(text("SELECT id FROM shipments ORDER BY id"))]
        db.session.rollback()
        started = time.perf_counter()
        for start in range(0, len(ids), 50):
            apply_source_answers(source="simulated", shipment_ids=ids[start : start + 50], now=now)
        return len(ids) / (time.perf_counter() - started)


def delay_pass(app, count: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.services.delays import detect_delays

    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        fill(count, now)
        quiet = now - timedelta(days=2)
        db.session.execute(text("UPDATE shipments SET last_event_at = :quiet, picked_up_at = :quiet"), {"quiet": quiet})
        db.session.commit()
        started = time.perf_counter()
        delayed = detect_delays(now=now)
        return time.perf_counter() - started, delayed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--delay-candidates", type=int, default=20_000)
    parser.add_argument("--admin-database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print(f"machine: {os.cpu_count()} cores; Python {platform.python_version()}; PostgreSQL on this machine")

    app = make_app(prepare(args.admin_database_url))
    seed_order(app)
    print(f"{'active shipments':>18}{'due':>10}{'pass s':>10}{'jobs':>8}{'s per 100k':>12}")
    for count in args.sizes:
        seconds, due, jobs = scheduling_pass(app, count)
        print(f"{count:>18,}{due:>10,}{seconds:>10.3f}{jobs:>8}{seconds / count * 100_000:>12.3f}")
    rate = applying(app, args.updates)
    print(f"\napplying: one worker, simulated carrier, batches of 50: {rate:.0f} tracking updates/s (goal >= 500/s)")
    seconds, delayed = delay_pass(app, args.delay_candidates)
    print(f"delay detection: {args.delay_candidates:,} candidates judged in {seconds:.2f} s "
          f"({seconds / args.delay_candidates * 100_000:.1f} s per 100k; {delayed:,} delayed)")


if __name__ == "__main__":
    main()
