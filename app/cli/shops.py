"""`flask shops ...`: a store's settings and connection, importing its orders, and re-encrypting every stored secret
after a key change."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import FulfillmentWriteback, Shop, ShopifyCredential
from app.services import encryption, shop_settings


@click.group()
def shops() -> None:
    """Look at and configure connected stores."""


def _find(domain: str) -> Shop:
    found = db.session.scalars(select(Shop).where(Shop.domain == domain.strip().lower()).order_by(Shop.id)).first()
    if found is None:
        raise click.ClickException(f"no store {domain}")
    return found


@shops.command("show")
@click.argument("domain")
@with_appcontext
def show(domain: str) -> None:
    """A store's settings, token expiries (never the tokens) and write-backs by state."""
    shop = _find(domain)
    click.echo(f"{shop.platform} store {shop.domain} (id {shop.id}){' · uninstalled' if shop.uninstalled_at else ''}")
    for name, setting in sorted(shop_settings.SETTINGS.items()):
        value = shop_settings.get(shop, name)
        click.echo(f"  {name} = {_word(value)}    ({setting.meaning})")
    credential = db.session.scalars(select(ShopifyCredential).where(ShopifyCredential.shop_id == shop.id)).first()
    if shop.platform == "woocommerce":
        from app.cli.woocommerce import describe_connection

        describe_connection(shop)
    elif credential is None:
        click.echo("  access token: none (not connected)")
    else:
        expiry = credential.access_token_expires_at
        click.echo(f"  access token: expires {expiry:%Y-%m-%d %H:%M} UTC" if expiry else "  access token: non-expiring")
        if credential.refresh_token_expires_at:
            click.echo(f"  refresh token: expires {credential.refresh_token_expires_at:%Y-%m-%d %H:%M} UTC")
    counts = db.session.execute(
        select(FulfillmentWriteback.state, func.count()).where(FulfillmentWriteback.shop_id == shop.id)
        .group_by(FulfillmentWriteback.state).order_by(FulfillmentWriteback.state)
    ).all()  # fmt: skip
    if counts:
        click.echo("  fulfillment write-backs: " + ", ".join(f"{count} {state}" for state, count in counts))
    failed = db.session.scalars(
        select(FulfillmentWriteback)
        .where(FulfillmentWriteback.shop_id == shop.id, FulfillmentWriteback.state == "failed")
        .order_by(FulfillmentWriteback.id.desc()).limit(5)
    ).all()  # fmt: skip
    for row in failed:  # what support is asked about: why the store's order status page did not move
        click.echo(f"    failed: shipment {row.shipment_id} {row.status} ({row.attempts} attempts): {row.reason}")


@shops.command("set")
@click.argument("domain")
@click.argument("assignments", nargs=-1, required=True, metavar="NAME=VALUE...")
@with_appcontext
def set_(domain: str, assignments: tuple[str, ...]) -> None:
    """Change settings, e.g. `flask shops set x.myshopify.com tracking_writeback=on`."""
    shop = _find(domain)
    values: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise click.ClickException(f"expected NAME=VALUE, got {assignment!r}")
        values[name.strip()] = value
    try:
        stored = shop_settings.update(shop_id=shop.id, values=values)
    except shop_settings.SettingError as exc:
        raise click.ClickException(str(exc)) from None
    for name, value in stored.items():
        click.echo(f"{shop.domain}: {name} = {_word(value)}")


@shops.command("rotate-keys")
@with_appcontext
def rotate_keys() -> None:
    """Re-encrypt every stored secret with the newest ENCRYPTION_KEY (the first of the list)."""
    from app.crypto import DecryptionError

    try:
        report = encryption.rotate_keys()
    except DecryptionError as exc:
        raise click.ClickException(f"{exc}; keep the old key in ENCRYPTION_KEY until rotate-keys has run") from None
    click.echo(f"re-encrypted {report.rotated} secrets; {report.current} were already under the newest key")


@shops.command("backfill")
@click.argument("domain")
@click.option("--since", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="WooCommerce: only orders created in the last DAYS days (default: all).")  # fmt: skip
@with_appcontext
def backfill(domain: str, since: int | None) -> None:
    """Import a store's existing orders through the webhook path: Shopify's last 60 days (all with
    read_all_orders), a WooCommerce store's all (or the last --since DAYS)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from app.services.backfill import backfill_orders
    from integrations.errors import AuthenticationError, IntegrationError

    shop = _find(domain)
    if shop.platform == "woocommerce":
        from app.cli.backfill import backfill_woocommerce_store

        backfill_woocommerce_store(shop, since)
        return
    if since is not None:  # silently importing 60 days when 7 were asked for would mislead
        raise click.UsageError("--since is for WooCommerce stores: a Shopify store's backfill takes the last 60 days, "
                               "or every order with read_all_orders")  # fmt: skip
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=False) as bar:  # fmt: skip
        task = bar.add_task(f"orders of {shop.domain}", total=None)

        def advance(imported: int, expected: int | None) -> None:
            bar.update(task, advance=imported, total=expected)

        try:
            report = backfill_orders(shop_id=shop.id, progress=advance)
        except (AuthenticationError, IntegrationError) as exc:
            raise click.ClickException(str(exc)) from None
    window = "every order" if report.since is None else f"orders since {report.since:%Y-%m-%d}"
    rate = report.imported / report.seconds if report.seconds else 0.0
    click.echo(f"imported {report.imported} orders ({report.created} new; {window}) in {report.pages} pages, "
               f"{report.seconds:.1f} s, {rate:.0f} orders/s")  # fmt: skip


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
