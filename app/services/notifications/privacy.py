"""Forgetting a shopper (Shopify's customers/redact, a deletion request): what the outbox keeps about them.

A shop's own deletion cascades with its rows. For one shopper, the messages stay (support's "was this sent, and
when?" still needs an answer) but lose who they went to and the facts they carried. Opt-outs are kept: they are
what stops a re-imported address from being written to again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update

from app.extensions import db
from app.models import Notification, NotificationStatus
from app.models.types import utcnow


def redact_orders(*, shop_id: int, order_ids: Iterable[int]) -> int:
    """Blank the recipient and facts of the shop's notifications for these orders; suppress any still waiting.
    Commits. Returns how many rows were redacted."""
    ids = list(order_ids)
    if not ids:
        return 0
    scope = (Notification.shop_id == shop_id, Notification.order_id.in_(ids))
    now = utcnow()
    db.session.execute(
        update(Notification).where(*scope, Notification.status == NotificationStatus.QUEUED)
        .values(status=NotificationStatus.SUPPRESSED, reason="shopper data redacted", updated_at=now)
    )  # fmt: skip
    result = db.session.execute(
        update(Notification).where(*scope).values(recipient=None, data={}, timezone=None, updated_at=now)
    )
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
