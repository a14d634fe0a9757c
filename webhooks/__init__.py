"""Ingress for platform webhooks and carrier pushes: raw bytes in, one inbox row, 200 out. Verification and
storage live in `app.services.ingest` and `app.services.carrier_ingest`; this module only speaks HTTP."""

from __future__ import annotations

import json
import logging
from typing import Any

import psycopg
from flask import Blueprint, Response, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge

from app.services.carrier_ingest import receive_carrier_push
from app.services.ingest import receive_webhook

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.post("/<platform_name>")
def platform_webhook(platform_name: str) -> Response:
    # The signature covers the exact bytes sent; never let Flask decode or re-serialise them first.
    body = request.get_data(cache=False, as_text=False, parse_form_data=False)
    result = receive_webhook(platform_name=platform_name, headers=environ_headers(request.environ), body=body)
    # A small answer written directly: platforms ignore it, and jsonify costs more than the rest of the response.
    return Response(json.dumps(result.body), status=result.status, mimetype="application/json")


@bp.post("/carriers/<source_name>")
@bp.post("/carriers/<source_name>/shops/<shop_token>")
def carrier_push(source_name: str, shop_token: str | None = None) -> Response:
    # Tracking news pushed by an aggregator (EasyPost): the same raw-bytes rule, into the same inbox. The second
    # form is a store's own address, for a merchant's own aggregator account (app/services/push_urls.py).
    body = request.get_data(cache=False, as_text=False, parse_form_data=False)
    result = receive_carrier_push(source_name=source_name, headers=environ_headers(request.environ), body=body,
                                  shop_token=shop_token)  # fmt: skip
    return Response(json.dumps(result.body), status=result.status, mimetype="application/json")


def environ_headers(environ: dict[str, Any]) -> dict[str, str]:
    """Request headers as a plain dict with lower-case names, read straight from the WSGI environ (werkzeug's
    `Headers` rebuilds every name on each pass; a webhook looks several up)."""
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items() if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    if environ.get("CONTENT_LENGTH"):
        headers["content-length"] = environ["CONTENT_LENGTH"]
    return headers


@bp.errorhandler(OperationalError)
@bp.errorhandler(psycopg.OperationalError)
def storage_unavailable(exc: Exception) -> tuple[Response, int, dict[str, str]]:
    # Nothing was stored, so nothing was acknowledged: ask the platform to deliver again (both retry on non-2xx).
    log.error("webhook refused: database unreachable", extra={"error": type(exc).__name__})
    body = {"error": "storage is unavailable for a moment; deliver again"}
    return jsonify(body), 503, {"Retry-After": "30"}


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_: RequestEntityTooLarge) -> tuple[Response, int]:
    return jsonify({"error": "body exceeds the webhook size limit (WEBHOOK_MAX_BYTES)"}), 413
