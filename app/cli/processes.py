"""The long-running processes of the Procfile, started through Flask so every job has the app context."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.jobs.queue import QUEUE_NAME, JobBackend, PendingJob
from app.jobs.schedule import SCHEDULE

log = logging.getLogger(__name__)


@click.command()
@click.option("--burst", is_flag=True, help="Work until the queue is empty, then exit.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker (needs REDIS_URL)."""
    from rq import SimpleWorker

    backend = current_app.extensions["afterglow.jobs"]
    if not hasattr(backend, "queue"):
        raise click.ClickException("the worker needs REDIS_URL; without it jobs already run inside the web process")
    # SimpleWorker runs jobs in this process: no fork per job (fast, and no database connections shared across a
    # fork); a job that kills the process leaves its rows unfinished and the sweeper wakes the drain again. No RQ
    # scheduler: nothing is enqueued for later (retries are the sweeper's), and its forked process would outlive
    # a killed worker.
    SimpleWorker([backend.queue], connection=backend.connection).work(
        burst=burst, logging_level=current_app.config["AFTERGLOW"].log_level
    )


@click.command()
@with_appcontext
def clock() -> None:
    """Run the periodic jobs of app/jobs/schedule.py with RQ's cron scheduler (needs REDIS_URL)."""
    from rq.cron import CronScheduler

    backend = current_app.extensions["afterglow.jobs"]
    if not hasattr(backend, "queue"):
        raise click.ClickException("the clock needs REDIS_URL; the embedded app runs its schedule in-process")
    scheduler = CronScheduler(connection=backend.connection, name="afterglow-clock")
    from app.jobs import runner

    for periodic in SCHEDULE:
        scheduler.register(
            runner.run, QUEUE_NAME, args=(periodic.job,), interval=periodic.interval_seconds, name=periodic.name
        )
    scheduler.start()  # type: ignore[no-untyped-call]


def start_embedded_clock(app: Flask) -> threading.Thread | None:
    """Without Redis there is no clock process: run the schedule on a daemon thread of the web process."""
    backend: JobBackend = app.extensions["afterglow.jobs"]
    if app.config["AFTERGLOW"].job_backend != "thread":
        return None

    def tick() -> None:
        due = {periodic.name: 0.0 for periodic in SCHEDULE}
        while True:
            now = time.monotonic()
            for periodic in SCHEDULE:
                if now >= due[periodic.name]:
                    backend.enqueue(PendingJob(periodic.job, ()))
                    due[periodic.name] = now + periodic.interval_seconds
            time.sleep(1)

    thread = threading.Thread(target=tick, name="afterglow-clock", daemon=True)
    thread.start()
    return thread


@click.command()
@click.option("--seed-demo/--no-seed-demo", default=True, help="Send the demo stores' webhooks once the app is up.")
@with_appcontext
def serve(seed_demo: bool) -> None:
    """Run the web process under gunicorn (gunicorn.conf.py) and, by default, seed the demo stores through it.
    With REDIS_URL set, jobs go to RQ: a worker and the clock are started beside it."""
    port = os.environ.get("PORT", "5000")
    processes = [subprocess.Popen([sys.executable, "-m", "gunicorn", "app:create_app()"])]
    if current_app.config["AFTERGLOW"].job_backend == "rq":
        flask = [sys.executable, "-m", "flask", "--app", "app:create_app"]
        processes += [subprocess.Popen([*flask, name]) for name in ("worker", "clock")]  # noqa: S603 - our own interpreter and CLI
    try:
        if seed_demo:
            from app.cli.demo import seed_over_http, wait_until_ready

            base_url = f"http://127.0.0.1:{port}"
            if wait_until_ready(base_url, timeout=30):
                seed_over_http(base_url)
            else:
                click.echo("the app did not become ready in 30 s; demo not seeded", err=True)
        click.echo(f"Afterglow is running on http://127.0.0.1:{port}  (Ctrl+C to stop)")
        if seed_demo:
            click.echo(f"The demo store's admin: http://127.0.0.1:{port}/demo/admin  (storefront: /demo/storefront)")
        processes[0].wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=15)
