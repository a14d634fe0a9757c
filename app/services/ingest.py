"""Webhook ingress: verify, store one inbox row, enqueue after commit, acknowledge. No business logic here:
everything the event means is decided later by `process_inbound_webhook`, so the sender gets its 200 fast."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import InboundWebhook, InboxStatus
from app.services import shops
from integrations import MappingError, UnknownIntegration, WebhookVerificationError, get_platform
from integrations.platform import Headers, header

log = logging.getLogger(__name__)

# Headers worth keeping with the body: what the platform said about the delivery, never cookies or auth.
_KEPT_HEADER_PREFIXES = ("x-shopify-", "x-wc-webhook-")


@dataclass(frozen=True)
class IngestResult:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


def receive_webhook(*, platform_name: str, headers: Headers, body: bytes) -> IngestResult:
    try:
        platform = get_platform(platform_name)
    except UnknownIntegration:
        return IngestResult(404, {"error": f"unknown platform {platform_name!r}"})

    if platform.is_ping(headers, body):
        # WooCommerce checks the delivery URL with an unsigned ping when the merchant saves a webhook.
        return IngestResult(200, {"ok": True, "ping": True})

    domain = platform.shop_domain(headers)
    if domain is None:
        return IngestResult(400, {"error": "the delivery does not say which store sent it"})

    shop = shops.find_shop(platform=platform.name, domain=domain)
    secret = shops.webhook_secret(platform=platform.name, shop=shop)
    if secret is None:
        return IngestResult(401, {"error": f"store {domain} is not connected to Afterglow"})
    try:
        platform.verify_webhook(headers, body, secret)
    except WebhookVerificationError as exc:
        log.info("webhook signature refused", extra={"platform": platform.name, "missing": exc.missing})
        return IngestResult(400 if exc.missing else 401, {"error": f"signature check failed: {exc}"})

    if shop is None:
        shop = shops.get_or_create_shop(platform=platform.name, domain=domain)

    kept_headers = {k.lower(): v for k, v in headers.items() if k.lower().startswith(_KEPT_HEADER_PREFIXES)}
    try:
        envelope = platform.parse_webhook(headers, body)
    except MappingError as exc:
        # Signed but unreadable: keep it, with the reason, so it can be inspected and replayed.
        row_id = _insert_row(
            platform=platform.name,
            shop_id=shop.id,
            shop_domain=domain,
            topic=header(headers, "x-shopify-topic", "x-wc-webhook-topic") or "unknown",
            event_id="unparsed:" + hashlib.sha256(body).hexdigest(),
            webhook_id=None,
            api_version=None,
            headers=kept_headers,
            body=body,
            status=InboxStatus.FAILED,
            error=str(exc),
        )
        db.session.commit()
        return IngestResult(400, {"error": str(exc), "inbox_id": row_id})

    row_id = _insert_row(
        platform=platform.name,
        shop_id=shop.id,
        shop_domain=domain,
        topic=envelope.topic,
        event_id=envelope.event_id,
        webhook_id=envelope.webhook_id,
        api_version=envelope.api_version,
        headers=kept_headers,
        body=body,
        status=InboxStatus.RECEIVED,
        error=None,
    )
    if row_id is None:
        db.session.execute(
            update(InboundWebhook)
            .where(
                InboundWebhook.platform == platform.name,
                InboundWebhook.shop_domain == domain,
                InboundWebhook.topic == envelope.topic,
                InboundWebhook.event_id == envelope.event_id,
            )
            .values(duplicate_count=InboundWebhook.duplicate_count + 1)
        )
        db.session.commit()
        return IngestResult(200, {"ok": True, "duplicate": True})

    enqueue_after_commit("process_inbound_webhook", row_id, job_id=f"inbox-{row_id}")
    db.session.commit()
    return IngestResult(200, {"ok": True, "inbox_id": row_id})


def _insert_row(**values: Any) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING: one round trip, and a redelivery racing the first copy cannot fail."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(InboundWebhook)
        .values(attempts=0, duplicate_count=0, **values)
        .on_conflict_do_nothing(index_elements=["platform", "shop_domain", "topic", "event_id"])
        .returning(InboundWebhook.id)
    )
    return db.session.execute(statement).scalar_one_or_none()

