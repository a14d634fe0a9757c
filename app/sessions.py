"""Flask's cookie session, skipped where no person is involved.

With `SECRET_KEY` set, Flask opens the signed-cookie session on every request: building a serializer and reading
cookies costs more than the rest of a webhook acknowledgement. Machine-to-machine paths never use it.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface

SESSIONLESS_PREFIXES = ("/webhooks/", "/healthz", "/readyz")


class SessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(SESSIONLESS_PREFIXES):
            return NullSession()
        return super().open_session(app, request)
