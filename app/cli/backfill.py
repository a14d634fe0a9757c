"""`flask shops-backfill-woocommerce DOMAIN [--since DAYS]`: import a connected WooCommerce store's orders."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import select

from app.extensions import db
from app.models import Shop
from app.models.types import utcnow
from app.services.woocommerce_backfill import BackfillError, backfill_woocommerce
from integrations.errors import IntegrationError


@click.command("shops-backfill-woocommerce")
@click.argument("domain")
@click.option("--since", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="Only orders created in the last DAYS days (default: all).")  # fmt: skip
@with_appcontext
def backfill_woocommerce_command(domain: str, since: int | None) -> None:
    """Import the orders a WooCommerce store already has, as webhooks would have delivered them."""
    shop = db.session.scalars(
        select(Shop).where(Shop.platform == "woocommerce", Shop.domain == domain.strip().lower())
    ).first()
    if shop is None:
        raise click.ClickException(f"no WooCommerce store {domain}")
    after = utcnow() - timedelta(days=since) if since else None
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(f"{shop.domain} orders", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = backfill_woocommerce(shop_id=shop.id, since=after, progress=progress)
        except BackfillError as exc:
            raise click.ClickException(str(exc)) from None
        except IntegrationError as exc:
            raise click.ClickException(f"the store's REST API failed: {exc}") from None
    click.echo(f"{shop.domain}: {report.seen} orders read, {report.stored} stored, {report.ignored} skipped "
               f"(drafts, trashed), {len(report.failed)} unreadable")  # fmt: skip
    for order_id, reason in report.failed[:20]:
        click.echo(f"  order {order_id}: {reason}")
