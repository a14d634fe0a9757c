"""Ingress for tracking pushes (`POST /webhooks/carriers/<source>`): verify, store one inbox row, wake the drain,
acknowledge. Pushes share the inbox with platform webhooks (unique per source, account, topic and event, so a
redelivery is dropped); the drain applies them through the same path as polls (`app.services.carrier_pushes`).

Pushes to the app's address are not addressed to a store: a tracking number can belong to several, and which ones is
decided when the push is applied. Pushes to a store's own address (`app.services.push_urls`) are checked against
that store's secret and stored with its id, and apply to its parcels only. Events that are not about a parcel (an
aggregator's billing or batch news) are acknowledged and not stored.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import current_app

from app.jobs.queue import backend_of
from app.models import InboxStatus
from app.models.types import utcnow
from app.services import push_urls
from app.services.ingest import IngestResult, ShopVanished, _count_duplicate, _insert, overflow
from integrations import MappingError, UnknownIntegration, WebhookVerificationError
from integrations.carriers.sources import get_push_source
from integrations.platform import Headers

log = logging.getLogger(__name__)


def receive_carrier_push(
    *, source_name: str, headers: Headers, body: bytes, shop_token: str | None = None
) -> IngestResult:
    try:
        source = get_push_source(source_name)
    except UnknownIntegration:
        return IngestResult(404, {"error": f"unknown tracking source {source_name!r}"})
    shop_id = None
    if shop_token is None:
        secret = current_app.config["AFTERGLOW"].push_secret(source.name)
    else:
        shop_id = push_urls.shop_from_push_token(shop_token)
        if shop_id is None:
            return IngestResult(404, {"error": "no store has this push address"})
        secret = push_urls.shop_push_secret(shop_id=shop_id, source=source.name)
    if not secret:
        log.warning("tracking push refused: no secret configured", extra={"source": source.name})
        return IngestResult(401, {"error": f"{source.name} pushes are not configured on this Afterglow"})
    try:
        source.verify_push(headers, body, secret)
    except WebhookVerificationError as exc:
        log.info("tracking push signature refused", extra={"source": source.name, "missing": exc.missing})
        return IngestResult(400 if exc.missing else 401, {"error": f"signature check failed: {exc}"})

    row: dict[str, Any] = {
        "platform": source.name, "shop_id": shop_id, "headers": {}, "body": body, "received_at": utcnow(),
    }  # fmt: skip
    try:
        push = source.parse_push(body)
        # A store's own address dedupes within that store: the same event sent to two stores is two pushes.
        account = push.account or "" if shop_id is None else f"shop:{shop_id}:{push.account or ''}"
        # The sender's ids are strings of any length; the inbox's columns are not.
        if push.tracking and (reason := overflow(topic=push.topic, event_id=push.event_id, shop_domain=account)):
            raise MappingError(f"{source.name} push: {reason}")
    except MappingError as exc:
        # Signed but unreadable: kept with the reason, to be inspected and replayed.
        try:
            row_id = _insert(row, shop_domain="", topic="unknown", status=InboxStatus.FAILED, error=str(exc),
                             event_id="unparsed:" + hashlib.sha256(body).hexdigest())  # fmt: skip
        except ShopVanished:
            return _store_removed(source.name, shop_id)
        return IngestResult(400, {"error": str(exc), "inbox_id": row_id})
    if not push.tracking:
        return IngestResult(200, {"ok": True, "ignored": f"{push.topic} is not about a parcel"})

    try:
        row_id = _insert(row, shop_domain=account, topic=push.topic, event_id=push.event_id,
                         status=InboxStatus.RECEIVED)  # fmt: skip
    except ShopVanished:
        return _store_removed(source.name, shop_id)
    if row_id is None:
        _count_duplicate(source.name, account, push.topic, push.event_id)
        return IngestResult(200, {"ok": True, "duplicate": True})
    backend_of(current_app._get_current_object()).wake_soon("process_inbox")  # type: ignore[attr-defined]
    return IngestResult(200, {"ok": True, "inbox_id": row_id})


def _store_removed(source: str, shop_id: int | None) -> IngestResult:
    # A store's address outlives the store (its token is signed, not stored): after shop/redact its pushes have no
    # parcel to update, and the aggregator should stop retrying them.
    log.info("tracking push for a removed store refused", extra={"source": source, "shop_id": shop_id})
    return IngestResult(404, {"error": "no store has this push address"})
