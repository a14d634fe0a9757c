"""Handing work to the job backend only after the transaction that created it has committed.

Most work is "drain what is waiting" (the webhook inbox, undispatched order events): committed rows are the
queue, and a job only needs waking. `wake_after_commit("process_inbox")` wakes one drain after the commit;
`enqueue_after_commit(name, *args)` queues a job with arguments. A rolled-back transaction (or SAVEPOINT) drops
what it queued. Rows are never lost to a missed wake: the sweeper wakes the drains for anything left waiting.
Where jobs run is `app/jobs/backends.py`; which jobs exist is `app/jobs/registry.py`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.jobs.backends import JobBackend, backend_of, init_app
from app.jobs.registry import JOBS, QUEUE_NAME, PendingJob, resolve

_PENDING_KEY = "afterglow.pending_jobs"

__all__ = [
    "JOBS", "QUEUE_NAME", "JobBackend", "PendingJob", "backend_of", "enqueue_after_commit", "init_app", "resolve",
    "wake_after_commit",
]  # fmt: skip


def enqueue_after_commit(name: str, *args: Any) -> None:
    """Queue `name(*args)` to run once the current transaction commits; dropped if it rolls back."""
    _after_commit_add(PendingJob(name, args))


def wake_after_commit(name: str) -> None:
    """Make sure a `name` drain job runs after this transaction commits (one, however often this is called)."""
    _after_commit_add(PendingJob(name, wake=True))


def _after_commit_add(job: PendingJob) -> None:
    if job.name not in JOBS:
        raise KeyError(f"unknown job {job.name!r}")
    session = db.session()
    if not session.in_transaction():
        session.begin()  # the job belongs to this transaction: a rollback must be able to drop it
    pending: list[tuple[Any, PendingJob]] = session.info.setdefault(_PENDING_KEY, [])
    if job.wake and any(queued == job for _, queued in pending):
        return
    # Remember the (innermost) transaction, so a rolled-back SAVEPOINT drops only the jobs it queued.
    pending.append((session.get_nested_transaction() or session.get_transaction(), job))


def _after_commit(session: Session) -> None:
    # SQLAlchemy also fires after_commit when a SAVEPOINT is released; the data is visible to a job only once
    # the outermost transaction has committed.
    if session.get_nested_transaction() is not None:
        return
    pending: list[tuple[Any, PendingJob]] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    backend = backend_of(current_app._get_current_object())  # type: ignore[attr-defined]
    for _, job in pending:
        backend.submit(job)


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
