"""Jobs are handed to the backend only after the outermost transaction commits."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.jobs.queue import JobBackend, PendingJob, enqueue_after_commit, wake_after_commit


class Recorder(JobBackend):
    def __init__(self) -> None:
        self.jobs: list[PendingJob] = []

    def enqueue(self, job: PendingJob) -> bool:
        self.jobs.append(job)
        return True

    def wake(self, name: str) -> bool:
        return self.enqueue(PendingJob(name, wake=True))


@pytest.fixture
def recorder(app):
    backend = Recorder()
    original = app.extensions["afterglow.jobs"]
    app.extensions["afterglow.jobs"] = backend
    yield backend
    app.extensions["afterglow.jobs"] = original


def test_job_queue_waits_for_the_outer_commit_not_a_savepoint(recorder):
    with db.session.begin_nested():
        enqueue_after_commit("sweep")
    assert recorder.jobs == []

    db.session.commit()

    assert [job.name for job in recorder.jobs] == ["sweep"]


def test_job_queue_rolled_back_savepoint_drops_only_its_own_jobs(recorder):
    enqueue_after_commit("sweep", "outer")
    try:
        with db.session.begin_nested():
            enqueue_after_commit("sweep", "inner")
            raise RuntimeError("boom")
    except RuntimeError:
        pass

    db.session.commit()

    assert [job.args for job in recorder.jobs] == [("outer",)]


def test_job_queue_many_wakes_in_one_transaction_hand_over_one(recorder):
    for _ in range(50):
        wake_after_commit("process_inbox")

    db.session.commit()

    assert [(job.name, job.wake) for job in recorder.jobs] == [("process_inbox", True)]


def test_job_queue_rollback_drops_everything(recorder):
    enqueue_after_commit("sweep")

    db.session.rollback()
    db.session.commit()

    assert recorder.jobs == []


def test_job_queue_unknown_job_is_refused():
    with pytest.raises(KeyError):
        enqueue_after_commit("mine_bitcoin")
