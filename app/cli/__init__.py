"""`flask …` commands: processes (worker, clock, serve), support (webhooks, orders) and the demo store."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from app.cli.demo import demo
    from app.cli.notifications import notifications
    from app.cli.orders import orders
    from app.cli.processes import clock, serve, worker
    from app.cli.shipments import shipments
    from app.cli.webhooks import webhooks

    for command in (worker, clock, serve, webhooks, orders, shipments, demo, notifications):
        app.cli.add_command(command)
