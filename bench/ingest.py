"""Webhook ingest and order processing, measured side by side in one run.

    .venv/bin/python bench/ingest.py [--requests 6000] [--clients 4] [--workers 2] [--threads 4]

1. Acknowledgements: the same gunicorn settings serve (a) a bare Flask endpoint that returns 200 and (b)
   Afterglow's /webhooks/shopify (verify, store the inbox row in PostgreSQL, enqueue to Redis, answer 200).
   Each request is a distinct, signed, real-shaped orders/create delivery. Prints requests/s, p50 and p99 latency,
   and Afterglow's share of the bare throughput (goal: at least 70%).
2. Processing: one RQ worker drains the jobs those acknowledgements queued, against PostgreSQL: prints orders
   processed per second (goal: at least 300/s).

Needs PostgreSQL and Redis (defaults: the local ones, a scratch database `afterglow_bench`, Redis db 14).
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from loadgen import LoadResult, Request, run  # noqa: E402

SECRET = "bench-shopify-secret"  # noqa: S105 - a throwaway key for a scratch database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(port: int, path: str, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def serve(app_path: str, port: int, args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", app_path, "--config", "/dev/null", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", args.worker_class,
        "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT, env=env)


def deliveries(count: int, offset: int) -> list[Request]:
    from app import demo

    now = datetime.now(UTC).replace(microsecond=0)
    requests = []
    for n in range(offset, offset + count):
        delivery = demo.shopify_delivery(SECRET, "orders/create", demo.shopify_order_payload(n, now), f"bench-{n}")
        requests.append(Request("/webhooks/shopify", delivery.headers, delivery.body))
    return requests


class Server:
    def __init__(self, name: str, app_path: str, args: argparse.Namespace, env: dict[str, str], offset: int) -> None:
        self.name, self.args, self.offset = name, args, offset
        self.port = free_port()
        self.process = serve(app_path, self.port, args, env)
        wait_ready(self.port, "/webhooks/shopify")
        run(self.port, deliveries(args.clients * 50, offset), args.clients)  # warm up connections and code paths
        self.offset += 100_000

    def measure(self) -> LoadResult:
        result = run(self.port, deliveries(self.args.requests, self.offset), self.args.clients)
        self.offset += self.args.requests
        bad = {status: n for status, n in result.statuses.items() if status != 200}
        if bad:
            print(f"  warning: {self.name} answered {bad}")
        return result

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def median(results: list[LoadResult]) -> LoadResult:
    return sorted(results, key=lambda result: result.per_second)[len(results) // 2]


def prepare(args: argparse.Namespace) -> str:
    from scratch import scratch_database

    url = scratch_database(args.admin_database_url, "afterglow_bench")

    from flask_migrate import upgrade
    from redis import Redis

    Redis.from_url(args.redis_url).flushdb()
    with make_app(url, args.redis_url).app_context():
        upgrade()
    return url


def make_app(database_url: str, redis_url: str):  # type: ignore[no-untyped-def]
    from app import create_app
    from app.config import Settings

    return create_app(
        Settings(database_url=database_url, redis_url=redis_url, shopify_api_secret=SECRET, log_level="WARNING")
    )


def drain(database_url: str, redis_url: str) -> tuple[int, float]:
    from rq import SimpleWorker
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import InboundWebhook, Order

    app = make_app(database_url, redis_url)
    backend = app.extensions["afterglow.jobs"]
    with app.app_context():
        waiting = db.session.scalar(
            select(func.count()).select_from(InboundWebhook).where(InboundWebhook.status == "received")
        )
        db.session.rollback()
        started = time.perf_counter()
        SimpleWorker([backend.queue], connection=backend.connection).work(burst=True, logging_level="WARNING")
        seconds = time.perf_counter() - started
        processed = db.session.scalar(
            select(func.count()).select_from(InboundWebhook).where(InboundWebhook.status == "processed")
        )
        orders = db.session.scalar(select(func.count()).select_from(Order))
        if processed != waiting or orders != waiting:
            print(f"  warning: {waiting} waiting, {processed} processed, {orders} orders stored")
    return int(processed or 0), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="deliveries per round and server")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both servers)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (both servers)")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (both servers)")
    parser.add_argument("--admin-database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    logging.disable(logging.INFO)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}")
    print(f"gunicorn: {args.workers} workers x {args.threads} threads ({args.worker_class}); "
          f"load: {args.clients} keep-alive clients on this machine; "
          f"{args.requests} distinct signed orders/create deliveries per round")  # fmt: skip

    database_url = prepare(args)
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=args.redis_url, SHOPIFY_API_SECRET=SECRET,
               LOG_LEVEL="WARNING")  # fmt: skip
    # Both servers stay up and are measured in alternating rounds, so a noisy moment on the machine lands on both.
    servers = [
        Server("bare Flask", "bench.bare_app:create_app()", args, env, offset=0),
        Server("Afterglow", "app:create_app()", args, env, offset=10_000_000),
    ]
    rounds: dict[str, list[LoadResult]] = {server.name: [] for server in servers}
    try:
        for _ in range(args.rounds):
            for server in servers:
                rounds[server.name].append(server.measure())
    finally:
        for server in servers:
            server.stop()
    bare, ours = median(rounds["bare Flask"]), median(rounds["Afterglow"])

    print()
    print(f"{'acknowledgements (median of ' + str(args.rounds) + ' rounds)':<40}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for name, result in (("bare Flask 200", bare), ("Afterglow /webhooks/shopify", ours)):
        print(f"{name:<40}{result.per_second:>8.0f}{result.p50_ms:>9.2f}{result.p99_ms:>9.2f}")
    pairs = zip(rounds["bare Flask"], rounds["Afterglow"], strict=True)
    ratios = ", ".join(f"{o.per_second / b.per_second:.0%}" for b, o in pairs)
    print(f"Afterglow / bare throughput: {ours.per_second / bare.per_second:.0%} (goal >= 70%; rounds: {ratios})")

    jobs, seconds = drain(database_url, args.redis_url)
    print()
    print(f"processing: one RQ worker, PostgreSQL: {jobs} orders in {seconds:.1f} s = {jobs / seconds:.0f} orders/s "
          f"(goal >= 300/s)")  # fmt: skip


if __name__ == "__main__":
    main()
