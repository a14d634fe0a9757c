"""A fake of Klaviyo's Create Event endpoint, from Klaviyo's API reference, for tests and the demo.

    POST /api/events   Authorization: Klaviyo-API-Key pk_...   revision: YYYY-MM-DD   (JSON:API body)
    GET  /api/accounts (Get Accounts: the account a private key belongs to; what a key is checked with)

Answers as Klaviyo does: 401 `not_authenticated` without a valid private key, 400 `invalid` for a missing
revision header or a body that is not an event with a metric name and a profile identifier, 202 with an empty
body when accepted. Like Klaviyo, an event repeating a `unique_id` for the same metric and profile is accepted
and dropped. `outages` makes the next requests fail with the given statuses (429, 503).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, jsonify, request


@dataclass
class KlaviyoState:
    api_key: str
    events: list[dict[str, Any]] = field(default_factory=list)
    outages: list[int] = field(default_factory=list)
    requests: int = 0
    revisions: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def create_fake_klaviyo(*, api_key: str = "pk_fake") -> tuple[Flask, KlaviyoState]:
    state = KlaviyoState(api_key=api_key)
    app = Flask("fake_klaviyo")

    @app.post("/api/events")
    @app.post("/api/events/")
    def create_event() -> tuple[Response, int] | tuple[str, int]:
        refused = _refusal(state, "Authentication credentials were not provided.")
        if refused:
            return refused
        revision = str(request.headers.get("revision"))
        body = request.get_json(silent=True) or {}
        data = body.get("data") or {}
        attributes = data.get("attributes") or {}
        metric = ((attributes.get("metric") or {}).get("data") or {}).get("attributes") or {}
        profile = ((attributes.get("profile") or {}).get("data") or {}).get("attributes") or {}
        if data.get("type") != "event" or not metric.get("name"):
            return _error(400, "invalid", "An event needs data.type 'event' and a metric name.")
        if not any(profile.get(key) for key in ("email", "phone_number", "external_id", "anonymous_id")):
            return _error(400, "invalid", "A profile identifier (email, phone_number, external_id) is required.")
        with state.lock:
            state.revisions.add(revision)
            unique = attributes.get("unique_id")
            duplicate = unique and any(
                e["unique_id"] == unique and e["metric"] == metric["name"] and e["profile"] == profile
                for e in state.events
            )
            if not duplicate:
                state.events.append({
                    "metric": metric["name"], "profile": profile, "properties": attributes.get("properties") or {},
                    "unique_id": unique, "time": attributes.get("time"),
                })  # fmt: skip
        return "", 202

    @app.get("/api/accounts")
    @app.get("/api/accounts/")
    def get_accounts() -> tuple[Response, int]:
        refused = _refusal(state, "Incorrect authentication credentials.")
        if refused:
            return refused
        account = {"type": "account", "id": "AbC123", "attributes": {
            "test_account": False, "contact_information": {
                "default_sender_name": "Afterglow Demo", "default_sender_email": "hello@afterglow-demo.test",
                "website_url": "https://afterglow-demo.test", "organization_name": "Afterglow Demo",
                "street_address": {"address1": "1 Harbour Road", "address2": "", "city": "Hamburg", "region": "HH",
                                   "country": "DE", "zip": "20457"}},
            "industry": "Retail", "timezone": "Europe/Berlin", "preferred_currency": "EUR",
            "public_api_key": "AbC123", "locale": "en-US"},
            "links": {"self": "https://a.klaviyo.com/api/accounts/AbC123/"}}  # fmt: skip
        return jsonify({"data": [account], "links": {"self": "https://a.klaviyo.com/api/accounts/"}}), 200

    return app, state


def _refusal(state: KlaviyoState, unauthenticated: str) -> tuple[Response, int] | None:
    """What Klaviyo answers before looking at a request's body: an outage queued by a test (429, 5xx), a wrong or
    missing private key (401, with the wording of the endpoint), a missing `revision` header (400)."""
    with state.lock:
        state.requests += 1
        if state.outages:
            status = state.outages.pop(0)
            return _error(status, "throttled" if status == 429 else "error", "Try again later.")
    if request.headers.get("Authorization") != f"Klaviyo-API-Key {state.api_key}":
        return _error(401, "not_authenticated", unauthenticated)
    if not request.headers.get("revision"):
        return _error(400, "invalid", "A revision header is required.")
    return None


def _error(status: int, code: str, detail: str) -> tuple[Response, int]:
    return jsonify({"errors": [{
        "id": str(uuid.uuid4()), "status": status, "code": code, "title": detail, "detail": detail,
        "source": {"pointer": "/data/"},
    }]}), status  # fmt: skip
