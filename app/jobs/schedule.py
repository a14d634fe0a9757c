"""The clock's periodic jobs: one list with stable names, so restarting the clock adds no duplicates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    name: str  # stable id
    job: str  # a name in app.jobs.queue.JOBS
    interval_seconds: int


SCHEDULE: tuple[Periodic, ...] = (
    Periodic(name="sweep", job="sweep", interval_seconds=60),
    Periodic(name="poll-tracking", job="poll_tracking", interval_seconds=60),
    # A stalled parcel sends nothing: time alone has to find it.
    Periodic(name="detect-delays", job="detect_delays", interval_seconds=900),
    Periodic(name="refresh-lane-stats", job="refresh_lane_stats", interval_seconds=3600),
    Periodic(name="retry-fulfillment-writebacks", job="retry_fulfillment_writebacks", interval_seconds=60),
    # Messages whose time has come (quiet hours over, survey delay passed, retry due), and any missed wake.
    Periodic(name="send-notifications", job="send_notifications", interval_seconds=60),
    Periodic(name="prune-woocommerce-records", job="prune_woocommerce_records", interval_seconds=3600),
)
