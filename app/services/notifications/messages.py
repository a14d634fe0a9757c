"""A leased notification (or a group of parcels sharing one) as the message its channel carries."""

from __future__ import annotations

import uuid
from email.utils import formataddr, parseaddr
from typing import Any

from flask import current_app

from app.models import Notification, Order, Shop
from app.services.notifications import rendering
from app.services.notifications.context import message_context
from app.services.notifications.journeys import BY_NAME, EVENT_CHANNELS
from integrations.channels import EmailMessage, EventMessage, Message, SmsMessage


def build_message(lead: Notification, members: list[Notification], *, order: Order, shop: Shop,
                  settings: dict[str, Any]) -> Message:  # fmt: skip
    journey = BY_NAME[lead.milestone]
    if journey.subject in ("shipment", "estimate"):
        wanted = {row.shipment_id for row in members}
        shipments = [s for s in order.shipments if s.id in wanted]
    else:
        shipments = [s for s in order.shipments if s.removed_at is None]
    email = lead.channel == "email"
    context = message_context(notification=lead, order=order, shop=shop, shipments=shipments, settings=settings,
                              unsubscribe=email)  # fmt: skip
    if lead.channel in EVENT_CHANNELS:
        return EventMessage(name=lead.milestone, idempotency_key=lead.idempotency_key, occurred_at=lead.created_at,
                            properties=event_properties(lead, context), email=lead.recipient)  # fmt: skip
    if not email:
        body = rendering.render_sms(journey=lead.milestone, locale=lead.locale, context=context, settings=settings)
        return SmsMessage(to=str(lead.recipient), body=body)
    rendered = rendering.render_email(journey=lead.milestone, locale=lead.locale, context=context, settings=settings)
    branding = settings["branding"]
    sender, domain = _sender(settings, context)
    return EmailMessage(
        to=str(lead.recipient), sender=sender,
        subject=rendered.subject, html=rendered.html, text=rendered.text,
        message_id=f"<notification.{lead.id}.{lead.shop_id}@{domain}>", reply_to=branding.get("support_email"),
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )  # fmt: skip


def event_properties(lead: Notification, context: dict[str, Any]) -> dict[str, Any]:
    """The milestone's facts, for the merchant's flows: what a template would show, as data."""
    return {
        "milestone": lead.milestone, "shop": context["shop"]["domain"], "locale": lead.locale,
        "order_name": context["order"]["name"], "order_number": context["order"]["number"],
        "order_total": context["order"]["total"], "items": context["order"]["items"],
        "first_name": context["customer"]["first_name"], "shipments": context["shipments"],
        "delay": context["delay"] if any(context["delay"].values()) else None,
        "refund_amount": context["refund"]["amount"], "previous_tracking_number": context["previous_tracking_number"],
        "tracking_url": context["tracking_url"], "survey_url": context["survey_url"],
    }  # fmt: skip


def sample_message(*, channel: str, journey: str, locale: str, context: dict[str, Any], settings: dict[str, Any],
                   address: str) -> Message:  # fmt: skip
    """A journey rendered with sample data for `address`, marked as a test in its subject."""
    if channel == "sms":
        return SmsMessage(to=address, body=rendering.render_sms(journey=journey, locale=locale, context=context,
                                                                settings=settings))  # fmt: skip
    rendered = rendering.render_email(journey=journey, locale=locale, context=context, settings=settings)
    sender, domain = _sender(settings, context)
    return EmailMessage(
        to=address, sender=sender, subject=f"[Test] {rendered.subject}", html=rendered.html, text=rendered.text,
        message_id=f"<test.{journey}.{uuid.uuid4().hex}@{domain}>",
    )  # fmt: skip


def _sender(settings: dict[str, Any], context: dict[str, Any]) -> tuple[str, str]:
    """The From header (the shop's sender name on our `MAIL_FROM` address) and the domain message ids are on."""
    address = parseaddr(current_app.config["AFTERGLOW"].mail_from)[1]
    name = settings["branding"].get("sender_name") or context["brand"]["name"]
    return formataddr((name, address)), address.rpartition("@")[2] or "afterglow.localhost"
