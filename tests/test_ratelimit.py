"""Fixed-window counting, shared through Redis or kept in the process."""

from __future__ import annotations

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.ratelimit import WindowLimiter


def test_window_limiter_refuses_past_the_limit_and_forgets_at_the_next_window():
    limiter = WindowLimiter()
    verdicts = [limiter.hit("k", limit=2, window_seconds=60, now=120.0 + i) for i in range(3)]

    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[2].retry_after == 58
    assert limiter.hit("k", limit=2, window_seconds=60, now=180.0).allowed


@pytest.mark.redis
def test_window_limiter_on_redis_is_shared_by_every_process(redis_url):
    Redis.from_url(redis_url).flushdb()
    one, other = WindowLimiter(Redis.from_url(redis_url)), WindowLimiter(Redis.from_url(redis_url))

    verdicts = [limiter.hit("shared", limit=3, window_seconds=60, now=600.0) for limiter in (one, other, one, other)]

    assert [v.allowed for v in verdicts] == [True, True, True, False]


def test_window_limiter_counts_in_process_while_redis_is_unreachable():
    unreachable = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    limiter = WindowLimiter(unreachable)

    verdicts = [limiter.hit("k", limit=2, window_seconds=60, now=0.0).allowed for _ in range(3)]

    assert verdicts == [True, True, False]


def test_window_limiter_take_grants_what_is_left_and_does_not_count_what_it_refuses():
    limiter = WindowLimiter()

    granted = [limiter.take("ups", wanted=wanted, limit=10, window_seconds=60, now=60.0) for wanted in (6, 6, 6)]

    assert granted == [6, 4, 0]
    assert limiter.take("ups", wanted=6, limit=10, window_seconds=60, now=120.0) == 6  # a new window


@pytest.mark.redis
def test_window_limiter_take_on_redis_gives_back_what_it_refuses(redis_url):
    Redis.from_url(redis_url).flushdb()
    one, other = WindowLimiter(Redis.from_url(redis_url)), WindowLimiter(Redis.from_url(redis_url))

    granted = [limiter.take("ups", wanted=6, limit=10, window_seconds=60, now=60.0) for limiter in (one, other, one)]

    assert granted == [6, 4, 0]
