"""Importing a WooCommerce store's existing orders through the REST API.

Every page of `GET /orders` goes through what a webhook delivery goes through: `order_change` decides (drafts
skipped, trashed orders deleted), `normalise_order` maps, and `processing.apply_change` upserts, so an order
imported here and the same order later delivered by a webhook are one row, and an older version never
overwrites a newer one. A page is one transaction, its orders and customers loaded in a few queries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import integrations.models as canonical
from app.extensions import db
from app.models import InboxStatus, Shop
from app.services import orders, woocommerce_api
from app.services.order_index import OrderIndex
from app.services.processing import apply_change
from integrations.errors import MappingError
from integrations.woocommerce.webhooks import order_change

log = logging.getLogger(__name__)

# (orders done so far, orders in all, as X-WP-Total said on the last page read)
Progress = Callable[[int, int | None], None]


@dataclass
class BackfillReport:
    seen: int = 0
    stored: int = 0  # created or updated (or found already up to date)
    ignored: int = 0  # drafts, trashed orders never stored
    failed: list[tuple[str, str]] = field(default_factory=list)  # (order id, why)
    total: int | None = None


class BackfillError(RuntimeError):
    """The store cannot be backfilled (not a connected WooCommerce store)."""


def backfill_woocommerce(
    *, shop_id: int, since: datetime | None = None, progress: Progress | None = None, per_page: int = 100
) -> BackfillReport:
    """Import the shop's orders created after `since` (all when None), oldest first."""
    shop = db.session.get(Shop, shop_id)
    if shop is None or shop.platform != "woocommerce":
        raise BackfillError(f"shop {shop_id} is not a WooCommerce store")
    try:
        client = woocommerce_api.client_for_shop(shop_id=shop_id)
    except woocommerce_api.NotConnected as exc:
        raise BackfillError(str(exc)) from None
    domain, report = shop.domain, BackfillReport()
    params: dict[str, str] = {"orderby": "id", "order": "asc"}  # ids only grow: orders placed meanwhile come last
    if since is not None:
        params["after"] = since.strftime("%Y-%m-%dT%H:%M:%S")
    db.session.rollback()  # no transaction held open while the store answers
    for page in client.pages("orders", per_page=per_page, **params):
        report.total = page.total
        _apply_page(shop_id=shop_id, domain=domain, items=page.items, report=report)
        if progress is not None:
            progress(report.seen, report.total)
    log.info("woocommerce backfill done", extra={"shop_id": shop_id, "seen": report.seen,
                                                  "failed": len(report.failed)})  # fmt: skip
    return report


def _apply_page(*, shop_id: int, domain: str, items: list[dict[str, object]], report: BackfillReport) -> None:
    changes: list[canonical.WebhookChange] = []
    for item in items:
        report.seen += 1
        try:
            changes.append(order_change(item, shop_domain=domain))
        except MappingError as exc:
            report.failed.append((str(item.get("id")), str(exc)))
    shop = db.session.get(Shop, shop_id)
    assert shop is not None
    index, keys, customers, guests = OrderIndex(), [], [], []
    for change in changes:
        if isinstance(change, canonical.OrderUpsert):
            keys.append((shop_id, change.order.external_id))
            found, guest = orders.customer_keys(change.order, shop_id)
            customers += found
            guests += guest
        elif isinstance(change, canonical.OrderDeleted):
            keys.append((shop_id, change.order_external_id))
    with db.session.no_autoflush:
        index.load(orders=keys, customers=customers, guests=guests)
        for change in changes:
            status, _ = apply_change(shop=shop, change=change, index=index, inbound_webhook_id=None)
            if status is InboxStatus.PROCESSED:
                report.stored += 1
            else:
                report.ignored += 1
    db.session.commit()
