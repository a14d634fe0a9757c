"""The production path: RQ worker processes woken by webhooks send through SMTP; the clock's job is registered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis

from app.jobs.registry import JOBS
from app.jobs.schedule import SCHEDULE
from app.models import NotificationStatus
from tests.conftest import running_app
from tests.helpers import post_shopify, shopify_fixture
from tests.notifications.support import fulfillment, notifications
from tests.test_queue_rq import fail_if_foreign_workers, worker_env

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rq_app(postgres_url, redis_url):
    fail_if_foreign_workers(redis_url)
    Redis.from_url(redis_url).flushdb()
    yield from running_app(postgres_url, redis_url=redis_url, job_backend="rq")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_worker_process_sends_the_shipped_email_once(rq_app, postgres_url, redis_url, smtp, tmp_path):
    client = rq_app.test_client()
    assert post_shopify(client, "orders/create", shopify_fixture("orders_updated.json")).status_code == 200
    for _ in range(2):
        assert post_shopify(client, "fulfillments/create", fulfillment()).status_code == 200
    assert smtp.messages == []  # acknowledged only: nothing runs in the web process

    env = worker_env(postgres_url, redis_url) | {"SMTP_URL": smtp.url, "NOTIFICATION_OUTBOX_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "flask", "worker", "--burst"], cwd=PROJECT, env=env, check=True,
                   timeout=120, capture_output=True)  # fmt: skip

    assert smtp.subjects() == ["Your order #1042 is on its way"]
    [row] = notifications(milestone="shipped", channel="email")
    assert row.status == NotificationStatus.SENT


def test_sender_is_a_registered_job_on_the_clock():
    assert JOBS["send_notifications"] == "app.services.notifications.sending:send_due"
    assert any(p.job == "send_notifications" and p.interval_seconds == 60 for p in SCHEDULE)
