"""`flask notifications ...`: the outbox as support sees it, the drain, and a shop's journeys and templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, Order, Shop
from app.services.notifications import consent, locales, rendering, sending, test_sends
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import BY_NAME, JOURNEYS
from app.services.notifications.settings import SettingsError, connect, get_settings, public, update_settings


@click.group()
def notifications() -> None:
    """Shopper notifications: the outbox, sending, journeys and templates."""


def _shop(domain: str) -> Shop:
    shop = db.session.scalars(select(Shop).where(Shop.domain == domain.lower())).first()
    if shop is None:
        raise click.ClickException(f"no store {domain}")
    return shop


@notifications.command("list")
@click.option("--shop", "shop_domain", required=True, help="The store's domain.")
@click.option("--order", "number", help="Only this order (its number, with or without #).")
@click.option("--status", type=click.Choice(["queued", "sent", "failed", "suppressed"]))
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_appcontext
def list_notifications(shop_domain: str, number: str | None, status: str | None, limit: int, as_json: bool) -> None:
    """The shop's messages, newest first: milestone, channel, status and why."""
    shop = _shop(shop_domain)
    statement = (
        select(Notification, Order.name).join(Order, Order.id == Notification.order_id)
        .where(Notification.shop_id == shop.id).order_by(Notification.id.desc()).limit(limit)
    )  # fmt: skip
    if number:
        statement = statement.where(Order.number == number.lstrip("#"))
    if status:
        statement = statement.where(Notification.status == status)
    rows = [_describe(notification, order_name) for notification, order_name in db.session.execute(statement)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        click.echo("no notifications")
        return
    header = ("id", "order", "milestone", "channel", "status", "send after (UTC)")
    click.echo("{:>6}  {:<8} {:<24} {:<6} {:<10} {:<16}  reason".format(*header))
    for row in rows:
        click.echo(
            f"{row['id']:>6}  {row['order']:<8} {row['milestone']:<24} {row['channel']:<6} {row['status']:<10} "
            f"{row['send_after'].strftime('%Y-%m-%d %H:%M'):<16}  {row['reason'] or ''}"
        )


def _describe(notification: Notification, order_name: str) -> dict[str, Any]:
    return {
        "id": notification.id, "order": order_name, "shipment_id": notification.shipment_id,
        "milestone": notification.milestone, "channel": notification.channel, "status": notification.status,
        "reason": notification.reason, "recipient": notification.recipient, "locale": notification.locale,
        "send_after": notification.send_after, "sent_at": notification.sent_at, "attempts": notification.attempts,
        "idempotency_key": notification.idempotency_key, "provider_message_id": notification.provider_message_id,
    }  # fmt: skip


@notifications.command("send")
@with_appcontext
def send() -> None:
    """Send every due message now (what the worker does when woken, and the clock every minute)."""
    click.echo(f"handled {sending.send_due()} notification(s)")


@notifications.command("settings")
@click.option("--shop", "shop_domain", required=True)
@click.option("--set", "changes", help="JSON to lay over the settings, or @file.json.")
@with_appcontext
def settings_command(shop_domain: str, changes: str | None) -> None:
    """Print the shop's effective settings; with --set, change them first (checked before anything is stored)."""
    shop = _shop(shop_domain)
    if changes:
        raw = Path(changes[1:]).read_text() if changes.startswith("@") else changes
        try:
            result = update_settings(shop_id=shop.id, changes=json.loads(raw))
        except (SettingsError, json.JSONDecodeError) as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        result = get_settings(shop_id=shop.id)
    click.echo(json.dumps(public(result), indent=2, ensure_ascii=False))


@notifications.command("connect")
@click.option("--shop", "shop_domain", required=True)
@click.argument("channel", type=click.Choice(["klaviyo", "webhook"]))
@click.argument("target", metavar="API_KEY|URL")
@with_appcontext
def connect_command(shop_domain: str, channel: str, target: str) -> None:
    """Connect the shop's Klaviyo account (a private API key) or webhook endpoint (an https URL; prints the new
    signing secret once). Then switch channels on per journey with `journeys --channel klaviyo=on`."""
    shop = _shop(shop_domain)
    try:
        secret = connect(shop_id=shop.id, channel=channel, api_key=target if channel == "klaviyo" else None,
                         url=target if channel == "webhook" else None)  # fmt: skip
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{channel} connected for {shop.domain}")
    if secret:
        click.echo(f"signing secret (shown once; verify X-Afterglow-Signature with it): {secret}")


@notifications.command("journeys")
@click.option("--shop", "shop_domain", required=True)
@click.argument("name", required=False)
@click.option("--on/--off", "enabled", default=None, help="Switch the journey on or off.")
@click.option("--channel", "channels", multiple=True, help="CHANNEL=on or CHANNEL=off, e.g. sms=on.")
@with_appcontext
def journeys_command(shop_domain: str, name: str | None, enabled: bool | None, channels: tuple[str, ...]) -> None:
    """List the shop's journeys, or switch journey NAME and its channels on or off."""
    shop = _shop(shop_domain)
    if name:
        if name not in BY_NAME:
            raise click.ClickException(f"unknown journey {name}; known: {', '.join(BY_NAME)}")
        change: dict[str, Any] = {}
        if enabled is not None:
            change["enabled"] = enabled
        for item in channels:
            channel, _, state = item.partition("=")
            if state not in ("on", "off"):
                raise click.ClickException(f"--channel takes CHANNEL=on or CHANNEL=off, got {item!r}")
            change.setdefault("channels", {})[channel] = state == "on"
        try:
            update_settings(shop_id=shop.id, changes={"journeys": {name: change}})
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from exc
    settings = get_settings(shop_id=shop.id)
    for journey in JOURNEYS:
        switches = settings["journeys"][journey.name]
        on = [channel for channel, active in switches["channels"].items() if active]
        state = "on " if switches["enabled"] else "off"
        note = "" if journey.available else f"  (waits for the {journey.events[0]} event)"
        click.echo(f"{journey.name:<24} {state} {','.join(on) or '-':<10} {' '.join(journey.events)}{note}")


@notifications.command("preview")
@click.option("--shop", "shop_domain", required=True)
@click.argument("journey")
@click.option("--channel", type=click.Choice(["email", "sms"]), default="email", show_default=True)
@click.option("--locale", default=None, help="en, de, fr, es or nl (default: the shop's).")
@with_appcontext
def preview(shop_domain: str, journey: str, channel: str, locale: str | None) -> None:
    """Print a journey's message rendered with sample data: subject and text part (or the SMS)."""
    shop = _shop(shop_domain)
    if journey not in BY_NAME:
        raise click.ClickException(f"unknown journey {journey}")
    settings = get_settings(shop_id=shop.id)
    language = locales.negotiate(locale, default=settings["branding"]["default_locale"])
    context = sample_context(journey=journey, locale=language, settings=settings, shop=shop)
    try:
        if channel == "sms":
            click.echo(rendering.render_sms(journey=journey, locale=language, context=context, settings=settings))
            return
        email = rendering.render_email(journey=journey, locale=language, context=context, settings=settings)
    except rendering.TemplateRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Subject: {email.subject}\n\n{email.text}")


@notifications.command("unsubscribe")
@click.option("--shop", "shop_domain", required=True)
@click.option("--channel", type=click.Choice(["email", "sms"]), required=True)
@click.argument("address")
@with_appcontext
def unsubscribe(shop_domain: str, channel: str, address: str) -> None:
    """Stop a shop's messages to ADDRESS on CHANNEL (a shopper asked support)."""
    shop = _shop(shop_domain)
    normalised = address.strip().lower() if channel == "email" else consent.e164(address, country=None)
    if not normalised:
        raise click.ClickException(f"not a phone number: {address}")
    suppressed = consent.add_unsubscribe(shop_id=shop.id, channel=channel, address=normalised, source="cli")
    db.session.commit()
    click.echo(f"unsubscribed {normalised} from {channel}; {suppressed} waiting message(s) suppressed")


@notifications.command("send-test")
@click.option("--shop", "shop_domain", required=True)
@click.argument("journey")
@click.option("--to", "address", required=True, help="Where the sample goes: an email address or a mobile number.")
@click.option("--channel", type=click.Choice(["email", "sms"]), default="email", show_default=True)
@click.option("--locale", default=None)
@with_appcontext
def send_test(shop_domain: str, journey: str, address: str, channel: str, locale: str | None) -> None:
    """Send JOURNEY with sample data to --to through the configured provider: checks SMTP_URL or Twilio end to
    end, and shows a merchant their edits as a shopper will see them. Nothing is written to the outbox."""
    shop = _shop(shop_domain)
    try:
        sent = test_sends.send_test(shop=shop, journey=journey, channel=channel, locale=locale, to=address)
    except test_sends.SendRefused as exc:
        fields = "; ".join(f"{name}: {why}" for name, why in exc.fields.items() if why != str(exc))
        raise click.ClickException(f"not sent: {exc}" + (f" ({fields})" if fields else "")) from exc
    except (test_sends.SendLimited, test_sends.SendFailed) as exc:
        raise click.ClickException(f"not sent: {exc}") from exc
    finally:
        db.session.rollback()
    click.echo(f"sent {sent.journey} ({sent.locale}) by {sent.via} to {sent.to}")
