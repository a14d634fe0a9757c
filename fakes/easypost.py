"""A local fake of EasyPost's tracker API, and the sender of the signed events EasyPost pushes.

Built from EasyPost's API reference and its client libraries' fixtures: `POST /v2/trackers` (`{"tracker":
{"tracking_code", "carrier"}}`) creates a tracker, or answers with the one the account already has for that code
and carrier; `GET /v2/trackers/<id>` reads one; `GET /v2/trackers?page_size=N` lists the account's trackers, newest
first, one page (`{"trackers": [...], "has_more": bool}`). Authentication is HTTP Basic with the API key as the user
(the documented form) or `Authorization: Bearer <key>` (what the `easypost` client sends). Errors are EasyPost's error
object, `{"error": {"code", "message", "errors"}}`: 401 for a key it does not know, 422 for a tracking code a test
key may not track (only EZ1000000001 ... EZ7000000007), 404 for an unknown tracker, and whatever `fail_next` queues
(429, 500, 503).

What the carriers know is what a test hands over with `carrier_knows(tracker)`: a Tracker JSON whose scans are
then served for its code. A code nobody knows gets a tracker with status `unknown` and no scans, as EasyPost does.

    fake = FakeEasyPost()
    with FakeServer(fake.app) as server:
        source = EasyPostSource(EasyPostSettings(api_key=fake.api_key, api_base=server.base_url + "/v2"))
        fake.send_updates(url=".../webhooks/carriers/easypost", secret="...")  # push like EasyPost does
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import threading
import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from flask import Flask, Response, request

PRODUCTION_KEY = "EZAKfake0production0key"
TEST_KEY = "EZTKfake0test0key"
TEST_CODES = {f"EZ{digit}00000000{digit}": status for digit, status in enumerate(
    ("pre_transit", "in_transit", "out_for_delivery", "delivered", "return_to_sender", "failure", "unknown"), start=1
)}  # fmt: skip
ERRORS: Mapping[int, tuple[str, str]] = {
    401: ("APIKEY.REQUIRED", "API key required."),
    404: ("NOT_FOUND", "The requested resource could not be found."),
    422: ("TRACKER.CREATE.ERROR", "In test mode, only test tracking numbers are valid. Test tracking numbers are "
                                  "EZ1000000001, EZ2000000002, ... , EZ7000000007"),
    429: ("RATE_LIMITED", "You have exceeded the rate limit. Please reduce your request rate and retry."),
    500: ("INTERNAL_SERVER_ERROR", "We're sorry, something went wrong. If the problem persists please contact us."),
    503: ("SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Please try again later."),
}  # fmt: skip


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    code, words = ERRORS.get(status, ("UNKNOWN", "Unknown error"))
    return {"error": {"code": code, "message": message or words, "errors": []}}


class FakeEasyPost:
    """The fake's state (trackers, what the carriers know, queued failures) and its Flask app."""

    def __init__(self, *, api_keys: tuple[str, ...] = (PRODUCTION_KEY, TEST_KEY), user_id: str = "user_fake") -> None:
        self.api_key = api_keys[0]
        self.api_keys = frozenset(api_keys)
        self.user_id = user_id
        self.trackers: dict[str, dict[str, Any]] = {}  # id -> Tracker
        self.known: dict[str, dict[str, Any]] = {}  # tracking code -> what the carrier says (a Tracker JSON)
        self.calls: list[tuple[str, str]] = []  # (method, path) of every authenticated request
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self.app = self._build()

    def carrier_knows(self, tracker: Mapping[str, Any]) -> None:
        """From now on the carrier reports `tracker`'s status and scans for its tracking code."""
        with self._lock:
            self.known[str(tracker["tracking_code"])] = copy.deepcopy(dict(tracker))

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` API calls with `status` and EasyPost's error object for it."""
        with self._lock:
            self._failures.extend([status] * times)

    def tracker_for(self, code: str, carrier: str | None) -> dict[str, Any]:
        """The account's tracker for (code, carrier), created on first use, refreshed from what the carrier knows."""
        with self._lock:
            tracker = next((t for t in self.trackers.values() if t["tracking_code"] == code
                            and (carrier is None or t["carrier"].lower() == carrier.lower())), None)  # fmt: skip
            if tracker is None:
                tracker = {"id": "trk_" + uuid.uuid4().hex, "object": "Tracker", "mode": "production",
                           "tracking_code": code, "carrier": carrier or "USPS", "created_at": "2026-03-01T00:00:00Z"}
                self.trackers[tracker["id"]] = tracker  # fmt: skip
            news = self.known.get(code) or _test_tracker(code) or _unknown_tracker()
            for name, value in copy.deepcopy(news).items():
                if name not in ("id", "tracking_code", "created_at"):
                    tracker[name] = value
            tracker["carrier"] = news.get("carrier") or tracker["carrier"]
            return copy.deepcopy(tracker)

    def send_updates(self, *, url: str, secret: str, client: httpx.Client | None = None) -> list[httpx.Response]:
        """Push a `tracker.updated` event for every tracker, as EasyPost does when a carrier reports news."""
        codes = [(t["tracking_code"], t["carrier"]) for t in list(self.trackers.values())]
        events = [tracker_event(self.tracker_for(code, carrier), user_id=self.user_id) for code, carrier in codes]
        return [send_event(url=url, event=event, secret=secret, client=client) for event in events]

    def _build(self) -> Flask:
        app = Flask("fake-easypost")

        @app.before_request
        def _authenticate() -> Response | None:
            if _api_key(request.headers.get("Authorization", "")) not in self.api_keys:
                return _json(401, error_body(401))
            self.calls.append((request.method, request.path))
            with self._lock:
                failure = self._failures.pop(0) if self._failures else None
            return _json(failure, error_body(failure)) if failure else None

        @app.post("/v2/trackers")
        def create_tracker() -> Response:
            params = (request.get_json(silent=True) or {}).get("tracker") or {}
            code = str(params.get("tracking_code") or "").strip()
            if not code:
                return _json(422, error_body(422, "Missing required parameter: tracking_code"))
            if _api_key(request.headers.get("Authorization", "")).startswith("EZTK") and code not in TEST_CODES:
                return _json(422, error_body(422))
            return _json(201, self.tracker_for(code, params.get("carrier")))

        @app.get("/v2/trackers")
        def list_trackers() -> Response:
            try:
                size = max(1, min(100, int(request.args.get("page_size", "20"))))
            except ValueError:
                return _json(422, error_body(422, "page_size must be a number"))
            with self._lock:
                newest = [copy.deepcopy(t) for t in reversed(list(self.trackers.values()))]
            return _json(200, {"trackers": newest[:size], "has_more": len(newest) > size})

        @app.get("/v2/trackers/<tracker_id>")
        def retrieve_tracker(tracker_id: str) -> Response:
            tracker = self.trackers.get(tracker_id)
            if tracker is None:
                return _json(404, error_body(404))
            return _json(200, self.tracker_for(tracker["tracking_code"], tracker["carrier"]))

        return app


def _api_key(authorization: str) -> str:
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(credentials).decode().partition(":")[0]
        except ValueError:
            return ""
    return ""


def _json(status: int, body: Mapping[str, Any]) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _unknown_tracker() -> dict[str, Any]:
    return {"status": "unknown", "status_detail": "unknown", "tracking_details": [], "carrier_detail": None,
            "est_delivery_date": None, "updated_at": "2026-03-01T00:00:00Z"}  # fmt: skip


def _test_tracker(code: str) -> dict[str, Any] | None:
    """EasyPost's test codes: EZ<n>00000000<n> is a parcel in the n-th of its test statuses, with one scan."""
    status = TEST_CODES.get(code)
    if status is None:
        return None
    scan = {"object": "TrackingDetail", "message": status.replace("_", " ").capitalize(), "description": "",
            "status": status, "status_detail": "status_update", "datetime": "2026-03-02T10:00:00Z", "source": "USPS",
            "tracking_location": {"object": "TrackingLocation", "city": "HOUSTON", "state": "TX", "country": "US",
                                  "zip": "77063"}}  # fmt: skip
    return {"status": status, "status_detail": "status_update", "carrier": "USPS", "tracking_details": [scan],
            "carrier_detail": None, "est_delivery_date": None, "updated_at": "2026-03-02T10:00:00Z"}  # fmt: skip


def tracker_event(tracker: Mapping[str, Any], *, description: str = "tracker.updated",
                  event_id: str | None = None, user_id: str = "user_fake") -> dict[str, Any]:  # fmt: skip
    """The Event envelope EasyPost posts for a tracker."""
    return {"description": description, "mode": tracker.get("mode", "production"), "previous_attributes": {},
            "created_at": "2026-03-04T19:02:11.000Z", "pending_urls": [], "completed_urls": [],
            "updated_at": "2026-03-04T19:02:11.000Z", "id": event_id or "evt_" + uuid.uuid4().hex,
            "user_id": user_id, "status": "pending", "object": "Event", "result": dict(tracker)}  # fmt: skip


def signed_delivery(event: Mapping[str, Any], secret: str) -> tuple[dict[str, str], bytes]:
    """Headers and body of a delivery signed as EasyPost signs it (HMAC-SHA256 hex of the body, NFKD secret)."""
    body = json.dumps(event, separators=(",", ":")).encode()
    key = unicodedata.normalize("NFKD", secret).encode()
    digest = hmac.new(key, body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hmac-Signature": f"hmac-sha256-hex={digest}"}, body


def send_event(
    *, url: str, event: Mapping[str, Any], secret: str, client: httpx.Client | None = None
) -> httpx.Response:
    """POST one signed event to `url` over real HTTP."""
    headers, body = signed_delivery(event, secret)
    if client is not None:
        return client.post(url, content=body, headers=headers)
    return httpx.post(url, content=body, headers=headers, timeout=10)


__all__ = ["PRODUCTION_KEY", "TEST_CODES", "TEST_KEY", "FakeEasyPost", "error_body", "send_event", "signed_delivery",
           "tracker_event"]  # fmt: skip
