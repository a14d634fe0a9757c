"""Notifications: messages rendered and handed to SMTP per second by one worker, and the outbox under a storm.

    .venv/bin/python bench/notifications.py [--messages 2000] [--events 10000] [--writers 8] [--senders 4]

1. Sending: `--messages` queued emails (shipped, in the five languages, with the default branded templates), one
   worker running the `send_notifications` drain into a real SMTP server in this process (aiosmtpd). Goal: at
   least 100 messages/s rendered, CSS-inlined and handed to SMTP.
2. Storm: `--events` order events arriving at once from `--writers` concurrent transactions, every milestone
   twice (a duplicate webhook, a re-scan), in random order. Then `--senders` concurrent drains send them. Checks:
   exactly one outbox row per (parcel, milestone, channel) (no duplicates), a row for every milestone (none lost),
   and every email received by the SMTP server exactly once.

Needs the local PostgreSQL (a scratch database `afterglow_bench_notifications`). Prints figures and the checks.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import re
import socket
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from scratch import scratch_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

DATABASE = "afterglow_bench_notifications"
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


class Catcher:
    """An SMTP server that counts what it receives, by Message-ID."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # A regex, not a MIME parse: the server shares this process's interpreter with the worker being measured.
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1).decode() if found else "?"
        with self.lock:
            self.ids[message_id] += 1
        await asyncio.sleep(0)
        return "250 OK"


def smtp_server() -> tuple[Any, Catcher, str]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, catcher, f"smtp://127.0.0.1:{port}?starttls=0"


def prepare(admin_url: str) -> str:
    return scratch_database(admin_url, DATABASE)


def make_app(database_url: str, smtp_url: str, pool: int):  # type: ignore[no-untyped-def]
    from app import create_app
    from app.config import Settings

    os.environ["DATABASE_POOL_SIZE"] = str(pool)
    settings = Settings(database_url=database_url, redis_url=None, job_backend="eager", log_level="WARNING",
                        smtp_url=smtp_url, public_url="https://afterglow.bench")  # fmt: skip
    app = create_app(settings)
    app.extensions["afterglow.jobs"] = Recorder()  # sends run only when the bench says so
    return app


class Recorder:
    def __init__(self) -> None:
        self.jobs = 0

    def submit(self, job: Any) -> bool:
        self.jobs += 1
        return True

    def close(self) -> None:
        return None


def seed(app: Any, parcels: int) -> None:
    """One shop, `parcels` orders with a line item, a customer and one shipment each; generated in PostgreSQL."""
    from flask_migrate import upgrade

    from app.extensions import db

    with app.app_context():
        upgrade()
        db.session.execute(text("TRUNCATE notifications, order_events, shipments, line_items, orders, customers, shops "
                                "RESTART IDENTITY CASCADE"))  # fmt: skip
        db.session.execute(text(
            "INSERT INTO shops (id, platform, domain, name, installed_at, created_at, updated_at) "
            "VALUES (1, 'shopify', 'bench.myshopify.com', 'Bench & Co', now(), now(), now())"))  # fmt: skip
        db.session.execute(text("""
            INSERT INTO customers (id, shop_id, external_id, email, first_name, locale, created_at, updated_at)
            SELECT i, 1, 'c' || i, 'shopper' || i || '@example.com', 'Shopper' || i,
                   (ARRAY['en','de','fr','es','nl'])[1 + i % 5], now(), now()
            FROM generate_series(1, :n) AS i"""), {"n": parcels})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO orders (id, shop_id, platform, external_id, number, name, email, customer_id, currency,
                                subtotal, total, total_tax, shipping_total, discount_total, refunded_total,
                                financial_status, fulfillment_status, status, locale, shipping_address, tags,
                                platform_created_at, platform_updated_at, created_at, updated_at)
            SELECT i, 1, 'shopify', i::text, (1000 + i)::text, '#' || (1000 + i), 'shopper' || i || '@example.com', i,
                   'EUR', 42, 42, 0, 0, 0, 0, 'paid', 'fulfilled', 'open',
                   (ARRAY['en','de','fr','es','nl'])[1 + i % 5],
                   jsonb_build_object('first_name', 'Shopper', 'country_code', 'DE', 'postal_code', '10115'),
                   '[]'::jsonb, now(), now(), now(), now()
            FROM generate_series(1, :n) AS i"""), {"n": parcels})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO line_items (shop_id, order_id, external_id, title, quantity, unit_price, total,
                                    requires_shipping, properties)
            SELECT 1, i, 'li' || i, 'Linen shirt', 1, 42, 42, true, '{}'::jsonb FROM generate_series(1, :n) AS i"""),
            {"n": parcels})  # fmt: skip
        db.session.execute(text("""
            INSERT INTO shipments (id, shop_id, order_id, fulfillment_external_id, position, tracking_number, carrier,
                                   state, tracking_status, line_items, created_at, updated_at)
            SELECT i, 1, i, 'f' || i, 0, '1Z' || lpad(i::text, 16, '0'), 'ups', 'success', 'in_transit',
                   jsonb_build_object('li' || i, 1), now(), now()
            FROM generate_series(1, :n) AS i"""), {"n": parcels})  # fmt: skip
        for table in ("shops", "customers", "orders", "shipments"):
            db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))  # noqa: S608
        db.session.commit()


