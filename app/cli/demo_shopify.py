"""`flask demo shopify`: a fake Shopify for the demo store on a local port, to watch tracking write-back work.

    flask demo shopify --port 8765                                  # terminal 1: the fake, the store connected
    SHOPIFY_API_BASE_URL=http://127.0.0.1:8765 PORT=5001 make run   # terminal 2: the app calls it instead
    curl http://127.0.0.1:8765/_fake/afterglow-demo.myshopify.com/events
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from app import demo as demo_data
from app.cli.demo import demo_group
from app.extensions import db
from app.models.types import utcnow
from app.services import shop_settings
from app.services.shopify_tokens import store_tokens
from app.services.shops import get_or_create_shop
from fakes.server import FakeServer
from fakes.shopify import FakeShopify
from integrations.shopify.tokens import IssuedTokens


@demo_group.command("shopify")
@click.option("--port", default=8765, show_default=True, help="Where the fake Shopify listens (127.0.0.1).")
@with_appcontext
def shopify_command(port: int) -> None:
    """Serve a fake Shopify for the demo store, connect the store to it and turn tracking write-back on."""
    settings = current_app.config["AFTERGLOW"]
    fake = FakeShopify(client_id=settings.shopify_api_key, client_secret=settings.shopify_api_secret)
    domain = demo_data.SHOPIFY_DOMAIN
    fake.add_store(domain, name="Afterglow Demo", currency="USD", timezone="America/New_York")
    for delivery in demo_data.shopify_deliveries(settings.shopify_api_secret):
        if delivery.headers["X-Shopify-Topic"] == "fulfillments/create":
            fake.add_fulfillment(domain, str(json.loads(delivery.body)["id"]))
    grant, now = fake.grant(domain), utcnow()
    shop = get_or_create_shop(platform="shopify", domain=domain)
    db.session.commit()
    store_tokens(shop_id=shop.id, issued=IssuedTokens(
        access_token=grant["access_token"], expires_at=now + timedelta(seconds=grant["expires_in"]),
        refresh_token=grant["refresh_token"],
        refresh_token_expires_at=now + timedelta(seconds=grant["refresh_token_expires_in"]), scopes=grant["scope"],
    ))  # fmt: skip
    shop_settings.update(shop_id=shop.id, values={"tracking_writeback": "on"})
    with FakeServer(fake.app, port=port) as server:
        click.echo(f"fake Shopify for {domain} on {server.base_url}; the store is connected, write-back on.")
        click.echo(f"Run the app with SHOPIFY_API_BASE_URL={server.base_url}; events: "
                   f"{server.base_url}/_fake/{domain}/events. Ctrl-C stops.")  # fmt: skip
        app_url = str(settings.public_url).rstrip("/")
        click.echo(f"admin page: {app_url}/?shop={domain}&host=demo&id_token={fake.session_token(domain, ttl=3600)}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("stopped")
