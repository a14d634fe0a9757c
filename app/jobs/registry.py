"""The jobs there are, by name: queued work refers to a name, so it survives a module being moved."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

QUEUE_NAME = "default"

# Job name -> "module:function". Jobs take ids or nothing, reload their rows and are idempotent.
JOBS: dict[str, str] = {
    "process_inbox": "app.services.processing:process_inbox",
    "dispatch_order_events": "app.services.order_events:dispatch_pending",
    "sweep": "app.jobs.sweeper:sweep",
    "poll_tracking": "app.services.tracking_schedule:poll_due",
    "track_shipments": "app.services.tracking_schedule:track_shipments",
    "detect_delays": "app.services.delays:detect_delays",
    "refresh_lane_stats": "app.services.estimates:refresh_lane_stats",
    "write_fulfillment_event": "app.services.tracking_writeback:write",
    "retry_fulfillment_writebacks": "app.services.tracking_writeback:retry_due",
    "send_notifications": "app.services.notifications.sending:send_due",
    "prune_woocommerce_records": "app.services.woocommerce_retention:prune_woocommerce_records",
    "handle_privacy_request": "app.services.privacy:handle_request",
    "backfill_orders": "app.services.backfill:backfill_orders_job",
}


@dataclass(frozen=True)
class PendingJob:
    name: str
    args: tuple[Any, ...] = ()
    wake: bool = False  # True: at most one waiting job of this name


def resolve(name: str) -> Callable[..., Any]:
    module_name, _, attribute = JOBS[name].partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
