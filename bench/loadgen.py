"""A small closed-loop HTTP load generator: N processes, each with one keep-alive connection, sending prepared
requests back to back. Prints nothing; returns counts and latencies for bench/ingest.py."""

from __future__ import annotations

import http.client
import multiprocessing
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"


def _client(port: int, requests: list[Request], results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for item in requests:
        sent = time.perf_counter()
        connection.request(item.method, item.path, body=item.body or None, headers=item.headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - sent)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    results.put((started, time.perf_counter(), latencies, statuses))
    connection.close()


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def run(port: int, requests: list[Request], clients: int) -> LoadResult:
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    shares = [requests[i::clients] for i in range(clients)]
    processes = [multiprocessing.Process(target=_client, args=(port, share, results)) for share in shares]
    for process in processes:
        process.start()
    collected = [results.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(latency for _, _, values, _ in collected for latency in values)
    statuses: dict[int, int] = {}
    for _, _, _, counts in collected:
        for status, count in counts.items():
            statuses[status] = statuses.get(status, 0) + count
    seconds = max(end for _, end, _, _ in collected) - min(start for start, _, _, _ in collected)
    return LoadResult(
        requests=len(latencies),
        seconds=seconds,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p95_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        statuses=statuses,
    )
