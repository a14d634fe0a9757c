"""The harness every fake runs on: a real HTTP server on localhost that a real client can reach."""

from __future__ import annotations

import httpx
from flask import Flask, jsonify

from fakes.server import FakeServer


def test_fake_server_serves_its_app_on_a_free_local_port_until_stopped():
    app = Flask("fake")

    @app.get("/ping")
    def ping():  # type: ignore[no-untyped-def]
        return jsonify(pong=True), 200, {"X-Fake": "1"}

    with FakeServer(app) as server:
        answer = httpx.get(f"{server.base_url}/ping", timeout=5)
        assert (answer.status_code, answer.json(), answer.headers["x-fake"]) == (200, {"pong": True}, "1")
        port = server.port
    try:
        httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the server still answers after stop()")
