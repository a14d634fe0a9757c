"""The one entry point RQ workers call: resolves a job by name so queued jobs survive module moves."""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.jobs.queue import backend_of, resolve


def run(name: str, *args: Any) -> Any:
    # Workers started with `flask worker` already hold an app context (see app/cli/processes.py).
    backend_of(current_app._get_current_object()).starting(name)  # type: ignore[attr-defined]
    return resolve(name)(*args)
