"""`/api/admin/credentials`: the store's carrier accounts and its Klaviyo and webhook channels, for the Connections
screen. Each credential is proven by one call to its provider before it is stored; secrets come back masked only.

    GET    /api/admin/credentials                          carriers (and their fields), accounts, channels
    PUT    /api/admin/credentials/carriers/<source>        {"fields": {...}} -> {"account": ...}
    DELETE /api/admin/credentials/carriers/<source>
    PUT    /api/admin/credentials/channels/klaviyo         {"api_key": "pk_..."} -> {"channels": ...}
    PUT    /api/admin/credentials/channels/webhook         {"url": "https://..."} -> {"channels": ..., "secret": once}
    DELETE /api/admin/credentials/channels/<klaviyo|webhook>

A refusal is 422 `{"error": "invalid", "message", "fields": {"fields.client_secret": "..."}}`; a provider that does
not answer is 502 `{"error": "unavailable"}`, with nothing stored. Each connection attempt calls the provider (or,
for a webhook, the merchant's address), so a store gets `CHECKS_PER_HOUR` of them: then 429 with `Retry-After`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from app.admin.auth import admin_required, no_store
from app.admin.responses import refusal
from app.extensions import db
from app.ratelimit import limiter
from app.services import carrier_accounts, credentials
from app.services.notifications import settings as notification_settings

bp = Blueprint("admin_credentials", __name__, url_prefix="/api/admin/credentials")
bp.after_request(no_store)
CHECKS_PER_HOUR = 30


def checks_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    """Count a connection attempt against the signed-in store's hourly budget (after `admin_required`)."""

    @functools.wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        verdict = limiter().hit(f"credential-checks:{g.shop.id}", limit=CHECKS_PER_HOUR, window_seconds=3600)
        if not verdict.allowed:
            return refusal(429, "rate_limited", f"at most {CHECKS_PER_HOUR} connection attempts an hour: try again "
                           "later", headers={"Retry-After": str(verdict.retry_after)})  # fmt: skip
        return view(*args, **kwargs)

    return limited


# What the providers said, the same for every connection: refused credentials are a 422 on the fields they concern,
# a provider that did not answer a 502; nothing was stored either way.
@bp.errorhandler(credentials.CredentialsInvalid)
def _refused(exc: credentials.CredentialsInvalid) -> tuple[Response, int, dict[str, str]]:
    return refusal(422, "invalid", str(exc), fields=exc.fields)


@bp.errorhandler(credentials.ProviderUnavailable)
def _no_answer(exc: credentials.ProviderUnavailable) -> tuple[Response, int, dict[str, str]]:
    return refusal(502, "unavailable", str(exc))


@bp.get("")
@admin_required
def overview() -> Any:
    document = credentials.overview(shop_id=g.shop.id)
    db.session.rollback()
    return jsonify(document)


@bp.put("/carriers/<source>")
@admin_required
@checks_limited
def connect_carrier(source: str) -> Any:
    body = _body()
    fields = body.get("fields")
    if not isinstance(fields, dict):
        return refusal(422, "invalid", "send the carrier's fields as an object", fields={"fields": "required"})
    try:
        account = credentials.connect_carrier(shop_id=g.shop.id, source=source, fields=fields)
    except LookupError:
        return refusal(404, "not_found", f"no carrier account can be connected for {source}")
    return jsonify({"account": account})


@bp.delete("/carriers/<source>")
@admin_required
def remove_carrier(source: str) -> Any:
    if not carrier_accounts.remove_account(shop_id=g.shop.id, source=source):
        return refusal(404, "not_found", f"no {source} account is connected")
    return jsonify({"removed": source})


@bp.put("/channels/klaviyo")
@admin_required
@checks_limited
def connect_klaviyo() -> Any:
    channels = credentials.connect_klaviyo(shop_id=g.shop.id, api_key=_body().get("api_key"))
    db.session.rollback()
    return jsonify({"channels": channels})


@bp.put("/channels/webhook")
@admin_required
@checks_limited
def connect_webhook() -> Any:
    channels, secret = credentials.connect_webhook(shop_id=g.shop.id, url=_body().get("url"))
    db.session.rollback()
    return jsonify({"channels": channels, "secret": secret})  # shown this once: only its ciphertext is kept


@bp.delete("/channels/<channel>")
@admin_required
def disconnect_channel(channel: str) -> Any:
    if channel not in ("klaviyo", "webhook") or not notification_settings.disconnect(shop_id=g.shop.id,
                                                                                     channel=channel):
        return refusal(404, "not_found", f"{channel} is not connected")
    channels = credentials.channels(shop_id=g.shop.id)
    db.session.rollback()
    return jsonify({"channels": channels})


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}
