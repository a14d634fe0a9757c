"""`flask …` commands: processes (worker, clock, serve), support (webhooks, orders, shipments, carriers, shops)
and the demo stores."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.cli import (
        demo_shopify,  # noqa: F401 - adds `flask demo shopify` to the demo group
        woocommerce,  # noqa: F401 - adds `flask shops login-link` to the shops group
    )
    from app.cli.carriers import carriers
    from app.cli.demo import demo
    from app.cli.notifications import notifications
    from app.cli.orders import orders
    from app.cli.processes import clock, serve, worker
    from app.cli.shipments import shipments
    from app.cli.shops import shops
    from app.cli.webhooks import webhooks

    for command in (worker, clock, serve, webhooks, orders, shipments, carriers, shops, demo, notifications):
        app.cli.add_command(command)
