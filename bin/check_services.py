"""Fail early, and say how to fix it, when the test suite's PostgreSQL or Redis cannot be reached."""

from __future__ import annotations

import sys

import psycopg
import redis


def main(database_url: str, redis_url: str) -> int:
    problems = []
    try:
        psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
    except psycopg.Error as exc:
        problems.append(f"PostgreSQL at {database_url}: {str(exc).strip()}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {redis_url}: {exc}")
    for problem in problems:
        print(f"cannot reach {problem}", file=sys.stderr)
    if problems:
        print("start them (bash .ci/run does) or point TEST_DATABASE_URL / TEST_REDIS_URL elsewhere", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
