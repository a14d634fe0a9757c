"""Finding a shopper's order without letting anyone else find it.

A shopper proves they may see an order with its number and the email (or the shipping postal code) it was placed
with, with a signed link from one of our messages, or by being signed in to the store (Shopify's app proxy vouches
for `logged_in_customer_id`). A wrong email and an unknown number get the same answer, and both run the same query
and the same constant-time comparison, so neither the answer nor its timing tells whether an order exists.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, Order, Shipment, Shop

LINK_MAX_AGE_SECONDS = 180 * 24 * 3600  # a parcel's life and the returns window after it
_DUMMY = "\x00no-such-order\x00"
_NUMBER_NOISE = re.compile(r"[\s#]")


@dataclass(frozen=True)
class Proof:
    email: str | None = None
    postal_code: str | None = None


def clean_number(raw: str) -> str:
    """What shoppers type for an order number: "#1001", " 1001 ", "1001"."""
    return _NUMBER_NOISE.sub("", raw or "")[:64]


def number_candidates(raw: str) -> list[str]:
    """The stored numbers a typed one may mean: as typed without "#" and spaces, and its digits alone (a store
    that prefixes its order names shows "#EU1001" for number 1001)."""
    cleaned = clean_number(raw)
    digits = "".join(char for char in cleaned if char.isdigit())
    return [value for value in dict.fromkeys((cleaned, digits)) if value]


def _same(given: str | None, stored: str | None, *, compact: bool = False) -> bool:
    left = (given or "").strip().lower()
    right = (stored or _DUMMY).strip().lower()
    if compact:  # postal codes: "sw1a 1aa" == "SW1A1AA", "12345-6789" == "123456789"
        left, right = left.replace(" ", "").replace("-", ""), right.replace(" ", "").replace("-", "")
    return hmac.compare_digest(left.encode(), right.encode()) and bool(left)


def find_order(*, shop_id: int, number: str, proof: Proof) -> Order | None:
    """The shop's order with this number whose email or shipping postal code matches, else None."""
    order = None
    candidates = number_candidates(number)
    if candidates:
        # By (shop, number) only, which the index answers; the name is checked in Python among the few matches.
        found = db.session.scalars(
            _with_tracking(select(Order))
            .where(Order.shop_id == shop_id, Order.number.in_(candidates), Order.deleted_at.is_(None))
            .order_by(Order.id.desc())
            .limit(5)
        ).all()
        order = next((o for o in found if o.number == clean_number(number) or o.name == number.strip()), None)
        order = order or (found[0] if found else None)
    email = order.email if order else None
    postal = (order.shipping_address or {}).get("postal_code") if order else None
    # Both comparisons always run, on a dummy when there is no order, so a miss costs what a hit costs.
    email_ok = _same(proof.email, email)
    postal_ok = _same(proof.postal_code, postal, compact=True)
    if order is not None and ((proof.email and email_ok) or (proof.postal_code and postal_ok)):
        return order
    return None


def orders_of_customer(*, shop_id: int, customer_external_id: str, limit: int = 10) -> list[Order]:
    """A signed-in shopper's most recent orders (the store vouched for who they are)."""
    return list(
        db.session.scalars(
            _with_tracking(select(Order))
            .join(Customer, Order.customer_id == Customer.id)
            .where(Order.shop_id == shop_id, Customer.shop_id == shop_id, Order.deleted_at.is_(None))
            .where(Customer.external_id == customer_external_id)
            .order_by(Order.platform_created_at.desc())
            .limit(limit)
        )
    )


def order_link_token(order: Order) -> str:
    """An opaque token that opens this order's tracking page (for links in our messages)."""
    return link_token(shop_id=order.shop_id, order_id=order.id)


def link_token(*, shop_id: int, order_id: int) -> str:
    return str(_serializer().dumps({"s": shop_id, "o": order_id}))


def read_link_token(token: str, *, max_age: int = LINK_MAX_AGE_SECONDS) -> tuple[int, int] | None:
    """(shop id, order id) from a link token we signed and that has not expired, else None."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("o"), int):
        return None
    return data["s"], data["o"]


def order_from_token(*, shop_id: int, token: str, max_age: int = LINK_MAX_AGE_SECONDS) -> Order | None:
    """The order a link token opens, if the token is ours, unexpired, and for this shop."""
    read = read_link_token(token, max_age=max_age)
    if read is None or read[0] != shop_id:
        return None
    statement = _with_tracking(select(Order)).where(Order.id == read[1], Order.shop_id == shop_id)
    return db.session.scalars(statement).first()


def find_storefront_shop(*, domain: str, platform: str | None = None) -> Shop | None:
    """A connected (not uninstalled) shop by its domain."""
    statement = select(Shop).where(Shop.domain == domain.strip().lower(), Shop.uninstalled_at.is_(None))
    if platform:
        statement = statement.where(Shop.platform == platform)
    return db.session.scalars(statement.order_by(Shop.id)).first()


def _with_tracking(statement: Select[Order]) -> Select[Order]:
    return statement.options(selectinload(Order.line_items), selectinload(Order.shipments).selectinload(Shipment.order))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="afterglow.order-link")
