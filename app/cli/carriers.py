"""`flask carriers ...`: a shop's own carrier accounts (credentials for tracking on the merchant's account)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.models import Shop
from app.services import carrier_accounts, tracking_sources


@click.group()
def carriers() -> None:
    """Connect, list and remove a shop's carrier accounts."""


def _shop_id(domain: str) -> int:
    ids = db.session.scalars(select(Shop.id).where(Shop.domain == domain.strip().lower())).all()
    db.session.rollback()
    if not ids:
        raise click.ClickException(f"no store {domain}")
    if len(ids) > 1:
        raise click.ClickException(f"several stores are named {domain}")
    return int(ids[0])


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    """key=value pairs; `key=-` asks for the value without echoing it, so a secret stays out of shell history."""
    fields: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected key=value, got {pair.split('=')[0]!r}", param_hint="FIELDS")
        fields[name.strip()] = click.prompt(name.strip(), hide_input=True) if value == "-" else value
    return fields


@carriers.command("connect")
@click.option("--shop", "shop_domain", required=True)
@click.argument("source")
@click.argument("pairs", metavar="KEY=VALUE...", nargs=-1)
@with_appcontext
def connect(shop_domain: str, source: str, pairs: tuple[str, ...]) -> None:
    """Save the shop's credentials for SOURCE (ups, usps, fedex, dhl_express, canadapost, easypost), replacing any.
    Give a secret as `key=-` to type it at a hidden prompt."""
    shop_id = _shop_id(shop_domain)
    try:
        account = carrier_accounts.connect_account(shop_id=shop_id, source=source.strip().lower(),
                                                   fields=_fields(pairs))  # fmt: skip
    except carrier_accounts.CarrierAccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"connected {account.source} for {shop_domain}: {_describe_fields(account.fields)}")


@carriers.command("list")
@click.option("--shop", "shop_domain", required=True)
@with_appcontext
def list_(shop_domain: str) -> None:
    """The shop's carrier accounts, secrets masked."""
    accounts = carrier_accounts.list_accounts(shop_id=_shop_id(shop_domain))
    app_wide = ", ".join(sorted(tracking_sources.environment_sources())) or "none"
    if not accounts:
        click.echo(f"no carrier accounts for {shop_domain}: its parcels use the app's credentials ({app_wide})")
    for account in accounts:
        state = (f"accepted {account.validated_at:%Y-%m-%d %H:%M} UTC" if account.validated_at
                 else "not used yet")  # fmt: skip
        if account.last_error:
            state += f"; last refused: {account.last_error}"
        click.echo(f"{account.source:<12} {_describe_fields(account.fields)}  ({state})")
    if accounts:
        click.echo(f"other carriers use the app's credentials: {app_wide}")


@carriers.command("remove")
@click.option("--shop", "shop_domain", required=True)
@click.argument("source")
@with_appcontext
def remove(shop_domain: str, source: str) -> None:
    """Delete the shop's credentials for SOURCE; its parcels fall back to the app's."""
    if not carrier_accounts.remove_account(shop_id=_shop_id(shop_domain), source=source.strip().lower()):
        raise click.ClickException(f"no {source} account for {shop_domain}")
    click.echo(f"removed {source} for {shop_domain}")


def _describe_fields(fields: dict[str, str]) -> str:
    return " ".join(f"{name}={value}" for name, value in fields.items())


@carriers.command("push-url")
@click.option("--shop", "shop_domain", required=True)
@click.argument("source", default="easypost")
@with_appcontext
def push_url(shop_domain: str, source: str) -> None:
    """The shop's own address and secret for SOURCE's pushes (set both on the merchant's EasyPost webhook)."""
    from flask import current_app

    from app.services import push_urls
    from integrations.carriers.sources import PUSH_SOURCES

    if source not in PUSH_SOURCES:
        raise click.ClickException(f"{source!r} does not push; these do: {', '.join(sorted(PUSH_SOURCES))}")
    shop_id = _shop_id(shop_domain)
    base = current_app.config["AFTERGLOW"].public_url.rstrip("/")
    click.echo(f"url:    {base}/webhooks/carriers/{source}/shops/{push_urls.shop_push_token(shop_id=shop_id)}")
    click.echo(f"secret: {push_urls.shop_push_secret(shop_id=shop_id, source=source)}")
