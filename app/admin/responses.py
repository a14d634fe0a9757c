"""The two shapes every admin API call answers in, written once: a document, or a refusal
`{"error", "message", "fields"?}` with its status. Either ends the request's transaction first, so a read leaves no
transaction open and a refusal undoes whatever was begun."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from app.extensions import db


def answer(document: dict[str, Any]) -> Response:
    db.session.rollback()
    return jsonify(document)


def refusal(
    status: int, error: str, message: str, *, fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Response, int, dict[str, str]]:  # fmt: skip
    db.session.rollback()
    body: dict[str, Any] = {"error": error, "message": message}
    if fields is not None:
        body["fields"] = fields
    return jsonify(body), status, headers or {}
