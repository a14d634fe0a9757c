"""A fake of Twilio's Messages API (2010-04-01), from Twilio's API reference, for tests and the demo.

    POST /2010-04-01/Accounts/{AccountSid}/Messages.json   (form: To, From | MessagingServiceSid, Body)

Answers as Twilio does: HTTP Basic auth with the account SID and auth token (401, code 20003, otherwise), 201
with the message resource, and Twilio's error body `{"code", "message", "more_info", "status"}` for a 'To' that
is not E.164 (21211), a missing body (21602), a missing sender (21603 / 21604) and a number that replied STOP
(21610). `outages` makes the next requests fail with the given HTTP statuses (a 503 incident, a 429).
"""

from __future__ import annotations

import base64
import re
import threading
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from flask import Flask, Response, jsonify, request

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass
class TwilioState:
    account_sid: str
    auth_token: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    unsubscribed: set[str] = field(default_factory=set)
    outages: list[int] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def create_fake_twilio(
    *, account_sid: str = "AC" + "0" * 32, auth_token: str = "fake-token"  # noqa: S107 - a fake's credentials
) -> tuple[Flask, TwilioState]:
    state = TwilioState(account_sid=account_sid, auth_token=auth_token)
    app = Flask("fake_twilio")

    @app.post("/2010-04-01/Accounts/<sid>/Messages.json")
    def create_message(sid: str) -> tuple[Response, int]:
        with state.lock:
            state.requests += 1
            if state.outages:
                status = state.outages.pop(0)
                return _error(status, 20429 if status == 429 else 20500, "Service temporarily unavailable")
        if not _authorised(state, sid):
            return _error(401, 20003, "Authenticate")
        form = request.form
        to, body = form.get("To", ""), form.get("Body")
        sender, service = form.get("From"), form.get("MessagingServiceSid")
        if not body:
            return _error(400, 21602, "Message body is required.")
        if not sender and not service:
            return _error(400, 21603, "A 'From' phone number is required.")
        if not E164.match(to):
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if to in state.unsubscribed:
            return _error(400, 21610, "Attempt to send to unsubscribed recipient")
        message_sid = "SM" + uuid.uuid4().hex
        now = formatdate(usegmt=True)
        resource = {
            "account_sid": sid, "api_version": "2010-04-01", "body": body, "date_created": now, "date_sent": None,
            "date_updated": now, "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": sender, "messaging_service_sid": service, "num_media": "0",
            "num_segments": str(max(1, -(-len(body) // 153)) if len(body) > 160 else 1), "price": None,
            "price_unit": "USD", "sid": message_sid, "status": "accepted" if service and not sender else "queued",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}/Media.json"},
            "to": to, "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
        }  # fmt: skip
        with state.lock:
            state.messages.append(resource)
        return jsonify(resource), 201

    return app, state


def _authorised(state: TwilioState, sid: str) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return False
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return user == state.account_sid == sid and password == state.auth_token


def _error(status: int, code: int, message: str) -> tuple[Response, int]:
    return jsonify({
        "code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status,
    }), status  # fmt: skip
