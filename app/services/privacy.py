"""Privacy requests, done for real: a customer's data exported or erased, a store's data deleted.

Compliance deliveries (customers/data_request, customers/redact, shop/redact) and app/uninstalled are stored in
the inbox like any webhook; the inbox drain hands each to `handle_request` as a job once its batch commits, so the
200 Shopify waits for is never held up and a failure is retried like any job. Each use case owns its transaction
and is safe to run twice (an export is written once per request id, erased data stays erased).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select

import integrations.models as canonical
from app.extensions import db
from app.models import Customer, InboundWebhook, InboxStatus, Order, Shop
from app.models.types import utcnow
from app.services import privacy_exports, shop_keys, shop_lifecycle
from app.services.privacy_registry import REGISTRY, PersonalData, Subject
from integrations import MappingError, get_platform

log = logging.getLogger(__name__)
INBOX_SCAN_BATCH = 500


def handle_request(inbox_id: int) -> str:
    """The job: reload the stored delivery, do what it asks, and only then mark it processed. Until then the row
    waits as `received` with its attempt stamped, so if this job is lost or fails the sweeper hands it over again
    (every use case is safe to repeat). Returns what was done."""
    row = db.session.get(InboundWebhook, inbox_id)
    if row is None or row.shop_id is None:
        db.session.rollback()
        return "gone"  # the store's data was erased meanwhile (shop/redact), this row with it
    shop_id, domain = row.shop_id, row.shop_domain
    try:
        platform = get_platform(row.platform)
        change = platform.interpret_webhook(platform.parse_webhook(row.headers, row.body))
    except MappingError:
        db.session.rollback()
        return _done(inbox_id, "already redacted")  # an earlier run erased it along with the customer's data
    db.session.rollback()
    if not isinstance(change, canonical.PrivacyRequest):
        return "not a privacy request"
    kind = canonical.PrivacyRequestKind
    log.info("privacy request", extra={"shop_id": shop_id, "inbox_id": inbox_id, "kind": str(change.kind)})
    if change.kind == kind.CUSTOMER_DATA_REQUEST:
        outcome = f"exported as privacy export {privacy_exports.export_customer(shop_id=shop_id, request=change)}"
    elif change.kind == kind.CUSTOMER_REDACT:
        outcome = f"redacted {sum(redact_customer(shop_id=shop_id, request=change).values())} rows"
    elif change.kind == kind.SHOP_REDACT:
        erase_shop(shop_id=shop_id, domain=domain)
        return "erased"  # this row went with the store
    else:
        shop_lifecycle.uninstall(shop_id=shop_id)
        outcome = "tokens purged, work stopped"
    return _done(inbox_id, outcome)


def _done(inbox_id: int, outcome: str) -> str:
    row = db.session.get(InboundWebhook, inbox_id)
    if row is not None:
        row.status, row.error, row.processed_at = InboxStatus.PROCESSED, outcome, utcnow()
    db.session.commit()
    return outcome


def email_digest(email: str | None) -> str | None:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest() if email and email.strip() else None


def find_subject(*, shop_id: int, request: canonical.PrivacyRequest) -> Subject:
    """The customer's rows: their customer records (by platform id or email), and the orders that are theirs (the
    ones Shopify named, and those placed by that customer or with that email, guest checkouts included)."""
    email = (request.email or "").strip().lower() or None
    who: list[ColumnElement[bool]] = []
    if request.customer_external_id:
        who.append(Customer.external_id == request.customer_external_id)
    if email:
        who.append(func.lower(Customer.email) == email)
    customers = list(db.session.scalars(select(Customer).where(Customer.shop_id == shop_id, or_(*who)))) if who else []
    customer_ids = {customer.id for customer in customers}
    which: list[ColumnElement[bool]] = []
    if customer_ids:
        which.append(Order.customer_id.in_(sorted(customer_ids)))
    if request.order_external_ids:
        which.append(Order.external_id.in_(request.order_external_ids))
    if email:
        which.append(func.lower(Order.email) == email)
    orders = list(db.session.scalars(select(Order).where(Order.shop_id == shop_id, or_(*which)))) if which else []
    found: set[str | None] = {request.email, request.phone}
    for customer in customers:
        found |= {customer.email, customer.phone, customer.first_name, customer.last_name}
    for order in orders:
        found |= {order.email, order.phone}
        for address in (order.shipping_address, order.billing_address):
            if address:
                found |= {address.get(key) for key in ("first_name", "last_name", "address1", "address2", "phone")}
    needles = {needle.strip() for needle in found if isinstance(needle, str) and len(needle.strip()) >= 3}
    order_refs = {order.external_id for order in orders} | set(request.order_external_ids)
    return Subject(
        shop_id=shop_id,
        customer_ids=frozenset(customer_ids),
        customer_external_ids=frozenset(
            filter(None, [request.customer_external_id, *(c.external_id for c in customers)])
        ),
        email_digests=frozenset(filter(None, [email_digest(email), *(email_digest(c.email) for c in customers)])),
        order_ids=frozenset(order.id for order in orders),
        inbox_ids=frozenset(_deliveries_mentioning(shop_id, needles, order_refs)),
        needles=frozenset(needles),
    )


def redact_customer(*, shop_id: int, request: canonical.PrivacyRequest) -> dict[str, int]:
    """Erase one customer's personal data from every table the registry lists; rows touched per table."""
    subject = find_subject(shop_id=shop_id, request=request)
    counts = {entry.model.__tablename__: _apply(entry, subject) for entry in REGISTRY}
    db.session.commit()
    log.info("customer redacted", extra={"shop_id": shop_id, **{k: v for k, v in counts.items() if v}})
    return counts


