"""The WooCommerce side of `flask shops backfill DOMAIN [--since DAYS]`: import a connected store's orders."""

from __future__ import annotations

from datetime import timedelta

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from app.models import Shop
from app.models.types import utcnow
from app.services.woocommerce_backfill import BackfillError, backfill_woocommerce
from integrations.errors import IntegrationError


def backfill_woocommerce_store(shop: Shop, since: int | None) -> None:
    """Import the orders a WooCommerce store already has, as webhooks would have delivered them."""
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
