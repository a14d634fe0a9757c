"""Where jobs run: RQ workers (production), one background thread (embedded), or inline (tests).

A drain job only needs waking: `wake(name)` makes sure one run of it is waiting, and a wake while one is already
waiting is free (a Redis SET NX), so a burst of webhooks costs one job, not one job each.
"""

from __future__ import annotations

import abc
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable

from flask import Flask

from app.extensions import db
from app.jobs.registry import QUEUE_NAME, PendingJob, resolve

log = logging.getLogger(__name__)

WAKE_TTL_SECONDS = 60  # a wake whose job was lost (Redis flushed) stops blocking new wakes after this


def backend_of(app: Flask) -> JobBackend:
    return app.extensions["afterglow.jobs"]  # type: ignore[no-any-return]


class JobBackend(abc.ABC):
    def __init__(self, app: Flask) -> None:
        self.app = app

    def submit(self, job: PendingJob) -> bool:
        """Hand a job over. Returns False when the backend could not take it (Redis down)."""
        return self.wake(job.name) if job.wake else self.enqueue(job)

    @abc.abstractmethod
    def enqueue(self, job: PendingJob) -> bool:
        """Run `job` once (soon, or now for the eager backend)."""

    @abc.abstractmethod
    def wake(self, name: str) -> bool:
        """Make sure one `name` drain job is waiting or running."""

    def wake_soon(self, name: str) -> None:
        """Wake `name` without waiting for it: for request threads whose rows are already committed."""
        self.wake(name)

    def starting(self, name: str) -> None:  # noqa: B027 - most backends have nothing to forget
        """Called as a drain job starts: wakes from now on must queue another run."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing
        """Release threads or connections (tests and clean shutdown)."""


class RQBackend(JobBackend):
    def __init__(self, app: Flask, redis_url: str) -> None:
        super().__init__(app)
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=5)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)
        self._waker = Waker(self.wake)

    def enqueue(self, job: PendingJob) -> bool:
        from redis.exceptions import RedisError

        try:
            self.queue.enqueue(
                "app.jobs.runner.run", job.name, *job.args, result_ttl=60, failure_ttl=7 * 24 * 3600, job_timeout=600
            )
        except RedisError as exc:
            log.warning("enqueue failed; the sweeper will retry", extra={"job": job.name, "error": type(exc).__name__})
            return False
        return True

    def wake(self, name: str) -> bool:
        from redis.exceptions import RedisError

        key = _wake_key(name)
        try:
            if not self.connection.set(key, 1, nx=True, ex=WAKE_TTL_SECONDS):
                return True  # a run is already waiting; it will see this transaction's rows
        except RedisError as exc:
            log.warning("wake failed; the sweeper will retry", extra={"job": name, "error": type(exc).__name__})
            return False
        if self.enqueue(PendingJob(name)):
            return True
        with contextlib.suppress(RedisError):
            self.connection.delete(key)  # let the next wake try again rather than wait for the TTL
        return False

    def wake_soon(self, name: str) -> None:
        self._waker.request(name)

    def starting(self, name: str) -> None:
        self.connection.delete(_wake_key(name))

    def close(self) -> None:
        self._waker.stop()
        self.connection.close()


class Waker:
    """One thread per process that performs wakes requested by request threads.

    A webhook's 200 then costs one database round trip instead of two, and a burst of a thousand webhooks costs a
    handful of Redis calls. Each request flags its drain after its row committed; the thread clears the flags and
    then wakes, so every flag set after a clear is followed by another wake: no committed row waits for the
    sweeper unless Redis itself was unreachable. After each round the thread lets flags gather for `linger`
    seconds, so under load it wakes at most a few hundred times a second however many webhooks arrive.
    """

    def __init__(self, wake: Callable[[str], bool], linger: float = 0.005) -> None:
        self._wake = wake
        self._linger = linger
        self._flagged: set[str] = set()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def request(self, name: str) -> None:
        with self._condition:
            self._flagged.add(name)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="afterglow-waker", daemon=True)
                self._thread.start()
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._flagged and not self._stopping:
                    self._condition.wait()
                if self._stopping and not self._flagged:
                    return
                names, self._flagged = self._flagged, set()
            for name in names:
                self._wake(name)
            time.sleep(self._linger)

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _wake_key(name: str) -> str:
    return f"afterglow:wake:{name}"


class ThreadBackend(JobBackend):
    """A single daemon thread working through an in-memory queue: enough for one embedded process."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app)
        self._queue: queue.Queue[PendingJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._waiting: set[str] = set()

    def enqueue(self, job: PendingJob) -> bool:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="afterglow-jobs", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return True

    def wake(self, name: str) -> bool:
        with self._lock:
            if name in self._waiting:
                return True
            self._waiting.add(name)
        return self.enqueue(PendingJob(name, wake=True))

    def starting(self, name: str) -> None:
        with self._lock:
            self._waiting.discard(name)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                if job.wake:
                    self.starting(job.name)
                run_in_app(self.app, job)
            finally:
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

    def wake(self, name: str) -> bool:
        return self.enqueue(PendingJob(name))


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
