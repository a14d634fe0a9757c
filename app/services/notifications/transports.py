"""Which provider carries each channel, from the settings: SMTP and Twilio when configured, else the local outbox
(so `make run` shows what shoppers would get without sending anything)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from app.config import INSTANCE_DIR
from integrations.channels import Transport
from integrations.channels.email import SMTPTransport
from integrations.channels.local import LocalOutbox
from integrations.channels.sms import TwilioTransport


def outbox_dir() -> Path:
    configured = current_app.config["AFTERGLOW"].notification_outbox_dir
    return Path(configured) if configured else INSTANCE_DIR / "outbox"


def local_outbox() -> LocalOutbox:
    return LocalOutbox(outbox_dir())


def open_transport(channel: str) -> Transport:
    settings = current_app.config["AFTERGLOW"]
    if channel == "email" and settings.smtp_url:
        return SMTPTransport(settings.smtp_url)
    if channel == "sms" and settings.twilio_account_sid:
        return TwilioTransport(
            account_sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token or "",
            sender=settings.twilio_from, messaging_service_sid=settings.twilio_messaging_service_sid,
            api_base=settings.twilio_api_base,
        )  # fmt: skip
    return local_outbox()


def describe(channel: str) -> str:
    settings = current_app.config["AFTERGLOW"]
    if channel == "email" and settings.smtp_url:
        return "smtp"
    if channel == "sms" and settings.twilio_account_sid:
        return "twilio"
    return "local"
