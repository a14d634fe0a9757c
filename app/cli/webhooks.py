"""Support commands for the webhook inbox."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import InboundWebhook


@click.group()
def webhooks() -> None:
    """Inspect and replay stored webhook deliveries."""


@webhooks.command("replay")
@click.argument("inbox_id", type=int)
@with_appcontext
def replay(inbox_id: int) -> None:
    """Process stored delivery INBOX_ID again, now, whatever its status (safe: applying it twice changes nothing)."""
    from app.services.processing import process_inbound_webhook

    row = db.session.get(InboundWebhook, inbox_id)
    if row is None:
        raise click.ClickException(f"no stored webhook with id {inbox_id}")
    db.session.rollback()
    status = process_inbound_webhook(inbox_id=inbox_id, force=True)
    row = db.session.get(InboundWebhook, inbox_id)
    assert row is not None
    click.echo(f"webhook {inbox_id} ({row.platform} {row.topic}): {status}" + (f" — {row.error}" if row.error else ""))
    if status == "failed":
        raise SystemExit(1)


@webhooks.command("list")
@click.option("--status", type=click.Choice(["received", "processed", "ignored", "failed"]), default=None)
@click.option("--shop", "shop_domain", default=None, help="Only this store's deliveries.")
@click.option("--limit", type=int, default=20, show_default=True)
@with_appcontext
def list_(status: str | None, shop_domain: str | None, limit: int) -> None:
    """The most recent deliveries, newest first."""
    statement = select(InboundWebhook).order_by(InboundWebhook.id.desc()).limit(limit)
    if status:
        statement = statement.where(InboundWebhook.status == status)
    if shop_domain:
        statement = statement.where(InboundWebhook.shop_domain == shop_domain)
    for row in db.session.scalars(statement):
        note = f"  {row.error}" if row.error else ""
        click.echo(
            f"{row.id:>8}  {row.received_at:%Y-%m-%d %H:%M:%S}  {row.platform:<11} {row.shop_domain:<32} "
            f"{row.topic:<26} {row.status:<9} tries={row.attempts} dupes={row.duplicate_count}{note}"
        )


@webhooks.command("sweep")
@click.option("--grace", type=int, default=None, help="Seconds a row may wait before it counts as stuck.")
@with_appcontext
def sweep_command(grace: int | None) -> None:
    """Re-enqueue deliveries and events that were stored but never finished."""
    from app.jobs.sweeper import sweep

    counts = sweep(grace_seconds=grace)
    waiting = counts["webhooks"]
    click.echo(f"{waiting} webhooks waiting; woke the inbox drain" if waiting else "no webhooks waiting")
    if counts["events"]:
        click.echo("undispatched order events found; woke the event drain")
