"""The admin JSON API under `/api/admin/`: the embedded admin's reads and writes, each scoped to `g.shop`."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, g, request
from sqlalchemy import select

from app.admin.auth import admin_required, no_store
from app.admin.responses import answer, refusal
from app.extensions import db
from app.models import Shop, ShopifyCredential
from app.services import privacy_exports, shop_settings

bp = Blueprint("admin_api", __name__, url_prefix="/api/admin")
bp.after_request(no_store)


@bp.get("/shop")
@admin_required
def current_shop() -> Any:
    return answer({"shop": shop_document(g.shop)})


@bp.patch("/shop/settings")
@admin_required
def update_settings() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        return refusal(400, "bad_request", "send the settings to change as a JSON object")
    try:
        shop_settings.update(shop_id=g.shop.id, values={str(k): _word(v) for k, v in body.items()})
    except shop_settings.SettingError as exc:
        return refusal(422, "invalid_setting", str(exc))
    return answer({"shop": shop_document(db.session.get(Shop, g.shop.id) or g.shop)})


@bp.get("/privacy/exports")
@admin_required
def exports() -> Any:
    return answer({"exports": privacy_exports.list_exports(shop_id=g.shop.id)})


@bp.get("/privacy/exports/<int:export_id>")
@admin_required
def export(export_id: int) -> Any:
    found = privacy_exports.get_export(shop_id=g.shop.id, export_id=export_id)
    if found is None:  # another shop's export and a missing one look the same
        return refusal(404, "not_found", "no such export")
    body = json.dumps(found.document, indent=2, sort_keys=True)
    db.session.rollback()
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="customer-data-{export_id}.json"'
    return response


def shop_document(shop: Shop) -> dict[str, Any]:
    credential = db.session.scalars(select(ShopifyCredential).where(ShopifyCredential.shop_id == shop.id)).first()
    return {
        "id": shop.id, "platform": shop.platform, "domain": shop.domain, "name": shop.name,
        "currency": shop.currency, "timezone": shop.timezone, "installed_at": shop.installed_at.isoformat(),
        "connected": shop.uninstalled_at is None and (shop.platform != "shopify" or credential is not None),
        "scopes": (credential.scopes or "").split(",") if credential and credential.scopes else [],
        "settings": {name: shop_settings.get(shop, name) for name in sorted(shop_settings.SETTINGS)},
    }  # fmt: skip


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