def erase_shop(*, shop_id: int, domain: str | None = None) -> dict[str, int]:
    """Delete every row of every table that belongs to the shop, then the shop itself. Table-driven by the metadata
    (children before parents), so a table added later is covered the day it appears."""
    shop = db.session.get(Shop, shop_id)
    domain = domain or (shop.domain if shop else None)
    counts: dict[str, int] = {}
    for table in reversed(db.metadata.sorted_tables):
        if "shop_id" in table.c:
            counts[table.name] = db.session.execute(delete(table).where(table.c.shop_id == shop_id)).rowcount  # type: ignore[attr-defined]
    if domain:  # deliveries stored before the store had a row
        inbox = InboundWebhook.__table__
        counts["inbound_webhooks"] = counts.get("inbound_webhooks", 0) + db.session.execute(
            delete(inbox).where(inbox.c.shop_domain == domain)
        ).rowcount  # type: ignore[attr-defined]
    db.session.execute(delete(Shop).where(Shop.id == shop_id))
    db.session.commit()
    if shop is not None:
        shop_keys.forget(platform=shop.platform, domain=shop.domain)
    log.info("shop erased", extra={"shop_id": shop_id, "rows": sum(counts.values())})
    return counts


def _apply(entry: PersonalData, subject: Subject) -> int:
    where = entry.rows(subject)
    if entry.delete:
        return int(db.session.execute(delete(entry.model).where(where)).rowcount)  # type: ignore[attr-defined]
    touched = 0
    for row in db.session.scalars(select(entry.model).where(where)):
        for column, scrub in entry.scrub.items():
            setattr(row, column, None if scrub is None else scrub(getattr(row, column)))
        touched += 1
    db.session.flush()
    return touched


def _deliveries_mentioning(shop_id: int, needles: set[str], order_refs: set[str]) -> list[int]:
    """Stored deliveries of the shop whose body names the customer or one of their orders, read in batches."""
    patterns = [needle.encode() for needle in needles] + [ref.encode() for ref in order_refs if len(ref) >= 6]
    if not patterns:
        return []
    found: list[int] = []
    last_id = 0
    while True:
        batch: list[Any] = list(db.session.execute(
            select(InboundWebhook.id, InboundWebhook.body)
            .where(InboundWebhook.shop_id == shop_id, InboundWebhook.id > last_id)
            .order_by(InboundWebhook.id).limit(INBOX_SCAN_BATCH)
        ))  # fmt: skip
        if not batch:
            return found
        found += [row_id for row_id, body in batch if any(pattern in bytes(body) for pattern in patterns)]
        last_id = batch[-1][0]
