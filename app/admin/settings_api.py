"""The merchant's settings document (`app/services/settings_document.py`) and the tracking page's live preview.

- `GET /api/admin/settings`: `{"branding", "tracking_page", "journeys", "quiet_hours", "templates"}`.
- `PUT /api/admin/settings`: any of those sections, any part of each; all stored or none; answers the whole
  document. Refused: 422 `{"error": "invalid", "message", "fields": {"branding.accent_color": "why", ...}}` naming
  every wrong field (unknown ones too); a body that is not a JSON object: 400 with the reason.
- `POST /api/admin/storefront/preview`: a draft `{"branding"?, "tracking_page"?}`, checked like a save, answered
  with a sample order in exactly the storefront API's shape with the draft applied. Nothing is stored.

Every call is the signed-in merchant's own store (`g.shop`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from app.admin.auth import admin_required, no_store
from app.admin.responses import refusal
from app.extensions import db
from app.services import settings_document
from app.services.settings_document import SettingsError
from app.storefront.sample import sample_document

bp = Blueprint("admin_settings", __name__, url_prefix="/api/admin")
bp.after_request(no_store)
PREVIEW_SECTIONS = ("branding", "tracking_page")


@bp.get("/settings")
@admin_required
def read_settings() -> Any:
    document = settings_document.document(shop=g.shop)
    db.session.rollback()
    return jsonify(document)


@bp.put("/settings")
@admin_required
def write_settings() -> Any:
    body, refusal = _json_object()
    if refusal is not None:
        return refusal
    try:
        document = settings_document.update(shop_id=g.shop.id, changes=body)
    except SettingsError as exc:
        return _invalid(exc)
    db.session.rollback()
    return jsonify(document)


@bp.post("/storefront/preview")
@admin_required
def storefront_preview() -> Any:
    body, refusal = _json_object()
    if refusal is not None:
        return refusal
    outside = {str(key): "The preview takes branding and tracking_page only" for key in body
               if key not in PREVIEW_SECTIONS}  # fmt: skip
    try:
        draft = settings_document.draft(shop=g.shop, changes={k: v for k, v in body.items() if k in PREVIEW_SECTIONS})
    except SettingsError as exc:
        return _invalid(SettingsError({**exc.fields, **outside}) if exc.fields else exc)
    if outside:
        return _invalid(SettingsError(outside))
    document = sample_document(g.shop, brand=draft["branding"], page=draft["tracking_page"])
    db.session.rollback()
    return jsonify(document)


def _json_object() -> tuple[dict[str, Any], tuple[Response, int, dict[str, str]] | None]:
    """The request's JSON object, or the 400 that says why there is none."""
    if not request.is_json:
        return {}, _bad_request("send the settings as JSON (Content-Type: application/json)")
    body = request.get_json(silent=True)
    if body is None:
        return {}, _bad_request("the body is not valid JSON")
    if not isinstance(body, dict):
        return {}, _bad_request("send the settings as a JSON object")
    return body, None


def _bad_request(message: str) -> tuple[Response, int, dict[str, str]]:
    return refusal(400, "bad_request", message)


def _invalid(exc: SettingsError) -> tuple[Response, int, dict[str, str]]:
    fields = exc.fields or {"settings": str(exc)}
    message = ("1 setting needs" if len(fields) == 1 else f"{len(fields)} settings need") + " a change: "
    return refusal(422, "invalid", message + ", ".join(fields), fields=fields)
