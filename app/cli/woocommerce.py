"""`flask shops login-link DOMAIN`: a signed, single-use link that signs a WooCommerce merchant in to the admin;
and what `flask shops show` says of a WooCommerce store's connection (never its keys)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.cli.shops import shops
from app.extensions import db
from app.models import Shop, WooCommerceConnection
from app.services.woocommerce_logins import LoginRefused, login_link


@shops.command("login-link")
@click.argument("domain")
@with_appcontext
def login_link_command(domain: str) -> None:
    """Print a login link for a connected WooCommerce store (valid WOOCOMMERCE_LOGIN_TTL seconds, once)."""
    shop = db.session.scalars(
        select(Shop).where(Shop.platform == "woocommerce", Shop.domain == domain.strip().lower())
    ).first()
    if shop is None:
        raise click.ClickException(f"no WooCommerce store {domain}")
    app_url = str(current_app.config["AFTERGLOW"].public_url)  # PUBLIC_URL: the app's public https address
    try:
        click.echo(login_link(shop_id=shop.id, app_url=app_url.rstrip("/")))
    except LoginRefused as exc:
        raise click.ClickException(str(exc)) from None


def describe_connection(shop: Shop) -> None:
    connection = db.session.scalars(
        select(WooCommerceConnection).where(WooCommerceConnection.shop_id == shop.id)
        .order_by(WooCommerceConnection.id.desc())
    ).first()  # fmt: skip
    if connection is None or connection.state != "connected":
        state = f"{connection.state}: {connection.error}" if connection and connection.error else "never connected"
        click.echo(f"  WooCommerce keys: none ({state})")
        return
    click.echo(f"  WooCommerce keys: key {connection.key_id} ({connection.key_permissions}), connected "
               f"{connection.connected_at:%Y-%m-%d %H:%M} UTC; {len(connection.webhook_ids)} webhooks "
               f"({', '.join(connection.webhook_ids)}) at {connection.store_url}")  # fmt: skip
