"""Who may be written to: consent for SMS and marketing, and unsubscribes (a link, a one-click header, a STOP)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import phonenumbers
from sqlalchemy import delete, select, tuple_, update

from app.extensions import db
from app.models import Customer, Notification, NotificationStatus, Order, Unsubscribe
from app.models.types import utcnow
from app.services.notifications.inserts import insert_new


def recipient(*, channel: str, order: Order, customer: Customer | None) -> str | None:
    """The address a channel writes to for this order, normalised (lower-case email, E.164 number)."""
    if channel == "email":
        email = order.email or (customer.email if customer else None)
        return email.strip().lower() if email and "@" in email else None
    address = order.shipping_address or {}
    for candidate in (order.phone, customer.phone if customer else None, address.get("phone")):
        number = e164(candidate, country=address.get("country_code"))
        if number:
            return number
    return None


def e164(raw: str | None, *, country: str | None) -> str | None:
    if not raw:
        return None
    try:
        parsed = phonenumbers.parse(raw, (country or "US").upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def refusal(*, channel: str, marketing: bool, customer: Customer | None) -> str | None:
    """Why consent is missing, or None. Order updates by email need none (the shopper gave the address for the
    order); marketing needs the channel's marketing consent, and every text needs SMS consent. Klaviyo and
    webhook events go to the merchant's own systems, whose messages answer to the merchant's consent rules."""
    if channel == "sms" and not (customer and customer.accepts_sms_marketing):
        return "no SMS consent"
    if channel == "email" and marketing and not (customer and customer.accepts_email_marketing):
        return "no email marketing consent"
    return None


def address_digest(address: str) -> str:
    """What an opt-out keeps of an address once its shopper is forgotten (customers/redact): enough to keep not
    writing to it, nothing to read it back from."""
    return "sha256:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()


def unsubscribed(keys: Iterable[tuple[int, str, str]]) -> set[tuple[int, str, str]]:
    """Which (shop id, channel, address) keys have unsubscribed (under the address, or its digest once the shopper
    was forgotten), in one query."""
    wanted = set(keys)
    if not wanted:
        return set()
    by_digest = {(shop_id, channel, address_digest(address)): (shop_id, channel, address)
                 for shop_id, channel, address in wanted}  # fmt: skip
    found = db.session.execute(
        select(Unsubscribe.shop_id, Unsubscribe.channel, Unsubscribe.address).where(
            tuple_(Unsubscribe.shop_id, Unsubscribe.channel, Unsubscribe.address).in_(wanted | set(by_digest))
        )
    )
    return {by_digest.get(key, key) for key in ((shop_id, channel, address) for shop_id, channel, address in found)}


def add_unsubscribe(*, shop_id: int, channel: str, address: str, source: str) -> int:
    """Record the opt-out and suppress what was still waiting for that address. Caller commits.
    Returns how many waiting messages were suppressed."""
    insert_new(
        Unsubscribe.__table__,
        [{"shop_id": shop_id, "channel": channel, "address": address, "source": source, "created_at": utcnow()}],
    )
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.shop_id == shop_id, Notification.channel == channel, Notification.recipient == address,
            Notification.status == NotificationStatus.QUEUED,
        )
        .values(status=NotificationStatus.SUPPRESSED, reason="unsubscribed", updated_at=utcnow())
    )  # fmt: skip
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def unsubscribe(*, notification_id: int, source: str) -> Notification | None:
    """Stop messages on the channel and address that `notification_id` was sent to. Idempotent; commits."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or not notification.recipient:
        db.session.rollback()
        return None
    add_unsubscribe(
        shop_id=notification.shop_id, channel=notification.channel, address=notification.recipient, source=source
    )
    db.session.commit()
    return notification


# Twilio's opt-out and opt-in keywords (its Advanced Opt-Out defaults).
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES"})
REPLY_SOURCE = "reply"


def record_sms_reply(*, from_number: str, body: str) -> str | None:
    """A shopper's reply to one of our texts. STOP unsubscribes the number from every shop that texted it (the
    sender number is shared, and Twilio blocks it for all of them); START lifts that, and only that: an opt-out
    the shopper made with a message's unsubscribe link, or support made for them, stays. Commits. Returns what
    was done: "stop", "start" or None for any other reply."""
    word = body.strip().upper()
    number = e164(from_number, country=None)
    if not number or word not in STOP_WORDS | START_WORDS:
        db.session.rollback()
        return None
    if word in START_WORDS:
        db.session.execute(delete(Unsubscribe).where(Unsubscribe.channel == "sms", Unsubscribe.address == number,
                                                     Unsubscribe.source == REPLY_SOURCE))  # fmt: skip
        db.session.commit()
        return "start"
    shop_ids = db.session.scalars(
        select(Notification.shop_id).where(Notification.channel == "sms", Notification.recipient == number).distinct()
    ).all()
    for shop_id in shop_ids:
        add_unsubscribe(shop_id=shop_id, channel="sms", address=number, source=REPLY_SOURCE)
    db.session.commit()
    return "stop"
