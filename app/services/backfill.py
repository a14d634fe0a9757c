"""Importing a store's existing orders when it connects: the same normalise-and-upsert path webhooks take.

Pages of orders come from the Admin GraphQL `orders` connection (oldest first) and are mapped to canonical orders by
`integrations.shopify.graphql_orders`; each page is then applied through `processing.apply_change`, the function
the inbox drain applies an orders/* webhook with, and committed. So an order already stored is only updated when
the page's version is newer, the same version twice writes nothing, and a webhook arriving meanwhile is safe.
Shopify shows an app only the last 60 days of orders unless it was granted `read_all_orders`; that scope decides
how far back we ask.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

import integrations.models as canonical
from app.extensions import db
from app.models import InboxStatus, Shop, ShopifyCredential
from app.models.types import utcnow
from app.services import orders, processing, shopify_api
from app.services.order_index import OrderIndex
from app.services.shopify_tokens import NotConnected
from integrations.shopify.graphql_orders import PAGE_SIZE, count_orders, iter_pages, search_query

log = logging.getLogger(__name__)
RECENT_DAYS = 60
ALL_ORDERS_SCOPE = "read_all_orders"

Progress = Callable[[int, int | None], None]  # (orders just imported, total expected or None)


@dataclass
class BackfillReport:
    since: datetime | None  # None: every order (read_all_orders)
    expected: int | None = None
    imported: int = 0
    created: int = 0
    pages: int = 0
    seconds: float = 0.0


def backfill_orders(
    *, shop_id: int, progress: Progress | None = None, page_size: int = PAGE_SIZE, now: datetime | None = None
) -> BackfillReport:
    """Import the store's orders: all of them with `read_all_orders`, else the last 60 days."""
    started = utcnow()
    shop = db.session.get(Shop, shop_id)
    if shop is None or shop.platform != "shopify" or shop.uninstalled_at is not None:
        db.session.rollback()
        raise NotConnected(f"shop {shop_id} is not a connected Shopify store")
    scopes = db.session.scalar(select(ShopifyCredential.scopes).where(ShopifyCredential.shop_id == shop_id)) or ""
    since = None if ALL_ORDERS_SCOPE in scopes.split(",") else (now or started) - timedelta(days=RECENT_DAYS)
    domain, client = shop.domain, shopify_api.admin_client(shop=shop)
    db.session.rollback()  # no transaction held open while Shopify answers
    query = search_query(since)
    report = BackfillReport(since=since, expected=count_orders(client, query=query))
    if progress:
        progress(0, report.expected)
    for page in iter_pages(client, shop_domain=domain, query=query, page_size=page_size):
        report.created += _apply_page(shop_id, page.orders)
        report.imported += len(page.orders)
        report.pages += 1
        if progress:
            progress(len(page.orders), report.expected)
    report.seconds = (utcnow() - started).total_seconds()
    log.info("orders backfilled", extra={"shop_id": shop_id, "orders": report.imported, "pages": report.pages})
    return report


def backfill_orders_job(shop_id: int) -> int:
    """The job a fresh install starts; how many orders it imported."""
    try:
        return backfill_orders(shop_id=shop_id).imported
    except NotConnected:
        return 0  # uninstalled before the job ran


def _apply_page(shop_id: int, page: tuple[canonical.Order, ...]) -> int:
    """One page in one transaction, exactly as the inbox drain applies a batch of order webhooks."""
    shop = db.session.get(Shop, shop_id)
    assert shop is not None
    index = OrderIndex()
    customers: list[tuple[int, str]] = []
    guests: list[tuple[int, str]] = []
    for order in page:
        found, guest = orders.customer_keys(order, shop_id)
        customers += found
        guests += guest
    created = 0
    with db.session.no_autoflush:
        index.load(orders=[(shop_id, order.external_id) for order in page], customers=customers, guests=guests)
        for order in page:
            known = index.order(shop_id, order.external_id) is not None
            status, _ = processing.apply_change(
                shop=shop, change=canonical.OrderUpsert(order), index=index, inbound_webhook_id=None
            )
            created += int(status == InboxStatus.PROCESSED and not known)
    db.session.commit()
    return created
