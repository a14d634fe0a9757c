"""`/dev/outbox`: what shoppers would have received, read from the local outbox that stands in for SMTP and Twilio
until they are configured."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template

from app.services.notifications import transports

bp = Blueprint("dev_outbox", __name__, url_prefix="/dev/outbox")


@bp.before_request
def _development_only() -> None:
    if current_app.config["AFTERGLOW"].env == "production":
        abort(404)


@bp.get("")
def index() -> str:
    outbox = transports.local_outbox()
    return render_template(
        "dev_outbox.html", messages=outbox.list(limit=200), directory=str(outbox.directory),
        email=transports.describe("email"), sms=transports.describe("sms"), selected=None,
    )  # fmt: skip


@bp.get("/<name>")
def show(name: str) -> str:
    outbox = transports.local_outbox()
    try:
        selected = outbox.read(name)
    except (FileNotFoundError, ValueError):
        abort(404, description="no such message")
    return render_template(
        "dev_outbox.html", messages=outbox.list(limit=200), directory=str(outbox.directory),
        email=transports.describe("email"), sms=transports.describe("sms"), selected=selected,
    )  # fmt: skip


@bp.get("/<name>/html")
def html(name: str) -> Response:
    try:
        message = transports.local_outbox().read(name)
    except (FileNotFoundError, ValueError):
        abort(404, description="no such message")
    if message.html is None:
        abort(404, description="this message has no HTML part")
    # Shown inside a sandboxed iframe: the message's HTML runs no script and cannot reach this origin.
    response = Response(message.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"
    )
    return response
