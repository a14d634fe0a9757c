"""Ingress for platform webhooks: raw bytes in, one inbox row, 200 out. Verification and storage live in
`app.services.ingest`; this module only speaks HTTP."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.services.ingest import receive_webhook
from integrations.platform import lower_headers

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.post("/<platform_name>")
def platform_webhook(platform_name: str) -> tuple[Response, int]:
    # The signature covers the exact bytes sent; never let Flask decode or re-serialise them first.
    body = request.get_data(cache=False, as_text=False, parse_form_data=False)
    result = receive_webhook(platform_name=platform_name, headers=lower_headers(request.headers), body=body)
    return jsonify(result.body), result.status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_: RequestEntityTooLarge) -> tuple[Response, int]:
    return jsonify({"error": "body exceeds the webhook size limit (WEBHOOK_MAX_BYTES)"}), 413
