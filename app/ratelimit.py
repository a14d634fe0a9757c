"""Counting requests per key in fixed windows: in Redis when there is one (every web process shares the count),
in this process otherwise (the embedded default runs one process).

A limiter that cannot reach Redis counts in its own process for `REDIS_RETRY_SECONDS` before trying again: a
shopper must not be refused (or kept waiting on connection timeouts) because a cache is down, and each process
still holds its own line meanwhile.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
REDIS_RETRY_SECONDS = 10.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: int  # whole seconds until the window resets (0 when allowed)


class WindowLimiter:
    def __init__(self, redis: Any | None = None, *, prefix: str = "afterglow:limit") -> None:
        self._redis = redis
        self._prefix = prefix
        self._local: dict[str, tuple[int, int]] = {}  # key -> (window, count)
        self._lock = threading.Lock()
        self._redis_down_until = 0.0

    def hit(self, key: str, *, limit: int, window_seconds: int, now: float | None = None) -> Verdict:
        """Count one request for `key`; allowed while the window's count stays within `limit`."""
        now = time.time() if now is None else now
        window = int(now // window_seconds)
        reset_in = max(1, math.ceil((window + 1) * window_seconds - now))
        count = None
        if self._redis is not None and time.monotonic() >= self._redis_down_until:
            count = self._count_redis(key, window, window_seconds)
        if count is None:
            count = self._count_local(key, window)
        allowed = count <= limit
        return Verdict(allowed=allowed, remaining=max(0, limit - count), retry_after=0 if allowed else reset_in)

    def take(self, key: str, *, wanted: int, limit: int, window_seconds: int, now: float | None = None) -> int:
        """Grant up to `wanted` units of `key`'s budget in this window and return how many: what is refused is
        not counted, so it can be asked for again in the next window (the tracking poller's batches)."""
        now = time.time() if now is None else now
        window = int(now // window_seconds)
        if self._redis is not None and time.monotonic() >= self._redis_down_until:
            granted = self._take_redis(key, window, window_seconds, wanted=wanted, limit=limit)
            if granted is not None:
                return granted
        with self._lock:
            seen_window, used = self._local.get(key, (window, 0))
            used = used if seen_window == window else 0
            granted = max(0, min(wanted, limit - used))
            self._local[key] = (window, used + granted)
            return granted

    def _take_redis(self, key: str, window: int, window_seconds: int, *, wanted: int, limit: int) -> int | None:
        from redis.exceptions import RedisError

        name = f"{self._prefix}:{key}:{window}"
        try:
            used = int(self._redis.incrby(name, wanted))  # type: ignore[union-attr]
            self._redis.expire(name, window_seconds * 2)  # type: ignore[union-attr]
            granted = max(0, min(wanted, limit - (used - wanted)))
            if granted < wanted:
                self._redis.decrby(name, wanted - granted)  # type: ignore[union-attr]
            return granted
        except RedisError as exc:
            self._redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.warning("rate limits counted in-process: Redis unreachable", extra={"error": type(exc).__name__})
            return None

    def _count_redis(self, key: str, window: int, window_seconds: int) -> int | None:
        from redis.exceptions import RedisError

        name = f"{self._prefix}:{key}:{window}"
        try:
            pipe = self._redis.pipeline()  # type: ignore[union-attr]
            pipe.incr(name)
            pipe.expire(name, window_seconds + 1)
            count, _ = pipe.execute()
            return int(count)
        except RedisError as exc:
            self._redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.warning("rate limits counted in-process: Redis unreachable", extra={"error": type(exc).__name__})
            return None

    def _count_local(self, key: str, window: int) -> int:
        with self._lock:
            if len(self._local) > 100_000:  # forget finished windows before the table grows without bound
                self._local = {k: v for k, v in self._local.items() if v[0] >= window}
            seen_window, count = self._local.get(key, (window, 0))
            count = count + 1 if seen_window == window else 1
            self._local[key] = (window, count)
            return count


def limiter(app: Flask | None = None) -> WindowLimiter:
    """The app's limiter, on `REDIS_URL` when set."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    existing: WindowLimiter | None = app.extensions.get("afterglow.limiter")
    if existing is None:
        url = app.config["AFTERGLOW"].redis_url
        redis = None
        if url:
            from redis import Redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # One short try: a request is waiting on this, and the in-process count covers an outage.
            redis = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))
        existing = app.extensions["afterglow.limiter"] = WindowLimiter(redis)
    return existing
