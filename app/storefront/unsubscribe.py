"""The unsubscribe page a notification links to, and the one-click endpoint mail clients call (RFC 8058).

GET only asks (mail scanners follow links, and must not unsubscribe anyone); POST unsubscribes, whether it comes
from the page's button or from a client's `List-Unsubscribe=One-Click`. The link is signed and carries only the
notification's id.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, Shop
from app.services.notifications import consent, links, locales
from app.services.notifications.context import brand
from app.services.notifications.settings import get_settings

bp = Blueprint("storefront", __name__)


@bp.get("/notifications/unsubscribe/<token>")
def ask(token: str) -> tuple[str, int]:
    return _page(token, done=False)


@bp.post("/notifications/unsubscribe/<token>")
def confirm(token: str) -> tuple[str, int]:
    notification_id = links.read_unsubscribe_token(token)
    if notification_id is not None:
        consent.unsubscribe(notification_id=notification_id, source="link")
    return _page(token, done=True)


def _page(token: str, *, done: bool) -> tuple[str, int]:
    notification_id = links.read_unsubscribe_token(token)
    notification = db.session.get(Notification, notification_id) if notification_id is not None else None
    if notification is None:
        wording = locales.catalog("en")["layout"]
        page = render_template(
            "unsubscribe.html", locale="en", title=wording["unsubscribe_title"], shop="", accent="#2f6f5e",
            message=wording["unsubscribe_invalid"], show_button=False,
        )  # fmt: skip
        return page, 404
    shop = db.session.scalars(select(Shop).where(Shop.id == notification.shop_id)).one()
    shop_brand = brand(shop, get_settings(shop_id=shop.id))
    wording = locales.catalog(notification.locale)["layout"]
    values = {"shop": shop_brand["name"], "channel": wording[f"channel_{notification.channel}"],
              "address": _masked(notification.recipient or "")}  # fmt: skip
    message = wording["unsubscribe_done" if done else "unsubscribe_question"].format(**values)
    db.session.rollback()
    return render_template(
        "unsubscribe.html", locale=notification.locale, title=wording["unsubscribe_title"], shop=shop_brand["name"],
        accent=shop_brand["accent_color"], message=message, show_button=not done, button=wording["unsubscribe_button"],
    ), 200  # fmt: skip


def _masked(address: str) -> str:
    """Enough for the shopper to recognise their address, not enough to harvest it from a forwarded link."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:2]}{'•' * max(len(name) - 2, 1)}@{domain}"
    return f"{'•' * max(len(address) - 4, 1)}{address[-4:]}"
