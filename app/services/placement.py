"""Where the shop's storefront tracking page is, as the platform says: the app block or app embed in the live
Shopify theme (Admin GraphQL, `read_themes`), or a published WordPress page showing the widget (WordPress's public
REST API). The answer is kept on `shop_setup` and asked again only when it is older than `CHECK_EVERY` (a failed
look sooner, after `RETRY_FAILED_AFTER`), or when the merchant asks: the admin's home page does not cost the
store an API call per visit. A storefront lookup answered for the shop is recorded too, as proof on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Shop, ShopSetup
from app.models.types import utcnow
from app.services import shopify_api, woocommerce_api
from app.services.notifications.inserts import insert_new
from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.shopify import themes
from integrations.shopify.errors import ShopifyAccessError, ShopifyGraphQLError
from integrations.woocommerce import pages

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(minutes=5)
RETRY_FAILED_AFTER = timedelta(minutes=1)
APP_HANDLE = "afterglow"  # shopify.app.toml `handle`: block types read shopify://apps/<handle>/blocks/...
APP_BLOCK = "order-tracking"  # frontend/shopify-extension/blocks/order-tracking.liquid
APP_EMBED = "track-link"  # frontend/shopify-extension/blocks/track-link.liquid


@dataclass(frozen=True)
class Setup:
    found: bool
    where: str | None
    error: str | None  # why the platform could not tell us, in the merchant's words
    checked_at: datetime | None
    answered_at: datetime | None  # the storefront API first answered one of the shop's shoppers


def current(*, shop: Shop, connected: bool, recheck: bool = False, now: datetime | None = None) -> Setup:
    """The shop's placement, looked up on the platform first when stale (or `recheck`) and the store connected."""
    now = now or utcnow()
    insert_new(ShopSetup.__table__, [{"shop_id": shop.id, "updated_at": now}])
    db.session.commit()  # the row, if it was new: asking Shopify may refresh (and commit) the store's token
    row = db.session.get(ShopSetup, shop.id)
    if connected and row is not None and (recheck or _stale(row, now)):
        found, where, error = _look(shop)
        db.session.execute(update(ShopSetup).where(ShopSetup.shop_id == shop.id).values(
            placement_found=found, placement_where=where, placement_error=error, placement_checked_at=now,
            updated_at=now))  # fmt: skip
        db.session.commit()
        row = db.session.get(ShopSetup, shop.id)
    assert row is not None
    return Setup(found=bool(row.placement_found), where=row.placement_where, error=row.placement_error,
                 checked_at=row.placement_checked_at, answered_at=row.storefront_answered_at)  # fmt: skip


def record_storefront_answer(*, shop_id: int) -> None:
    """The storefront API answered one of the shop's shoppers: its tracking page works. Written once per shop."""
    answered = db.session.scalar(select(ShopSetup.storefront_answered_at).where(ShopSetup.shop_id == shop_id))
    if answered is not None:
        return
    now = utcnow()
    insert_new(ShopSetup.__table__, [{"shop_id": shop_id, "updated_at": now}])
    db.session.execute(update(ShopSetup).where(ShopSetup.shop_id == shop_id,
                                               ShopSetup.storefront_answered_at.is_(None))
                       .values(storefront_answered_at=now, updated_at=now))  # fmt: skip
    db.session.commit()


def woocommerce_store_url(shop: Shop) -> str:
    connection = woocommerce_api.current_connection(shop_id=shop.id)
    return connection.store_url if connection is not None else f"https://{shop.domain}"


def _stale(row: ShopSetup, now: datetime) -> bool:
    if row.placement_checked_at is None:
        return True
    wait = RETRY_FAILED_AFTER if row.placement_found is None else CHECK_EVERY
    return row.placement_checked_at <= now - wait


def _look(shop: Shop) -> tuple[bool | None, str | None, str | None]:
    """(found, where, error): found is None when the platform could not be asked."""
    try:
        if shop.platform == "woocommerce":
            return _look_woocommerce(shop)
        return _look_shopify(shop)
    except ShopifyGraphQLError as exc:
        if "read_themes" in str(exc) or "Access denied" in str(exc):
            return None, None, "Afterglow may not read your theme yet: open it from your Shopify admin to accept " \
                               "the new permission."
        log.warning("theme check refused", extra={"shop_id": shop.id, "error": type(exc).__name__})
        return None, None, "Shopify did not answer our question about your theme."
    except ShopifyAccessError:
        return None, None, "Shopify refused to show us your theme."
    except AuthenticationError:
        return None, None, "your store's connection has expired: open Afterglow from your store's admin."
    except RetryableError:
        return None, None, f"your {_platform_name(shop)} store did not answer. Try again in a moment."
    except IntegrationError as exc:
        log.warning("placement check failed", extra={"shop_id": shop.id, "error": type(exc).__name__})
        return None, None, f"your {_platform_name(shop)} store refused our question ({exc})."


def _look_shopify(shop: Shop) -> tuple[bool | None, str | None, str | None]:
    client = shopify_api.admin_client(shop=shop)
    found = themes.find_blocks(client, app_handle=APP_HANDLE, block_handles=(APP_BLOCK, APP_EMBED))
    if found.theme is None:
        return False, None, None
    where = f"{found.theme}: {found.where}" if found.found else None
    return found.found, where, None


def _look_woocommerce(shop: Shop) -> tuple[bool | None, str | None, str | None]:
    settings = current_app.config["AFTERGLOW"]
    placed = pages.tracking_pages(woocommerce_store_url(shop), timeout=min(8.0, float(settings.woocommerce_timeout)),
                                  verify=settings.woocommerce_ca_bundle or True)  # fmt: skip
    if not placed:
        return False, None, None
    return True, placed[0].link, None


def _platform_name(shop: Shop) -> str:
    return "WooCommerce" if shop.platform == "woocommerce" else "Shopify"
