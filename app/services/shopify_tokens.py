"""A Shopify store's tokens: stored encrypted, handed out usable, refreshed before they expire.

Shopify's expiring offline tokens live 60 minutes and come with a refresh token that works once: refreshing
returns a new pair and the old refresh token is refused from then on. So a refresh is done under a row lock on
the credential (PostgreSQL `FOR UPDATE`), and whoever waited for the lock first looks at what the holder wrote
before refreshing again; the new pair is committed before anyone uses it. Embedded (SQLite) runs jobs on one
thread, so refreshes cannot overlap there.

Call these with no other changes pending in the session: they commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from app import crypto
from app.extensions import db
from app.models import Shop, ShopifyCredential
from app.models.types import utcnow
from integrations.errors import AuthenticationError
from integrations.shopify.tokens import IssuedTokens

log = logging.getLogger(__name__)


class NotConnected(AuthenticationError):
    """We hold no token for the store (never connected, or uninstalled and purged)."""


def store_tokens(*, shop_id: int, issued: IssuedTokens, now: datetime | None = None) -> None:
    """Keep what the token endpoint granted (install, token exchange, or a refresh done elsewhere)."""
    credential = _credential(shop_id, lock=True) or ShopifyCredential(shop_id=shop_id)
    _write(credential, issued, now or utcnow())
    db.session.add(credential)
    db.session.commit()


def forget_tokens(*, shop_id: int) -> bool:
    """Purge a store's tokens (app uninstalled). True when there were any."""
    removed = db.session.execute(delete(ShopifyCredential).where(ShopifyCredential.shop_id == shop_id)).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return bool(removed)


def access_token(*, shop_id: int, refused: str | None = None, now: datetime | None = None) -> str:
    """A usable access token: the stored one, or a fresh one when it expires within the margin or Shopify has just
    `refused` it (401). Raises `NotConnected`, or `AuthenticationError` when Shopify refuses the refresh."""
    now = now or utcnow()
    credential = _credential(shop_id)
    if credential is None:
        raise NotConnected(f"no Shopify token for shop {shop_id}: the store must be connected")
    token = crypto.decrypt(credential.access_token_ciphertext)
    if refused is None and not _due(credential, now):
        db.session.rollback()  # no transaction left open while the caller waits on Shopify
        return token

    credential = _credential(shop_id, lock=True)
    if credential is None:
        db.session.rollback()
        raise NotConnected(f"no Shopify token for shop {shop_id}: the store must be connected")
    current = crypto.decrypt(credential.access_token_ciphertext)
    if current != (refused or token) and not _due(credential, now):
        db.session.commit()  # refreshed by another worker while we waited for the lock
        return current
    if credential.refresh_token_ciphertext is None:
        db.session.rollback()
        if refused is None:
            return current  # a non-expiring token: nothing to refresh
        raise AuthenticationError(f"Shopify refused shop {shop_id}'s non-expiring token: the store must reconnect")
    if credential.refresh_token_expires_at is not None and credential.refresh_token_expires_at <= now:
        db.session.rollback()
        raise AuthenticationError(f"shop {shop_id}'s refresh token expired: the store must be connected again")

    shop = db.session.get(Shop, shop_id)
    assert shop is not None  # the credential's foreign key
    from app.services import shopify_api

    try:
        # The row stays locked during this call (at most the client's timeout), so nobody spends the same token.
        issued = shopify_api.issuer().refresh(
            shop_domain=shop.domain, refresh_token=crypto.decrypt(credential.refresh_token_ciphertext)
        )
    except Exception:
        db.session.rollback()
        raise
    _write(credential, issued, now)
    credential.refreshed_at = now
    db.session.commit()
    log.info("shopify token refreshed", extra={"shop_id": shop_id, "expires_at": str(issued.expires_at)})
    return issued.access_token


@dataclass
class TokenSource:
    """What `AdminClient` asks for its token: remembers the token it handed out, so a 401 refreshes that one."""

    shop_id: int
    last: str | None = None

    def __call__(self, *, refresh: bool = False) -> str:
        self.last = access_token(shop_id=self.shop_id, refused=self.last if refresh else None)
        return self.last

    def __repr__(self) -> str:
        return f"<TokenSource shop={self.shop_id}>"


def _credential(shop_id: int, *, lock: bool = False) -> ShopifyCredential | None:
    statement = select(ShopifyCredential).where(ShopifyCredential.shop_id == shop_id)
    if lock:
        statement = statement.execution_options(populate_existing=True)
        if db.session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update()
    return db.session.scalars(statement).first()


def _due(credential: ShopifyCredential, now: datetime) -> bool:
    if credential.access_token_expires_at is None:
        return False
    margin = timedelta(seconds=current_app.config["AFTERGLOW"].shopify_token_refresh_margin)
    return credential.access_token_expires_at - margin <= now


def _write(credential: ShopifyCredential, issued: IssuedTokens, now: datetime) -> None:
    credential.access_token_ciphertext = crypto.encrypt(issued.access_token)
    credential.access_token_expires_at = issued.expires_at
    credential.refresh_token_ciphertext = crypto.encrypt(issued.refresh_token) if issued.refresh_token else None
    credential.refresh_token_expires_at = issued.refresh_token_expires_at
    credential.scopes = issued.scopes or credential.scopes
    credential.updated_at = now
