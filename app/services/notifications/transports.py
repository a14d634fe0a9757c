"""Which provider carries each channel, from the settings: SMTP and Twilio when configured, else the local outbox
(so `make run` shows what shoppers would get without sending anything)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from app.config import INSTANCE_DIR
from app.services.notifications import settings as notification_settings
from integrations.channels import Transport
from integrations.channels.email import SMTPTransport
from integrations.channels.klaviyo import KlaviyoTransport
from integrations.channels.local import LocalOutbox
from integrations.channels.sms import TwilioTransport
from integrations.channels.webhook import WebhookTransport
from integrations.errors import IntegrationError


def outbox_dir() -> Path:
    configured = current_app.config["AFTERGLOW"].notification_outbox_dir
    return Path(configured) if configured else INSTANCE_DIR / "outbox"


def local_outbox() -> LocalOutbox:
    return LocalOutbox(outbox_dir())


def open_transport(channel: str, *, settings: Mapping[str, Any] | None = None) -> Transport:
    """The transport for `channel`; `settings` are the shop's, for the channels each shop connects itself."""
    if channel in ("klaviyo", "webhook"):
        connection = notification_settings.connection(settings or {}, channel)
        if connection is None:
            raise IntegrationError(f"{channel} is not connected for this shop")
        if channel == "klaviyo":
            api_base = current_app.config["AFTERGLOW"].klaviyo_api_base
            return KlaviyoTransport(api_key=connection["api_key"], api_base=api_base)
        host = urlsplit(connection["url"]).hostname or ""
        if current_app.config["AFTERGLOW"].env == "production" and not notification_settings.public_host(host):
            # Checked when connected too; asked again at each delivery, as a name can be pointed elsewhere later.
            raise IntegrationError(f"the webhook endpoint {host} resolves to a private address; not sent")
        return WebhookTransport(url=connection["url"], secret=connection["secret"])
    config = current_app.config["AFTERGLOW"]
    if channel == "email" and config.smtp_url:
        return SMTPTransport(config.smtp_url)
    if channel == "sms" and config.twilio_account_sid:
        return TwilioTransport(
            account_sid=config.twilio_account_sid, auth_token=config.twilio_auth_token or "",
            sender=config.twilio_from, messaging_service_sid=config.twilio_messaging_service_sid,
            api_base=config.twilio_api_base,
        )  # fmt: skip
    return local_outbox()


def describe(channel: str) -> str:
    config = current_app.config["AFTERGLOW"]
    if channel == "email" and config.smtp_url:
        return "smtp"
    if channel == "sms" and config.twilio_account_sid:
        return "twilio"
    return "local"
