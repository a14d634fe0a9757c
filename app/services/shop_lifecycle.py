"""A Shopify store's life with the app: installed (or installed again), uninstalled, and what each one starts or stops.

Install is Shopify's managed install: the store's admin loads the app home with a session token, which we exchange
for an expiring offline token (`shopify_connections`). Installing over an existing row (a reinstall) reconnects it
and picks its parcels' tracking back up. Uninstalling forgets the tokens (Shopify has revoked them anyway) and stops
the work done for the store, but keeps its data: Shopify sends shop/redact 48 hours later, and a merchant who comes
back within that time finds everything as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from app.extensions import db
from app.jobs.queue import enqueue_after_commit
from app.models import FulfillmentWriteback, Shipment, Shop, ShopifyCredential
from app.models.types import utcnow
from app.services import shop_keys
from app.services.shopify_connections import connect_with_session_token
from app.services.shopify_tokens import access_token, forget_tokens
from app.services.shops import find_shop
from app.services.tracking_schedule import FINAL
from integrations.errors import AuthenticationError

log = logging.getLogger(__name__)


def needs_token(*, shop_domain: str, now: datetime | None = None) -> bool:
    """True when the app home must exchange a session token: a new, uninstalled or disconnected store, or one whose
    tokens can no longer be renewed."""
    now = now or utcnow()
    row = db.session.execute(
        select(Shop.uninstalled_at, ShopifyCredential.id, ShopifyCredential.refresh_token_ciphertext,
               ShopifyCredential.refresh_token_expires_at, ShopifyCredential.access_token_expires_at)
        .join(ShopifyCredential, ShopifyCredential.shop_id == Shop.id, isouter=True)
        .where(Shop.platform == "shopify", Shop.domain == shop_domain)
    ).first()  # fmt: skip
    db.session.rollback()
    if row is None or row.uninstalled_at is not None or row.id is None:
        return True
    if row.refresh_token_ciphertext is None:  # only an access token: usable until it expires
        return row.access_token_expires_at is not None and row.access_token_expires_at <= now
    return row.refresh_token_expires_at is not None and row.refresh_token_expires_at <= now


def connect_from_app_home(*, shop_domain: str, id_token: str, claims: Mapping[str, Any]) -> Shop:
    """What the app home does with a verified session token: install a store that needs it; for one with tokens,
    check they still work (free unless a refresh is due) and exchange again, once, when Shopify refuses the refresh
    (revoked by support, or spent by a process that died before saving the new one)."""
    if needs_token(shop_domain=shop_domain):
        return install(shop_domain=shop_domain, id_token=id_token, claims=claims)
    shop = find_shop(platform="shopify", domain=shop_domain)
    assert shop is not None  # needs_token said it has tokens
    try:
        access_token(shop_id=shop.id)
    except AuthenticationError:
        log.info("refresh refused; exchanging the session token again", extra={"shop_id": shop.id})
        return install(shop_domain=shop_domain, id_token=id_token, claims=claims)
    return shop


def install(*, shop_domain: str, id_token: str, claims: Mapping[str, Any]) -> Shop:
    """Exchange the session token, keep the tokens, and start what a connected store gets: tracking picked back up
    after a reinstall, and its recent orders imported (`backfill_orders` job)."""
    shop = connect_with_session_token(shop_domain=shop_domain, id_token=id_token, claims=claims)
    now = utcnow()
    resumed = db.session.execute(
        update(Shipment).where(
            Shipment.shop_id == shop.id, Shipment.next_check_at.is_(None), Shipment.removed_at.is_(None),
            Shipment.tracking_number.is_not(None), Shipment.tracking_status.not_in([str(s) for s in FINAL]),
        ).values(next_check_at=now)
    ).rowcount  # type: ignore[attr-defined]  # fmt: skip
    enqueue_after_commit("backfill_orders", shop.id)
    db.session.commit()
    shop_keys.forget(platform="shopify", domain=shop_domain)
    log.info("shopify store installed", extra={"shop_id": shop.id, "parcels_resumed": resumed})
    return shop


def uninstall(*, shop_id: int) -> bool:
    """app/uninstalled: tokens purged, polling and pending write-backs stopped, data kept. False if already done."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        db.session.rollback()
        return False
    first_time = shop.uninstalled_at is None
    shop.uninstalled_at = shop.uninstalled_at or utcnow()
    stopped = db.session.execute(
        update(Shipment).where(Shipment.shop_id == shop_id, Shipment.next_check_at.is_not(None))
        .values(next_check_at=None)
    ).rowcount  # type: ignore[attr-defined]  # fmt: skip
    db.session.execute(
        update(FulfillmentWriteback)
        .where(FulfillmentWriteback.shop_id == shop_id, FulfillmentWriteback.state.in_(("pending", "sending")))
        .values(state="failed", reason="store uninstalled the app", next_attempt_at=None)
    )  # fmt: skip
    db.session.commit()
    forget_tokens(shop_id=shop_id)
    shop_keys.forget(platform=shop.platform, domain=shop.domain)
    log.info("store uninstalled", extra={"shop_id": shop_id, "parcels_stopped": stopped})
    return first_time
