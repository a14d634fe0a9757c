"""The one entry point RQ workers call: resolves a job by name so queued jobs survive module moves."""

from __future__ import annotations

from typing import Any

from app.jobs.queue import resolve


def run(name: str, *args: Any) -> Any:
    # Workers started with `flask worker` already hold an app context (see app/cli.py).
    return resolve(name)(*args)