def record_events(app: Any, pairs: list[tuple[int, str]], batch: int = 25) -> None:
    """Record events (shipment id, event name) in transactions of `batch`, as a pipeline worker would."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from app.extensions import db
    from app.models import Order, Shipment
    from app.services import order_events

    with app.app_context():
        for start in range(0, len(pairs), batch):
            chunk = pairs[start : start + batch]
            shipments = {
                s.id: s for s in db.session.scalars(
                    select(Shipment).where(Shipment.id.in_({i for i, _ in chunk}))
                    .options(selectinload(Shipment.order).selectinload(Order.shipments))
                )
            }  # fmt: skip
            for shipment_id, name in chunk:
                shipment = shipments[shipment_id]
                order_events.record(order=shipment.order, shipment=shipment, name=name, message=name)
            db.session.commit()
        db.session.remove()


def drain(app: Any) -> int:
    from app.extensions import db
    from app.services.notifications.sending import send_due

    with app.app_context():
        handled = send_due()
        db.session.remove()
        return handled


def sending(app: Any, catcher: Catcher, messages: int) -> float:
    from app.extensions import db

    seed(app, messages)
    with app.app_context():
        record_events(app, [(i, "shipment.created") for i in range(1, messages + 1)], batch=200)
        queued = db.session.scalar(text("SELECT count(*) FROM notifications WHERE status = 'queued'"))
        db.session.rollback()
    before = sum(catcher.ids.values())
    started = time.perf_counter()
    drain(app)
    seconds = time.perf_counter() - started
    received = sum(catcher.ids.values()) - before
    print(f"sending: {queued} queued shipped emails (5 languages), one worker: {received} handed to SMTP in "
          f"{seconds:.2f} s = {received / seconds:.0f} messages/s (goal >= 100/s)")  # fmt: skip
    return received / seconds


def storm(app: Any, catcher: Catcher, events: int, writers: int, senders: int) -> bool:
    from app.extensions import db

    parcels = events // 2
    seed(app, parcels)
    catcher.ids.clear()
    pairs = [(i, "shipment.out_for_delivery") for i in range(1, parcels + 1)] * 2
    random.Random(7).shuffle(pairs)
    slices = [pairs[k::writers] for k in range(writers)]
    started = time.perf_counter()
    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(lambda part: record_events(app, part), slices))
    recorded = time.perf_counter() - started
    with app.app_context():
        rows = dict(db.session.execute(text("SELECT channel, count(*) FROM notifications GROUP BY channel")).all())
        keys = db.session.scalar(text("SELECT count(DISTINCT idempotency_key) FROM notifications"))
        covered = db.session.scalar(text(
            "SELECT count(DISTINCT shipment_id) FROM notifications WHERE channel = 'email'"))  # fmt: skip
        event_rows = db.session.scalar(text("SELECT count(*) FROM order_events"))
        db.session.rollback()
    started = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(lambda _: drain(app), range(senders)))
    sent_seconds = time.perf_counter() - started
    with app.app_context():
        by_status = text("SELECT status, count(*) FROM notifications WHERE channel = 'email' GROUP BY status")
        statuses = dict(db.session.execute(by_status).all())
        db.session.rollback()
    twice = sum(1 for count in catcher.ids.values() if count > 1)
    print(f"\nstorm: {event_rows} events ({parcels} milestones, each twice) from {writers} concurrent writers in "
          f"{recorded:.2f} s ({event_rows / recorded:.0f} events/s with their outbox rows)")  # fmt: skip
    print(f"  outbox rows: {rows} for {keys} distinct keys; parcels with an email row: {covered} of {parcels}")
    print(f"  {senders} concurrent senders: {statuses} in {sent_seconds:.2f} s; SMTP received "
          f"{sum(catcher.ids.values())} emails, {len(catcher.ids)} distinct, {twice} more than once")  # fmt: skip
    ok = (
        keys == sum(rows.values()) and rows.get("email") == parcels and covered == parcels
        and len(catcher.ids) == parcels and twice == 0 and statuses == {"sent": parcels}
    )  # fmt: skip
    print(f"  no duplicates, none lost: {'yes' if ok else 'NO'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--admin-database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print(f"machine: {os.cpu_count()} cores; Python {platform.python_version()}; PostgreSQL and SMTP here")
    controller, catcher, smtp_url = smtp_server()
    try:
        app = make_app(prepare(args.admin_database_url), smtp_url, pool=max(args.writers, args.senders) + 1)
        sending(app, catcher, args.messages)
        ok = storm(app, catcher, args.events, args.writers, args.senders)
    finally:
        controller.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
