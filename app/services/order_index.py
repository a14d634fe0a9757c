"""The orders and customers one batch of webhooks touches, loaded (and locked) in a few queries.

Without it every event would select its order and customer on its own; with it a batch of 100 deliveries reads
its orders in one locked query, and the session can write all new rows in a handful of multi-row INSERTs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Customer, Order

CHUNK = 500  # bound the IN lists


class OrderIndex:
    def __init__(self) -> None:
        self._orders: dict[tuple[int, str], Order | None] = {}
        self._customers: dict[tuple[int, str], Customer | None] = {}
        self._guests: dict[tuple[int, str], Customer | None] = {}

    def load(
        self,
        *,
        orders: Iterable[tuple[int, str]],
        customers: Iterable[tuple[int, str]] = (),
        guests: Iterable[tuple[int, str]] = (),
    ) -> None:
        """Fetch, in bulk, what the batch will ask for; orders are locked until the transaction ends."""
        wanted = [key for key in dict.fromkeys(orders) if key not in self._orders]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            statement = (
                select(Order)
                .where(tuple_(Order.shop_id, Order.external_id).in_(chunk))
                .options(selectinload(Order.line_items), selectinload(Order.shipments), selectinload(Order.refunds))
                .order_by(Order.id)  # one lock order for every worker: no deadlocks between batches
            )
            if db.session.get_bind().dialect.name == "postgresql":
                statement = statement.with_for_update(of=Order)
            for order in db.session.scalars(statement):
                self._orders[(order.shop_id, order.external_id)] = order
            for key in chunk:
                self._orders.setdefault(key, None)
        self._load_customers(customers)
        self._load_guests(guests)

    def order(self, shop_id: int, external_id: str) -> Order | None:
        key = (shop_id, external_id)
        if key not in self._orders:
            self.load(orders=[key])
        return self._orders[key]

    def add_order(self, order: Order) -> None:
        self._orders[(order.shop_id, order.external_id)] = order

    def customer(self, shop_id: int, external_id: str) -> Customer | None:
        key = (shop_id, external_id)
        if key not in self._customers:
            self._load_customers([key])
        return self._customers[key]

    def guest(self, shop_id: int, email: str) -> Customer | None:
        key = (shop_id, email)
        if key not in self._guests:
            self._load_guests([key])
        return self._guests[key]

    def add_customer(self, customer: Customer) -> None:
        if customer.external_id is not None:
            self._customers[(customer.shop_id, customer.external_id)] = customer
        elif customer.email:
            self._guests[(customer.shop_id, customer.email)] = customer

    def _load_customers(self, keys: Iterable[tuple[int, str]]) -> None:
        wanted = [key for key in dict.fromkeys(keys) if key not in self._customers]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            with db.session.no_autoflush:
                found = db.session.scalars(
                    select(Customer).where(tuple_(Customer.shop_id, Customer.external_id).in_(chunk))
                )
                for customer in found:
                    self._customers[(customer.shop_id, str(customer.external_id))] = customer
            for key in chunk:
                self._customers.setdefault(key, None)

    def _load_guests(self, keys: Iterable[tuple[int, str]]) -> None:
        wanted = [key for key in dict.fromkeys(keys) if key not in self._guests]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            with db.session.no_autoflush:
                found = db.session.scalars(
                    select(Customer).where(
                        Customer.external_id.is_(None), tuple_(Customer.shop_id, Customer.email).in_(chunk)
                    )
                )
                for customer in found:
                    self._guests.setdefault((customer.shop_id, str(customer.email)), customer)
            for key in chunk:
                self._guests.setdefault(key, None)
