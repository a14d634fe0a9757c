"""A local fake of UPS's OAuth and Track APIs, from UPS's developer documentation, for tests and the demo.

    POST /security/v1/oauth/token            Basic <client_id:client_secret>, form grant_type=client_credentials
    GET  /api/track/v1/details/<number>      Bearer <access token>, transId and transactionSrc headers

Answers as UPS does: a token (`{"token_type": "Bearer", "issued_at": <ms>, "access_token", "expires_in": "14399",
"status": "approved", ...}`) for an app's client id and secret it knows; otherwise 401 with UPS's error object
`{"response": {"errors": [{"code": "250002", "message": "Invalid Authentication Information."}]}}` (10401 "ClientId
is Invalid" for a client id it has never seen). The Track API wants a token it issued (401, 250002 otherwise) and
answers a number the carrier knows (`carrier_knows`) with its `trackResponse`, anything else with 404 and 151044
"Tracking Information Not Found". `fail_next` queues failures (429, 503) for the next calls.

    fake = FakeUPS(apps={"client-id": "client-secret"})
    with FakeServer(fake.app) as server:   # UPS_API_BASE=server.base_url points karrio's UPS connector here
        ...
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request

TOKEN_LIFETIME = "14399"  # noqa: S105 - seconds, as UPS writes them


def ups_error(code: str, message: str) -> dict[str, Any]:
    return {"response": {"errors": [{"code": code, "message": message}]}}


class FakeUPS:
    def __init__(self, *, apps: Mapping[str, str]) -> None:
        self.apps = dict(apps)  # client id -> client secret
        self.tokens: dict[str, str] = {}  # access token -> client id
        self.known: dict[str, dict[str, Any]] = {}  # tracking number -> the package's trackResponse
        self.calls: list[tuple[str, str]] = []  # (method, path) of every request
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self.app = self._build()

    def carrier_knows(self, number: str, track_response: Mapping[str, Any]) -> None:
        with self._lock:
            self.known[number] = copy.deepcopy(dict(track_response))

    def fail_next(self, status: int, times: int = 1) -> None:
        with self._lock:
            self._failures.extend([status] * times)

    def _build(self) -> Flask:
        app = Flask("fake-ups")

        @app.before_request
        def _record() -> Response | None:
            with self._lock:
                self.calls.append((request.method, request.path))
                failure = self._failures.pop(0) if self._failures else None
            if failure == 429:
                return _json(429, ups_error("10429", "Too Many Requests."))
            if failure:
                return _json(failure, ups_error("10500", "Service Unavailable."))
            return None

        @app.post("/security/v1/oauth/token")
        def token() -> Response:
            client_id, client_secret = _basic(request.headers.get("Authorization", ""))
            if request.form.get("grant_type") != "client_credentials":
                return _json(400, ups_error("10400", "Invalid/Missing grant_type."))
            if client_id not in self.apps:
                return _json(401, ups_error("10401", "ClientId is Invalid"))
            if not secrets.compare_digest(self.apps[client_id].encode(), client_secret.encode()):
                return _json(401, ups_error("250002", "Invalid Authentication Information."))
            access_token = secrets.token_urlsafe(24)
            with self._lock:
                self.tokens[access_token] = client_id
            return _json(200, {
                "token_type": "Bearer", "issued_at": str(int(time.time() * 1000)), "client_id": client_id,
                "access_token": access_token, "scope": "", "expires_in": TOKEN_LIFETIME, "refresh_count": "0",
                "status": "approved",
            })  # fmt: skip

        @app.get("/api/track/v1/details/<number>")
        def track(number: str) -> Response:
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer ") or header[7:] not in self.tokens:
                return _json(401, ups_error("250002", "Invalid Authentication Information."))
            if not request.headers.get("transId") or not request.headers.get("transactionSrc"):
                return _json(400, ups_error("TV0001", "Missing transId or transactionSrc header."))
            found = self.known.get(number)
            if found is None:
                return _json(404, ups_error("151044", "Tracking Information Not Found"))
            return _json(200, found)

        return app


def _basic(header: str) -> tuple[str, str]:
    if not header.lower().startswith("basic "):
        return "", ""
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return "", ""
    return user, password


def _json(status: int, body: Mapping[str, Any]) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


__all__ = ["FakeUPS", "ups_error"]
