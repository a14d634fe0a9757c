"""Enqueueing jobs, only after the transaction that created their input has committed.

Three backends, picked by configuration:
- `rq`: Redis + RQ workers (production, CI). If Redis is unreachable the enqueue is logged and dropped: the inbox
  row is already committed, so the sweeper re-enqueues it once Redis is back, and the webhook was still acknowledged.
- `thread`: one in-process background thread (the embedded default: no Redis needed).
- `eager`: runs the job right after the commit in the caller's thread (tests, CLI replays).
"""

from __future__ import annotations

import importlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db

log = logging.getLogger(__name__)

QUEUE_NAME = "default"
_PENDING_KEY = "afterglow.pending_jobs"

# Job name -> "module:function". Jobs take ids, reload their rows and are idempotent.
JOBS: dict[str, str] = {
    "process_inbound_webhook": "app.jobs.webhooks:process_inbound_webhook",
    "dispatch_order_event": "app.jobs.events:dispatch_order_event",
    "sweep": "app.jobs.sweeper:sweep",
}


@dataclass(frozen=True)
class PendingJob:
    name: str
    args: tuple[Any, ...]
    job_id: str | None = None


def resolve(name: str) -> Callable[..., Any]:
    module_name, _, attribute = JOBS[name].partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


def enqueue_after_commit(name: str, *args: Any, job_id: str | None = None) -> None:
    """Queue `name(*args)` to run once the current transaction commits; dropped if it rolls back."""
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    session = db.session()
    if not session.in_transaction():
        session.begin()  # the job belongs to this transaction: a rollback must be able to drop it
    # Remember the (innermost) transaction, so a rolled-back SAVEPOINT drops only the jobs it queued.
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING_KEY, []).append((transaction, PendingJob(name, args, job_id)))


def enqueue_now(app: Flask, name: str, *args: Any, job_id: str | None = None) -> bool:
    """Hand a job to the backend at once. Returns False when the backend could not take it (Redis down)."""
    backend: JobBackend = app.extensions["afterglow.jobs"]
    return backend.enqueue(PendingJob(name, args, job_id))


class JobBackend:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def enqueue(self, job: PendingJob) -> bool:
        raise NotImplementedError

    def is_pending(self, job_id: str) -> bool:
        """True while a job with this id waits or runs, so the sweeper does not queue it twice."""
        return False

    def close(self) -> None:
        """Release threads or connections (tests and clean shutdown)."""


class RQBackend(JobBackend):
    def __init__(self, app: Flask, redis_url: str) -> None:
        super().__init__(app)
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def enqueue(self, job: PendingJob) -> bool:
        from redis.exceptions import RedisError
        from rq import Retry

        try:
            self.queue.enqueue(
                "app.jobs.runner.run",
                job.name,
                *job.args,
                job_id=job.job_id,
                retry=Retry(max=3, interval=[5, 30, 120]),
                result_ttl=300,
                failure_ttl=7 * 24 * 3600,
                job_timeout=300,
            )
        except RedisError as exc:
            # Not fatal: the input row is committed and the sweeper will enqueue it again.
            log.warning("enqueue failed, left for the sweeper", extra={"job": job.name, "error": type(exc).__name__})
            return False
        return True

    def is_pending(self, job_id: str) -> bool:
        from redis.exceptions import RedisError
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        try:
            job = Job.fetch(job_id, connection=self.connection)
            status = job.get_status()
            if status == JobStatus.STARTED:
                # RQ workers name their Redis connection after themselves, and Redis drops a dead process's
                # connection at once: a started job whose worker has no connection was abandoned mid-way.
                return any(client.get("name") == job.worker_name for client in self.connection.client_list())
        except NoSuchJobError:
            return False
        except RedisError:
            return True  # cannot tell; enqueueing would fail anyway
        return status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)

    def close(self) -> None:
        self.connection.close()


class ThreadBackend(JobBackend):
    """A single daemon thread working through an in-memory queue: enough for one embedded process."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self._queue: queue.Queue[PendingJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending: set[str] = set()

    def is_pending(self, job_id: str) -> bool:
        return job_id in self._pending

    def enqueue(self, job: PendingJob) -> bool:
        with self._lock:
            if job.job_id:
                self._pending.add(job.job_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="afterglow-jobs", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return True

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                run_in_app(self.app, job)
            finally:
                if job is not None and job.job_id:
                    self._pending.discard(job.job_id)
                self._queue.task_done()

    def join(self) -> None:
        """Block until every queued job has run."""
        self._queue.join()

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)


class EagerBackend(JobBackend):
    def enqueue(self, job: PendingJob) -> bool:
        run_in_app(self.app, job)
        return True


def run_in_app(app: Flask, job: PendingJob) -> None:
    # A fresh app context gives the job its own database session, as a worker process would have.
    with app.app_context():
        try:
            resolve(job.name)(*job.args)
        except Exception:
            log.exception("job failed", extra={"job": job.name})
            db.session.rollback()


def init_app(app: Flask) -> None:
    settings = app.config["AFTERGLOW"]
    backend: JobBackend
    if settings.job_backend == "rq":
        backend = RQBackend(app, settings.redis_url)
    elif settings.job_backend == "eager":
        backend = EagerBackend(app)
    else:
        backend = ThreadBackend(app)
    app.extensions["afterglow.jobs"] = backend


def _after_commit(session: Session) -> None:
    # SQLAlchemy also fires after_commit when a SAVEPOINT is released; the data is visible to a job only once
    # the outermost transaction has committed.
    if session.get_nested_transaction() is not None:
        return
    pending: list[tuple[Any, PendingJob]] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    backend: JobBackend = current_app.extensions["afterglow.jobs"]
    for _, job in pending:
        backend.enqueue(job)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the whole transaction rolled back
        session.info.pop(_PENDING_KEY, None)
        return
    pending: list[tuple[Any, PendingJob]] = session.info.get(_PENDING_KEY, [])
    session.info[_PENDING_KEY] = [(tx, job) for tx, job in pending if not _within(tx, previous)]


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


event.listen(db.session, "after_commit", _after_commit)
event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
