""""You may also like": products the shop's own shoppers often bought together with the items of this order,
topped up with the shop's best sellers when there are too few such orders to go on.

Both come from the order store alone (line items of the shop's recent orders), so they need no catalogue access
and work the same for Shopify and WooCommerce. Titles and images are the latest seen on an order line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import LineItem, Order

LOOKBACK = timedelta(days=180)
MIN_TOGETHER = 2  # orders a pair must share before "bought together" means something


@dataclass(frozen=True)
class Recommendation:
    product_id: str
    title: str
    image_url: str | None
    reason: str  # "bought_together" or "best_seller"


def recommend(*, order: Order, limit: int = 4) -> list[Recommendation]:
    # Orders from half a year before this one onwards: what shoppers buy now, and a demo or a quiet shop's
    # history still counts when its latest orders are old.
    since = order.platform_created_at - LOOKBACK
    own = sorted({item.product_id for item in order.line_items if item.product_id})
    picked: dict[str, str] = {}
    if own:
        mine, other = aliased(LineItem), aliased(LineItem)
        together = func.count(func.distinct(other.order_id))
        rows = db.session.execute(
            select(other.product_id, together)
            .join(mine, and_(mine.order_id == other.order_id, mine.product_id.in_(own)))
            .join(Order, Order.id == other.order_id)
            .where(other.shop_id == order.shop_id, mine.shop_id == order.shop_id)
            .where(other.product_id.is_not(None), other.product_id.not_in(own), Order.platform_created_at >= since)
            .group_by(other.product_id)
            .having(together >= MIN_TOGETHER)
            .order_by(together.desc(), other.product_id)
            .limit(limit)
        )
        picked.update({str(product_id): "bought_together" for product_id, _ in rows})
    if len(picked) < limit:
        sold = func.sum(LineItem.quantity)
        rows = db.session.execute(
            select(LineItem.product_id, sold)
            .join(Order, Order.id == LineItem.order_id)
            .where(LineItem.shop_id == order.shop_id, LineItem.product_id.is_not(None))
            .where(LineItem.product_id.not_in([*own, *picked]), Order.platform_created_at >= since)
            .group_by(LineItem.product_id)
            .order_by(sold.desc(), LineItem.product_id)
            .limit(limit - len(picked))
        )
        picked.update({str(product_id): "best_seller" for product_id, _ in rows})
    return _describe(order.shop_id, picked)


def _describe(shop_id: int, picked: dict[str, str]) -> list[Recommendation]:
    if not picked:
        return []
    newest = (
        select(LineItem.product_id, func.max(LineItem.id).label("id"))
        .where(LineItem.shop_id == shop_id, LineItem.product_id.in_(list(picked)))
        .group_by(LineItem.product_id)
        .subquery()
    )
    rows = db.session.execute(
        select(LineItem.product_id, LineItem.title, LineItem.image_url).join(newest, LineItem.id == newest.c.id)
    )
    found = {str(product_id): (title, image) for product_id, title, image in rows}
    return [
        Recommendation(product_id=p, title=found[p][0], image_url=found[p][1], reason=reason)
        for p, reason in picked.items()
        if p in found
    ]
