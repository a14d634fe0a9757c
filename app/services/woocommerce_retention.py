"""Forgetting what WooCommerce sign-ins and connection attempts leave behind once it can no longer matter.

A used login link's `jti` is kept only until the link expires (the signature check refuses it after that anyway).
A connection attempt nobody finished holds no keys: it is dropped a day after its state expired; a failed one is
kept 30 days, so support can still read why a merchant's connection failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from app.extensions import db
from app.models import WooCommerceConnection, WooCommerceLogin
from app.models.types import utcnow

ABANDONED_AFTER = timedelta(days=1)
FAILED_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Pruned:
    logins: int
    connections: int


def prune_woocommerce_records(*, now: datetime | None = None) -> Pruned:
    now = now or utcnow()
    logins = db.session.execute(delete(WooCommerceLogin).where(WooCommerceLogin.expires_at < now))
    connections = db.session.execute(delete(WooCommerceConnection).where(
        ((WooCommerceConnection.state == "pending") & (WooCommerceConnection.state_expires_at < now - ABANDONED_AFTER))
        | ((WooCommerceConnection.state == "failed") & (WooCommerceConnection.updated_at < now - FAILED_KEPT))
    ))  # fmt: skip
    db.session.commit()
    return Pruned(logins=int(getattr(logins, "rowcount", 0)), connections=int(getattr(connections, "rowcount", 0)))
