"""The production job path: real PostgreSQL, real Redis, RQ workers as separate processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import create_engine, select, text

from app import create_app
from app.extensions import db
from app.models import InboundWebhook, InboxStatus, LineItem, Order, OrderEvent
from tests.conftest import SHOPIFY_SECRET, make_settings, truncate_all
from tests.helpers import post_shopify, shopify_fixture

PROJECT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def rq_app(database_url: str, redis_url: str) -> Flask:
    application = create_app(make_settings(database_url, redis_url=redis_url, job_backend="rq"))
    truncate_all(application)
    return application


def fail_if_foreign_workers(redis_url: str) -> None:
    """A worker left over from another run would take these tests' jobs: refuse to run beside one."""
    from rq import Worker

    connection = Redis.from_url(redis_url)
    connected = {client.get("name") for client in connection.client_list()}
    alive = [worker.name for worker in Worker.all(connection=connection) if worker.name in connected]
    if alive:
        pytest.fail(f"RQ workers {alive} are already listening on the test Redis {redis_url}; stop them first")


@pytest.fixture
def app(postgres_url: str, redis_url: str) -> Iterator[Flask]:
    fail_if_foreign_workers(redis_url)
    Redis.from_url(redis_url).flushdb()
    application = rq_app(postgres_url, redis_url)
    with application.app_context():
        yield application
        db.session.remove()
    application.extensions["afterglow.jobs"].close()


def work(app: Flask) -> None:
    """Run an RQ worker in this process until the queue is empty."""
    from rq import SimpleWorker

    backend = app.extensions["afterglow.jobs"]
    with app.app_context():
        SimpleWorker([backend.queue], connection=backend.connection).work(burst=True)


def worker_env(database_url: str, redis_url: str) -> dict[str, str]:
    return dict(
        os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url, SHOPIFY_API_SECRET=SHOPIFY_SECRET,
        SHOPIFY_API_KEY="test-key", SECRET_KEY="test-secret-key", FLASK_APP="app:create_app",
    )  # fmt: skip


def status_of(inbox_id: int) -> str:
    db.session.expire_all()
    return db.session.get(InboundWebhook, inbox_id).status


def test_rq_webhook_is_acknowledged_then_processed_by_a_worker_process(app, postgres_url, redis_url):
    response = post_shopify(app.test_client(), "orders/create", shopify_fixture("orders_updated.json"))
    assert response.status_code == 200
    assert status_of(response.json["inbox_id"]) == InboxStatus.RECEIVED

    subprocess.run(
        [sys.executable, "-m", "flask", "worker", "--burst"],
        cwd=PROJECT, env=worker_env(postgres_url, redis_url), check=True, timeout=60, capture_output=True,
    )  # fmt: skip

    assert status_of(response.json["inbox_id"]) == InboxStatus.PROCESSED
    assert db.session.scalars(select(Order.name)).all() == ["#1042"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A private redis-server we may stop and start without disturbing anything else on the machine."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if Redis.from_url(self.url).ping():
                    return
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def test_rq_redis_down_webhook_still_acknowledged_and_processed_once_it_is_back(postgres_url):
    server = RedisServer()
    server.start()
    application = rq_app(postgres_url, server.url)
    try:
        server.stop()
        with application.app_context():
            response = post_shopify(application.test_client(), "orders/create", shopify_fixture("orders_updated.json"))
            assert response.status_code == 200
            inbox_id = response.json["inbox_id"]
            assert status_of(inbox_id) == InboxStatus.RECEIVED
            assert application.test_client().get("/readyz").status_code == 503

            server.start()
            result = application.test_cli_runner().invoke(args=["webhooks", "sweep", "--grace", "0"])
            assert "1 webhooks waiting" in result.output
            work(application)

            assert status_of(inbox_id) == InboxStatus.PROCESSED
            assert db.session.scalars(select(Order.name)).all() == ["#1042"]
            db.session.remove()
    finally:
        server.stop()
        application.extensions["afterglow.jobs"].close()


def test_rq_worker_killed_mid_job_leaves_a_consistent_order_after_the_retry(app, postgres_url, redis_url):
    client = app.test_client()
    first = shopify_fixture("orders_updated.json")
    post_shopify(client, "orders/create", first)
    work(app)
    order_id = db.session.scalars(select(Order.id)).one()
    second = shopify_fixture("orders_updated.json")
    second.update(updated_at="2026-03-03T10:00:00-05:00", financial_status="partially_refunded")
    second["line_items"] = second["line_items"][:1]

    blocker = create_engine(postgres_url).connect()
    blocker.execute(text("SELECT id FROM orders WHERE id = :id FOR UPDATE"), {"id": order_id})  # hold the order
    inbox_id = post_shopify(client, "orders/updated", second).json["inbox_id"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "worker"], cwd=PROJECT, env=worker_env(postgres_url, redis_url),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        waiting = wait_for_lock_waiter(postgres_url, timeout=30)
        assert waiting, "the worker never reached the order row"
        os.killpg(worker.pid, signal.SIGKILL)  # dies inside its transaction, with anything it started
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        blocker.rollback()
        blocker.close()
    end_orphaned_backends(postgres_url, waiting)

    assert status_of(inbox_id) == InboxStatus.RECEIVED  # nothing of the killed attempt was committed
    swept = app.test_cli_runner().invoke(args=["webhooks", "sweep", "--grace", "0"])
    assert "1 webhooks waiting" in swept.output
    work(app)

    assert status_of(inbox_id) == InboxStatus.PROCESSED
    order = db.session.get(Order, order_id)
    assert order.financial_status == "partially_refunded"
    live_items = db.session.scalars(select(LineItem.external_id).where(LineItem.removed_at.is_(None))).all()
    assert live_items == ["14998877665501"]
    assert db.session.scalars(select(OrderEvent.name).order_by(OrderEvent.id)).all() == [
        "order.created",
        "order.updated",
    ]


def wait_for_lock_waiter(url: str, timeout: float) -> list[int]:
    """Backends blocked on a row lock. Polled outside any transaction: pg_stat_activity is a per-transaction
    snapshot."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                pids = connection.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                ).scalars().all()  # fmt: skip
                if pids:
                    return list(pids)
                time.sleep(0.1)
        return []
    finally:
        engine.dispose()


def end_orphaned_backends(url: str, pids: list[int]) -> None:
    """A killed client's backend ends when it next talks to the socket; give it a moment, as TCP would."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = connection.execute(
                text("SELECT pid FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}
            ).scalars().all()  # fmt: skip
            if not alive:
                break
            time.sleep(0.1)
        else:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM unnest(:pids) AS pid"), {"pids": pids})
    engine.dispose()
